package fetch

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// interrupted serves the first cut bytes of content under a full
// Content-Length and then drops the connection.
func interrupted(content []byte, cut int) http.HandlerFunc {
	return hijack(func(bw *bufio.ReadWriter) {
		fmt.Fprintf(bw, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: %d\r\n\r\n", len(content))
		bw.Write(content[:cut])
	})
}

// interruptOnce leaves a .part of cut bytes in opts.CacheDir for it.
func interruptOnce(t *testing.T, content []byte, cut int, it Item, opts Options) {
	t.Helper()
	srv := httptest.NewServer(interrupted(content, cut))
	defer srv.Close()
	it.URL = srv.URL + "/" + it.Name
	_, err := Fetch(context.Background(), it, opts)
	wantErr(t, "Fetch(interrupted)", err, fmt.Sprintf("body ended after %d of %d bytes", cut, len(content)))
	fi, err := os.Stat(filepath.Join(opts.CacheDir, it.Name+partSuffix))
	if err != nil || fi.Size() != int64(cut) {
		t.Fatalf("after the interruption: .part %v, %v; want %d bytes kept", fi, err, cut)
	}
}

func TestResume(t *testing.T) {
	content := payload(500_000, 10)
	const cut = 123_456
	cases := []struct {
		name        string
		handler     func(ranges *[]string) http.HandlerFunc
		wantResumed bool
		wantRange   string // Range header of the first request of the second attempt
	}{
		{"honours-range", func(_ *[]string) http.HandlerFunc { return serve(content) }, true, fmt.Sprintf("bytes=%d-", cut)},
		{"ignores-range", func(_ *[]string) http.HandlerFunc {
			return func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Length", fmt.Sprint(len(content)))
				w.Write(content)
			}
		}, false, fmt.Sprintf("bytes=%d-", cut)},
		{"wrong-content-range", func(_ *[]string) http.HandlerFunc {
			return func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("Range") != "" {
					w.Header().Set("Content-Range", fmt.Sprintf("bytes 0-%d/%d", len(content)-1, len(content)))
					w.WriteHeader(http.StatusPartialContent)
					w.Write(content)
					return
				}
				serve(content)(w, r)
			}
		}, false, fmt.Sprintf("bytes=%d-", cut)},
		{"range-not-satisfiable", func(_ *[]string) http.HandlerFunc {
			return func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("Range") != "" {
					w.WriteHeader(http.StatusRequestedRangeNotSatisfiable)
					return
				}
				serve(content)(w, r)
			}
		}, false, fmt.Sprintf("bytes=%d-", cut)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			opts := fastOpts(t)
			it := Item{Name: "big.tar.zst", SHA256: sum(content)}
			interruptOnce(t, content, cut, it, opts)
			var mu sync.Mutex
			var ranges []string
			h := c.handler(&ranges)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				ranges = append(ranges, r.Header.Get("Range"))
				mu.Unlock()
				h(w, r)
			}))
			defer srv.Close()
			it.URL = srv.URL + "/big.tar.zst"
			res, err := Fetch(context.Background(), it, opts)
			if err != nil {
				t.Fatalf("Fetch(resume) = %v; want success", err)
			}
			if res.Resumed != c.wantResumed || len(ranges) == 0 || ranges[0] != c.wantRange {
				t.Errorf("Fetch(resume): resumed %v, ranges %q; want resumed %v, first range %q", res.Resumed, ranges, c.wantResumed, c.wantRange)
			}
			if b, _ := os.ReadFile(res.Path); string(b) != string(content) {
				t.Errorf("resumed file differs from the content")
			}
			if got := cacheFiles(t, opts.CacheDir); !slices.Equal(got, []string{"big.tar.zst"}) {
				t.Errorf("cache holds %v; want only big.tar.zst", got)
			}
		})
	}
}

// A .part from another version of the file: the resumed result fails the
// hash, so the fetch starts over and succeeds.
func TestResumeStalePart(t *testing.T) {
	content := payload(50_000, 11)
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		serve(content)(w, r)
	}))
	defer srv.Close()
	opts := fastOpts(t)
	must(t, os.WriteFile(filepath.Join(opts.CacheDir, "f.tar"+partSuffix), []byte("stale bytes from another version"), 0o644))
	res, err := Fetch(context.Background(), Item{URL: srv.URL + "/f.tar", SHA256: sum(content)}, opts)
	if err != nil || res.Resumed || requests.Load() != 2 {
		t.Fatalf("Fetch over a stale .part = %+v, %v after %d requests; want a fresh download on the 2nd request", res, err, requests.Load())
	}
}

func TestFetchAllParallel(t *testing.T) {
	const n = 50
	contents := make([][]byte, n)
	for i := range contents {
		contents[i] = payload(20_000+i*100, uint64(100+i))
	}
	var inflight, peak atomic.Int32
	// Requests finish in microseconds, so on a busy machine they might never
	// overlap by chance: hold each one until a second is in flight (or, for
	// a fetcher that is wrongly sequential, until a short timeout, after
	// which the test fails on the peak).
	overlap := make(chan struct{})
	var once sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cur := inflight.Add(1)
		defer inflight.Add(-1)
		for {
			p := peak.Load()
			if cur <= p || peak.CompareAndSwap(p, cur) {
				break
			}
		}
		if cur >= 2 {
			once.Do(func() { close(overlap) })
		}
		select {
		case <-overlap:
		case <-time.After(3 * time.Second):
			once.Do(func() { close(overlap) })
		}
		var i int
		fmt.Sscanf(r.URL.Path, "/pkg-%d.tar.gz", &i)
		serve(contents[i])(w, r)
	}))
	defer srv.Close()
	var items []Item
	for i := range n {
		items = append(items, Item{URL: fmt.Sprintf("%s/pkg-%d.tar.gz", srv.URL, i), SHA256: sum(contents[i])})
	}
	// The same file twice is fetched once.
	items = append(items, items[7])
	opts := fastOpts(t)
	opts.Concurrency = 6
	res, err := FetchAll(context.Background(), items, opts)
	if err != nil {
		t.Fatalf("FetchAll = %v; want nil", err)
	}
	for i, r := range res {
		b, _ := os.ReadFile(r.Path)
		if sum(b) != items[i].SHA256 {
			t.Errorf("FetchAll result %d (%s) has the wrong content", i, r.Path)
		}
	}
	if got := len(cacheFiles(t, opts.CacheDir)); got != n {
		t.Errorf("cache holds %d files; want %d", got, n)
	}
	if p := peak.Load(); p > 6 || p < 2 {
		t.Errorf("peak concurrency %d; want 2..6", p)
	}
}

func TestFetchAllErrors(t *testing.T) {
	good := payload(1000, 12)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/ok") {
			serve(good)(w, r)
			return
		}
		http.NotFound(w, r)
	}))
	defer srv.Close()
	items := []Item{
		{URL: srv.URL + "/zz-missing", SHA256: sum(good)},
		{URL: srv.URL + "/ok", SHA256: sum(good)},
		{URL: srv.URL + "/aa-missing", SHA256: sum(good)},
		{URL: srv.URL + "/other/ok", SHA256: sum(nil)}, // same cache name, other hash
	}
	res, err := FetchAll(context.Background(), items, fastOpts(t))
	if err == nil {
		t.Fatal("FetchAll = nil error; want the failures")
	}
	lines := strings.Split(err.Error(), "\n")
	want := []string{
		"fetch " + srv.URL + "/aa-missing: bad HTTP status: 404 Not Found",
		"fetch " + srv.URL + "/other/ok: bad item: cache name \"ok\" is also used by " + srv.URL + "/ok",
		"fetch " + srv.URL + "/zz-missing: bad HTTP status: 404 Not Found",
	}
	if !slices.Equal(lines, want) {
		t.Errorf("FetchAll error =\n%s\nwant\n%s", err, strings.Join(want, "\n"))
	}
	if res[1].Path == "" || res[0].Path != "" {
		t.Errorf("FetchAll results %+v; want only item 1 fetched", res)
	}
	var fe *Error
	if !errors.As(err, &fe) {
		t.Errorf("FetchAll error does not hold an *Error")
	}
}
