package bootstrap

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/levitateos/levitate/internal/repo"
	"github.com/levitateos/levitate/internal/store"
)

// stageDir is where bootstrap once moved rpm's files before recording
// them. A target that has it was left by such a bootstrap, killed half-way
// with the files still there, and is refused.
const stageDir = "var/cache/recipe/bootstrap-stage"

// records builds one store record per group from what rpm installed.
// The paths are placed and deduplicated in install order (the first
// group that lists a path records it); the entries on disk are then
// examined on all CPUs, each file once.
func records(target string, p *Plan, files map[*repo.Package][]rpmFile, now time.Time) ([]store.Record, error) {
	type item struct {
		group int
		rel   string
		rf    rpmFile
	}
	var items []item
	seen := make(map[string]bool)
	res := newResolver(target)
	out := make([]store.Record, len(p.Groups))
	for gi, g := range p.Groups {
		out[gi] = store.Record{Meta: store.Meta{
			Name: g.Recipe.Name, Version: g.Recipe.Version, Reason: store.Dependency,
			InstalledAt: now, Depends: g.Depends,
		}}
		if g.Explicit {
			out[gi].Reason = store.Explicit
		}
		if sum, err := fileSHA256(g.Recipe.File); err == nil {
			out[gi].RecipeSHA256 = sum
		}
		for _, e := range g.Packages {
			for _, f := range files[e.Pkg] {
				if f.flags&fileGhost != 0 {
					continue
				}
				rel := res.canonical(strings.TrimPrefix(path.Clean(f.path), "/"))
				if rel == "" || rel == "." || seen[rel] {
					continue
				}
				seen[rel] = true
				items = append(items, item{gi, rel, f})
			}
		}
	}
	described := make([]store.File, len(items))
	ok := make([]bool, len(items))
	errs := make([]error, len(items))
	forEach(len(items), 256, func(k int) {
		described[k], ok[k], errs[k] = describe(target, items[k].rel, items[k].rf)
	})
	if err := joinSorted(errs); err != nil {
		return nil, err
	}
	for k, it := range items {
		if ok[k] {
			out[it.group].Files = append(out[it.group].Files, described[k])
		}
	}
	return out, nil
}

// describe records the entry at rel as it is on disk. Missing paths
// (%lang or excluded docs rpm did not install) and special files (the
// store never installs devices) are skipped.
func describe(target, rel string, rf rpmFile) (store.File, bool, error) {
	fi, err := os.Lstat(filepath.Join(target, rel))
	if errors.Is(err, fs.ErrNotExist) {
		return store.File{}, false, nil
	}
	if err != nil {
		return store.File{}, false, err
	}
	f := store.File{Path: rel, Mode: store.UnixMode(fi.Mode())}
	switch {
	case fi.IsDir():
		f.Type = store.TypeDir
	case fi.Mode()&fs.ModeSymlink != 0:
		f.Type, f.Mode = store.TypeSymlink, 0o777
		if f.Target, err = os.Readlink(filepath.Join(target, rel)); err != nil {
			return f, false, err
		}
	case fi.Mode().IsRegular():
		f.Type, f.Size, f.Config = store.TypeFile, fi.Size(), rf.flags&fileConfig != 0
		// rpm checked the content against the header's digest as it
		// wrote it; reading 600 MB back would double the cost of the
		// record. A file a scriptlet rewrote to another size is hashed
		// from the disk; one rewritten to the same size shows up in
		// verify, as it would in rpm -V.
		if rf.sha256 != "" && rf.size == fi.Size() {
			f.SHA256 = rf.sha256
		} else if f.SHA256, err = fileSHA256(filepath.Join(target, rel)); err != nil {
			return f, false, err
		}
	default:
		return f, false, nil
	}
	return f, true, nil
}

// canonical resolves symlinks in the parent directories of rel inside
// target (/lib64/x is usr/lib64/x when lib64 -> usr/lib64), so that a
// record names the real place of a file, as the store checks it, and two
// spellings of one file are recorded once.
func canonical(target, rel string) string {
	return newResolver(target).canonical(rel)
}

// maxLinks bounds the symlinks followed for one directory, as the
// kernel's ELOOP does.
const maxLinks = 40

// resolver is canonical with every directory it resolved remembered, each
// from its resolved parent: the base set's 13,000 paths lie in a few
// thousand directories, and one readlink per directory is all it takes.
type resolver struct {
	target string
	dirs   map[string]resolved
}

// resolved is the real place of a directory. An opaque one could not be
// resolved (its link leaves the target, or there are too many links): it
// and everything below it are recorded as spelt, and nothing below it is
// looked up, since the host would follow the link out of the target.
type resolved struct {
	path   string
	opaque bool
}

func newResolver(target string) *resolver {
	return &resolver{target: target, dirs: map[string]resolved{}}
}

func (r *resolver) canonical(rel string) string {
	dir, base := path.Split(rel)
	d := r.dir(path.Clean(dir), 0)
	if d.path == "." {
		return base
	}
	return path.Join(d.path, base)
}

// dir resolves the directory d; links counts the symlinks followed so far.
func (r *resolver) dir(d string, links int) resolved {
	if d == "." || d == "/" || d == "" {
		return resolved{path: "."}
	}
	if v, ok := r.dirs[d]; ok {
		return v
	}
	parent := r.dir(path.Dir(d), links)
	cur := path.Join(parent.path, path.Base(d))
	v := resolved{path: cur, opaque: parent.opaque}
	if !v.opaque {
		// Readlink fails with EINVAL on anything but a symlink: one
		// system call per directory either way.
		if t, err := os.Readlink(filepath.Join(r.target, cur)); err == nil {
			next := path.Clean(strings.TrimPrefix(t, "/"))
			if !strings.HasPrefix(t, "/") {
				next = path.Join(parent.path, t)
			}
			if next == ".." || strings.HasPrefix(next, "../") || links >= maxLinks {
				v.opaque = true
			} else if w := r.dir(next, links+1); w.opaque {
				v.opaque = true // spelt as here, not as deep in the chain
			} else {
				v = w
			}
		}
	}
	if links == 0 {
		// Only a result reached without following a link is d's own for
		// certain; one found on the way through a chain may have been
		// cut short by the link count.
		r.dirs[d] = v
	}
	return v
}

func fileSHA256(name string) (string, error) {
	f, err := os.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
