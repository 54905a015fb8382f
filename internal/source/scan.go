package source

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/levitateos/levitate/internal/repo"
	"github.com/levitateos/levitate/internal/rpm"
)

// scanDir indexes a directory of RPM files that has no repodata by reading
// every header. It is the slow path; the index is rebuilt on every open.
func scanDir(ctx context.Context, d dirOpener) (*repo.Index, error) {
	var pkgs []*repo.Package
	var errs []string
	err := fs.WalkDir(d.fsys, ".", func(name string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() || !strings.HasSuffix(name, ".rpm") {
			return ctx.Err()
		}
		p, err := scanOne(d.fsys, name)
		if err != nil {
			errs = append(errs, err.Error())
			return nil
		}
		pkgs = append(pkgs, p)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("scan rpms: %w", err)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("scan rpms: %s", strings.Join(errs, "; "))
	}
	if len(pkgs) == 0 {
		return nil, fmt.Errorf("no repodata and no .rpm files")
	}
	return repo.NewIndex(pkgs), nil
}

func scanOne(fsys fs.FS, name string) (*repo.Package, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := sha256.New()
	tr := io.TeeReader(f, h)
	hdr, err := rpm.ReadHeader(tr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	n, err := io.Copy(io.Discard, tr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return repo.FromHeader(hdr, name, hex.EncodeToString(h.Sum(nil)), hdr.HeaderEnd+n), nil
}
