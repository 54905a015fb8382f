package boot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/levitateos/levitate/internal/run"
)

// FindMkImage returns the host's grub-mkimage: grub2-mkimage on Rocky,
// grub-mkimage on Debian. lookPath is run.LookPath outside tests.
func FindMkImage(lookPath func(string) (string, error)) (string, error) {
	for _, name := range []string{"grub2-mkimage", "grub-mkimage"} {
		if p, err := lookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("neither grub2-mkimage (Rocky: grub2-tools) nor grub-mkimage (Debian: grub-common) is on PATH")
}

// Prefix is where GRUB looks for grub.cfg and its modules on the ISO.
const Prefix = "/boot/grub"

// coreModules are built into the GRUB images, so the menu works before
// (and, under Secure Boot, without) loading modules from the ISO.
func coreModules(format string) []string {
	mods := []string{
		"iso9660", "part_msdos", "part_gpt", "normal", "search", "search_label",
		"search_fs_file", "configfile", "linux", "echo", "test", "regexp",
		"serial", "terminal", "chain", "minicmd", "ls", "cat", "halt",
		"reboot", "gzio", "all_video",
	}
	switch format {
	case "i386-pc":
		mods = append([]string{"biosdisk"}, mods...)
	case "x86_64-efi":
		mods = append(mods, "fat", "efi_gop")
	}
	return mods
}

// earlyConfig is embedded in the image: it finds the ISO by label and
// points the prefix at its /boot/grub, whichever device GRUB started from
// (the CD, the USB disk, or the ESP image for UEFI).
func earlyConfig(label string) string {
	return "search --no-floppy --set=root --label " + label + "\nset prefix=($root)" + Prefix + "\n"
}

// mkImage runs grub-mkimage for format with modules from modDir.
func mkImage(ctx context.Context, mkimage, format, modDir, label, out, work string) error {
	cfg := filepath.Join(work, "early-"+format+".cfg")
	if err := os.WriteFile(cfg, []byte(earlyConfig(label)), 0o644); err != nil {
		return err
	}
	argv := []string{mkimage, "-O", format, "-d", modDir, "-p", Prefix, "-c", cfg, "-o", out}
	if err := run.Run(ctx, run.Cmd{Argv: append(argv, coreModules(format)...)}); err != nil {
		return fmt.Errorf("grub %s image: %w", format, err)
	}
	return nil
}

// BIOSElTorito writes the BIOS El Torito image to out: GRUB's cdboot.img
// followed by a core image made from the i386-pc modules in modDir.
// xorriso's -boot-info-table and --grub2-boot-info patch into it where
// the core image is on the medium. work holds temporary files.
func BIOSElTorito(ctx context.Context, mkimage, modDir, label, out, work string) error {
	core := filepath.Join(work, "core.img")
	if err := mkImage(ctx, mkimage, "i386-pc", modDir, label, core, work); err != nil {
		return err
	}
	return concat(out, filepath.Join(modDir, "cdboot.img"), core)
}

// EFIImage writes an unsigned GRUB EFI application (BOOTX64.EFI) to out,
// for roots without a signed shim and GRUB; it cannot boot with Secure
// Boot on.
func EFIImage(ctx context.Context, mkimage, modDir, label, out, work string) error {
	return mkImage(ctx, mkimage, "x86_64-efi", modDir, label, out, work)
}

// CopyModules copies GRUB's modules and lists from modDir to dst, so that
// GRUB can load what the core image lacks.
func CopyModules(modDir, dst string) error {
	entries, err := os.ReadDir(modDir)
	if err != nil {
		return fmt.Errorf("grub modules: %w", err)
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	for _, e := range entries {
		n := e.Name()
		if !e.Type().IsRegular() || !(strings.HasSuffix(n, ".mod") || strings.HasSuffix(n, ".lst")) {
			continue
		}
		if err := concat(filepath.Join(dst, n), filepath.Join(modDir, n)); err != nil {
			return err
		}
	}
	return nil
}

// concat writes the files srcs one after another to dst.
func concat(dst string, srcs ...string) (err error) {
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}()
	for _, s := range srcs {
		in, err := os.Open(s)
		if err != nil {
			return err
		}
		_, err = io.Copy(out, in)
		in.Close()
		if err != nil {
			return fmt.Errorf("copy %s: %w", s, err)
		}
	}
	return nil
}
