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
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/levitateos/levitate/internal/store"
)

// stageDir is where bootstrap once moved rpm's files before recording
// them. A target that has it was left by such a bootstrap, killed half-way
// with the files still there, and is refused.
const stageDir = "var/cache/recipe/bootstrap-stage"

// records builds one store record per group from what rpm installed.
func records(target string, p *Plan, files map[string][]rpmFile, now time.Time) ([]store.Record, error) {
	seen := make(map[string]bool)
	res := &resolver{target: target, dirs: map[string]string{}}
	var out []store.Record
	var errs []error
	for _, g := range p.Groups {
		rec := store.Record{Meta: store.Meta{
			Name: g.Recipe.Name, Version: g.Recipe.Version, Reason: store.Dependency,
			InstalledAt: now, Depends: g.Depends,
		}}
		if g.Explicit {
			rec.Reason = store.Explicit
		}
		if sum, err := fileSHA256(g.Recipe.File); err == nil {
			rec.RecipeSHA256 = sum
		}
		for _, e := range g.Packages {
			for _, f := range files[e.Pkg.Name] {
				if f.flags&fileGhost != 0 {
					continue
				}
				rel := res.canonical(strings.TrimPrefix(path.Clean(f.path), "/"))
				if rel == "" || rel == "." || seen[rel] {
					continue
				}
				sf, ok, err := describe(target, rel, f)
				if err != nil {
					errs = append(errs, err)
					continue
				}
				if ok {
					seen[rel] = true
					rec.Files = append(rec.Files, sf)
				}
			}
		}
		out = append(out, rec)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, hashAll(target, out)
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
	return (&resolver{target: target, dirs: map[string]string{}}).canonical(rel)
}

// resolver is canonical with its directories remembered: the base set's
// 16,000 paths lie in a few thousand directories, and resolving one costs
// an lstat per component.
type resolver struct {
	target string
	dirs   map[string]string
}

func (r *resolver) canonical(rel string) string {
	dir, base := path.Split(rel)
	dir = path.Clean(dir)
	resolved, ok := r.dirs[dir]
	if !ok {
		resolved = dir
		for range 16 {
			next, changed := resolveOnce(r.target, resolved)
			if !changed {
				break
			}
			resolved = next
		}
		r.dirs[dir] = resolved
	}
	if resolved == "." || resolved == "" {
		return base
	}
	return path.Join(resolved, base)
}

// resolveOnce replaces the first symlink among the components of dir.
func resolveOnce(target, dir string) (string, bool) {
	if dir == "." {
		return dir, false
	}
	parts := strings.Split(dir, "/")
	for i := range parts {
		cur := path.Join(parts[:i+1]...)
		fi, err := os.Lstat(filepath.Join(target, cur))
		if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			continue
		}
		t, err := os.Readlink(filepath.Join(target, cur))
		if err != nil {
			return dir, false
		}
		var next string
		if strings.HasPrefix(t, "/") {
			next = path.Clean(strings.TrimPrefix(t, "/"))
		} else {
			next = path.Join(path.Dir(cur), t)
		}
		if next == ".." || strings.HasPrefix(next, "../") {
			return dir, false
		}
		return path.Join(append([]string{next}, parts[i+1:]...)...), true
	}
	return dir, false
}

// hashAll fills in the sha256 of the regular files that have none yet,
// on all CPUs.
func hashAll(target string, recs []store.Record) error {
	type job struct{ f *store.File }
	jobs := make(chan job)
	var mu sync.Mutex
	var errs []error
	var wg sync.WaitGroup
	for range runtime.NumCPU() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				sum, err := fileSHA256(filepath.Join(target, j.f.Path))
				if err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
					continue
				}
				j.f.SHA256 = sum
			}
		}()
	}
	for i := range recs {
		for k := range recs[i].Files {
			if recs[i].Files[k].Type == store.TypeFile && recs[i].Files[k].SHA256 == "" {
				jobs <- job{&recs[i].Files[k]}
			}
		}
	}
	close(jobs)
	wg.Wait()
	return errors.Join(errs...)
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
