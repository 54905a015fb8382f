package source

import (
	"bytes"
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
	"sync"
	"time"

	"github.com/levitateos/levitate/internal/repo"
)

// maxRepomd bounds repomd.xml, which is read into memory (Rocky's is a
// few kilobytes).
const maxRepomd = 16 << 20

// httpConfig tunes http sources; tests shorten the waits.
type httpConfig struct {
	// client nil means one whose only timeout is for response headers:
	// downloads may take long and are bounded by the caller's context.
	client *http.Client
	retry  retryPolicy
	// idle fails a package download when no byte arrives for this long;
	// 0 means internal/fetch's default.
	idle time.Duration
}

func defaultHTTPConfig() httpConfig { return httpConfig{retry: defaultRetry()} }

// openHTTP opens a repository served over http(s).
func openHTTP(_ context.Context, spec, cacheDir string, cfg httpConfig) (Source, error) {
	u, err := url.Parse(spec)
	if err != nil {
		return nil, fmt.Errorf("open source: %w", err)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	client := cfg.client
	if client == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.ResponseHeaderTimeout = 60 * time.Second
		// Checksums are over the bytes the server stores.
		tr.DisableCompression = true
		client = &http.Client{Transport: tr}
	}
	op := &httpOpener{base: u, client: client, retry: cfg.retry, repomd: map[string][]byte{}, sums: map[string]repo.Checksum{}}
	if cacheDir != "" {
		sum := sha256.Sum256([]byte(u.String()))
		op.cache = filepath.Join(cacheDir, "http", hex.EncodeToString(sum[:8]))
	}
	s := &httpSource{
		treeSource: newTreeSource(spec, op, closerFunc(client.CloseIdleConnections), cacheDir, false),
		op:         op, idle: cfg.idle,
	}
	return s, nil
}

type closerFunc func()

func (c closerFunc) Close() error { c(); return nil }

// httpOpener fetches files below a base URL. repomd.xml is fetched once
// per session and never cached on disk: it is what says whether the
// repository changed. The data files it names are downloaded into the
// cache and verified against its checksums before they are kept, so a
// corrupt download never poisons the cache; a cached file is verified
// again before use.
type httpOpener struct {
	base   *url.URL
	client *http.Client
	retry  retryPolicy
	cache  string

	mu     sync.Mutex
	repomd map[string][]byte        // by name, this session's copy
	sums   map[string]repo.Checksum // data file checksums, by name
}

func (o *httpOpener) url(name string) string {
	return o.base.ResolveReference(&url.URL{Path: name}).String()
}

func (o *httpOpener) open(ctx context.Context, name string) (io.ReadCloser, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if name == repo.RepomdPath || strings.HasSuffix(name, "/"+repo.RepomdPath) {
		b, err := o.repomdBytes(ctx, name)
		if err != nil {
			return nil, err
		}
		return io.NopCloser(bytes.NewReader(b)), nil
	}
	o.mu.Lock()
	sum, known := o.sums[name]
	o.mu.Unlock()
	if known && o.cache != "" {
		local := filepath.Join(o.cache, filepath.FromSlash(name))
		if verifyFile(local, name, sum) != nil {
			err := o.retry.do(ctx, func() error { return o.download(ctx, name, sum, local) })
			if err != nil {
				return nil, err
			}
		}
		return os.Open(local)
	}
	var body io.ReadCloser
	err := o.retry.do(ctx, func() error {
		var err error
		body, err = o.get(ctx, name)
		return err
	})
	return body, err
}

// repomdBytes fetches repomd.xml once and remembers the checksums of the
// data files it names.
func (o *httpOpener) repomdBytes(ctx context.Context, name string) ([]byte, error) {
	o.mu.Lock()
	b, ok := o.repomd[name]
	o.mu.Unlock()
	if ok {
		return b, nil
	}
	err := o.retry.do(ctx, func() error {
		body, err := o.get(ctx, name)
		if err != nil {
			return err
		}
		defer body.Close()
		b, err = io.ReadAll(io.LimitReader(body, maxRepomd+1))
		if err == nil && len(b) > maxRepomd {
			return fmt.Errorf("get %s: larger than %d bytes", o.url(name), maxRepomd)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.repomd[name] = b
	// A repomd.xml that does not parse is reported by repo.Load.
	if md, err := repo.ParseRepomd(b); err == nil {
		prefix := strings.TrimSuffix(name, repo.RepomdPath)
		for _, d := range md.Data {
			o.sums[prefix+d.Href] = d.Checksum
		}
	}
	return b, nil
}

// get starts one GET; the caller closes the body.
func (o *httpOpener) get(ctx context.Context, name string) (io.ReadCloser, error) {
	u := o.url(name)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
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
		return nil, &fs.PathError{Op: "get", Path: u, Err: fs.ErrNotExist}
	case resp.StatusCode != http.StatusOK:
		resp.Body.Close()
		return nil, &statusError{url: u, code: resp.StatusCode, text: resp.Status}
	}
	return resp.Body, nil
}

// download saves name as local if its digest is sum. The file appears
// only when complete and verified.
func (o *httpOpener) download(ctx context.Context, name string, sum repo.Checksum, local string) error {
	h, err := repo.NewHash(sum.Type)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	body, err := o.get(ctx, name)
	if err != nil {
		return err
	}
	defer body.Close()
	if err := os.MkdirAll(filepath.Dir(local), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(local), ".part-"+path.Base(name)+"-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, err = io.Copy(io.MultiWriter(tmp, h), body)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("get %s: %w", o.url(name), err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != strings.ToLower(sum.Value) {
		return fmt.Errorf("get %s: %w", o.url(name), &repo.ChecksumError{File: name, Want: sum.Value, Got: got})
	}
	return os.Rename(tmp.Name(), local)
}

// verifyFile checks a local file against a repodata checksum.
func verifyFile(local, name string, sum repo.Checksum) error {
	h, err := repo.NewHash(sum.Type)
	if err != nil {
		return err
	}
	f, err := os.Open(local)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := io.Copy(h, f); err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != strings.ToLower(sum.Value) {
		return &repo.ChecksumError{File: name, Want: sum.Value, Got: got}
	}
	return nil
}

// readDir lists nothing: http has no directory listing, so a URL must
// name the repository itself (the directory holding repodata/).
func (o *httpOpener) readDir(string) ([]fs.DirEntry, error) { return nil, nil }
