package vendorset

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/levitateos/levitate/internal/rpm"
)

// setupName is the package that receives the files maintainer scripts
// created (passwd, group, ld.so.cache, alternatives links...), as Rocky's
// `setup` package owns /etc/passwd and /etc/group.
const setupName = "setup"

// vendorTag is written as every package's Vendor.
const vendorTag = "LevitateOS test set (from Debian)"

// skipOrphan reports whether a file that no package lists is left out:
// runtime state, caches, logs, host-specific or per-machine files. The
// directories themselves stay; only what is beneath them is dropped.
func skipOrphan(p string) bool {
	switch p {
	case "/etc/machine-id", "/var/lib/dbus/machine-id",
		"/etc/hostname", "/etc/resolv.conf", "/etc/.pwd.lock",
		"/etc/passwd-", "/etc/group-", "/etc/shadow-",
		"/etc/gshadow-", "/etc/subuid-", "/etc/subgid-",
		"/usr/sbin/policy-rc.d", "/initrd.img", "/initrd.img.old",
		"/var/lib/systemd/random-seed", "/etc/debian_chroot",
		// Rocky packages no /etc/localtime (absent means UTC); the
		// installation guide makes it a link to the chosen zone.
		"/etc/localtime", "/etc/timezone":
		return true
	}
	if strings.HasPrefix(p, "/boot/initrd.img") {
		return true
	}
	for _, d := range []string{
		"/proc", "/sys", "/dev", "/run", "/tmp", "/var/tmp", "/var/cache",
		"/var/log", "/var/lib/apt", "/var/lib/dpkg", "/var/backups",
	} {
		if strings.HasPrefix(p, d+"/") {
			return true
		}
	}
	return false
}

// cutResult is a tree cut into packages.
type cutResult struct {
	Packages []converted // Debian packages, sorted by Debian name
	Setup    *rpm.Package
	// Missing counts listed paths that were not in the tree (removed by a
	// maintainer script).
	Missing int
}

// cutTree cuts the installed tree along dpkg's file lists.
func cutTree(t *tree) (*cutResult, error) {
	info := filepath.Join(t.root, "var/lib/dpkg")
	stf, err := os.Open(filepath.Join(info, "status"))
	if err != nil {
		return nil, fmt.Errorf("cut tree: %w", err)
	}
	st, err := parseControl(stf, filepath.Join(info, "status"))
	stf.Close()
	if err != nil {
		return nil, fmt.Errorf("cut tree: %w", err)
	}
	debs := installedPackages(st)
	sort.Slice(debs, func(i, j int) bool { return debs[i].Name < debs[j].Name })
	div, err := readDiversions(filepath.Join(info, "diversions"))
	if err != nil {
		return nil, err
	}

	lists := make([][]string, len(debs))
	dirsOfLists := map[string]bool{}
	for i, d := range debs {
		if lists[i], err = readList(info, d); err != nil {
			return nil, err
		}
		for _, p := range lists[i] {
			for dir := path.Dir(p); dir != "/" && !dirsOfLists[dir]; dir = path.Dir(dir) {
				dirsOfLists[dir] = true
			}
		}
	}

	res := &cutResult{}
	owned := map[string]bool{}
	var errs []string
	for i, d := range debs {
		pkg, err := debianPackage(d, t.epoch)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		conf := map[string]bool{}
		for _, c := range d.Conffiles {
			if cp, err := t.resolve(c); err == nil {
				conf[cp] = true
			}
		}
		seen := map[string]bool{}
		nonRoot := false
		for _, p := range lists[i] {
			if dv, ok := div[p]; ok && dv.by != d.Name {
				p = dv.to
			}
			cp, err := t.resolve(p)
			if err != nil {
				errs = append(errs, fmt.Sprintf("package %s: %v", d.Name, err))
				continue
			}
			if cp == "/" || seen[cp] {
				continue
			}
			f, err := t.entry(cp)
			if errors.Is(err, fs.ErrNotExist) {
				res.Missing++
				continue
			}
			if err != nil {
				errs = append(errs, fmt.Sprintf("package %s: %v", d.Name, err))
				continue
			}
			// A directory the package shipped that is now a symlink
			// (bin -> usr/bin): the link belongs to setup, not to it.
			if f.IsSymlink() && dirsOfLists[p] {
				continue
			}
			seen[cp] = true
			owned[cp] = true
			f.Config = conf[cp] && !f.IsDir()
			nonRoot = nonRoot || f.Owner != "root" || f.Group != "root"
			pkg.Files = append(pkg.Files, f)
		}
		if nonRoot {
			pkg.Requires = append(pkg.Requires, rpm.Dep{Name: setupName, Flags: rpm.FlagScriptPre})
		}
		res.Packages = append(res.Packages, converted{Deb: d.Name, Pkg: pkg})
	}
	if len(errs) > 0 {
		sort.Strings(errs)
		return nil, fmt.Errorf("cut tree %s:\n%s", t.root, strings.Join(errs, "\n"))
	}
	setup, err := orphans(t, owned)
	if err != nil {
		return nil, err
	}
	res.Setup = setup
	return res, nil
}

// orphans collects what no package lists into the setup package.
func orphans(t *tree, owned map[string]bool) (*rpm.Package, error) {
	p := &rpm.Package{
		NEVRA:       rpm.NEVRA{Name: setupName, EVR: rpm.EVR{Version: "2.14.5", Release: "1.lvt"}, Arch: "noarch"},
		Summary:     "Files that Debian maintainer scripts created",
		Description: "Accounts (passwd, group, shadow), the linker cache, alternatives links, generated hardware databases and the merged-/usr links: what the Debian packages' maintainer scripts created when the set was installed once with debootstrap.",
		License:     "Public Domain",
		Vendor:      vendorTag,
		BuildTime:   time.Unix(t.epoch, 0),
	}
	err := filepath.WalkDir(t.root, func(full string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := "/" + filepath.ToSlash(strings.TrimPrefix(full, t.root))
		rel = path.Clean(rel)
		if rel == "/" {
			return nil
		}
		if skipOrphan(rel) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if owned[rel] {
			return nil
		}
		f, err := t.entry(rel)
		if err != nil {
			return err
		}
		// As Rocky's setup package marks its /etc files (passwd, group,
		// shadow, fstab, hosts...) %config(noreplace): the system's
		// owner edits them, and recipe verify must not call that damage.
		f.Config = strings.HasPrefix(rel, "/etc/") && f.Mode&rpm.ModeTypeMask == rpm.ModeRegular
		p.Files = append(p.Files, f)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("collect orphans: %w", err)
	}
	return p, nil
}

// readList reads dpkg's file list of d.
func readList(info string, d debPackage) ([]string, error) {
	name := filepath.Join(info, "info", d.Name+".list")
	if d.MultiArchSame {
		name = filepath.Join(info, "info", d.Name+":"+d.Arch+".list")
	}
	f, err := os.Open(name)
	if errors.Is(err, fs.ErrNotExist) && !d.MultiArchSame {
		f, err = os.Open(filepath.Join(info, "info", d.Name+":"+d.Arch+".list"))
	}
	if err != nil {
		return nil, fmt.Errorf("file list of %s: %w", d.Name, err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := sc.Text(); l != "" && l != "/." {
			out = append(out, l)
		}
	}
	return out, sc.Err()
}

// debianPackage makes the RPM metadata of an installed Debian package.
// Depends and Pre-Depends become Requires (Pre-Depends as Requires(pre)),
// Provides stay Provides. Conflicts, Breaks and Replaces are left out:
// dpkg already satisfied them when the set was installed, and after the
// version translation they could only add false conflicts. Recommends are
// left out as the set was installed without them.
func debianPackage(d debPackage, epoch int64) (*rpm.Package, error) {
	evr, err := debEVR(d.Version, true)
	if err != nil {
		return nil, fmt.Errorf("package %s: %w", d.Name, err)
	}
	arch, err := debArch(d.Arch)
	if err != nil {
		return nil, fmt.Errorf("package %s: %w", d.Name, err)
	}
	p := &rpm.Package{
		NEVRA:       rpm.NEVRA{Name: d.Name, EVR: evr, Arch: arch},
		Summary:     d.Summary,
		Description: d.Description,
		License:     "see /usr/share/doc/" + d.Name + "/copyright",
		URL:         d.Homepage,
		Vendor:      vendorTag,
		Packager:    d.Maintainer,
		Group:       "Unspecified",
		BuildTime:   time.Unix(epoch, 0),
	}
	var errs []string
	pre, err := debDepends(d.PreDepends)
	if err != nil {
		errs = append(errs, err.Error())
	}
	for _, r := range pre {
		r.Flags |= rpm.FlagScriptPre
		p.Requires = append(p.Requires, r)
	}
	deps, err := debDepends(d.Depends)
	if err != nil {
		errs = append(errs, err.Error())
	}
	p.Requires = append(p.Requires, deps...)
	if p.Provides, err = debProvides(d.Provides); err != nil {
		errs = append(errs, err.Error())
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("package %s: %s", d.Name, strings.Join(errs, "; "))
	}
	return p, nil
}
