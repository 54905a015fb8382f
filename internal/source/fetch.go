package source

import (
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"

	"github.com/levitateos/levitate/internal/repo"
)

func (s *treeSource) Fetch(ctx context.Context, p *repo.Package, destDir string) (string, error) {
	return fetchPackage(ctx, s.op, p, destDir)
}

// fetchPackage copies p into destDir under its base name, verifying size
// and checksum while copying; a file already there with the right checksum
// is reused. The file appears only when complete and verified.
func fetchPackage(ctx context.Context, op opener, p *repo.Package, destDir string) (string, error) {
	dest := filepath.Join(destDir, path.Base(p.Href))
	if err := verifyLocal(dest, p); err == nil {
		return dest, nil
	}
	rc, err := op.open(ctx, p.Href)
	if err != nil {
		return "", fmt.Errorf("fetch %s: %w", p.NEVRA, err)
	}
	defer rc.Close()
	tmp, err := os.CreateTemp(destDir, ".fetch-*.part")
	if err != nil {
		return "", fmt.Errorf("fetch %s: %w", p.NEVRA, err)
	}
	defer os.Remove(tmp.Name())
	err = copyVerified(ctx, tmp, rc, p)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("fetch %s: %w", p.NEVRA, err)
	}
	if err := os.Rename(tmp.Name(), dest); err != nil {
		return "", fmt.Errorf("fetch %s: %w", p.NEVRA, err)
	}
	return dest, nil
}

func verifyLocal(name string, p *repo.Package) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	return copyVerified(context.Background(), io.Discard, f, p)
}

// copyVerified copies r to w and checks the byte count and digest against
// the index entry of p.
func copyVerified(ctx context.Context, w io.Writer, r io.Reader, p *repo.Package) error {
	h, err := repo.NewHash(p.Checksum.Type)
	if err != nil {
		return err
	}
	n, err := io.Copy(io.MultiWriter(w, h), ctxReader{ctx, r})
	if err != nil {
		return err
	}
	if p.Size > 0 && n != p.Size {
		return fmt.Errorf("%s: size %d; repodata says %d", p.Href, n, p.Size)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != p.Checksum.Value {
		return &repo.ChecksumError{File: p.Href, Want: p.Checksum.Value, Got: got}
	}
	return nil
}

// ctxReader stops a long copy when ctx is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(b []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(b)
}
