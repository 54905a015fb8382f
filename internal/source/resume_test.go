package source

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// cutOnce serves the first request for a package with the right
// Content-Length but only half the body, then drops the connection; it
// records the Range headers of later requests.
func cutOnce(t *testing.T, dir string, ranges *[]string) func(w http.ResponseWriter, r *http.Request) bool {
	var mu sync.Mutex
	cut := false
	return func(w http.ResponseWriter, r *http.Request) bool {
		if !strings.HasSuffix(r.URL.Path, ".rpm") {
			return false
		}
		mu.Lock()
		defer mu.Unlock()
		if cut {
			*ranges = append(*ranges, r.Header.Get("Range"))
			return false
		}
		cut = true
		b, err := os.ReadFile(filepath.Join(dir, r.URL.Path))
		if err != nil {
			t.Error(err)
			return false
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.WriteHeader(http.StatusOK)
		w.Write(b[:len(b)/2])
		w.(http.Flusher).Flush()
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Error(err)
			return true
		}
		conn.Close()
		return true
	}
}

func TestHTTPResumeAfterCut(t *testing.T) {
	tree := mediumTree(t)
	repoDir := filepath.Join(tree, "Minimal")
	for _, cached := range []bool{false, true} {
		t.Run(fmt.Sprintf("cache=%v", cached), func(t *testing.T) {
			srv := serveRepo(t, repoDir)
			var ranges []string
			srv.fault = cutOnce(t, repoDir, &ranges)
			cache := ""
			if cached {
				cache = t.TempDir()
			}
			s, err := openHTTP(context.Background(), srv.URL, cache, fastHTTP())
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			p := index(t, s).ByName("tiny-app")[0]
			b, _ := os.ReadFile(filepath.Join(repoDir, p.Href))
			dest := t.TempDir()
			got, err := s.Fetch(context.Background(), p, dest)
			if err != nil {
				t.Fatalf("Fetch(cut mid-download) = %v; want the download resumed", err)
			}
			if want := fmt.Sprintf("bytes=%d-", len(b)/2); len(ranges) != 1 || ranges[0] != want {
				t.Errorf("requests after the cut asked for %q; want one with Range %s", ranges, want)
			}
			if data, _ := os.ReadFile(got); string(data) != string(b) {
				t.Errorf("Fetch(cut) wrote %d bytes; want the %d of the package", len(data), len(b))
			}
			if left, _ := filepath.Glob(filepath.Join(dest, "*.part")); len(left) != 0 {
				t.Errorf("Fetch left %v behind", left)
			}
		})
	}
}

func TestHTTPRetriesTransient(t *testing.T) {
	tree := mediumTree(t)
	repoDir := filepath.Join(tree, "Minimal")
	srv := serveRepo(t, repoDir)
	var mu sync.Mutex
	fails := map[string]int{}
	// Every file answers 503 twice before it is served.
	srv.fault = func(w http.ResponseWriter, r *http.Request) bool {
		mu.Lock()
		defer mu.Unlock()
		if fails[r.URL.Path] < 2 {
			fails[r.URL.Path]++
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return true
		}
		return false
	}
	s, err := openHTTP(context.Background(), srv.URL, t.TempDir(), fastHTTP())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fetchAll(t, s, index(t, s))
	if n := srv.count(func(p string) bool { return strings.HasSuffix(p, ".rpm") }); n != 3*13 {
		t.Errorf("package requests = %d; want 3 per package (2 refused, 1 served)", n)
	}
}

// A corrupt primary.xml is reported with both hashes and never cached:
// once the server is fixed, the same cache works.
func TestHTTPCorruptPrimaryNotCached(t *testing.T) {
	tree := mediumTree(t)
	repoDir := filepath.Join(tree, "Minimal")
	primary := dataHref(t, repoDir, "primary")
	good, _ := os.ReadFile(filepath.Join(repoDir, primary.Href))
	bad := append([]byte(nil), good...)
	bad[len(bad)/2] ^= 0x55
	srv := serveRepo(t, repoDir)
	srv.fault = func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != "/"+primary.Href {
			return false
		}
		w.Write(bad)
		return true
	}
	cache := t.TempDir()
	s, _ := openHTTP(context.Background(), srv.URL, cache, fastHTTP())
	_, err := s.Index(context.Background())
	s.Close()
	for _, w := range []string{primary.Href, "expected " + primary.Checksum.Value, "got " + sha256Hex(bad)} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("Index(corrupt primary) = %v; want it to contain %q", err, w)
		}
	}
	if n := srv.count(func(p string) bool { return p == "/"+primary.Href }); n != 1 {
		t.Errorf("corrupt primary fetched %d times; want 1 (a checksum error is final)", n)
	}
	srv.fault = nil
	s = openSource(t, srv.URL, cache)
	if ix := index(t, s); ix.Len() != 13 {
		t.Errorf("Index after the fix has %d packages; want 13", ix.Len())
	}
}

func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
