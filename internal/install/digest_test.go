package install

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/levitateos/levitate/internal/store"
	"github.com/levitateos/levitate/internal/testutil"
)

// checkRecordDigests compares every regular file of name's record with
// the file in root: the digests the extraction and staging carried
// forward must be those of the installed bytes.
func checkRecordDigests(t *testing.T, root, name string) int {
	t.Helper()
	rec, err := openDB(t, root).Get(name)
	if err != nil {
		t.Fatalf("Get(%s) = %v", name, err)
	}
	n := 0
	for _, f := range rec.Files {
		if f.Type != store.TypeFile {
			continue
		}
		n++
		b, err := os.ReadFile(filepath.Join(root, f.Path))
		if err != nil {
			t.Errorf("read %s: %v", f.Path, err)
			continue
		}
		sum := sha256.Sum256(b)
		if got := hex.EncodeToString(sum[:]); got != f.SHA256 || int64(len(b)) != f.Size {
			t.Errorf("record of %s = %s %d; want %s %d (the installed bytes)", f.Path, f.SHA256, f.Size, got, len(b))
		}
	}
	return n
}

// TestRecordDigests installs packages whose staged files get their
// digests in each way: linked from the extraction, copied (a file used by
// two forms), changed by a build command, filled in as a template.
func TestRecordDigests(t *testing.T) {
	files := map[string]string{
		"pkg/":         "",
		"pkg/a":        "alpha\n",
		"pkg/b.conf":   "port={{PORT}}\n",
		"pkg/sub/":     "",
		"pkg/sub/c":    "gamma\n",
		"pkg/e":        "epsilon\n",
		"pkg/run-me":   "before\n",
		"pkg/sub/d.sh": "#!/bin/sh\n",
	}
	tests := []struct {
		name, build, install, configure string
		files                           int
	}{
		{"linked", ``, `(to-share "pkg" "pkg")`, ``, 6},
		{"two forms", ``, `(to-share "pkg/a" "one/a") (to-share "pkg/a" "two/a")`, ``, 2},
		{"build command", `(run "sed -i s/alpha/ALPHA/ pkg/a")`, `(to-share "pkg" "pkg")`, ``, 6},
		{"template", ``, `(to-config "pkg/b.conf" "/etc/b.conf") (to-share "pkg/a" "a")`, `(configure (template "/etc/b.conf" (PORT "12345678")))`, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, false)
			url, sum := srv.add("pkg.tar.zst", testutil.Tarball(t, files, "zst"))
			text := fmt.Sprintf(`(package "pkg" "1.0" (description "x") (acquire (source %q (sha256 %q)))
  (build (extract tar-zst) %s) (install %s) %s)`, url, sum, tt.build, tt.install, tt.configure)
			opts := testOptions(t)
			if _, err := Install(context.Background(), []Package{{Recipe: decode(t, t.TempDir(), text)}}, opts); err != nil {
				t.Fatal(err)
			}
			if n := checkRecordDigests(t, opts.Root, "pkg"); n != tt.files {
				t.Errorf("record lists %d files; want %d", n, tt.files)
			}
		})
	}
}

// TestStaleCacheRefetched replaces a cached source behind the installer's
// back, with garbage and with another valid archive: the installer must
// notice while extracting, download it again and install the real
// contents, never the replacement's.
func TestStaleCacheRefetched(t *testing.T) {
	good := testutil.Tarball(t, map[string]string{"pkg/": "", "pkg/a": "the real file\n"}, "zst")
	evil := testutil.Tarball(t, map[string]string{"pkg/": "", "pkg/a": "a substitute\n"}, "zst")
	tests := []struct {
		name, extract string
		cached        []byte
	}{
		{"garbage", `(build (extract tar-zst))`, []byte("not an archive at all")},
		{"other archive", `(build (extract tar-zst))`, evil},
		{"truncated", `(build (extract tar-zst))`, good[:len(good)/2]},
		{"plain download", ``, evil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, false)
			url, sum := srv.add("pkg.tar.zst", good)
			install := `(install (to-share "pkg" "pkg"))`
			want := map[string]string{"usr/share/pkg/a": "the real file\n"}
			if tt.extract == "" {
				install = `(install (to-share "pkg.tar.zst" "pkg.tar.zst"))`
				want = map[string]string{"usr/share/pkg.tar.zst": string(good)}
			}
			text := fmt.Sprintf(`(package "pkg" "1.0" (description "x") (acquire (source %q (sha256 %q))) %s %s)`, url, sum, tt.extract, install)
			cache := t.TempDir()
			pkg := Package{Recipe: decode(t, t.TempDir(), text)}
			first := Options{Root: t.TempDir(), CacheDir: cache, NoSync: true}
			if _, err := Install(context.Background(), []Package{pkg}, first); err != nil {
				t.Fatal(err)
			}
			cached := filepath.Join(cache, "pkg-1.0-pkg.tar.zst")
			if err := os.WriteFile(cached, tt.cached, 0o644); err != nil {
				t.Fatal(err)
			}
			second := Options{Root: t.TempDir(), CacheDir: cache, NoSync: true}
			sumry, err := Install(context.Background(), []Package{pkg}, second)
			if err != nil {
				t.Fatalf("Install over a changed cache = %v; want success after a new download", err)
			}
			if sumry.Fetched != int64(len(good)) {
				t.Errorf("Fetched = %d; want %d (a new download)", sumry.Fetched, len(good))
			}
			for p, w := range want {
				if b, err := os.ReadFile(filepath.Join(second.Root, p)); err != nil || string(b) != w {
					t.Errorf("%s = %q, %v; want %q", p, b, err, w)
				}
			}
			if b, err := os.ReadFile(cached); err != nil || string(b) != string(good) {
				t.Errorf("cache after the install: %d bytes, %v; want the real %d bytes", len(b), err, len(good))
			}
			checkRecordDigests(t, second.Root, "pkg")
			if ents, _ := os.ReadDir(filepath.Join(second.Root, cacheRel, "build")); len(ents) != 0 {
				t.Errorf("build dirs left: %v", ents)
			}
		})
	}
}
