package profile

import (
	"fmt"
	"strings"
)

// Requirement is a capability the image needs from the package closure:
// any one of AnyOf (package names or provides) satisfies it.
type Requirement struct {
	Mode  BootMode // the boot mode that needs it; "" for every image
	AnyOf []string
	Why   string
}

// Requirements returns what the chosen boot modes need from the closure.
// The names are Rocky's. The UEFI GRUB must be grub2-efi-x64-cdboot: its
// gcdx64.efi reads grub.cfg beside itself, where plain grub2-efi-x64's
// grubx64.efi looks in /EFI/rocky on the ESP (lorax requires the same).
func Requirements(modes []BootMode) []Requirement {
	reqs := []Requirement{
		{AnyOf: []string{"kernel-core", "kernel"}, Why: "the kernel booted from the ISO"},
		{AnyOf: []string{"dracut"}, Why: "builds the initramfs"},
		{AnyOf: []string{"dracut-live"}, Why: "the dmsquash-live module that finds root=live:CDLABEL="},
		{AnyOf: []string{"dracut-squash"}, Why: "mounts LiveOS/squashfs.img in the initramfs"},
	}
	for _, m := range modes {
		switch m {
		case UEFIGrub:
			reqs = append(reqs,
				Requirement{Mode: m, AnyOf: []string{"shim-x64"}, Why: "the signed shim as EFI/BOOT/BOOTX64.EFI"},
				Requirement{Mode: m, AnyOf: []string{"grub2-efi-x64-cdboot"}, Why: "the signed CD GRUB (gcdx64.efi) as EFI/BOOT/grubx64.efi"},
			)
		case BIOSGrub:
			reqs = append(reqs,
				Requirement{Mode: m, AnyOf: []string{"grub2-pc"}, Why: "GRUB for BIOS"},
				Requirement{Mode: m, AnyOf: []string{"grub2-pc-modules"}, Why: "the i386-pc modules and cdboot.img for the El Torito image"},
			)
		case Isolinux:
			reqs = append(reqs,
				Requirement{Mode: m, AnyOf: []string{"syslinux-nonlinux", "syslinux"}, Why: "isolinux.bin, ldlinux.c32 and isohdpfx.bin"},
			)
		}
	}
	return reqs
}

// CheckClosure reports every Requirement of the profile's boot modes
// that the closure lacks, positioned at the boot-modes line of
// profile.conf (or packages.txt when the modes are the defaults). has
// answers for a package name or a provide of the resolved closure.
func (p *Profile) CheckClosure(has func(name string) bool) Diagnostics {
	d := diags{list: new(Diagnostics), file: PackagesFile}
	line := 0
	if l, ok := p.Settings.Lines["boot-modes"]; ok {
		d.file, line = ConfFile, l
	}
	for _, r := range Requirements(p.Settings.BootModes) {
		if satisfied(r, has) {
			continue
		}
		who := "every image"
		if r.Mode != "" {
			who = fmt.Sprintf("boot mode %s", r.Mode)
		}
		d.errorf(line, 1, "%s needs %s (%s); not in the package closure: add it to %s", who, strings.Join(r.AnyOf, " or "), r.Why, PackagesFile)
	}
	return *d.list
}

func satisfied(r Requirement, has func(string) bool) bool {
	for _, name := range r.AnyOf {
		if has(name) {
			return true
		}
	}
	return false
}
