package install

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strconv"
	"strings"
	"syscall"

	"github.com/levitateos/levitate/internal/archive"
	"github.com/levitateos/levitate/internal/recipe"
	"golang.org/x/sys/unix"
)

// stageForms copies the install forms of steps from the build directory
// into the stage. Reads go through an os.Root on the build directory and
// writes through one on the stage, so neither a hostile path nor a symlink
// left by the build can reach outside them. It returns the ROOT-relative
// paths of the to-config destinations.
func stageForms(steps []recipe.InstallStep, ws *workspace) (config map[string]bool, err error) {
	src, err := os.OpenRoot(ws.buildDir)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	dst, err := os.OpenRoot(ws.stage)
	if err != nil {
		return nil, err
	}
	defer dst.Close()
	config = make(map[string]bool)
	if ws.staged == nil {
		ws.staged = make(map[string]archive.Sum)
	}
	var errs []error
	for _, st := range steps {
		to, err := destination(st)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if st.Kind == recipe.Link {
			err = stageLink(dst, st, to)
		} else if err = checkSource(st); err == nil {
			err = stageCopy(src, dst, st.Src, to, st.Mode, ws)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %s %q: %w", st.Pos, st.Kind, st.Src, err))
			continue
		}
		if st.Kind == recipe.ToConfig {
			config[to] = true
		}
	}
	return config, joinSorted(errs)
}

func stageLink(dst *os.Root, st recipe.InstallStep, to string) error {
	t := st.Src
	if t == "" {
		return errors.New("empty link target")
	}
	if !strings.HasPrefix(t, "/") {
		if j := path.Join(path.Dir(to), t); j != prefixRel && !strings.HasPrefix(j, prefixRel+"/") {
			return fmt.Errorf("link target climbs out of %s", Prefix)
		}
	}
	if err := dst.MkdirAll(path.Dir(to), 0o755); err != nil {
		return err
	}
	if err := dst.Remove(to); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return dst.Symlink(t, to)
}

// stageCopy copies the file or tree at from (build-relative) to to
// (stage-relative). A mode of 0 keeps the source's permission bits.
func stageCopy(src, dst *os.Root, from, to string, mode uint32, ws *workspace) error {
	st, err := src.Lstat(from)
	if err != nil {
		return err
	}
	switch {
	case st.Mode().IsRegular():
		if err := dst.MkdirAll(path.Dir(to), 0o755); err != nil {
			return err
		}
		m := fs.FileMode(mode) & fs.ModePerm
		if mode == 0 {
			m = st.Mode().Perm()
		}
		return copyInRoots(src, dst, from, to, m, mode, ws)
	case st.IsDir():
		return fs.WalkDir(src.FS(), from, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel := strings.TrimPrefix(strings.TrimPrefix(p, from), "/")
			out := path.Join(to, rel)
			switch {
			case d.IsDir():
				return dst.MkdirAll(out, 0o755)
			case d.Type()&fs.ModeSymlink != 0:
				t, err := src.Readlink(p)
				if err != nil {
					return err
				}
				return dst.Symlink(t, out)
			case d.Type().IsRegular():
				info, err := d.Info()
				if err != nil {
					return err
				}
				return copyInRoots(src, dst, p, out, info.Mode().Perm(), 0, ws)
			default:
				return fmt.Errorf("%s: special file refused", p)
			}
		})
	default:
		return fmt.Errorf("not a regular file or directory")
	}
}

// copyInRoots writes a new file to in dst with the contents of from in src.
// Setuid and friends come only from an explicit (mode ...). The file is
// hard-linked when it can be, since the build directory is thrown away;
// but only a file with no other name, so that two installed files never
// share an inode (one used by two install forms, hard links in a tarball).
// It notes the digest of to in ws.staged when it knows it: from the
// extraction for a linked file, from the bytes copied otherwise.
func copyInRoots(src, dst *os.Root, from, to string, perm fs.FileMode, mode uint32, ws *workspace) error {
	in, err := src.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := dst.Remove(to); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	// Chmod after creation: the umask must not decide an installed mode.
	m := perm
	if mode != 0 {
		m = modeBits(mode)
	}
	delete(ws.staged, to)
	if st, err := in.Stat(); err == nil && st.Sys().(*syscall.Stat_t).Nlink == 1 && linkInto(in, dst, to) == nil {
		if sum, ok := ws.extracted[from]; ok && sum.Size == st.Size() {
			ws.staged[to] = sum
		}
		return in.Chmod(m)
	}
	out, err := dst.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(out, h), in)
	if err != nil {
		out.Close()
		return err
	}
	if err := out.Chmod(m); err != nil {
		out.Close()
		return err
	}
	sum := archive.Sum{Size: n}
	h.Sum(sum.SHA256[:0])
	ws.staged[to] = sum
	return out.Close()
}

// linkInto hard-links the open file f as to inside dst. Both ends are
// confined: f was opened through the build directory's root, and the new
// name is one component below a directory opened through dst.
func linkInto(f *os.File, dst *os.Root, to string) error {
	dir, err := dst.Open(path.Dir(to))
	if err != nil {
		return err
	}
	defer dir.Close()
	return unix.Linkat(unix.AT_FDCWD, "/proc/self/fd/"+strconv.Itoa(int(f.Fd())), int(dir.Fd()), path.Base(to), unix.AT_SYMLINK_FOLLOW)
}

func modeBits(mode uint32) fs.FileMode {
	m := fs.FileMode(mode) & fs.ModePerm
	if mode&0o4000 != 0 {
		m |= fs.ModeSetuid
	}
	if mode&0o2000 != 0 {
		m |= fs.ModeSetgid
	}
	if mode&0o1000 != 0 {
		m |= fs.ModeSticky
	}
	return m
}
