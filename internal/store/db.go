package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
)

// ErrNotInstalled is wrapped by Get and Lookup for a package without a
// record.
var ErrNotInstalled = errors.New("not installed")

// Options tune a DB.
type Options struct {
	// Wait makes a writer wait for the lock (until its context is done)
	// instead of failing at once with a *LockedError.
	Wait bool
	// FailAt, when set, is called before every step of a transaction and
	// of recovery with the step's name (see the package doc). A non-nil
	// error stops the work at that point exactly as a crash would: nothing
	// is undone and the journal stays for the next Recover. Tests use it for
	// fault injection; an installer can use it for progress.
	FailAt func(step string) error
	// NoSync skips fsync and syncfs. A transaction stays atomic against a
	// killed process (the kernel keeps what was written) but not against a
	// power loss. For tests and for roots that are thrown away on failure,
	// such as an image being built.
	NoSync bool
}

// DB is an open installed-package database. Readers never take the lock;
// writers (Begin, Recover) take it for the duration of their work.
type DB struct {
	path string   // host path of ROOT
	root *os.Root // ROOT; every access goes through it
	opts Options

	mu     sync.Mutex
	owners map[string][]string // path -> owning packages, built lazily
}

// Open opens the database of the system rooted at root. It neither locks
// nor writes: a missing database is an empty one.
func Open(root string, opts Options) (*DB, error) {
	r, err := os.OpenRoot(root)
	if err != nil {
		return nil, fmt.Errorf("open root: %w", err)
	}
	db := &DB{path: root, root: r, opts: opts}
	// Reject a database directory that escapes the root now rather than at
	// the first read: os.Root refuses to follow the symlink.
	if _, err := r.Stat(dbDir); err != nil && !errors.Is(err, fs.ErrNotExist) {
		r.Close()
		return nil, fmt.Errorf("open database %s: %w", filepath.Join(root, dbDir), err)
	}
	return db, nil
}

// Close releases the root handle.
func (db *DB) Close() error { return db.root.Close() }

// Root returns the host path of the root the database describes.
func (db *DB) Root() string { return db.path }

// hostPath names a ROOT-relative path in messages.
func (db *DB) hostPath(rel string) string { return filepath.Join(db.path, filepath.FromSlash(rel)) }

func recordPath(name string) string { return path.Join(dbDir, installedDir, name+recordExt) }

// Get returns the full record of an installed package.
func (db *DB) Get(name string) (*Record, error) { return db.read(name, true) }

// Lookup returns the meta data of an installed package without decoding
// its file list; the whole record is still checksummed. It is the fast path
// of "is X installed".
func (db *DB) Lookup(name string) (*Meta, error) {
	r, err := db.read(name, false)
	if err != nil {
		return nil, err
	}
	return &r.Meta, nil
}

func (db *DB) read(name string, withFiles bool) (*Record, error) {
	if err := validName(name); err != nil {
		return nil, err
	}
	rel := recordPath(name)
	data, err := db.root.ReadFile(rel)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("package %q: %w", name, ErrNotInstalled)
	}
	if err != nil {
		return nil, fmt.Errorf("read record: %w", err)
	}
	return decodeRecord(db.hostPath(rel), name, data, withFiles)
}

// names lists the packages that have a record file, sorted.
func (db *DB) names() ([]string, error) {
	dir := path.Join(dbDir, installedDir)
	f, err := db.root.Open(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list installed: %w", err)
	}
	defer f.Close()
	ents, err := f.ReadDir(-1)
	if err != nil {
		return nil, fmt.Errorf("list installed %s: %w", db.hostPath(dir), err)
	}
	var names []string
	for _, e := range ents {
		n := e.Name()
		if strings.HasPrefix(n, ".") || !strings.HasSuffix(n, recordExt) {
			continue // temp files of an unfinished write
		}
		names = append(names, strings.TrimSuffix(n, recordExt))
	}
	slices.Sort(names)
	return names, nil
}

// Records returns every installed package with its files, sorted by name.
// Corrupt records are left out and reported, all of them, in the error.
func (db *DB) Records() ([]*Record, error) { return db.all(true) }

// List returns the meta data of every installed package, sorted by name.
// Corrupt records are left out and reported in the error.
func (db *DB) List() ([]Meta, error) {
	recs, err := db.all(false)
	metas := make([]Meta, len(recs))
	for i, r := range recs {
		metas[i] = r.Meta
	}
	return metas, err
}

func (db *DB) all(withFiles bool) ([]*Record, error) {
	names, err := db.names()
	if err != nil {
		return nil, err
	}
	recs := make([]*Record, 0, len(names))
	var errs []error
	for _, n := range names {
		r, err := db.read(n, withFiles)
		if errors.Is(err, ErrNotInstalled) {
			continue // removed since the directory was read
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		recs = append(recs, r)
	}
	return recs, joinSorted(errs)
}

// Owner returns the packages that own p (a ROOT-relative or absolute
// path inside the root); directories may have several owners, files at
// most one. The index is built on first use and dropped after a commit
// through this DB.
func (db *DB) Owner(p string) ([]string, error) {
	p = strings.TrimPrefix(path.Clean("/"+filepath.ToSlash(p)), "/")
	db.mu.Lock()
	defer db.mu.Unlock()
	if db.owners == nil {
		recs, err := db.Records()
		if err != nil {
			return nil, err
		}
		owners := make(map[string][]string)
		for _, r := range recs {
			for _, f := range r.Files {
				owners[f.Path] = append(owners[f.Path], r.Name)
			}
		}
		db.owners = owners
	}
	return slices.Clone(db.owners[p]), nil
}

func (db *DB) invalidate() {
	db.mu.Lock()
	db.owners = nil
	db.mu.Unlock()
}

// Dependents returns the installed packages whose Depends names name.
func (db *DB) Dependents(name string) ([]string, error) {
	metas, err := db.List()
	var deps []string
	for _, m := range metas {
		if slices.Contains(m.Depends, name) {
			deps = append(deps, m.Name)
		}
	}
	return deps, err
}

// Pending reports whether an unfinished transaction's journal exists;
// the next writer (or Recover) finishes or undoes it.
func (db *DB) Pending() (bool, error) {
	return exists(db.root, path.Join(dbDir, journalFile))
}

// lock creates the database directory if needed and takes the writer lock.
func (db *DB) lock(ctx context.Context) (*writeLock, error) {
	if err := db.root.MkdirAll(path.Join(dbDir, installedDir), 0o755); err != nil {
		return nil, fmt.Errorf("create database %s: %w", db.hostPath(dbDir), err)
	}
	name := path.Join(dbDir, lockFile)
	return acquireLock(ctx, db.root, name, db.hostPath(name), db.opts.Wait)
}

// joinSorted joins errors sorted by message, so that output is stable.
func joinSorted(errs []error) error {
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Error() < errs[j].Error() })
	return errors.Join(errs...)
}
