package source

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/levitateos/levitate/internal/repo"
	"github.com/levitateos/levitate/internal/rpm"
	"github.com/levitateos/levitate/internal/testutil"
)

func TestDirectoryWithRepodata(t *testing.T) {
	tree := mediumTree(t)
	for _, spec := range []string{tree, filepath.Join(tree, "Minimal"), "file://" + tree} {
		t.Run(filepath.Base(spec), func(t *testing.T) {
			s := openSource(t, spec, t.TempDir())
			ix := index(t, s)
			if ix.Len() != 13 {
				t.Errorf("Index(%s).Len() = %d; want 13", spec, ix.Len())
			}
			fetchAll(t, s, ix)
		})
	}
}

func TestISO(t *testing.T) {
	xorriso := testutil.NeedTool(t, "xorriso")
	tree := mediumTree(t)
	iso := filepath.Join(t.TempDir(), "small.iso")
	out, err := exec.Command(xorriso, "-as", "mkisofs", "-R", "-V", "TEST", "-o", iso, tree).CombinedOutput()
	if err != nil {
		t.Fatalf("xorriso: %v\n%s", err, out)
	}
	s := openSource(t, iso, t.TempDir())
	ix := index(t, s)
	if ix.Len() != 13 {
		t.Errorf("ISO index has %d packages; want 13", ix.Len())
	}
	long := ix.ByName(longName)
	if len(long) != 1 {
		t.Fatalf("ByName(long name) = %d packages; want 1", len(long))
	}
	if n := len(filepath.Base(long[0].Href)); n <= 150 {
		t.Fatalf("long file name has %d characters; want > 150", n)
	}
	if !strings.HasPrefix(long[0].Href, "Minimal/Packages/t/") {
		t.Errorf("href = %q; want it under Minimal/Packages/t/", long[0].Href)
	}
	fetchAll(t, s, ix)
}

func TestMultiRepoTree(t *testing.T) {
	tree := mediumTree(t)
	// A DVD has BaseOS and AppStream; move half the packages to AppStream.
	src := filepath.Join(tree, "Minimal")
	for _, r := range []string{"BaseOS", "AppStream"} {
		if err := os.MkdirAll(filepath.Join(tree, r, "Packages/t"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	files, _ := filepath.Glob(filepath.Join(src, "Packages/t/*.rpm"))
	for i, f := range files {
		r := []string{"BaseOS", "AppStream"}[i%2]
		if err := os.Rename(f, filepath.Join(tree, r, "Packages/t", filepath.Base(f))); err != nil {
			t.Fatal(err)
		}
	}
	os.RemoveAll(src)
	rewriteRepodata(t, filepath.Join(tree, "BaseOS"))
	rewriteRepodata(t, filepath.Join(tree, "AppStream"))
	s := openSource(t, tree, "")
	ix := index(t, s)
	if ix.Len() != 13 {
		t.Errorf("merged index has %d packages; want 13", ix.Len())
	}
	prefixes := map[string]int{}
	for _, p := range ix.Packages() {
		prefixes[strings.SplitN(p.Href, "/", 2)[0]]++
	}
	if prefixes["BaseOS"] != 7 || prefixes["AppStream"] != 6 {
		t.Errorf("hrefs per repository = %v; want BaseOS 7, AppStream 6", prefixes)
	}
	// tiny-lib's file is only in filelists, of whichever repository.
	if ps, err := ix.WhatProvidesFile("/usr/lib64/libtiny.so.1"); err != nil || len(ps) != 1 || ps[0].Name != "tiny-lib" {
		t.Errorf("WhatProvidesFile(/usr/lib64/libtiny.so.1) = %v, %v; want tiny-lib", ps, err)
	}
	fetchAll(t, s, ix)
}

func depSet(ps []*repo.Package) map[string]string {
	out := map[string]string{}
	for _, p := range ps {
		var parts []string
		for _, l := range [][]string{deps(p.Requires), deps(p.Provides), deps(p.Conflicts), deps(p.Obsoletes)} {
			parts = append(parts, strings.Join(l, ","))
		}
		out[p.NEVRA.String()] = strings.Join(parts, " | ")
	}
	return out
}

func TestDirectoryWithoutRepodata(t *testing.T) {
	tree := mediumTree(t)
	want := depSet(index(t, openSource(t, tree, "")).Packages())
	os.RemoveAll(filepath.Join(tree, "Minimal/repodata"))
	s := openSource(t, tree, "")
	ix := index(t, s)
	got := depSet(ix.Packages())
	if len(got) != len(want) {
		t.Fatalf("scanned index has %d packages; want %d", len(got), len(want))
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("scanned %s: deps = %s; repodata says %s", k, got[k], w)
		}
	}
	if ps, _ := ix.WhatProvidesFile("/usr/lib64/libtiny.so.1"); len(ps) != 1 {
		t.Errorf("scanned WhatProvidesFile(/usr/lib64/libtiny.so.1) = %d packages; want 1", len(ps))
	}
	fetchAll(t, s, ix)
}

func TestFetchCorruptPackage(t *testing.T) {
	tree := mediumTree(t)
	s := openSource(t, tree, "")
	ix := index(t, s)
	p := ix.ByName("tiny-app")[0]
	name := filepath.Join(tree, p.Href)
	b, _ := os.ReadFile(name)
	b[len(b)-10] ^= 0xff
	os.WriteFile(name, b, 0o644)
	dest := t.TempDir()
	_, err := s.Fetch(context.Background(), p, dest)
	var ce *repo.ChecksumError
	if !errors.As(err, &ce) || ce.Want != p.Checksum.Value {
		t.Fatalf("Fetch(corrupt) = %v; want a checksum error expecting %s", err, p.Checksum.Value)
	}
	if left, _ := os.ReadDir(dest); len(left) != 0 {
		t.Errorf("Fetch(corrupt) left %d files in the destination; want none", len(left))
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	notISO := filepath.Join(dir, "x.iso")
	os.WriteFile(notISO, []byte("not an image"), 0o644)
	empty := filepath.Join(dir, "empty")
	os.Mkdir(empty, 0o755)
	tests := []struct{ spec, want string }{
		{filepath.Join(dir, "missing"), "no such file"},
		{notISO, "not an ISO 9660 image"},
	}
	for _, tt := range tests {
		if _, err := Open(context.Background(), tt.spec, ""); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Open(%s) = %v; want an error containing %q", tt.spec, err, tt.want)
		}
	}
	s := openSource(t, empty, "")
	if _, err := s.Index(context.Background()); err == nil || !strings.Contains(err.Error(), "no repodata and no .rpm files") {
		t.Errorf("Index(empty dir) = %v; want 'no repodata and no .rpm files'", err)
	}
}

func deps(ds []rpm.Dep) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.String())
	}
	sort.Strings(out)
	return out
}
