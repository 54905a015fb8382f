package build

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/levitateos/levitate/internal/boot"
)

// The boot tree (GRUB's core image and modules, shim, efiboot.img, the
// menus) depends on the root's boot loader files, the menu and the host
// tools, not on airootfs at large, so it is cached like the root: made
// in the work directory's boot/ (tree/ for the ISO tree's part, work/
// for efiboot.img and other scratch, bootRecord for the ISO fields) and
// linked from there into the ISO tree.
const (
	bootStagingTree = "tree"
	bootStagingWork = "work"
	bootRecord      = "iso.json"
)

// bootTree makes spec's boot tree, or takes it from the cache, links it
// into spec.Tree and returns the ISO with its boot fields set, as
// boot.BuildTree does.
func (b *builder) bootTree(ctx context.Context, spec boot.TreeSpec) (boot.ISO, error) {
	o := b.opts
	tree, staging := spec.Tree, o.path(bootWork)
	if err := os.RemoveAll(staging); err != nil {
		return boot.ISO{}, err
	}
	key, err := b.bootKey(spec)
	if err != nil {
		return boot.ISO{}, err
	}
	if data, ok := b.boots.entry(key); ok {
		fmt.Fprintf(b.log, "boot tree %s from the cache: %s\n", key, data)
		b.bootCacheKey = key
		if err := linkTree(staging, data); err != nil {
			return boot.ISO{}, fmt.Errorf("boot tree from the cache: %w", err)
		}
	} else {
		spec.Tree, spec.Work = filepath.Join(staging, bootStagingTree), filepath.Join(staging, bootStagingWork)
		if err := os.MkdirAll(spec.Tree, 0o755); err != nil {
			return boot.ISO{}, err
		}
		iso, err := boot.BuildTree(ctx, spec)
		if err != nil {
			return boot.ISO{}, err
		}
		if err := writeBootRecord(staging, o.path(rootDir), iso); err != nil {
			return boot.ISO{}, err
		}
		if err := b.boots.store(key, staging); err != nil {
			return boot.ISO{}, err
		}
		b.bootCacheKey = key
	}
	iso, err := readBootRecord(staging, o.path(rootDir))
	if err != nil {
		return boot.ISO{}, err
	}
	iso.Tree = tree
	return iso, mergeLinks(tree, filepath.Join(staging, bootStagingTree))
}

// writeBootRecord keeps iso's boot fields in staging, its paths relative
// to the staging directory (efiboot.img) or the root (the hybrid MBR),
// so that another work directory can use them.
func writeBootRecord(staging, root string, iso boot.ISO) error {
	rel := func(p, base, name string) (string, error) {
		if p == "" {
			return "", nil
		}
		r, err := filepath.Rel(base, p)
		if err != nil || !filepath.IsLocal(r) {
			return "", fmt.Errorf("boot tree: the %s %s is outside %s", name, p, base)
		}
		return r, nil
	}
	var err error
	iso.Tree = ""
	if iso.HybridMBR, err = rel(iso.HybridMBR, root, "hybrid MBR"); err != nil {
		return err
	}
	if iso.EFIBoot, err = rel(iso.EFIBoot, staging, "ESP image"); err != nil {
		return err
	}
	data, err := json.MarshalIndent(iso, "", "\t")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(staging, bootRecord), data, 0o644)
}

// readBootRecord is the reverse of writeBootRecord.
func readBootRecord(staging, root string) (boot.ISO, error) {
	var iso boot.ISO
	data, err := os.ReadFile(filepath.Join(staging, bootRecord))
	if err == nil {
		err = json.Unmarshal(data, &iso)
	}
	if err != nil {
		return boot.ISO{}, fmt.Errorf("boot tree: %w", err)
	}
	if iso.HybridMBR != "" {
		iso.HybridMBR = filepath.Join(root, iso.HybridMBR)
	}
	if iso.EFIBoot != "" {
		iso.EFIBoot = filepath.Join(staging, iso.EFIBoot)
	}
	return iso, nil
}

// mergeLinks links every file under src to the same place under dst,
// making missing directories with src's modes and replacing files that
// are there, as writing them would.
func mergeLinks(dst, src string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, rel)
		if d.IsDir() {
			fi, err := d.Info()
			if err != nil {
				return err
			}
			if err := os.Mkdir(to, fi.Mode().Perm()); err != nil && !os.IsExist(err) {
				return err
			}
			return nil
		}
		if err := os.Remove(to); err != nil && !os.IsNotExist(err) {
			return err
		}
		return os.Link(p, to)
	})
}

// bootLayoutPaths returns the root's boot loader files and directories
// that BuildTree may read.
func bootLayoutPaths(l boot.Layout) []string {
	var ps []string
	for _, p := range append([]string{l.I386PC, l.X86_64EFI, l.Shim, l.SignedGRUB}, l.Syslinux...) {
		if p != "" {
			ps = append(ps, p)
		}
	}
	return ps
}

// hashTree hashes the names and contents of the files at or under p,
// with their paths relative to root. Symbolic links are followed, as
// BuildTree and grub-mkimage follow them when they read.
func hashTree(root, p string) ([]string, error) {
	if fi, err := os.Lstat(p); err != nil {
		return nil, err
	} else if fi.Mode()&fs.ModeSymlink != 0 {
		if p, err = filepath.EvalSymlinks(p); err != nil {
			return nil, err
		}
	}
	var parts []string
	err := filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, q)
		line := fmt.Sprintf("%s %v", rel, d.Type())
		if d.Type()&fs.ModeSymlink != 0 {
			target, err := os.Readlink(q)
			if err != nil {
				return err
			}
			line += " -> " + target
		}
		if fi, err := os.Stat(q); err == nil && fi.Mode().IsRegular() {
			sum, err := fileSHA256(q)
			if err != nil {
				return err
			}
			line += fmt.Sprintf(" %o %s", fi.Mode().Perm(), sum)
		}
		parts = append(parts, line)
		return nil
	})
	return parts, err
}

// relLayout returns l with its paths relative to root, for a key that
// does not depend on the work directory.
func relLayout(l boot.Layout, root string) boot.Layout {
	rel := func(p string) string {
		if r, err := filepath.Rel(root, p); err == nil && p != "" {
			return r
		}
		return p
	}
	l.I386PC, l.X86_64EFI, l.Shim, l.SignedGRUB = rel(l.I386PC), rel(l.X86_64EFI), rel(l.Shim), rel(l.SignedGRUB)
	l.Syslinux = append([]string(nil), l.Syslinux...)
	for i, p := range l.Syslinux {
		l.Syslinux[i] = rel(p)
	}
	return l
}

// bootToolNames are the host tools whose output lands in the boot tree.
func bootToolNames(spec boot.TreeSpec) []string {
	var names []string
	if spec.MkImage != "" {
		names = append(names, spec.MkImage)
	}
	if spec.UEFI {
		names = append(names, "mkfs.fat", "mmd", "mcopy")
	}
	return names
}
