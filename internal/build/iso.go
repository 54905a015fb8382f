package build

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/levitateos/levitate/internal/boot"
	"github.com/levitateos/levitate/internal/profile"
	"github.com/levitateos/levitate/internal/run"
)

func isoStage(o Options) Stage {
	tools := []string{"xorriso"}
	if o.Settings.HasMode(profile.BIOSGrub) {
		tools = append([]string{"grub-mkimage"}, tools...)
	}
	if o.Settings.HasMode(profile.UEFIGrub) {
		tools = append([]string{"mkfs.fat", "mmd", "mcopy"}, tools...)
	}
	return Stage{
		Name:    StageISO,
		Doc:     "boot tree (GRUB BIOS, shim + GRUB UEFI, efiboot.img) and the hybrid ISO",
		Inputs:  []string{o.path(rootDir), o.path(treeDir)},
		Outputs: []string{o.Out},
		Tools:   tools,
		run:     (*builder).iso,
	}
}

// Menu returns the boot menu of settings s.
func Menu(s *profile.Settings) boot.Menu {
	title := s.Application
	for _, f := range s.OSRelease {
		if f.Key == "NAME" {
			title = f.Value
		}
	}
	return boot.Menu{
		Title:     title,
		Label:     s.Label,
		Kernel:    boot.DefaultKernel,
		Initrd:    boot.DefaultInitrd,
		ExtraArgs: s.KernelCmdline,
		Timeout:   5,
	}
}

func (b *builder) iso(ctx context.Context) error {
	o := b.opts
	s := &o.Settings
	layout, err := boot.DetectLayout(o.path(rootDir))
	if err != nil {
		return err
	}
	fmt.Fprintf(b.log, "boot layout: %+v\n", layout)
	check, err := hasMediaCheck(o.path(rootDir))
	if err != nil {
		return err
	}
	fmt.Fprintf(b.log, "media check (%s in the root): %v\n", checkISOMD5, check)
	menu := Menu(s)
	menu.MediaCheck = check
	spec := boot.TreeSpec{
		Layout: layout,
		Menu:   menu,
		UEFI:   s.HasMode(profile.UEFIGrub),
		Tree:   o.path(treeDir),
		Work:   o.path(bootWork),
		Epoch:  o.Epoch,
	}
	switch {
	case s.HasMode(profile.BIOSGrub):
		spec.BIOS = boot.GRUBBIOS
	case s.HasMode(profile.Isolinux):
		spec.BIOS = boot.ISOLINUX
	}
	if spec.BIOS == boot.GRUBBIOS || (spec.UEFI && !layout.SecureBoot()) {
		if spec.MkImage, err = boot.FindMkImage(run.LookPath); err != nil {
			return err
		}
	}
	start := time.Now()
	iso, err := b.bootTree(ctx, spec)
	if err != nil {
		return err
	}
	fmt.Fprintf(b.log, "boot tree: %.2fs\n", time.Since(start).Seconds())
	iso.Out, iso.Publisher, iso.Application = o.Out, s.Publisher, s.Application
	iso.ImplantMD5 = check
	if err := os.MkdirAll(filepath.Dir(o.Out), 0o755); err != nil {
		return err
	}
	start = time.Now()
	if err := boot.BuildISO(ctx, iso, run.Cmd{Stdout: b.log, Stderr: b.log}); err != nil {
		return err
	}
	fmt.Fprintf(b.log, "image: %.2fs\n", time.Since(start).Seconds())
	fi, err := os.Stat(o.Out)
	if err != nil {
		return err
	}
	b.size = fi.Size()
	return nil
}
