package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/levitateos/levitate/internal/repo"
)

// Source is one place packages come from.
type Source interface {
	// ID names the source as the user gave it; lock files record it.
	ID() string
	// Index reads (or returns the cached) package index. Package hrefs are
	// relative to the source root.
	Index(ctx context.Context) (*repo.Index, error)
	// Fetch copies the package file into destDir and returns its path,
	// after checking its size and checksum against the index.
	Fetch(ctx context.Context, p *repo.Package, destDir string) (string, error)
	// Close releases the source (an open ISO image, idle connections).
	Close() error
}

// Open opens spec: an http(s):// URL of a repository, an ISO image file, a
// repository directory (with repodata/), a medium tree (whose top-level
// directories hold repositories, as Rocky's ISO does) or a directory of
// RPM files without repodata. cacheDir holds parsed indexes and downloads;
// empty disables caching.
func Open(ctx context.Context, spec, cacheDir string) (Source, error) {
	if strings.HasPrefix(spec, "http://") || strings.HasPrefix(spec, "https://") {
		return openHTTP(ctx, spec, cacheDir, defaultHTTPConfig())
	}
	p := strings.TrimPrefix(spec, "file://")
	st, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("open source: %w", err)
	}
	if !st.IsDir() {
		return openISO(ctx, spec, p, cacheDir)
	}
	return newTreeSource(spec, dirOpener{os.DirFS(p)}, nil, cacheDir, true), nil
}

// opener opens files below a source root, with a context for sources that
// go over the network.
type opener interface {
	open(ctx context.Context, name string) (io.ReadCloser, error)
	readDir(name string) ([]fs.DirEntry, error)
}

type dirOpener struct{ fsys fs.FS }

func (d dirOpener) open(_ context.Context, name string) (io.ReadCloser, error) {
	return d.fsys.Open(name)
}

func (d dirOpener) readDir(name string) ([]fs.DirEntry, error) { return fs.ReadDir(d.fsys, name) }

// treeSource serves every source kind: they differ only in how files are
// opened.
type treeSource struct {
	id       string
	op       opener
	closer   io.Closer
	cacheDir string
	// scan allows indexing package headers when there is no repodata.
	scan bool

	once sync.Once
	ix   *repo.Index
	err  error
}

func newTreeSource(id string, op opener, closer io.Closer, cacheDir string, scan bool) *treeSource {
	return &treeSource{id: id, op: op, closer: closer, cacheDir: cacheDir, scan: scan}
}

func (s *treeSource) ID() string { return s.id }

func (s *treeSource) Close() error {
	if s.closer != nil {
		return s.closer.Close()
	}
	return nil
}

func (s *treeSource) Index(ctx context.Context) (*repo.Index, error) {
	s.once.Do(func() { s.ix, s.err = s.load(ctx) })
	return s.ix, s.err
}

func (s *treeSource) load(ctx context.Context) (*repo.Index, error) {
	roots, err := findRepos(ctx, s.op)
	if err != nil {
		return nil, fmt.Errorf("source %s: %w", s.id, err)
	}
	if len(roots) == 0 {
		if !s.scan {
			return nil, fmt.Errorf("source %s: no %s at the top or in a top-level directory", s.id, repo.RepomdPath)
		}
		ix, err := scanDir(ctx, s.op.(dirOpener))
		if err != nil {
			return nil, fmt.Errorf("source %s: %w", s.id, err)
		}
		return ix, nil
	}
	var parts []*repo.Index
	for _, r := range roots {
		prefix := ""
		if r != "." {
			prefix = r + "/"
		}
		ix, err := repo.Load(ctx, subFS{ctx, s.op, prefix}, repo.Options{CacheDir: s.cacheDir, HrefPrefix: prefix})
		if err != nil {
			return nil, fmt.Errorf("source %s: %w", s.id, err)
		}
		parts = append(parts, ix)
	}
	if len(parts) == 1 {
		return parts[0], nil
	}
	return repo.Merge(parts...), nil
}

// findRepos returns "." when the root is a repository, else the sorted
// top-level directories that are (Rocky: Minimal, or BaseOS and AppStream).
func findRepos(ctx context.Context, op opener) ([]string, error) {
	if ok, err := exists(ctx, op, repo.RepomdPath); err != nil || ok {
		return []string{"."}, err
	}
	ents, err := op.readDir(".")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range ents {
		if !e.IsDir() {
			continue
		}
		ok, err := exists(ctx, op, e.Name()+"/"+repo.RepomdPath)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out, nil
}

func exists(ctx context.Context, op opener, name string) (bool, error) {
	f, err := op.open(ctx, name)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	f.Close()
	return true, nil
}

// subFS presents one repository of a source as an fs.FS for repo.Load.
type subFS struct {
	ctx    context.Context
	op     opener
	prefix string
}

func (s subFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	rc, err := s.op.open(s.ctx, s.prefix+name)
	if err != nil {
		return nil, err
	}
	return streamFile{rc, path.Base(name)}, nil
}

// streamFile is a read-only fs.File over a stream.
type streamFile struct {
	io.ReadCloser
	name string
}

func (f streamFile) Stat() (fs.FileInfo, error) {
	return nil, fmt.Errorf("stat %s: not supported", f.name)
}
