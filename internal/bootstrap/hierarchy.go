package bootstrap

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// node is one entry of the skeleton made before rpm runs.
type node struct {
	path   string
	mode   fs.FileMode // directories
	target string      // symlinks
}

// skeleton is pacstrap's hierarchy (its modes: 0555 for the kernel's
// file systems, 1777 for the temporary directories) with merged /usr as
// Rocky has it: /bin, /sbin, /lib and /lib64 are symlinks into /usr, so
// that every package's files land in one place whatever path it uses.
func skeleton() []node {
	return []node{
		{path: "usr", mode: 0o755},
		{path: "usr/bin", mode: 0o755},
		{path: "usr/sbin", mode: 0o755},
		{path: "usr/lib", mode: 0o755},
		{path: "usr/lib64", mode: 0o755},
		{path: "bin", target: "usr/bin"},
		{path: "sbin", target: "usr/sbin"},
		{path: "lib", target: "usr/lib"},
		{path: "lib64", target: "usr/lib64"},
		{path: "dev", mode: 0o755},
		{path: "run", mode: 0o755},
		{path: "etc", mode: 0o755},
		{path: "etc/recipe", mode: 0o755},
		{path: "var", mode: 0o755},
		{path: "var/cache/recipe", mode: 0o755},
		{path: "var/lib/recipe", mode: 0o755},
		{path: "var/lib/rpm", mode: 0o755},
		{path: "var/log", mode: 0o755},
		{path: "var/tmp", mode: fs.ModeSticky | 0o777},
		{path: "tmp", mode: fs.ModeSticky | 0o777},
		{path: "proc", mode: 0o555},
		{path: "sys", mode: 0o555},
	}
}

// makeSkeleton creates what is missing of the skeleton under target.
// Existing entries are left as they are (a mounted /boot, a /var on its
// own file system); an existing entry of the wrong type is an error,
// since rpm would fail on it later with a less clear message.
func makeSkeleton(target string) error {
	var errs []error
	for _, n := range skeleton() {
		p := filepath.Join(target, n.path)
		fi, err := os.Lstat(p)
		switch {
		case err == nil && n.target != "" && fi.Mode()&fs.ModeSymlink == 0:
			errs = append(errs, fmt.Errorf("%s: exists and is not a symlink: merged /usr wants %s -> %s", p, n.path, n.target))
			continue
		case err == nil && n.target == "" && !fi.IsDir():
			if st, serr := os.Stat(p); serr != nil || !st.IsDir() {
				errs = append(errs, fmt.Errorf("%s: exists and is not a directory", p))
			}
			continue
		case err == nil:
			continue
		case !errors.Is(err, fs.ErrNotExist):
			errs = append(errs, err)
			continue
		}
		if n.target != "" {
			err = os.Symlink(n.target, p)
		} else if err = os.MkdirAll(p, 0o755); err == nil {
			err = os.Chmod(p, n.mode) // umask and MkdirAll's parents
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
