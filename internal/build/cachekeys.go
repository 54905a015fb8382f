package build

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/levitateos/levitate/internal/boot"
	"github.com/levitateos/levitate/internal/profile"
	"github.com/levitateos/levitate/internal/run"
)

// rootKey names an installed root: the packages (NEVRA and digest, in
// install order), the signature policy and its keys, and how rpm runs.
// airootfs and the identity settings are not in it: they are applied
// on top, by later stages.
func (b *builder) rootKey(keys []string) (string, error) {
	o := b.opts
	parts := []string{"rootfs 1", strings.Join(RPMInstallArgv("ROOT", b.dbPath, o.Settings.VerifySignatures, nil), " "),
		fmt.Sprint(o.Epoch)}
	for _, k := range keys {
		sum, err := fileSHA256(k)
		if err != nil {
			return "", fmt.Errorf("signing key: %w", err)
		}
		parts = append(parts, "key "+sum)
	}
	for _, e := range b.closure.Entries {
		parts = append(parts, e.Pkg.NEVRA.String()+" "+e.Pkg.Checksum.Type+":"+e.Pkg.Checksum.Value)
	}
	return cacheKey(parts...), nil
}

// DracutInputs are the paths, relative to the root, under which an
// airootfs file can change what dracut puts into a generic initramfs:
// its own configuration, module and udev settings, systemd's, the
// console and locale settings, the release files, user databases,
// libraries, programs and data (keymaps, fonts). A change elsewhere in airootfs (motd, user
// files, services) reuses the cached initramfs.
func DracutInputs() []string {
	return []string{"bin/", "etc/cmdline.d/", "etc/crypttab", "etc/dracut.conf",
		"etc/dracut.conf.d/", "etc/fstab", "etc/group", "etc/hostname", "etc/initrd-release",
		"etc/ld.so.conf", "etc/locale.conf", "etc/modprobe.d/", "etc/modules-load.d/",
		"etc/nsswitch.conf", "etc/os-release", "etc/passwd", "etc/shadow", "etc/sysctl.conf",
		"etc/sysctl.d/", "etc/systemd/", "etc/udev/", "etc/vconsole.conf", "lib/", "lib64/",
		"sbin/", "usr/bin/", "usr/lib/", "usr/lib64/", "usr/libexec/", "usr/sbin/", "usr/share/"}
}

// dracutInput reports whether the root path rel (no leading slash) is
// under DracutInputs.
func dracutInput(rel string) bool {
	for _, p := range DracutInputs() {
		if rel == strings.TrimSuffix(p, "/") || strings.HasSuffix(p, "/") && strings.HasPrefix(rel, p) {
			return true
		}
	}
	return false
}

// initramfsKey names an initramfs: the root it was made in, the kernel,
// the dracut and compressor commands, the identity files and every
// airootfs entry and permission override under DracutInputs.
func (b *builder) initramfsKey(kver string) (string, error) {
	o := b.opts
	parts := []string{"initramfs 1", b.rootCacheKey, kver,
		strings.Join(DracutArgv(kver, initramfsInRoot), " "),
		strings.Join(o.Settings.Compression.InitramfsCompressArgv(), " "), fmt.Sprint(o.Epoch)}
	ids := o.Settings.IdentityFiles()
	names := make([]string, 0, len(ids))
	for n := range ids {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		parts = append(parts, "identity "+n+" "+sha(ids[n]))
	}
	for _, e := range o.Profile.Overlay {
		rel := strings.TrimPrefix(e.Path, "/")
		if !dracutInput(rel) {
			continue
		}
		line := fmt.Sprintf("overlay %s %d %o %s", rel, e.Kind, e.Mode, e.Target)
		if e.Kind == profile.File {
			data, err := os.ReadFile(filepath.Join(o.Profile.Dir, profile.OverlayDir, e.Path))
			if err != nil {
				return "", err
			}
			line += " " + sha(data)
		}
		parts = append(parts, line)
	}
	for _, p := range o.Settings.Permissions {
		if rel := strings.TrimPrefix(p.Path, "/"); dracutInput(rel) {
			parts = append(parts, fmt.Sprintf("perm %s %s:%s %o", rel, p.Owner, p.Group, p.Mode))
		}
	}
	return cacheKey(parts...), nil
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// repoKey names the medium's package repository: the package files
// (closure order, name and digest, which fetch verified), the recipe
// binary that becomes the recipe RPM, the time stamp written into
// repodata and the RPM, and the code that writes both, the running
// executable. Without a cache it is "".
func (b *builder) repoKey(stamp int64) (string, error) {
	if b.repos == nil {
		return "", nil
	}
	selfSum, err := selfSHA256()
	if err != nil {
		return "", fmt.Errorf("repository key: %w", err)
	}
	recipeSum, err := fileSHA256(b.opts.path(rootDir, RecipeBin))
	if err != nil {
		return "", fmt.Errorf("repository key: recipe binary: %w", err)
	}
	parts := []string{"repo 1", "writer " + selfSum, "recipe " + recipeSum, fmt.Sprint(stamp)}
	if len(b.rpms) != len(b.closure.Entries) {
		return "", fmt.Errorf("repository key: %d package files for %d packages", len(b.rpms), len(b.closure.Entries))
	}
	for i, e := range b.closure.Entries {
		parts = append(parts, filepath.Base(b.rpms[i])+" "+e.Pkg.Checksum.Type+":"+e.Pkg.Checksum.Value)
	}
	return cacheKey(parts...), nil
}

// bootKey names a boot tree: the spec (loaders, menu, epoch, the root's
// layout relative to the root), the contents of the root's boot loader
// files, the host tools that make the images, and the code that writes
// the menus, the running executable. Without a cache it is "".
func (b *builder) bootKey(spec boot.TreeSpec) (string, error) {
	if b.boots == nil {
		return "", nil
	}
	root := b.opts.path(rootDir)
	s := spec
	s.Layout = relLayout(spec.Layout, root)
	s.Tree, s.Work, s.MkImage = "", "", filepath.Base(spec.MkImage)
	js, err := json.Marshal(s)
	if err != nil {
		return "", err
	}
	self, err := selfSHA256()
	if err != nil {
		return "", fmt.Errorf("boot tree key: %w", err)
	}
	parts := []string{"boot 1", "writer " + self, string(js)}
	for _, p := range bootLayoutPaths(spec.Layout) {
		h, err := hashTree(root, p)
		if err != nil {
			return "", fmt.Errorf("boot tree key: %w", err)
		}
		parts = append(parts, h...)
	}
	for _, name := range bootToolNames(spec) {
		path, err := run.LookPath(name)
		if err != nil {
			return "", fmt.Errorf("boot tree key: %w", err)
		}
		sum, err := fileSHA256(path)
		if err != nil {
			return "", fmt.Errorf("boot tree key: %w", err)
		}
		parts = append(parts, "tool "+name+" "+path+" "+sum)
	}
	return cacheKey(parts...), nil
}

// selfSHA256 hashes the running executable: the code that writes what
// the repository and boot tree caches keep.
func selfSHA256() (string, error) {
	self, err := os.Executable()
	if err != nil {
		return "", err
	}
	return fileSHA256(self)
}
