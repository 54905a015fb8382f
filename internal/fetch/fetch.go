package fetch

import (
	"context"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"runtime"
	"strings"
	"time"
)

// Defaults for zero Options fields.
const (
	DefaultConnectTimeout = 30 * time.Second
	DefaultIdleTimeout    = 60 * time.Second
)

// Item is one file to fetch.
type Item struct {
	// URL is http://, https://, file:// or a local path.
	URL string
	// SHA256 is the expected hash in hex; empty means unknown.
	SHA256 string
	// Name is the file's name in the cache; empty means the URL's last
	// path element.
	Name string
}

// Options tunes fetching. CacheDir is required.
type Options struct {
	CacheDir string
	// Concurrency bounds parallel downloads in FetchAll; zero means
	// 2 x NumCPU.
	Concurrency int
	// ConnectTimeout bounds TCP connect and TLS handshake.
	ConnectTimeout time.Duration
	// IdleTimeout fails a download when no byte arrives for this long.
	IdleTimeout time.Duration
	// InsecureSkipHash accepts items without SHA256.
	InsecureSkipHash bool
	// RootCAs, if set, replaces the system roots for HTTPS.
	RootCAs *x509.CertPool
	// Progress, if set, is called as bytes arrive: done so far and the
	// total (-1 when unknown). Calls for different items may be concurrent.
	Progress func(it Item, done, total int64)
	// DeferCacheCheck returns a file already in the cache under an item
	// with a SHA256 without hashing it first, as a Result with Unchecked
	// set. For a caller that hashes the file anyway while it reads it (an
	// installer extracting an archive): one pass over the file instead of
	// two. That caller must compare the hash of what it read with
	// Item.SHA256 before trusting anything it read.
	DeferCacheCheck bool
}

// Result describes a fetched file.
type Result struct {
	Item Item
	// Path is the verified file in the cache.
	Path   string
	SHA256 string
	Size   int64
	// Cached is true when the file was already there.
	Cached bool
	// Resumed is true when a partial download was continued.
	Resumed bool
	// Unchecked is true for a cached file returned under
	// Options.DeferCacheCheck: not hashed yet, and SHA256 is only the
	// expected value. Check verifies it.
	Unchecked bool
}

// Check hashes the file of r and compares the result with r.Item.SHA256;
// a mismatch is an error matching ErrHashMismatch.
func Check(r Result) error {
	got, _, err := hashFile(r.Path)
	if err != nil {
		return err
	}
	return CheckSum(r, got)
}

// CheckSum compares got, the hex sha256 of r's file as its caller read
// it, with r.Item.SHA256.
func CheckSum(r Result, got string) error {
	if got != r.Item.SHA256 {
		return fmt.Errorf("%s: %w: expected %s, got %s", r.Path, ErrHashMismatch, r.Item.SHA256, got)
	}
	return nil
}

// Reasons a fetch fails; match them with errors.Is.
var (
	ErrHashMismatch = errors.New("sha256 mismatch")
	ErrNoHash       = errors.New("no sha256 given")
	ErrStalled      = errors.New("download stalled")
	ErrLength       = errors.New("body length does not match")
	ErrStatus       = errors.New("bad HTTP status")
	ErrBadItem      = errors.New("bad item")
)

// Error is a failed fetch of one URL.
type Error struct {
	URL string
	Err error
}

func (e *Error) Error() string { return fmt.Sprintf("fetch %s: %v", e.URL, e.Err) }

func (e *Error) Unwrap() error { return e.Err }

// Fetch fetches one item into the cache.
func Fetch(ctx context.Context, it Item, opts Options) (Result, error) {
	return newFetcher(opts).fetch(ctx, it)
}

// fetcher holds what the items of one call share: options and the HTTP
// client with its connection pool.
type fetcher struct {
	opts   Options
	client *http.Client
}

func newFetcher(opts Options) *fetcher {
	if opts.ConnectTimeout <= 0 {
		opts.ConnectTimeout = DefaultConnectTimeout
	}
	if opts.IdleTimeout <= 0 {
		opts.IdleTimeout = DefaultIdleTimeout
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 2 * runtime.NumCPU()
	}
	return &fetcher{opts: opts, client: newClient(&opts)}
}

func (f *fetcher) fetch(ctx context.Context, it Item) (Result, error) {
	res, err := f.fetchItem(ctx, it)
	if err != nil {
		return Result{Item: it}, &Error{URL: it.URL, Err: err}
	}
	return res, nil
}

// validate normalizes it and returns its cache name.
func validate(it *Item, opts *Options) (string, error) {
	if opts.CacheDir == "" {
		return "", fmt.Errorf("%w: no cache directory", ErrBadItem)
	}
	it.SHA256 = strings.ToLower(it.SHA256)
	if it.SHA256 != "" {
		if b, err := hex.DecodeString(it.SHA256); err != nil || len(b) != 32 {
			return "", fmt.Errorf("%w: sha256 %q is not 64 hex digits", ErrBadItem, it.SHA256)
		}
	}
	name := it.Name
	if name == "" {
		p := it.URL
		if u, err := url.Parse(it.URL); err == nil && u.Scheme != "" {
			p = u.Path
		}
		name = path.Base(p)
	}
	if name == "" || name == "." || name == ".." || name == "/" || strings.ContainsAny(name, "/\x00") ||
		strings.HasSuffix(name, partSuffix) {
		return "", fmt.Errorf("%w: cannot use %q as a cache file name", ErrBadItem, name)
	}
	return name, nil
}
