package vmtest

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/levitateos/levitate/internal/run"
)

// testPrompt is what the test initramfs's shell prints; the shell computes
// it from PS1='vmtest-$((6*7))# ', so an echo of PS1 never matches.
const testPrompt = "vmtest-42# "

// Init scripts for the test initramfs.
const (
	goodInit = `#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
dmesg -n 1
export PS1='vmtest-$((6*7))# '
exec setsid cttyhack sh
`
	// exitingInit makes the kernel panic: init must never exit.
	exitingInit = `#!/bin/busybox sh
echo "vmtest: init exits on purpose"
exit 1
`
)

// grubCfg is the test ISO's GRUB configuration; %d is the menu timeout,
// -1 to wait for a key forever.
const grubCfg = `serial --unit=0 --speed=115200
terminal_input serial console
terminal_output serial console
set timeout=%d
menuentry "vmtest" {
	linux /boot/vmlinuz console=ttyS0,115200
	initrd /boot/initrd.gz
}
`

func cacheDir(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("LEVITATE_CACHE"); d != "" {
		return d
	}
	d, err := os.UserCacheDir()
	if err != nil {
		t.Fatalf("cache directory: %v", err)
	}
	return filepath.Join(d, "levitate")
}

// debianKernel returns a Debian vmlinuz and its release (what uname -r
// prints), downloaded with apt-get once and cached by package version.
func debianKernel(ctx context.Context, t *testing.T) (vmlinuz, release string) {
	t.Helper()
	show, err := run.Output(ctx, run.Cmd{Argv: []string{"apt-cache", "show", "--no-all-versions", "linux-image-amd64"}})
	if err != nil {
		t.Fatalf("find the kernel package: %v", err)
	}
	// The metapackage depends on the versioned image package.
	kernelDep := regexp.MustCompile(`(?m)^Depends:.*?\b(linux-image-([0-9][^ ,]*-amd64)) \(= ([^)]+)\)`)
	m := kernelDep.FindSubmatch(show)
	if m == nil {
		t.Fatalf("apt-cache show linux-image-amd64: no versioned Depends in:\n%s", show)
	}
	pkg, release, version := string(m[1]), string(m[2]), string(m[3])
	dir := filepath.Join(cacheDir(t), "vmtest", "kernel", pkg+"_"+version)
	vmlinuz = filepath.Join(dir, "vmlinuz")
	if _, err := os.Stat(vmlinuz); err == nil {
		return vmlinuz, release
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		t.Fatal(err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), ".download-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	if err := run.Run(ctx, run.Cmd{Argv: []string{"apt-get", "download", pkg + "=" + version}, Dir: tmp}); err != nil {
		t.Fatalf("download the kernel: %v", err)
	}
	debs, _ := filepath.Glob(filepath.Join(tmp, "*.deb"))
	if len(debs) != 1 {
		t.Fatalf("apt-get download %s: got %d .deb files; want 1", pkg, len(debs))
	}
	if err := extractFromDeb(ctx, debs[0], "./boot/vmlinuz-"+release, filepath.Join(tmp, "vmlinuz")); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, dir); err != nil && !errors.Is(err, fs.ErrExist) {
		t.Fatalf("cache the kernel: %v", err)
	}
	return vmlinuz, release
}

// extractFromDeb streams the package's data tar through dpkg-deb and keeps
// one member, instead of unpacking 400 MB of modules to take one file.
func extractFromDeb(ctx context.Context, deb, member, dst string) error {
	pr, pw := io.Pipe()
	errc := make(chan error, 1)
	go func() {
		err := run.Run(ctx, run.Cmd{Argv: []string{"dpkg-deb", "--fsys-tarfile", deb}, Stdout: pw})
		pw.CloseWithError(err)
		errc <- err
	}()
	found := false
	tr := tar.NewReader(pr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			pr.CloseWithError(err)
			return fmt.Errorf("read %s: %w", deb, err)
		}
		if h.Name != member {
			continue
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			return fmt.Errorf("read %s from %s: %w", member, deb, err)
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			return err
		}
		found = true
	}
	// Drain the zero padding after the end-of-archive marker, or dpkg-deb
	// blocks writing it.
	if _, err := io.Copy(io.Discard, pr); err != nil {
		return fmt.Errorf("read %s: %w", deb, err)
	}
	if err := <-errc; err != nil {
		return err
	}
	if !found {
		return fmt.Errorf("%s: no member %s", deb, member)
	}
	return nil
}

// isoSpec describes one test ISO.
type isoSpec struct {
	init      string // /init of the initramfs
	noKernel  bool   // leave the kernel out, so GRUB fails
	waitMenu  bool   // GRUB waits at its menu forever
	busybox   string // static busybox binary
	vmlinuz   string
	outputDir string
}

// buildISO makes a GRUB rescue ISO (BIOS and UEFI, CD and USB) holding the
// kernel and a busybox initramfs.
func buildISO(ctx context.Context, t *testing.T, name string, s isoSpec) string {
	t.Helper()
	tree := filepath.Join(s.outputDir, name+"-tree")
	for _, d := range []string{"boot/grub", "initrd/bin", "initrd/proc", "initrd/sys", "initrd/dev"} {
		if err := os.MkdirAll(filepath.Join(tree, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := copyFile(filepath.Join(tree, "initrd/bin/busybox"), s.busybox); err != nil {
		t.Fatal(err)
	}
	must(t, os.Chmod(filepath.Join(tree, "initrd/bin/busybox"), 0o755))
	must(t, os.WriteFile(filepath.Join(tree, "initrd/init"), []byte(s.init), 0o755))
	if !s.noKernel {
		must(t, copyFile(filepath.Join(tree, "boot/vmlinuz"), s.vmlinuz))
	}
	timeout := 0
	if s.waitMenu {
		timeout = -1
	}
	must(t, os.WriteFile(filepath.Join(tree, "boot/grub/grub.cfg"), fmt.Appendf(nil, grubCfg, timeout), 0o644))
	initrd := filepath.Join(s.outputDir, name+"-initrd.gz")
	must(t, makeInitramfs(ctx, filepath.Join(tree, "initrd"), initrd))
	iso := filepath.Join(s.outputDir, name+".iso")
	must(t, os.Rename(initrd, filepath.Join(tree, "boot/initrd.gz")))
	must(t, os.RemoveAll(filepath.Join(tree, "initrd")))
	if err := run.Run(ctx, run.Cmd{Argv: []string{"grub-mkrescue", "-o", iso, tree}}); err != nil {
		t.Fatalf("grub-mkrescue: %v", err)
	}
	return iso
}

// makeInitramfs writes dir as a gzip-compressed newc cpio archive, owned
// by root.
func makeInitramfs(ctx context.Context, dir, out string) error {
	var list bytes.Buffer
	err := filepath.WalkDir(dir, func(p string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		fmt.Fprintln(&list, rel)
		return nil
	})
	if err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer f.Close()
	zw := gzip.NewWriter(f)
	err = run.Run(ctx, run.Cmd{Argv: []string{"cpio", "--quiet", "-o", "-H", "newc", "-R", "0:0"}, Dir: dir, Stdin: &list, Stdout: zw})
	if err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
