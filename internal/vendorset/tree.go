package vendorset

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/levitateos/levitate/internal/rpm"
)

// tree is an installed root file system that is being cut into packages.
type tree struct {
	root   string
	users  map[uint32]string
	groups map[uint32]string
	// epoch clamps every mtime (SOURCE_DATE_EPOCH).
	epoch int64
}

func openTree(root string, epoch int64) (*tree, error) {
	users, err := readIDNames(filepath.Join(root, "etc/passwd"))
	if err != nil {
		return nil, err
	}
	groups, err := readIDNames(filepath.Join(root, "etc/group"))
	if err != nil {
		return nil, err
	}
	return &tree{root: root, users: users, groups: groups, epoch: epoch}, nil
}

// readIDNames reads NAME:x:ID: lines of a passwd or group file.
func readIDNames(file string) (map[uint32]string, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("read ids: %w", err)
	}
	defer f.Close()
	out := map[uint32]string{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		fields := strings.Split(sc.Text(), ":")
		if len(fields) < 3 {
			continue
		}
		id, err := strconv.ParseUint(fields[2], 10, 32)
		if err != nil {
			return nil, fmt.Errorf("%s:%d:1: bad id %q", file, line, fields[2])
		}
		if _, dup := out[uint32(id)]; !dup {
			out[uint32(id)] = fields[0]
		}
	}
	return out, sc.Err()
}

// resolve returns the canonical path of p inside the tree: every directory
// symlink on the way (bin -> usr/bin) is followed, the last element is not.
func (t *tree) resolve(p string) (string, error) {
	dir, base := path.Split(path.Clean("/" + p))
	rest := strings.Split(strings.Trim(dir, "/"), "/")
	cur := "/"
	for hops := 0; len(rest) > 0; {
		c := rest[0]
		rest = rest[1:]
		switch c {
		case "", ".":
			continue
		case "..":
			cur = path.Dir(cur)
			continue
		}
		next := path.Join(cur, c)
		fi, err := os.Lstat(filepath.Join(t.root, next))
		if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			cur = next
			continue
		}
		if hops++; hops > 40 {
			return "", fmt.Errorf("resolve %s: too many symlinks", p)
		}
		target, err := os.Readlink(filepath.Join(t.root, next))
		if err != nil {
			return "", fmt.Errorf("resolve %s: %w", p, err)
		}
		if strings.HasPrefix(target, "/") {
			cur = "/"
		}
		rest = append(strings.Split(target, "/"), rest...)
	}
	return path.Join(cur, base), nil
}

// entry describes the file at canonical path p, without its content.
func (t *tree) entry(p string) (rpm.File, error) {
	fi, err := os.Lstat(filepath.Join(t.root, p))
	if err != nil {
		return rpm.File{}, err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return rpm.File{}, fmt.Errorf("%s: no stat data", p)
	}
	f := rpm.File{
		Path:  p,
		Mode:  st.Mode,
		Owner: t.users[st.Uid],
		Group: t.groups[st.Gid],
		MTime: uint32(min(st.Mtim.Sec, t.epoch)),
	}
	if f.Owner == "" || f.Group == "" {
		return rpm.File{}, fmt.Errorf("%s: uid %d or gid %d has no name in the tree", p, st.Uid, st.Gid)
	}
	switch f.Mode & rpm.ModeTypeMask {
	case rpm.ModeDir, rpm.ModeRegular:
	case rpm.ModeSymlink:
		if f.LinkTarget, err = os.Readlink(filepath.Join(t.root, p)); err != nil {
			return rpm.File{}, err
		}
	default:
		return rpm.File{}, fmt.Errorf("%s: unsupported file type %o", p, f.Mode&rpm.ModeTypeMask)
	}
	if f.Mode&rpm.ModeTypeMask == rpm.ModeRegular {
		if f.Caps, err = fileCaps(filepath.Join(t.root, p)); err != nil {
			return rpm.File{}, err
		}
	}
	return f, nil
}

// loadBodies reads the contents of p's regular files from the tree.
func (t *tree) loadBodies(p *rpm.Package, rewrite func(path string, body []byte) []byte) error {
	for i := range p.Files {
		f := &p.Files[i]
		if f.Mode&rpm.ModeTypeMask != rpm.ModeRegular || f.Ghost {
			continue
		}
		b, err := os.ReadFile(filepath.Join(t.root, f.Path))
		if err != nil {
			return fmt.Errorf("package %s: %w", p.Name, err)
		}
		if rewrite != nil {
			b = rewrite(f.Path, b)
		}
		f.Body = b
	}
	return nil
}

func dropBodies(p *rpm.Package) {
	for i := range p.Files {
		p.Files[i].Body = nil
	}
}

// diversions maps a diverted path to where dpkg put it and who diverted it.
type diversion struct{ to, by string }

func readDiversions(file string) (map[string]diversion, error) {
	b, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read diversions: %w", err)
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines)%3 != 0 {
		return nil, fmt.Errorf("%s: %d lines, want triples", file, len(lines))
	}
	out := map[string]diversion{}
	for i := 0; i+2 < len(lines); i += 3 {
		out[lines[i]] = diversion{to: lines[i+1], by: lines[i+2]}
	}
	return out, nil
}
