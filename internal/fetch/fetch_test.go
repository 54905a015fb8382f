package fetch

import (
	"bufio"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestFetchOK(t *testing.T) {
	content := payload(300_000, 1)
	srv := httptest.NewServer(serve(content))
	defer srv.Close()
	opts := fastOpts(t)
	var last, total int64
	var calls int
	opts.Progress = func(it Item, done, tot int64) {
		if done < last {
			t.Errorf("progress went back from %d to %d", last, done)
		}
		calls++
		last, total = done, tot
	}
	it := Item{URL: srv.URL + "/dir/pkg-1.0.tar.gz", SHA256: strings.ToUpper(sum(content))}
	res, err := Fetch(context.Background(), it, opts)
	if err != nil {
		t.Fatalf("Fetch = %v; want nil", err)
	}
	if res.Path != filepath.Join(opts.CacheDir, "pkg-1.0.tar.gz") || res.Size != int64(len(content)) || res.Cached || res.SHA256 != sum(content) {
		t.Errorf("Fetch = %+v; want fresh pkg-1.0.tar.gz of %d bytes", res, len(content))
	}
	if b, _ := os.ReadFile(res.Path); string(b) != string(content) {
		t.Errorf("cached file differs from the content")
	}
	if calls == 0 || last != int64(len(content)) || total != int64(len(content)) {
		t.Errorf("progress: %d calls, last %d/%d; want %d/%d", calls, last, total, len(content), len(content))
	}
	if got := cacheFiles(t, opts.CacheDir); !slices.Equal(got, []string{"pkg-1.0.tar.gz"}) {
		t.Errorf("cache holds %v; want only the file", got)
	}
}

func TestFetchCacheHit(t *testing.T) {
	content := payload(10_000, 2)
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		serve(content)(w, r)
	}))
	defer srv.Close()
	opts := fastOpts(t)
	it := Item{URL: srv.URL + "/a.tar", SHA256: sum(content)}
	if _, err := Fetch(context.Background(), it, opts); err != nil {
		t.Fatal(err)
	}
	res, err := Fetch(context.Background(), it, opts)
	if err != nil || !res.Cached || hits.Load() != 1 {
		t.Errorf("second Fetch = %+v, %v with %d requests; want cached, 1 request", res, err, hits.Load())
	}
	// A cached file that no longer matches is fetched again.
	must(t, os.WriteFile(res.Path, []byte("tampered"), 0o644))
	res, err = Fetch(context.Background(), it, opts)
	if err != nil || res.Cached || hits.Load() != 2 {
		t.Errorf("Fetch over a tampered file = %+v, %v, %d requests; want a new download", res, err, hits.Load())
	}
}

func TestFetchErrors(t *testing.T) {
	content := payload(200_000, 3)
	release := make(chan struct{})
	defer close(release)
	cases := []struct {
		name    string
		handler http.HandlerFunc
		sha     string
		want    []string
	}{
		{"404", http.NotFound, sum(content), []string{"bad HTTP status: 404 Not Found"}},
		{"500", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", 500) }, sum(content), []string{"bad HTTP status: 500 Internal Server Error"}},
		{"short-body", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", fmt.Sprint(len(content)+1000))
			w.Write(content)
		}, sum(content), []string{"body length does not match: body ended after 200000 of 201000 bytes announced by Content-Length"}},
		{"long-body", hijack(func(bw *bufio.ReadWriter) {
			fmt.Fprintf(bw, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: %d\r\n\r\n", len(content)-1000)
			bw.Write(content)
		}), sum(content), []string{"sha256 mismatch: expected " + sum(content) + ", got " + sum(content[:len(content)-1000])}},
		{"stall-before-headers", func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}, sum(content), []string{"download stalled: no data for 300ms"}},
		{"stall-mid-body", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", fmt.Sprint(len(content)))
			w.Write(content[:1000])
			w.(http.Flusher).Flush()
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}, sum(content), []string{"download stalled: no data for 300ms"}},
		{"hash-mismatch", serve(content), sum([]byte("other")), []string{"sha256 mismatch: expected " + sum([]byte("other")) + ", got " + sum(content)}},
		{"no-hash", serve(content), "", []string{"no sha256 given; the download has sha256 " + sum(content), `add this line to the recipe: (sha256 "` + sum(content) + `")`}},
		{"bad-hash", serve(content), "abc", []string{`bad item: sha256 "abc" is not 64 hex digits`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(c.handler)
			defer srv.Close()
			opts := fastOpts(t)
			opts.IdleTimeout = 300 * time.Millisecond
			it := Item{URL: srv.URL + "/f.tar.zst", SHA256: c.sha}
			_, err := Fetch(context.Background(), it, opts)
			wantErr(t, "Fetch("+c.name+")", err, append(c.want, "fetch "+it.URL+": ")...)
			var fe *Error
			if !errors.As(err, &fe) || fe.URL != it.URL {
				t.Errorf("error %v is not an *Error carrying the URL", err)
			}
			for _, f := range cacheFiles(t, opts.CacheDir) {
				if f == "f.tar.zst" {
					t.Errorf("final file exists after a failure")
				}
			}
		})
	}
}

// hijack serves a raw HTTP response, for lies net/http will not tell.
func hijack(write func(bw *bufio.ReadWriter)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		conn, bw, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		write(bw)
		bw.Flush()
	}
}

func TestFetchSlowServer(t *testing.T) {
	content := payload(64_000, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(len(content)))
		for i := 0; i < len(content); i += 8000 {
			w.Write(content[i : i+8000])
			w.(http.Flusher).Flush()
			time.Sleep(300 * time.Millisecond) // under the idle timeout
		}
	}))
	defer srv.Close()
	opts := fastOpts(t)
	opts.IdleTimeout = 2 * time.Second // less than the whole transfer takes
	res, err := Fetch(context.Background(), Item{URL: srv.URL + "/slow", SHA256: sum(content)}, opts)
	if err != nil || res.Size != int64(len(content)) {
		t.Fatalf("Fetch(slow) = %+v, %v; want success (total time over the idle timeout is fine)", res, err)
	}
}

func TestFetchRedirect(t *testing.T) {
	content := payload(5000, 5)
	mux := http.NewServeMux()
	mux.HandleFunc("/real", serve(content))
	mux.Handle("/moved", http.RedirectHandler("/real", http.StatusFound))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	opts := fastOpts(t)
	res, err := Fetch(context.Background(), Item{URL: srv.URL + "/moved", SHA256: sum(content), Name: "pkg.tar"}, opts)
	if err != nil || filepath.Base(res.Path) != "pkg.tar" {
		t.Fatalf("Fetch(redirect) = %+v, %v; want pkg.tar", res, err)
	}

	tlsSrv := httptest.NewTLSServer(http.RedirectHandler(srv.URL+"/real", http.StatusFound))
	defer tlsSrv.Close()
	opts.RootCAs = pool(tlsSrv)
	_, err = Fetch(context.Background(), Item{URL: tlsSrv.URL + "/down", SHA256: sum(content)}, opts)
	wantErr(t, "Fetch(https -> http)", err, "refusing redirect from https to http://")
}

func pool(srv *httptest.Server) *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(srv.Certificate())
	return p
}

func TestFetchTLS(t *testing.T) {
	content := payload(100_000, 6)
	srv := httptest.NewTLSServer(serve(content))
	defer srv.Close()
	opts := fastOpts(t)
	it := Item{URL: srv.URL + "/secure.tar.xz", SHA256: sum(content)}
	_, err := Fetch(context.Background(), it, opts)
	wantErr(t, "Fetch(TLS, unknown CA)", err, "certificate")
	opts.RootCAs = pool(srv)
	res, err := Fetch(context.Background(), it, opts)
	if err != nil || res.Size != int64(len(content)) {
		t.Fatalf("Fetch(TLS) = %+v, %v; want success", res, err)
	}
}

func TestFetchLocal(t *testing.T) {
	content := payload(70_000, 7)
	dir := t.TempDir()
	src := filepath.Join(dir, "local.tar.gz")
	must(t, os.WriteFile(src, content, 0o644))
	for _, u := range []string{src, "file://" + src} {
		opts := fastOpts(t)
		res, err := Fetch(context.Background(), Item{URL: u, SHA256: sum(content)}, opts)
		if err != nil || res.Size != int64(len(content)) || filepath.Base(res.Path) != "local.tar.gz" {
			t.Errorf("Fetch(%s) = %+v, %v; want a verified copy", u, res, err)
		}
		_, err = Fetch(context.Background(), Item{URL: u, SHA256: sum(nil), Name: "other"}, opts)
		wantErr(t, "Fetch(local, wrong hash)", err, "sha256 mismatch")
		if got := cacheFiles(t, opts.CacheDir); !slices.Equal(got, []string{"local.tar.gz"}) {
			t.Errorf("cache after mismatch holds %v; want only local.tar.gz", got)
		}
	}
	_, err := Fetch(context.Background(), Item{URL: filepath.Join(dir, "missing"), SHA256: sum(nil)}, fastOpts(t))
	wantErr(t, "Fetch(missing local)", err, "no such file or directory")
	_, err = Fetch(context.Background(), Item{URL: "ftp://example.org/x", SHA256: sum(nil)}, fastOpts(t))
	wantErr(t, "Fetch(ftp)", err, `unsupported URL scheme "ftp"`)
}

func TestInsecureSkipHash(t *testing.T) {
	content := payload(1000, 8)
	srv := httptest.NewServer(serve(content))
	defer srv.Close()
	opts := fastOpts(t)
	opts.InsecureSkipHash = true
	res, err := Fetch(context.Background(), Item{URL: srv.URL + "/x"}, opts)
	if err != nil || res.SHA256 != sum(content) {
		t.Fatalf("Fetch(insecure) = %+v, %v; want success with the computed hash", res, err)
	}
}

func TestCancelLeavesNoTemp(t *testing.T) {
	content := payload(100_000, 9)
	started := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(len(content)))
		w.Write(content[:5000])
		w.(http.Flusher).Flush()
		close(started)
		<-r.Context().Done()
	}))
	defer srv.Close()
	opts := fastOpts(t)
	opts.IdleTimeout = 10 * time.Second
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-started; time.Sleep(50 * time.Millisecond); cancel() }()
	_, err := Fetch(ctx, Item{URL: srv.URL + "/c", SHA256: sum(content)}, opts)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Fetch(cancelled) = %v; want context.Canceled", err)
	}
	if got := cacheFiles(t, opts.CacheDir); len(got) != 0 {
		t.Errorf("cache after cancel holds %v; want nothing", got)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
