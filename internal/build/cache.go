package build

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Stage cache: the installed root and the initramfs are the two slow
// products of a build that an airootfs change leaves valid, and the
// medium's package repository and boot tree are two more that are not
// worth making again, so each is kept under CacheDir/stages/KIND/KEY,
// KEY being the sha256 of exactly what produced it (cachekeys.go). A cached root is not copied into the work directory
// but linked (one hard link per file, fresh directories): the work root
// and the cache share inodes, so every later change to an existing file
// of the work root must replace the file, never write into it or change
// its mode (see privatize). A manifest of every cached file's mode,
// owner, size and mtime is checked before the cache is used and again
// after the build: a cache that changed is deleted, never used.

const (
	cacheStages   = "stages"
	manifestFile  = "manifest"
	cachedPayload = "data"
	// keepCached is how many entries of each kind the cache keeps; a
	// root is hundreds of MiB.
	keepCached = 2
)

// cacheKey hashes parts, each a label and a value, into a key.
func cacheKey(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprintf(h, "%d:%s\n", len(p), p)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// stageCache is one kind of cached product.
type stageCache struct {
	dir string // CacheDir/stages/KIND
}

func newStageCache(cacheDir, kind string) *stageCache {
	if cacheDir == "" {
		return nil
	}
	return &stageCache{dir: filepath.Join(cacheDir, cacheStages, kind)}
}

// entry returns the payload path of key and whether it is present and
// unchanged since it was stored.
func (c *stageCache) entry(key string) (string, bool) {
	if c == nil {
		return "", false
	}
	dir := filepath.Join(c.dir, key)
	want, err := os.ReadFile(filepath.Join(dir, manifestFile))
	if err != nil {
		return "", false
	}
	data := filepath.Join(dir, cachedPayload)
	got, err := treeManifest(data)
	if err != nil || string(got) != string(want) {
		os.RemoveAll(dir)
		return "", false
	}
	now := time.Now()
	os.Chtimes(dir, now, now) // marks it recently used for pruning
	return data, true
}

// check verifies that key's entry, if present, is unchanged; a changed
// one is deleted and reported.
func (c *stageCache) check(key string) error {
	if c == nil {
		return nil
	}
	dir := filepath.Join(c.dir, key)
	want, err := os.ReadFile(filepath.Join(dir, manifestFile))
	if err != nil {
		return nil
	}
	got, err := treeManifest(filepath.Join(dir, cachedPayload))
	if err == nil && string(got) == string(want) {
		return nil
	}
	os.RemoveAll(dir)
	return fmt.Errorf("the build changed the cached %s %s in place; it was deleted (a bug: please report it)", filepath.Base(c.dir), key)
}

// store moves nothing: it links (or, for a plain file, copies through
// link) src into the cache as key, with its manifest, replacing an
// older entry, and prunes the oldest entries past keepCached.
func (c *stageCache) store(key, src string) error {
	if c == nil {
		return nil
	}
	dir := filepath.Join(c.dir, key)
	tmp := dir + ".tmp"
	if err := os.RemoveAll(tmp); err != nil {
		return err
	}
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return err
	}
	if err := linkTree(filepath.Join(tmp, cachedPayload), src); err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("cache %s: %w", src, err)
	}
	m, err := treeManifest(filepath.Join(tmp, cachedPayload))
	if err == nil {
		err = os.WriteFile(filepath.Join(tmp, manifestFile), m, 0o644)
	}
	if err == nil {
		os.RemoveAll(dir)
		err = os.Rename(tmp, dir)
	}
	if err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("cache %s: %w", src, err)
	}
	return c.prune()
}

// prune deletes the least recently used entries past keepCached.
func (c *stageCache) prune() error {
	ents, err := os.ReadDir(c.dir)
	if err != nil {
		return err
	}
	type aged struct {
		name string
		t    time.Time
	}
	var all []aged
	for _, e := range ents {
		if fi, err := e.Info(); err == nil && e.IsDir() && !strings.HasSuffix(e.Name(), ".tmp") {
			all = append(all, aged{e.Name(), fi.ModTime()})
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].t.After(all[j].t) })
	var errs []error
	for _, a := range all[min(len(all), keepCached):] {
		errs = append(errs, os.RemoveAll(filepath.Join(c.dir, a.name)))
	}
	return errors.Join(errs...)
}

// linkTree makes dst a copy of the tree (or file) src whose directories
// are new and whose other entries are hard links to src's. Directory
// modes, owners and times are copied.
func linkTree(dst, src string) error {
	var dirs []string
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, rel)
		if !d.IsDir() {
			return os.Link(p, to)
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if err := os.Mkdir(to, 0o700); err != nil {
			return err
		}
		st := fi.Sys().(*syscall.Stat_t)
		if err := os.Lchown(to, int(st.Uid), int(st.Gid)); err != nil {
			return err
		}
		dirs = append(dirs, rel)
		return nil
	})
	if err != nil {
		return err
	}
	// Modes and times last, deepest first: a read-only directory must
	// still take its entries, and adding them changes the mtime.
	for i := len(dirs) - 1; i >= 0; i-- {
		fi, err := os.Lstat(filepath.Join(src, dirs[i]))
		if err != nil {
			return err
		}
		to := filepath.Join(dst, dirs[i])
		if err := os.Chmod(to, fi.Mode()&(fs.ModePerm|fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky)); err != nil {
			return err
		}
		if err := os.Chtimes(to, fi.ModTime(), fi.ModTime()); err != nil {
			return err
		}
	}
	return nil
}

// treeManifest lists every non-directory entry under dir with what a
// write into it or a chmod or chown of it would change.
func treeManifest(dir string) ([]byte, error) {
	var b strings.Builder
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		st := fi.Sys().(*syscall.Stat_t)
		rel, _ := filepath.Rel(dir, p)
		fmt.Fprintf(&b, "%o %d %d %d %d %s\n", uint32(fi.Mode()), st.Uid, st.Gid, fi.Size(), fi.ModTime().UnixNano(), rel)
		return nil
	})
	return []byte(b.String()), err
}

// privatize makes path, if it is a regular file that shares its inode
// with another name (a cached root), a file of its own with the same
// content, mode, owner, times and extended attributes, so that changing
// its mode or owner leaves the other name alone.
func privatize(path string) error {
	fi, err := os.Lstat(path)
	if err != nil {
		return err
	}
	st := fi.Sys().(*syscall.Stat_t)
	if !fi.Mode().IsRegular() || st.Nlink < 2 {
		return nil
	}
	tmp := path + ".levitate-private"
	if err := copyFile(tmp, path, fi.Mode().Perm()); err != nil {
		os.Remove(tmp)
		return err
	}
	err = os.Lchown(tmp, int(st.Uid), int(st.Gid))
	if err == nil {
		err = os.Chmod(tmp, fi.Mode()&(fs.ModePerm|fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky))
	}
	if err == nil {
		err = copyXattrs(tmp, path)
	}
	if err == nil {
		err = os.Chtimes(tmp, fi.ModTime(), fi.ModTime())
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("privatize %s: %w", path, err)
	}
	return nil
}

// size adds up the sizes of the regular files in key's entry from its
// manifest, which entry has just checked against the tree: a walk of a
// whole root less than treeSize.
func (c *stageCache) size(key string) (int64, error) {
	m, err := os.ReadFile(filepath.Join(c.dir, key, manifestFile))
	if err != nil {
		return 0, err
	}
	var n int64
	for line := range strings.Lines(string(m)) {
		// MODE UID GID SIZE MTIME PATH, as treeManifest writes it.
		f := strings.SplitN(line, " ", 5)
		if len(f) < 5 {
			return 0, fmt.Errorf("cache manifest %s: bad line %q", key, line)
		}
		mode, err := strconv.ParseUint(f[0], 8, 32)
		if err != nil {
			return 0, fmt.Errorf("cache manifest %s: %w", key, err)
		}
		if !fs.FileMode(mode).IsRegular() {
			continue
		}
		size, err := strconv.ParseInt(f[3], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("cache manifest %s: %w", key, err)
		}
		n += size
	}
	return n, nil
}
