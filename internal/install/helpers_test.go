package install

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/levitateos/levitate/internal/recipe"
	"github.com/levitateos/levitate/internal/store"
)

// dirFiles reads a testdata directory as tarFiles input under prefix.
func dirFiles(t testing.TB, dir, prefix string) map[string]string {
	t.Helper()
	files := map[string]string{prefix + "/": ""}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[prefix+"/"+e.Name()] = string(b)
	}
	return files
}

// server serves files (URL path -> contents) on loopback.
type server struct {
	*httptest.Server
	files map[string][]byte
}

func newServer(t testing.TB, tls bool) *server {
	s := &server{files: make(map[string][]byte)}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, ok := s.files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		http.ServeContent(w, r, r.URL.Path, time.Unix(1700000000, 0), bytes.NewReader(b))
	})
	if tls {
		s.Server = httptest.NewTLSServer(h)
	} else {
		s.Server = httptest.NewServer(h)
	}
	t.Cleanup(s.Close)
	return s
}

// add serves b at /name and returns its URL and sha256.
func (s *server) add(name string, b []byte) (string, string) {
	s.files["/"+name] = b
	sum := sha256.Sum256(b)
	return s.URL + "/" + name, hex.EncodeToString(sum[:])
}

// decode decodes recipe text written to dir/name.recipe.
func decode(t testing.TB, dir, text string) *recipe.Recipe {
	t.Helper()
	file := filepath.Join(dir, "x.recipe")
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	r, ds := recipe.Decode(file, []byte(text))
	if ds.HasErrors() {
		t.Fatalf("Decode:\n%v", ds)
	}
	return r
}

// snapshot lists everything under root except the cache and the lock
// file, which an attempt may create: path -> type, mode and content hash.
func snapshot(t testing.TB, root string) map[string]string {
	t.Helper()
	out := make(map[string]string)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if rel == "var/cache/recipe" {
			return fs.SkipDir
		}
		if rel == "var/lib/recipe/lock" {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		v := info.Mode().String()
		if d.Type().IsRegular() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(b)
			v += " " + hex.EncodeToString(sum[:])
		}
		out[rel] = v
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// sameTree reports the first difference between two snapshots.
func sameTree(t testing.TB, before, after map[string]string) {
	t.Helper()
	for p, v := range after {
		if before[p] != v {
			// Directories an attempt created on the way to the cache and
			// the database lock do not change what is installed.
			if strings.HasPrefix(v, "d") && before[p] == "" && (p == "var" || p == "var/cache" || p == "var/lib" || p == "var/lib/recipe" || p == "var/lib/recipe/installed") {
				continue
			}
			t.Errorf("root changed at %s: before %q, after %q", p, before[p], v)
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			t.Errorf("root changed: %s disappeared", p)
		}
	}
}

// testOptions are Options for a root in a fresh temp dir.
func testOptions(t testing.TB) Options {
	return Options{Root: t.TempDir(), NoSync: true}
}

func openDB(t testing.TB, root string) *store.DB {
	t.Helper()
	db, err := store.Open(root, store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// verifyAll checks that every installed package matches its record.
func verifyAll(t testing.TB, root string) []string {
	t.Helper()
	db := openDB(t, root)
	metas, err := db.List()
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	var names []string
	for _, m := range metas {
		names = append(names, m.Name)
		probs, err := db.Verify(m.Name)
		if err != nil {
			t.Fatalf("Verify(%s): %v", m.Name, err)
		}
		for _, p := range probs {
			if !p.Config {
				t.Errorf("Verify(%s) = %v; want no problems", m.Name, p)
			}
		}
	}
	return names
}

func runStep(script string) recipe.BuildStep {
	return recipe.BuildStep{Kind: recipe.BuildRun, Arg: script}
}
