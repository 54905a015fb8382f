package boot

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// Flavor names the convention a root's loaders follow.
type Flavor string

// The flavors.
const (
	// Rocky: shim and the signed GRUB live in /boot/efi/EFI/<vendor>/;
	// the CD GRUB (gcdx64.efi) reads grub.cfg beside itself, so the
	// config goes to EFI/BOOT/grub.cfg on the ESP and on the ISO.
	Rocky Flavor = "rocky"
	// Debian: shim in /usr/lib/shim, the signed CD GRUB in
	// /usr/lib/grub/x86_64-efi-signed; that GRUB finds the medium by
	// /.disk/info and reads /boot/grub/grub.cfg there.
	Debian Flavor = "debian"
)

// Layout holds where a root directory keeps the boot loader files. A
// field is empty when the root does not have that file.
type Layout struct {
	Flavor     Flavor
	I386PC     string // GRUB i386-pc directory: modules, cdboot.img, boot_hybrid.img
	X86_64EFI  string // unsigned GRUB x86_64-efi modules, for an unsigned EFI image
	Shim       string // signed shim, to become EFI/BOOT/BOOTX64.EFI
	SignedGRUB string // signed CD GRUB, to become EFI/BOOT/grubx64.efi
	// Syslinux lists the directories holding isolinux.bin, the .c32
	// modules and isohdpfx.bin: one on Rocky, two on Debian.
	Syslinux []string
}

// SyslinuxFile returns the path of a syslinux file such as isolinux.bin,
// or "" when no Syslinux directory has it.
func (l Layout) SyslinuxFile(name string) string {
	for _, dir := range l.Syslinux {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// DetectLayout looks into root (the installed live root, or "/" for the
// host's own loaders) for the boot loader files.
func DetectLayout(root string) (Layout, error) {
	if fi, err := os.Stat(root); err != nil {
		return Layout{}, fmt.Errorf("boot layout: %w", err)
	} else if !fi.IsDir() {
		return Layout{}, fmt.Errorf("boot layout: %s is not a directory", root)
	}
	l := Layout{
		Flavor:    Debian,
		I386PC:    firstDir(root, "usr/lib/grub/i386-pc"),
		X86_64EFI: firstDir(root, "usr/lib/grub/x86_64-efi"),
	}
	for _, rel := range []string{"usr/share/syslinux", "usr/lib/ISOLINUX", "usr/lib/syslinux/modules/bios", "usr/lib/syslinux/mbr"} {
		if d := firstDir(root, rel); d != "" {
			l.Syslinux = append(l.Syslinux, d)
		}
	}
	if shim := firstGlob(root, "boot/efi/EFI/*/shimx64.efi"); shim != "" {
		l.Flavor = Rocky
		l.Shim = shim
		// Only the CD GRUB (grub2-efi-x64-cdboot) will do: the disk
		// GRUB, grubx64.efi, reads its config from /EFI/<vendor>/.
		l.SignedGRUB = firstGlob(root, "boot/efi/EFI/*/gcdx64.efi")
	} else {
		l.Shim = firstGlob(root, "usr/lib/shim/shimx64.efi.signed")
		l.SignedGRUB = firstGlob(root, "usr/lib/grub/x86_64-efi-signed/gcdx64.efi.signed")
	}
	return l, nil
}

// CheckBIOSGRUB reports what the BIOS GRUB boot mode lacks in l.
func (l Layout) CheckBIOSGRUB() error {
	var errs []error
	if l.I386PC == "" {
		return errors.New("no GRUB i386-pc directory (usr/lib/grub/i386-pc)")
	}
	for _, f := range []string{"cdboot.img", "boot_hybrid.img", "kernel.img"} {
		if _, err := os.Stat(filepath.Join(l.I386PC, f)); err != nil {
			errs = append(errs, fmt.Errorf("GRUB i386-pc: %w", err))
		}
	}
	return errors.Join(errs...)
}

// CheckUEFI reports what the UEFI boot mode lacks in l: the signed pair
// (shim and CD GRUB) or the unsigned GRUB modules.
func (l Layout) CheckUEFI() error {
	if l.SecureBoot() || l.X86_64EFI != "" {
		return nil
	}
	return errors.New("no signed shim and GRUB and no GRUB x86_64-efi modules")
}

// SecureBoot reports whether the UEFI loaders are the signed shim and GRUB.
func (l Layout) SecureBoot() bool { return l.Shim != "" && l.SignedGRUB != "" }

// ConfigPaths returns where grub.cfg goes in the ISO tree. The BIOS GRUB
// core image made by CoreImage always reads boot/grub/grub.cfg.
func (l Layout) ConfigPaths() []string {
	if l.Flavor == Rocky {
		return []string{"EFI/BOOT/grub.cfg", "boot/grub/grub.cfg"}
	}
	return []string{"boot/grub/grub.cfg"}
}

// firstDir returns the first of root/rel... that is a directory, or "".
func firstDir(root string, rels ...string) string {
	for _, rel := range rels {
		p := filepath.Join(root, rel)
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			return p
		}
	}
	return ""
}

// firstGlob returns the first regular file matching root/pattern..., in
// sorted order for stable results, or "".
func firstGlob(root string, patterns ...string) string {
	for _, pat := range patterns {
		matches, _ := filepath.Glob(filepath.Join(root, pat))
		sort.Strings(matches)
		for _, m := range matches {
			if fi, err := os.Stat(m); err == nil && fi.Mode().IsRegular() {
				return m
			}
		}
	}
	return ""
}
