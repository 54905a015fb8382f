package build

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/levitateos/levitate/internal/boot"
	"github.com/levitateos/levitate/internal/run"
)

// chrootScript mounts the kernel filesystems into the root given as $1
// and runs the rest of the arguments there. It is a constant: the root
// and the command come in as positional arguments, never spliced into
// the script. It runs in a private mount namespace (unshare), so the
// mounts vanish with the process, however it ends.
const chrootScript = `set -e
root=$1; shift
mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
mount --rbind /dev "$root/dev"
mount -t tmpfs tmpfs "$root/run"
exec chroot "$root" "$@"`

// initramfsInRoot is where dracut writes inside the root; the file is
// moved out before the squashfs is made.
const initramfsInRoot = "/var/tmp/levitate-initramfs.img"

func initramfsStage(o Options) Stage {
	return Stage{
		Name:    StageInitramfs,
		Doc:     "dracut --no-hostonly --add dmsquash-live in the root (private mount namespace), compressed on the host; reused from the cache when the root and the dracut inputs are unchanged",
		Inputs:  []string{o.path(rootDir)},
		Outputs: []string{o.path(treeDir, boot.DefaultKernel), o.path(treeDir, boot.DefaultInitrd)},
		Tools:   []string{"unshare", "chroot", "dracut (in the root)", o.Settings.Compression.InitramfsCompressArgv()[0]},
		run:     (*builder).initramfs,
	}
}

// InChrootArgv returns the command that runs argv inside root with
// /proc, /sys, /dev and /run mounted in a private mount namespace.
func InChrootArgv(root string, argv ...string) []string {
	return append([]string{"unshare", "--mount", "--propagation", "private", "--",
		"sh", "-c", chrootScript, "sh", root}, argv...)
}

// DracutOmit are dracut modules a live medium does not use: plymouth
// would hide the console (lorax omits it too), the others serve
// installed systems (resume from swap, /usr on its own partition,
// persistent memory and LUN masks, virtiofs roots).
const DracutOmit = "plymouth resume usrmount nvdimm lunmask virtiofs"

// DracutArgv returns the dracut command for a generic live initramfs.
// dracut writes it uncompressed and without an early-microcode archive
// (as lorax's live builds do): the builder compresses the image on the
// host with a multi-threaded compressor (see InitramfsCompressArgv),
// where dracut would use a single-threaded one from the root.
func DracutArgv(kver, out string) []string {
	return []string{"dracut", "--no-hostonly", "--no-hostonly-cmdline",
		"--no-compress", "--no-early-microcode",
		"--add", "dmsquash-live", "--omit", DracutOmit,
		"--force", "--kver", kver, out}
}

// Kernel is the kernel found in a root.
type Kernel struct {
	Version string
	Image   string // host path of vmlinuz
}

// FindKernel finds the one kernel in root: vmlinuz in
// /usr/lib/modules/KVER/ (Rocky) or /boot/vmlinuz-KVER with its modules
// (Debian).
func FindKernel(root string) (Kernel, error) {
	var found []Kernel
	seen := map[string]bool{}
	for _, mods := range []string{"usr/lib/modules", "lib/modules"} {
		ents, _ := os.ReadDir(filepath.Join(root, mods))
		for _, e := range ents {
			kver := e.Name()
			if seen[kver] || !e.IsDir() {
				continue
			}
			for _, img := range []string{filepath.Join(root, mods, kver, "vmlinuz"), filepath.Join(root, "boot", "vmlinuz-"+kver)} {
				if fi, err := os.Stat(img); err == nil && fi.Mode().IsRegular() {
					found = append(found, Kernel{Version: kver, Image: img})
					seen[kver] = true
					break
				}
			}
		}
	}
	switch len(found) {
	case 0:
		return Kernel{}, fmt.Errorf("no kernel in %s: no vmlinuz in /usr/lib/modules/KVER/ or /boot/vmlinuz-KVER (is a kernel package in packages.txt?)", root)
	case 1:
		return found[0], nil
	}
	vers := make([]string, len(found))
	for i, k := range found {
		vers[i] = k.Version
	}
	sort.Strings(vers)
	return Kernel{}, fmt.Errorf("several kernels in %s: %s; the live image needs exactly one", root, strings.Join(vers, " "))
}

func (b *builder) initramfs(ctx context.Context) error {
	root := b.opts.path(rootDir)
	k, err := FindKernel(root)
	if err != nil {
		return err
	}
	b.kver = k.Version
	fmt.Fprintf(b.log, "kernel %s: %s\n", k.Version, k.Image)
	tree := b.opts.path(treeDir)
	initrd := filepath.Join(tree, boot.DefaultInitrd)
	if err := os.MkdirAll(filepath.Dir(initrd), 0o755); err != nil {
		return err
	}
	key, err := b.initramfsKey(k.Version)
	if err != nil {
		return err
	}
	if data, ok := b.initrds.entry(key); ok {
		fmt.Fprintf(b.log, "initramfs %s from the cache: %s\n", key, data)
		b.cached = true
		if err := copyFile(initrd, data, 0o644); err != nil {
			return fmt.Errorf("initramfs from the cache: %w", err)
		}
	} else {
		if err := b.dracut(ctx, root, k.Version, initrd); err != nil {
			return err
		}
		if err := b.initrds.store(key, initrd); err != nil {
			return err
		}
	}
	if err := copyFile(filepath.Join(tree, boot.DefaultKernel), k.Image, 0o644); err != nil {
		return fmt.Errorf("kernel: %w", err)
	}
	fi, err := os.Stat(initrd)
	if err != nil {
		return err
	}
	b.size = fi.Size()
	return nil
}

// compressInitramfs writes the compressed form of the cpio archive raw
// to out through a temporary file, and counts the time as compression.
func (b *builder) compressInitramfs(ctx context.Context, raw, out string) error {
	defer b.compressing(time.Now())
	in, err := os.Open(raw)
	if err != nil {
		return err
	}
	defer in.Close()
	tmp := out + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	c := b.cmd(b.opts.Settings.Compression.InitramfsCompressArgv()...)
	c.Stdin, c.Stdout = in, f
	err = run.Run(ctx, c)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, out)
}

// dracut makes the initramfs for kver in root and writes it compressed
// to initrd.
func (b *builder) dracut(ctx context.Context, root, kver, initrd string) error {
	dracut := DracutArgv(kver, initramfsInRoot)
	var env []string
	if b.opts.Epoch >= 0 {
		// dracut --reproducible takes its dates from SOURCE_DATE_EPOCH.
		dracut = append([]string{dracut[0], "--reproducible"}, dracut[1:]...)
		env = []string{fmt.Sprintf("SOURCE_DATE_EPOCH=%d", b.opts.Epoch)}
	}
	// The host's TMPDIR names a directory outside the root, which dracut
	// in the chroot would reject.
	env = append(env, "TMPDIR=/var/tmp")
	c := b.cmd(InChrootArgv(root, dracut...)...)
	c.Env = env
	if err := run.Run(ctx, c); err != nil {
		return err
	}
	raw := filepath.Join(root, initramfsInRoot)
	err := b.compressInitramfs(ctx, raw, initrd)
	os.Remove(raw)
	if err != nil {
		return fmt.Errorf("initramfs: %w", err)
	}
	if fi, err := os.Stat(initrd); err != nil || fi.Size() == 0 {
		return fmt.Errorf("dracut wrote an empty initramfs (%v)", err)
	}
	return nil
}
