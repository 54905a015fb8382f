package source

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/levitateos/levitate/internal/repo"
	"github.com/levitateos/levitate/internal/rpm"
	"github.com/levitateos/levitate/internal/vendorset"
)

// longName makes a package file name of more than 150 characters, past
// the 111 that go-diskfs kept of a Rock Ridge name.
var longName = "tiny-" + strings.Repeat("long", 36)

// mediumTree writes the small vendor set plus one package with a very long
// file name, as Minimal/Packages and Minimal/repodata, and returns the tree.
func mediumTree(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := vendorset.WriteSmallTree(context.Background(), dir); err != nil {
		t.Fatalf("WriteSmallTree: %v", err)
	}
	repoDir := filepath.Join(dir, vendorset.RepoDir)
	long := &rpm.Package{
		NEVRA:   rpm.NEVRA{Name: longName, EVR: rpm.EVR{Version: "1.0", Release: "1"}, Arch: "noarch"},
		Summary: "long name", License: "MIT", Compressor: "gzip",
		Files: []rpm.File{{Path: "/usr/share/tiny/long", Mode: rpm.ModeRegular | 0o644, Body: []byte("long\n")}},
	}
	writeRPM(t, filepath.Join(repoDir, "Packages/t", long.FileName()), long)
	rewriteRepodata(t, repoDir)
	return dir
}

func writeRPM(t testing.TB, name string, p *rpm.Package) {
	t.Helper()
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Write(f); err != nil {
		t.Fatalf("write %s: %v", name, err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// rewriteRepodata regenerates repoDir/repodata from the RPM files there.
func rewriteRepodata(t testing.TB, repoDir string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(repoDir, "Packages/*/*.rpm"))
	var entries []rpm.RepoPackage
	for _, f := range files {
		rel, _ := filepath.Rel(repoDir, f)
		e, err := rpm.ScanPackage(f, filepath.ToSlash(rel), 1)
		if err != nil {
			t.Fatal(err)
		}
		entries = append(entries, e)
	}
	if err := rpm.WriteRepodata(repoDir, entries, rpm.RepoOptions{Revision: 1}); err != nil {
		t.Fatal(err)
	}
}

func openSource(t testing.TB, spec, cache string) Source {
	t.Helper()
	s, err := Open(context.Background(), spec, cache)
	if err != nil {
		t.Fatalf("Open(%s) = %v", spec, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func index(t testing.TB, s Source) *repo.Index {
	t.Helper()
	ix, err := s.Index(context.Background())
	if err != nil {
		t.Fatalf("Index(%s) = %v", s.ID(), err)
	}
	return ix
}

// fetchAll fetches every package and checks that the file's name is the
// href's base name.
func fetchAll(t testing.TB, s Source, ix *repo.Index) {
	t.Helper()
	dest := t.TempDir()
	for _, p := range ix.Packages() {
		got, err := s.Fetch(context.Background(), p, dest)
		if err != nil {
			t.Errorf("Fetch(%s) = %v", p.NEVRA, err)
			continue
		}
		if filepath.Base(got) != filepath.Base(p.Href) {
			t.Errorf("Fetch(%s) = %s; want base name %s", p.NEVRA, got, filepath.Base(p.Href))
		}
		f, err := os.Open(got)
		if err != nil {
			t.Fatal(err)
		}
		h, err := rpm.ReadHeader(f)
		f.Close()
		if err != nil || h.NEVRA != p.NEVRA {
			t.Errorf("fetched %s reads back as %v, %v; want %s", got, h, err, p.NEVRA)
		}
	}
}
