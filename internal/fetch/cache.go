package fetch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/url"
	"os"
	"path/filepath"
)

// partSuffix marks a download in progress.
const partSuffix = ".part"

// errRetryFresh asks fetchItem to start over without the .part file.
var errRetryFresh = errors.New("resumed download did not verify")

func (f *fetcher) fetchItem(ctx context.Context, it Item) (Result, error) {
	name, err := validate(&it, &f.opts)
	if err != nil {
		return Result{}, err
	}
	if err := os.MkdirAll(f.opts.CacheDir, 0o755); err != nil {
		return Result{}, err
	}
	final := filepath.Join(f.opts.CacheDir, name)
	if it.SHA256 != "" && f.opts.DeferCacheCheck {
		if fi, err := os.Stat(final); err == nil && fi.Mode().IsRegular() {
			return Result{Item: it, Path: final, SHA256: it.SHA256, Size: fi.Size(), Cached: true, Unchecked: true}, nil
		}
	} else if it.SHA256 != "" {
		if sum, size, err := hashFile(final); err == nil && sum == it.SHA256 {
			return Result{Item: it, Path: final, SHA256: sum, Size: size, Cached: true}, nil
		}
	}
	res, err := f.attempt(ctx, it, final, true)
	if errors.Is(err, errRetryFresh) {
		res, err = f.attempt(ctx, it, final, false)
	}
	return res, err
}

// attempt fetches it into final's .part file, verifies and renames it.
func (f *fetcher) attempt(ctx context.Context, it Item, final string, resume bool) (Result, error) {
	local, isLocal, err := localPath(it.URL)
	if err != nil {
		return Result{}, err
	}
	part := final + partSuffix
	var offset int64
	if fi, err := os.Stat(part); err == nil && resume && !isLocal && it.SHA256 != "" {
		offset = fi.Size()
	}
	pf, err := os.OpenFile(part, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return Result{}, err
	}
	w := &partWriter{f: pf, h: sha256.New()}
	err = w.start(offset)
	resumed := false
	if err == nil && isLocal {
		err = f.copyLocal(ctx, it, local, w)
	} else if err == nil {
		resumed, err = f.download(ctx, it, w)
	}
	if err == nil {
		err = pf.Sync()
	}
	if cerr := pf.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		// Keep what arrived for a later resume, unless nothing could
		// check it or the caller gave up.
		if ctx.Err() != nil || it.SHA256 == "" || isLocal {
			os.Remove(part)
		}
		return Result{}, err
	}
	got := hex.EncodeToString(w.h.Sum(nil))
	switch {
	case it.SHA256 != "" && got != it.SHA256:
		os.Remove(part)
		if resumed {
			return Result{}, errRetryFresh
		}
		return Result{}, fmt.Errorf("%w: expected %s, got %s", ErrHashMismatch, it.SHA256, got)
	case it.SHA256 == "" && !f.opts.InsecureSkipHash:
		os.Remove(part)
		return Result{}, fmt.Errorf("%w; the download has sha256 %s; add this line to the recipe: (sha256 %q)", ErrNoHash, got, got)
	}
	if err := os.Rename(part, final); err != nil {
		os.Remove(part)
		return Result{}, err
	}
	if err := syncDir(f.opts.CacheDir); err != nil {
		return Result{}, err
	}
	return Result{Item: it, Path: final, SHA256: got, Size: w.n, Resumed: resumed}, nil
}

// localPath returns the path of a file:// URL or plain path; isLocal is
// false for http and https.
func localPath(raw string) (p string, isLocal bool, err error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" {
		return raw, true, nil
	}
	switch u.Scheme {
	case "http", "https":
		return "", false, nil
	case "file":
		if u.Host != "" && u.Host != "localhost" {
			return "", false, fmt.Errorf("%w: file URL with host %q", ErrBadItem, u.Host)
		}
		return u.Path, true, nil
	}
	return "", false, fmt.Errorf("%w: unsupported URL scheme %q", ErrBadItem, u.Scheme)
}

// partWriter appends to the .part file and hashes what it writes.
type partWriter struct {
	f *os.File
	h hash.Hash
	n int64 // bytes in the file
}

// start hashes the first offset bytes already in the file and drops the
// rest, so writing continues at offset.
func (w *partWriter) start(offset int64) error {
	w.h.Reset()
	if offset > 0 {
		if _, err := io.CopyN(w.h, w.f, offset); err != nil {
			return err
		}
	}
	w.n = offset
	if err := w.f.Truncate(offset); err != nil {
		return err
	}
	_, err := w.f.Seek(offset, io.SeekStart)
	return err
}

func (w *partWriter) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	w.h.Write(p[:n])
	w.n += int64(n)
	return n, err
}

// hashFile returns the sha256 and size of the file at p.
func hashFile(p string) (string, int64, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
