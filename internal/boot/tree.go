package boot

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
)

// TreeSpec says which boot tree to make.
type TreeSpec struct {
	Layout  Layout
	MkImage string // host grub-mkimage, see FindMkImage; for GRUB BIOS or unsigned UEFI
	Menu    Menu
	BIOS    BIOSLoader
	UEFI    bool
	Tree    string // the ISO tree; the kernel and initramfs go there separately
	Work    string // scratch directory for core images and efiboot.img
	Epoch   int64  // SOURCE_DATE_EPOCH, negative for none
}

// BuildTree writes the boot loaders and their configs into spec.Tree,
// makes efiboot.img in spec.Work, and returns an ISO with the boot
// fields set; the caller adds Out, Publisher and Application.
func BuildTree(ctx context.Context, spec TreeSpec) (ISO, error) {
	l := spec.Layout
	iso := ISO{Tree: spec.Tree, Label: spec.Menu.Label, BIOS: spec.BIOS, Epoch: spec.Epoch}
	if err := os.MkdirAll(spec.Work, 0o755); err != nil {
		return ISO{}, fmt.Errorf("boot tree: %w", err)
	}
	if spec.BIOS == GRUBBIOS || spec.UEFI {
		for _, p := range l.ConfigPaths() {
			if err := writeFile(filepath.Join(spec.Tree, p), GRUBConfig(spec.Menu)); err != nil {
				return ISO{}, err
			}
		}
	}
	var err error
	switch spec.BIOS {
	case GRUBBIOS:
		err = grubBIOSTree(ctx, spec, &iso)
	case ISOLINUX:
		err = isolinuxTree(spec, &iso)
	}
	if err != nil {
		return ISO{}, err
	}
	if spec.UEFI {
		if err := uefiTree(ctx, spec, &iso); err != nil {
			return ISO{}, err
		}
	}
	return iso, nil
}

func grubBIOSTree(ctx context.Context, spec TreeSpec, iso *ISO) error {
	l := spec.Layout
	if err := l.CheckBIOSGRUB(); err != nil {
		return fmt.Errorf("boot tree: bios-grub: %w", err)
	}
	modDir := filepath.Join(spec.Tree, "boot", "grub", "i386-pc")
	if err := CopyModules(l.I386PC, modDir); err != nil {
		return fmt.Errorf("boot tree: %w", err)
	}
	if err := BIOSElTorito(ctx, spec.MkImage, l.I386PC, spec.Menu.Label, filepath.Join(modDir, "eltorito.img"), spec.Work); err != nil {
		return fmt.Errorf("boot tree: %w", err)
	}
	iso.BIOSImage = "boot/grub/i386-pc/eltorito.img"
	iso.HybridMBR = filepath.Join(l.I386PC, "boot_hybrid.img")
	return nil
}

func isolinuxTree(spec TreeSpec, iso *ISO) error {
	l := spec.Layout
	dir := filepath.Join(spec.Tree, "isolinux")
	for _, n := range IsolinuxFiles() {
		src := l.SyslinuxFile(n)
		if src == "" {
			return fmt.Errorf("boot tree: isolinux: no %s in %v", n, l.Syslinux)
		}
		if err := copyFile(filepath.Join(dir, n), src); err != nil {
			return err
		}
	}
	if iso.HybridMBR = l.SyslinuxFile("isohdpfx.bin"); iso.HybridMBR == "" {
		return fmt.Errorf("boot tree: isolinux: no isohdpfx.bin in %v", l.Syslinux)
	}
	iso.BIOSImage = "isolinux/isolinux.bin"
	return writeFile(filepath.Join(dir, "isolinux.cfg"), IsolinuxConfig(spec.Menu))
}

func uefiTree(ctx context.Context, spec TreeSpec, iso *ISO) error {
	l := spec.Layout
	if err := l.CheckUEFI(); err != nil {
		return fmt.Errorf("boot tree: uefi: %w", err)
	}
	efiDir := filepath.Join(spec.Tree, "EFI", "BOOT")
	if err := os.MkdirAll(efiDir, 0o755); err != nil {
		return err
	}
	if l.SecureBoot() {
		if err := copyFile(filepath.Join(efiDir, "BOOTX64.EFI"), l.Shim); err != nil {
			return err
		}
		if err := copyFile(filepath.Join(efiDir, "grubx64.efi"), l.SignedGRUB); err != nil {
			return err
		}
	} else {
		if err := EFIImage(ctx, spec.MkImage, l.X86_64EFI, spec.Menu.Label, filepath.Join(efiDir, "BOOTX64.EFI"), spec.Work); err != nil {
			return fmt.Errorf("boot tree: %w", err)
		}
		// Its prefix is /boot/grub on the ISO: modules the image lacks
		// load from there.
		if err := CopyModules(l.X86_64EFI, filepath.Join(spec.Tree, "boot", "grub", "x86_64-efi")); err != nil {
			return fmt.Errorf("boot tree: %w", err)
		}
	}
	if l.Flavor == Debian {
		// Debian's CD GRUB finds the medium by this file.
		info := []byte(spec.Menu.Title + " live " + spec.Menu.Label + "\n")
		if err := writeFile(filepath.Join(spec.Tree, ".disk", "info"), info); err != nil {
			return err
		}
	}
	files, err := treeFiles(filepath.Join(spec.Tree, "EFI"))
	if err != nil {
		return fmt.Errorf("boot tree: %w", err)
	}
	for i := range files {
		files[i].Dst = "EFI/" + files[i].Dst
	}
	iso.EFIBoot = filepath.Join(spec.Work, "efiboot.img")
	return EFIBoot(ctx, iso.EFIBoot, files, spec.Epoch)
}

func writeFile(p string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, data, 0o644)
}

func copyFile(dst, src string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return concat(dst, src)
}
