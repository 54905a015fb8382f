package build

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// maxLinks bounds the symlinks followed while resolving one path, as the
// kernel's ELOOP limit does.
const maxLinks = 40

// RootPath returns the host path of p inside root, following the root's
// own symlinks as if root were "/" for every directory above the last
// component: Debian's /var/run -> /run is absolute, and writing through
// it from the host would land in the host's /run. The last component is
// not followed, so a symlink there can be replaced rather than written
// through.
func RootPath(root, p string) (string, error) {
	parts := strings.Split(strings.Trim(path.Clean("/"+p), "/"), "/")
	if len(parts) == 1 && parts[0] == "" {
		return root, nil
	}
	dir, links := "/", 0
	for len(parts) > 1 {
		next := path.Join(dir, parts[0])
		parts = parts[1:]
		target, err := os.Readlink(filepath.Join(root, next))
		if err != nil {
			dir = next // not a symlink, or not there yet: both are fine
			continue
		}
		if links++; links > maxLinks {
			return "", fmt.Errorf("%s in %s: too many levels of symbolic links", p, root)
		}
		if !path.IsAbs(target) {
			target = path.Join(dir, target)
		}
		// Start again from the link's target, with the rest to follow.
		rest := strings.Split(strings.Trim(path.Clean(target), "/"), "/")
		if rest[0] == "" {
			rest = nil
		}
		parts, dir = append(rest, parts...), "/"
	}
	return filepath.Join(root, dir, parts[0]), nil
}
