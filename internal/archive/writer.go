package archive

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"time"
)

// kind is what an extracted path is.
type kind uint8

const (
	kindImplicitDir kind = iota + 1 // created as the parent of an entry
	kindDir
	kindFile
	kindSymlink
)

// dirMeta is applied to a directory after all entries are written, so that a
// read-only directory can still receive its children.
type dirMeta struct {
	name  string
	mode  fs.FileMode
	mtime time.Time
}

// header is one archive entry, independent of the archive format.
type header struct {
	name     string // as found in the archive, for messages
	typ      kind
	mode     fs.FileMode // permission, setuid, setgid and sticky bits
	size     int64
	mtime    time.Time
	linkname string // symlink target, or hardlink source when hardlink
	hardlink bool
}

// writer places entries into the destination root and enforces the policy
// described in the package documentation.
type writer struct {
	ctx     context.Context
	root    *os.Root
	opts    *Options
	setuid  map[string]bool
	paths   map[string]kind
	links   map[string]string // symlink path -> target
	dirs    []dirMeta
	stats   Stats
	entries int
	buf     []byte
	hash    *hasher // nil unless Options.Sums

	// dir caches the last parent directory opened, so that writing many
	// files into one directory resolves its path once, not once per file.
	dirName string
	dirFile *os.File
}

func newWriter(ctx context.Context, root *os.Root, opts *Options) *writer {
	w := &writer{
		ctx:    ctx,
		root:   root,
		opts:   opts,
		setuid: map[string]bool{},
		paths:  map[string]kind{"": kindImplicitDir},
		links:  map[string]string{},
	}
	if opts.Sums {
		w.hash = newHasher()
	}
	for _, p := range opts.AllowSetuid {
		if c, err := cleanName(p); err == nil {
			w.setuid[c] = true
		}
	}
	return w
}

func (w *writer) close() {
	if w.dirFile != nil {
		w.dirFile.Close()
		w.dirFile = nil
	}
}

// settle stops the background hasher, if any, and collects the digests.
// Call it once, after the last entry, also after a failure.
func (w *writer) settle() {
	if w.hash != nil {
		w.stats.Sums = w.hash.wait()
		w.hash = nil
	}
}

// add writes one entry; r supplies a regular file's contents.
func (w *writer) add(h *header, r io.Reader) error {
	if err := w.ctx.Err(); err != nil {
		return err
	}
	w.entries++
	if w.entries > w.opts.maxEntries() {
		return fmt.Errorf("entry count over the limit %d: %w", w.opts.maxEntries(), ErrTooLarge)
	}
	name, err := cleanName(h.name)
	if err != nil {
		return err
	}
	if name == "" {
		if h.typ != kindDir || h.hardlink {
			return fmt.Errorf("entry names the destination itself: %w", ErrBadName)
		}
		return nil // the destination's own mode stays the caller's
	}
	if err := w.checkMode(name, h.mode); err != nil {
		return err
	}
	if prev, ok := w.paths[name]; ok && !(prev == kindImplicitDir && h.typ == kindDir) {
		return ErrDuplicate
	}
	if err := w.parents(name); err != nil {
		return err
	}
	switch {
	case h.hardlink:
		return w.hardlink(name, h)
	case h.typ == kindDir:
		return w.dir(name, h)
	case h.typ == kindSymlink:
		return w.symlink(name, h)
	default:
		return w.file(name, h, r)
	}
}

func (w *writer) checkMode(name string, mode fs.FileMode) error {
	if mode&(fs.ModeSetuid|fs.ModeSetgid) != 0 && !w.setuid[name] {
		return fmt.Errorf("%w (mode %#o); declare it to allow", ErrSetuid, unixMode(mode))
	}
	return nil
}

// parents creates the missing parent directories of name and refuses a
// parent that is a symbolic link or a file.
func (w *writer) parents(name string) error {
	dir := path.Dir(name)
	if dir == "." {
		return nil
	}
	if k := w.paths[dir]; k == kindDir || k == kindImplicitDir {
		return nil
	}
	parts := strings.Split(dir, "/")
	for i := range parts {
		p := strings.Join(parts[:i+1], "/")
		switch w.paths[p] {
		case kindDir, kindImplicitDir:
			continue
		case kindSymlink:
			return fmt.Errorf("%w %q", ErrThroughLink, p)
		case kindFile:
			return fmt.Errorf("parent %q is not a directory: %w", p, ErrBadName)
		}
		if err := w.root.Mkdir(p, 0o755); err != nil {
			return err
		}
		w.paths[p] = kindImplicitDir
	}
	return nil
}

func (w *writer) dir(name string, h *header) error {
	if w.paths[name] != kindImplicitDir {
		if err := w.root.Mkdir(name, 0o700); err != nil {
			return err
		}
	}
	w.paths[name] = kindDir
	w.dirs = append(w.dirs, dirMeta{name: name, mode: h.mode, mtime: h.mtime})
	w.stats.Dirs++
	return nil
}

func (w *writer) symlink(name string, h *header) error {
	if err := checkText(h.linkname); err != nil {
		return fmt.Errorf("symlink target: %w", err)
	}
	if err := linkEscapes(w.links, name, h.linkname); err != nil {
		return err
	}
	if err := w.root.Symlink(h.linkname, name); err != nil {
		return err
	}
	w.paths[name] = kindSymlink
	w.links[name] = h.linkname
	w.stats.Symlinks++
	return nil
}

func (w *writer) hardlink(name string, h *header) error {
	src, err := cleanName(h.linkname)
	if err != nil {
		return fmt.Errorf("hard link target %q: %w", h.linkname, err)
	}
	if w.paths[src] != kindFile {
		return fmt.Errorf("%w: target %q is not a regular file extracted earlier", ErrLink, h.linkname)
	}
	if err := w.root.Link(src, name); err != nil {
		return err
	}
	w.paths[name] = kindFile
	w.stats.Hardlinks++
	if w.hash != nil {
		w.hash.link(name, src)
	}
	return nil
}

// finish re-checks every symbolic link against the final set of links, then
// applies directory modes and times, deepest first.
func (w *writer) finish() (string, error) {
	w.close()
	names := make([]string, 0, len(w.links))
	for n := range w.links {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		if err := linkEscapes(w.links, n, w.links[n]); err != nil {
			return n, err
		}
	}
	slices.SortFunc(w.dirs, func(a, b dirMeta) int {
		return strings.Count(b.name, "/") - strings.Count(a.name, "/")
	})
	for _, d := range w.dirs {
		if err := w.root.Chmod(d.name, d.mode); err != nil {
			return d.name, err
		}
		if err := w.root.Chtimes(d.name, d.mtime, d.mtime); err != nil {
			return d.name, err
		}
	}
	return "", nil
}

// unixMode renders mode's permission and special bits the way chmod does.
func unixMode(mode fs.FileMode) uint32 {
	m := uint32(mode.Perm())
	if mode&fs.ModeSetuid != 0 {
		m |= 0o4000
	}
	if mode&fs.ModeSetgid != 0 {
		m |= 0o2000
	}
	if mode&fs.ModeSticky != 0 {
		m |= 0o1000
	}
	return m
}
