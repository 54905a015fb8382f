package profile

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// OverlayDir is the name of the overlay tree in a profile.
const OverlayDir = "airootfs"

// EntryKind is the type of an overlay entry.
type EntryKind uint8

// The overlay entry kinds. Other file types (devices, FIFOs, sockets) are
// rejected by Load.
const (
	File EntryKind = iota
	Dir
	Symlink
)

// Entry is one file, directory or symlink of airootfs/.
type Entry struct {
	Path   string // absolute path in the installed root, like /etc/motd
	Kind   EntryKind
	Mode   fs.FileMode // permission bits on disk
	Target string      // symlink target, as written
}

// scanOverlay lists airootfs/ under dir. A missing airootfs/ is an empty
// overlay.
func scanOverlay(dir string, list *Diagnostics) []Entry {
	root := filepath.Join(dir, OverlayDir)
	fi, err := os.Lstat(root)
	if os.IsNotExist(err) {
		return nil
	}
	d := diags{list: list, file: OverlayDir}
	if err != nil {
		d.errorf(0, 0, "%v", unwrapPath(err))
		return nil
	}
	if !fi.IsDir() {
		d.errorf(0, 0, "not a directory (%s)", kindName(fi.Mode()))
		return nil
	}
	var entries []Entry
	err = filepath.WalkDir(root, func(p string, de fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		ed := diags{list: list, file: path.Join(OverlayDir, rel)}
		if err != nil {
			ed.errorf(0, 0, "%v", unwrapPath(err))
			return nil
		}
		if rel == "." {
			return nil
		}
		info, err := de.Info()
		if err != nil {
			ed.errorf(0, 0, "%v", unwrapPath(err))
			return nil
		}
		e := Entry{Path: "/" + rel, Mode: info.Mode().Perm()}
		switch t := info.Mode().Type(); {
		case t == 0:
			e.Kind = File
		case t == fs.ModeDir:
			e.Kind = Dir
		case t == fs.ModeSymlink:
			e.Kind = Symlink
			e.Target, err = os.Readlink(p)
			if err != nil {
				ed.errorf(0, 0, "%v", unwrapPath(err))
				return nil
			}
			if escapes(e.Path, e.Target) {
				ed.errorf(0, 0, "symlink to %q climbs out of the tree; use an absolute target (it resolves inside the installed root)", e.Target)
				return nil
			}
		default:
			ed.errorf(0, 0, "%s not allowed in the overlay; only files, directories and symlinks", kindName(info.Mode()))
			return nil
		}
		entries = append(entries, e)
		return nil
	})
	if err != nil {
		d.errorf(0, 0, "%v", err)
	}
	return entries
}

// escapes reports whether the relative symlink target, read from the
// link at linkPath (absolute in the tree), climbs above the tree root.
// Absolute targets stay in the installed root and never escape.
func escapes(linkPath, target string) bool {
	if strings.HasPrefix(target, "/") {
		return false
	}
	depth := strings.Count(path.Dir(linkPath), "/")
	if path.Dir(linkPath) == "/" {
		depth = 0
	}
	for _, part := range strings.Split(target, "/") {
		switch part {
		case "", ".":
		case "..":
			depth--
			if depth < 0 {
				return true
			}
		default:
			depth++
		}
	}
	return false
}

func kindName(m fs.FileMode) string {
	switch m.Type() {
	case fs.ModeDevice:
		return "block device"
	case fs.ModeDevice | fs.ModeCharDevice:
		return "character device"
	case fs.ModeNamedPipe:
		return "named pipe"
	case fs.ModeSocket:
		return "socket"
	case fs.ModeSymlink:
		return "symlink"
	case fs.ModeDir:
		return "directory"
	case 0:
		return "regular file"
	}
	return "special file"
}
