package repo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"path"
)

// RepomdPath is where repomd.xml lives below a repository root.
const RepomdPath = "repodata/repomd.xml"

// Options control Load.
type Options struct {
	// CacheDir holds parsed indexes keyed by repomd.xml's sha256; empty
	// disables the cache.
	CacheDir string
	// HrefPrefix is prepended to every package href (e.g. "Minimal/" for a
	// repository inside an ISO), so hrefs are relative to the source root.
	HrefPrefix string
}

// Load reads the repository whose root is fsys. Every data file named by
// repomd.xml is verified against its checksum on a cache miss; primary.xml
// is parsed now and filelists.xml on the first file lookup that primary
// cannot answer.
func Load(ctx context.Context, fsys fs.FS, opt Options) (*Index, error) {
	raw, err := fs.ReadFile(fsys, RepomdPath)
	if err != nil {
		return nil, fmt.Errorf("load repository: %w", err)
	}
	sum := sha256.Sum256(raw)
	key := hex.EncodeToString(sum[:])
	md, err := ParseRepomd(raw)
	if err != nil {
		return nil, err
	}
	primary, ok := md.Find("primary")
	if !ok {
		return nil, fmt.Errorf("load repository: %s names no primary data", RepomdPath)
	}
	c := cache{dir: opt.CacheDir, key: key}
	pkgs, hit := c.readPackages()
	if !hit {
		if err := verifyAll(ctx, fsys, md); err != nil {
			return nil, fmt.Errorf("load repository: %w", err)
		}
		pkgs, err = readData(fsys, primary, parsePrimary)
		if err != nil {
			return nil, fmt.Errorf("load repository: %w", err)
		}
		c.writePackages(pkgs)
	}
	for _, p := range pkgs {
		p.Href = opt.HrefPrefix + p.Href
	}
	ix := NewIndex(pkgs)
	if fl, ok := md.Find("filelists"); ok {
		byID := make(map[string]*Package, len(pkgs))
		for _, p := range pkgs {
			byID[p.Checksum.Value] = p
		}
		t := &fileTable{load: func() (map[string][]string, error) {
			if m, ok := c.readFiles(); ok {
				return m, nil
			}
			m, err := readData(fsys, fl, parseFilelists)
			if err != nil {
				return nil, fmt.Errorf("load filelists: %w", err)
			}
			c.writeFiles(m)
			return m, nil
		}}
		ix.moreFiles = func(p string) ([]*Package, error) { return t.lookup(byID, p) }
	}
	return ix, nil
}

// verifyAll checks every data file repomd.xml names and reports all
// mismatches and missing files at once.
func verifyAll(ctx context.Context, fsys fs.FS, md *Repomd) error {
	var errs []error
	for _, d := range md.Data {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := verifyFile(fsys, d); err != nil {
			errs = append(errs, err)
		}
	}
	return joinSorted(errs)
}

func verifyFile(fsys fs.FS, d DataFile) error {
	f, err := fsys.Open(d.Href)
	if err != nil {
		return fmt.Errorf("%s data: %w", d.Type, err)
	}
	defer f.Close()
	v, err := newVerifyingReader(f, d.Href, d.Checksum)
	if err != nil {
		return err
	}
	return v.drain()
}

// readData verifies and decompresses one data file while parse reads it.
func readData[T any](fsys fs.FS, d DataFile, parse func(io.Reader, string) (T, error)) (T, error) {
	var zero T
	f, err := fsys.Open(d.Href)
	if err != nil {
		return zero, fmt.Errorf("%s data: %w", d.Type, err)
	}
	defer f.Close()
	v, err := newVerifyingReader(f, d.Href, d.Checksum)
	if err != nil {
		return zero, err
	}
	r, closeFn, err := decompress(v)
	if err != nil {
		return zero, fmt.Errorf("%s: %w", d.Href, err)
	}
	defer closeFn()
	out, err := parse(r, path.Base(d.Href))
	if err != nil {
		return zero, err
	}
	if err := v.drain(); err != nil {
		return zero, err
	}
	return out, nil
}
