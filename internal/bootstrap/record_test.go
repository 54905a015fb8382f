package bootstrap

import (
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/levitateos/levitate/internal/closure"
	"github.com/levitateos/levitate/internal/recipe"
	"github.com/levitateos/levitate/internal/repo"
	"github.com/levitateos/levitate/internal/store"
)

func TestCanonical(t *testing.T) {
	target := t.TempDir()
	for _, d := range []string{"usr/lib64", "usr/bin", "opt/real"} {
		if err := os.MkdirAll(filepath.Join(target, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	links := map[string]string{
		"lib64": "usr/lib64", "bin": "/usr/bin", "opt/alias": "real", "opt/chain": "alias", "escape": "../../..",
		"top": "/", "loop1": "loop2", "loop2": "loop1", "usr/lib64/up": "../../opt/chain", "usr/out": "../../x",
	}
	for l, to := range links {
		if err := os.Symlink(to, filepath.Join(target, l)); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct{ in, want string }{
		{"usr/bin/sh", "usr/bin/sh"},
		{"lib64/ld.so", "usr/lib64/ld.so"},
		{"bin/sh", "usr/bin/sh"},
		{"bin", "bin"}, // the link itself is recorded as a link
		{"opt/chain/x", "opt/real/x"},
		{"escape/x", "escape/x"},
		// Nothing below a link that leaves the target is looked up: the
		// host would follow it.
		{"escape/etc/x", "escape/etc/x"},
		{"top", "top"},
		{"top/usr/bin/sh", "usr/bin/sh"},
		{"loop1/x", "loop1/x"},
		{"lib64/up/y", "opt/real/y"},
		{"usr/out/z", "usr/out/z"},
	}
	for _, tt := range tests {
		if got := canonical(target, tt.in); got != tt.want {
			t.Errorf("canonical(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
	// One resolver for all, as records uses it: remembered directories
	// give the same answers.
	r := newResolver(target)
	for range 2 {
		for _, tt := range tests {
			if got := r.canonical(tt.in); got != tt.want {
				t.Errorf("resolver.canonical(%q) = %q; want %q", tt.in, got, tt.want)
			}
		}
	}
}

func TestRecords(t *testing.T) {
	target := t.TempDir()
	if err := makeSkeleton(target); err != nil {
		t.Fatal(err)
	}
	write := func(rel, body string) {
		t.Helper()
		p := filepath.Join(target, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("usr/lib64/libx.so", "lib\n")
	write("usr/bin/changed", "rewritten by a scriptlet\n")
	write("usr/bin/nodigest", "md5 era\n")
	write("var/log/ghost", "log\n")
	write("etc/x.conf", "x = 1\n")
	if err := os.Symlink("nodigest", filepath.Join(target, "usr/bin/link")); err != nil {
		t.Fatal(err)
	}
	a, b := &repo.Package{}, &repo.Package{}
	a.Name, b.Name = "a", "b"
	files := map[*repo.Package][]rpmFile{
		a: {
			{path: "/lib64/libx.so", size: 4, sha256: sum("lib\n")},
			{path: "/usr/bin/changed", size: 3, sha256: sum("old")},
			{path: "/usr/share/doc/a/missing", size: 1, sha256: sum("m")},
			{path: "/var/log/ghost", flags: fileGhost},
			{path: "/usr/bin/link", size: 8},
		},
		b: {
			{path: "/usr/lib64/libx.so", size: 4, sha256: sum("lib\n")},
			{path: "/usr/bin/nodigest", size: 8},
			{path: "/etc/x.conf", size: 6, flags: fileConfig, sha256: sum("x = 1\n")},
			{path: "/usr/lib64", size: 4096},
		},
	}
	p := &Plan{Groups: []Group{
		{Recipe: &recipe.Recipe{Name: "first", Version: "1"}, Explicit: true, Packages: []closure.Entry{{Pkg: a}}},
		{Recipe: &recipe.Recipe{Name: "second", Version: "2"}, Depends: []string{"first"}, Packages: []closure.Entry{{Pkg: b}}},
	}}
	recs, err := records(target, p, files, time.Unix(1700000000, 0))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0].Name != "first" || recs[1].Name != "second" {
		t.Fatalf("records = %+v; want first, second", recs)
	}
	if recs[0].Reason != store.Explicit || recs[1].Reason != store.Dependency || len(recs[1].Depends) != 1 {
		t.Errorf("records meta = %+v, %+v; want first explicit, second a dependency of first", recs[0].Meta, recs[1].Meta)
	}
	want := [][]store.File{
		{
			{Path: "usr/lib64/libx.so", Type: store.TypeFile, Mode: 0o644, Size: 4, SHA256: sum("lib\n")},
			{Path: "usr/bin/changed", Type: store.TypeFile, Mode: 0o644, Size: 25, SHA256: sum("rewritten by a scriptlet\n")},
			{Path: "usr/bin/link", Type: store.TypeSymlink, Mode: 0o777, Target: "nodigest"},
		},
		{
			{Path: "usr/bin/nodigest", Type: store.TypeFile, Mode: 0o644, Size: 8, SHA256: sum("md5 era\n")},
			{Path: "etc/x.conf", Type: store.TypeFile, Mode: 0o644, Size: 6, SHA256: sum("x = 1\n"), Config: true},
			{Path: "usr/lib64", Type: store.TypeDir, Mode: 0o755},
		},
	}
	for i, w := range want {
		if !slices.Equal(recs[i].Files, w) {
			t.Errorf("records[%d].Files =\n%+v\nwant\n%+v", i, recs[i].Files, w)
		}
	}
}

func TestForEach(t *testing.T) {
	for _, n := range []int{0, 1, 5, 1000} {
		for _, batch := range []int{1, 7, 256} {
			seen := make([]atomic.Int32, n)
			forEach(n, batch, func(i int) { seen[i].Add(1) })
			for i := range seen {
				if c := seen[i].Load(); c != 1 {
					t.Errorf("forEach(%d, %d) called fn(%d) %d times; want once", n, batch, i, c)
				}
			}
		}
	}
}
