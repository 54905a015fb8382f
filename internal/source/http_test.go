package source

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/levitateos/levitate/internal/fetch"
	"github.com/levitateos/levitate/internal/repo"
)

// fastHTTP retries quickly, so that fault tests stay short.
func fastHTTP() httpConfig {
	return httpConfig{retry: retryPolicy{attempts: 3, base: 10 * time.Millisecond, limit: 40 * time.Millisecond}, idle: 2 * time.Second}
}

// repoServer serves dir over loopback HTTP; fault, when set, may take over
// a request. It counts requests per path.
type repoServer struct {
	*httptest.Server
	mu    sync.Mutex
	hits  map[string]int
	fault func(w http.ResponseWriter, r *http.Request) bool
}

func serveRepo(t testing.TB, dir string) *repoServer {
	t.Helper()
	s := &repoServer{hits: map[string]int{}}
	files := http.FileServer(http.Dir(dir))
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		fault := s.fault
		s.mu.Unlock()
		if fault != nil && fault(w, r) {
			return
		}
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *repoServer) count(pred func(string) bool) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for p, c := range s.hits {
		if pred(p) {
			n += c
		}
	}
	return n
}

func dataHref(t *testing.T, repoDir, typ string) repo.DataFile {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoDir, repo.RepomdPath))
	if err != nil {
		t.Fatal(err)
	}
	md, err := repo.ParseRepomd(b)
	if err != nil {
		t.Fatal(err)
	}
	d, ok := md.Find(typ)
	if !ok {
		t.Fatalf("no %s data", typ)
	}
	return d
}

func TestHTTP(t *testing.T) {
	tree := mediumTree(t)
	srv := serveRepo(t, filepath.Join(tree, "Minimal"))
	cache := t.TempDir()
	s := openSource(t, srv.URL, cache)
	ix := index(t, s)
	if ix.Len() != 13 {
		t.Errorf("HTTP index has %d packages; want 13", ix.Len())
	}
	fetchAll(t, s, ix)
	// Reopening with the same cache fetches repomd.xml again but no data
	// file: the parsed index is cached under repomd's checksum.
	before := srv.count(func(p string) bool { return strings.HasPrefix(p, "/repodata/") && !strings.HasSuffix(p, "repomd.xml") })
	s2 := openSource(t, srv.URL+"/", cache)
	index(t, s2)
	after := srv.count(func(p string) bool { return strings.HasPrefix(p, "/repodata/") && !strings.HasSuffix(p, "repomd.xml") })
	if after != before {
		t.Errorf("second open fetched %d data files; want 0 (cached)", after-before)
	}
}

func TestHTTPFaults(t *testing.T) {
	tree := mediumTree(t)
	repoDir := filepath.Join(tree, "Minimal")
	primary := dataHref(t, repoDir, "primary")
	filelists := dataHref(t, repoDir, "filelists")
	tests := []struct {
		name  string
		fault func(w http.ResponseWriter, r *http.Request) bool
		want  []string
		wait  time.Duration
	}{
		{"corrupt primary", func(w http.ResponseWriter, r *http.Request) bool {
			if r.URL.Path != "/"+primary.Href {
				return false
			}
			b, _ := os.ReadFile(filepath.Join(repoDir, primary.Href))
			b[len(b)/2] ^= 0x55
			w.Write(b)
			return true
		}, []string{primary.Href, "checksum mismatch", "expected " + primary.Checksum.Value, ", got "}, 0},
		{"missing filelists", func(w http.ResponseWriter, r *http.Request) bool {
			if r.URL.Path != "/"+filelists.Href {
				return false
			}
			http.NotFound(w, r)
			return true
		}, []string{filelists.Href, "file does not exist"}, 0},
		{"server error", func(w http.ResponseWriter, r *http.Request) bool {
			http.Error(w, "boom", http.StatusInternalServerError)
			return true
		}, []string{"500 Internal Server Error", "gave up after 3 attempts"}, 0},
		{"not found is final", func(w http.ResponseWriter, r *http.Request) bool {
			http.NotFound(w, r)
			return true
		}, []string{"no " + repo.RepomdPath}, 0},
		{"slow server", func(w http.ResponseWriter, r *http.Request) bool {
			select {
			case <-time.After(5 * time.Second):
			case <-r.Context().Done():
			}
			return true
		}, []string{"context deadline exceeded"}, 300 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serveRepo(t, repoDir)
			srv.fault = tt.fault
			wait := tt.wait
			if wait == 0 {
				wait = time.Minute
			}
			ctx, cancel := context.WithTimeout(context.Background(), wait)
			defer cancel()
			start := time.Now()
			s, err := openHTTP(ctx, srv.URL, t.TempDir(), fastHTTP())
			if err == nil {
				defer s.Close()
				_, err = s.Index(ctx)
			}
			if err == nil {
				t.Fatalf("Index(%s) = nil error; want one", tt.name)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Index(%s) = %v; want it to contain %q", tt.name, err, w)
				}
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("Index(%s) took %v; want it bounded by the context", tt.name, d)
			}
		})
	}
}

func TestHTTPFetchCorrupt(t *testing.T) {
	tree := mediumTree(t)
	srv := serveRepo(t, filepath.Join(tree, "Minimal"))
	s := openSource(t, srv.URL, "")
	p := index(t, s).ByName("tiny-base")[0]
	srv.fault = func(w http.ResponseWriter, r *http.Request) bool {
		if !strings.HasSuffix(r.URL.Path, ".rpm") {
			return false
		}
		w.Write([]byte("truncated"))
		return true
	}
	_, err := s.Fetch(context.Background(), p, t.TempDir())
	if !errors.Is(err, fetch.ErrHashMismatch) || !strings.Contains(err.Error(), p.Checksum.Value) {
		t.Errorf("Fetch(truncated) = %v; want a sha256 mismatch naming %s", err, p.Checksum.Value)
	}
	srv.fault = func(w http.ResponseWriter, r *http.Request) bool {
		b, _ := os.ReadFile(filepath.Join(tree, "Minimal", p.Href))
		b[0] ^= 1
		w.Write(b)
		return true
	}
	_, err = s.Fetch(context.Background(), p, t.TempDir())
	if !errors.Is(err, fetch.ErrHashMismatch) {
		t.Errorf("Fetch(flipped byte) = %v; want a sha256 mismatch", err)
	}
}
