package recipecmd

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/levitateos/levitate/internal/testutil"
)

// fileServer serves archives on loopback; the test may replace them.
type fileServer struct {
	*httptest.Server
	mu    sync.Mutex
	files map[string][]byte
}

func newFileServer(t testing.TB) *fileServer {
	s := &fileServer{files: map[string][]byte{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		b, ok := s.files[r.URL.Path]
		s.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		http.ServeContent(w, r, r.URL.Path, time.Unix(1700000000, 0), bytes.NewReader(b))
	}))
	t.Cleanup(s.Close)
	return s
}

// put serves b at /name and returns its URL and sha256.
func (s *fileServer) put(name string, b []byte) (string, string) {
	s.mu.Lock()
	s.files["/"+name] = b
	s.mu.Unlock()
	sum := sha256.Sum256(b)
	return s.URL + "/" + name, hex.EncodeToString(sum[:])
}

// pkgSpec describes a test package: an archive with one script per
// package, installed as /usr/bin/NAME plus a config file.
type pkgSpec struct {
	name, version string
	comp          string // "gz" or "zst"
	deps          []string
	extra         string // more forms of the recipe
	noHash        bool
}

// writeRecipe serves the package's archive and writes its recipe into
// dir; it returns the recipe's path.
func writeRecipe(t testing.TB, srv *fileServer, dir string, p pkgSpec) string {
	t.Helper()
	if p.comp == "" {
		p.comp = "zst"
	}
	files := map[string]string{
		p.name + "/" + p.name + ".sh":   "#!/bin/sh\necho " + p.name + " " + p.version + "\n",
		p.name + "/" + p.name + ".conf": "setting=1\n",
	}
	url, sum := srv.put(p.name+"-"+p.version+".tar."+p.comp, testutil.Tarball(t, files, p.comp))
	hash := fmt.Sprintf(" (sha256 %q)", sum)
	if p.noHash {
		hash = ""
	}
	deps := ""
	if len(p.deps) > 0 {
		deps = fmt.Sprintf("(deps %s)", quoteAll(p.deps))
	}
	text := fmt.Sprintf(`(package %q %q
  (description "test package %s")
  %s
  (acquire (source %q%s))
  (build (extract tar-%s))
  (install
    (to-bin %q %q)
    (to-config %q %q))
  %s)
`, p.name, p.version, p.name, deps, url, hash, p.comp,
		p.name+"/"+p.name+".sh", p.name, p.name+"/"+p.name+".conf", "/etc/"+p.name+".conf", p.extra)
	// One file per name: a directory holding two recipes of a name is
	// an error, so a new version replaces the file.
	file := filepath.Join(dir, p.name+".recipe")
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, " ")
}

// treeHash lists everything under root (type, mode, content hash of
// regular files and symlink targets) as one comparable string. The
// download cache (ROOT/var/cache/recipe and the directories leading to it)
// is left out: a failed install may keep what it downloaded.
func treeHash(t testing.TB, root string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		switch rel {
		case "var/cache/recipe":
			return fs.SkipDir
		case "var", "var/cache":
			return nil
		}
		fmt.Fprintf(&b, "%s %s", rel, info.Mode())
		switch {
		case info.Mode().IsRegular():
			c, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, " %x", sha256.Sum256(c))
		case info.Mode()&fs.ModeSymlink != 0:
			tgt, _ := os.Readlink(p)
			b.WriteString(" -> " + tgt)
		}
		b.WriteByte('\n')
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return b.String()
}
