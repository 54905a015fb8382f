package source

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// openHTTP opens a repository served over http(s). client nil means a
// client whose only timeout is for response headers: package downloads may
// take long and are bounded by the caller's context instead.
func openHTTP(_ context.Context, spec, cacheDir string, client *http.Client) (Source, error) {
	u, err := url.Parse(spec)
	if err != nil {
		return nil, fmt.Errorf("open source: %w", err)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	if client == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.ResponseHeaderTimeout = 60 * time.Second
		client = &http.Client{Transport: tr}
	}
	op := &httpOpener{base: u, client: client}
	if cacheDir != "" {
		sum := sha256.Sum256([]byte(u.String()))
		op.cache = filepath.Join(cacheDir, "http", hex.EncodeToString(sum[:8]))
	}
	s := newTreeSource(spec, op, closerFunc(client.CloseIdleConnections), cacheDir, false)
	return s, nil
}

type closerFunc func()

func (c closerFunc) Close() error { c(); return nil }

// httpOpener fetches files below a base URL. Data files under repodata/
// other than repomd.xml are cached: createrepo names them by checksum, and
// repo.Load verifies them anyway. repomd.xml is always fetched, since it
// is what says whether the repository changed.
type httpOpener struct {
	base   *url.URL
	client *http.Client
	cache  string
}

func (o *httpOpener) cacheable(name string) bool {
	return o.cache != "" && strings.HasPrefix(name, "repodata/") && name != "repodata/repomd.xml"
}

func (o *httpOpener) open(ctx context.Context, name string) (io.ReadCloser, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	local := filepath.Join(o.cache, filepath.FromSlash(name))
	if o.cacheable(name) {
		if f, err := os.Open(local); err == nil {
			return f, nil
		}
	}
	u := o.base.ResolveReference(&url.URL{Path: name})
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	resp, err := o.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", u, err)
	}
	switch {
	case resp.StatusCode == http.StatusNotFound:
		resp.Body.Close()
		return nil, &fs.PathError{Op: "get", Path: u.String(), Err: fs.ErrNotExist}
	case resp.StatusCode != http.StatusOK:
		resp.Body.Close()
		return nil, fmt.Errorf("get %s: %s", u, resp.Status)
	}
	if !o.cacheable(name) {
		return resp.Body, nil
	}
	defer resp.Body.Close()
	if err := saveFile(local, resp.Body); err != nil {
		return nil, fmt.Errorf("get %s: %w", u, err)
	}
	return os.Open(local)
}

// saveFile writes r to name atomically: a download cut short never leaves
// a file that looks complete.
func saveFile(name string, r io.Reader) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), ".part-"+path.Base(name)+"-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, err = io.Copy(tmp, r)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}

func (o *httpOpener) readDir(name string) ([]fs.DirEntry, error) {
	return nil, fmt.Errorf("list %s: http sources have no directory listing; give the repository URL itself", name)
}
