package source

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/levitateos/levitate/internal/rpm"
)

// newerTree is a repository with tiny-base 1.1 only.
func newerTree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	p := &rpm.Package{
		NEVRA:   rpm.NEVRA{Name: "tiny-base", EVR: rpm.EVR{Version: "1.1", Release: "1"}, Arch: "noarch"},
		Summary: "newer base", License: "MIT", Compressor: "gzip",
		Files: []rpm.File{{Path: "/usr/bin/tiny-base", Mode: rpm.ModeRegular | 0o755, Body: []byte("#!/bin/sh\n")}},
	}
	if err := os.MkdirAll(filepath.Join(dir, "Packages/t"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeRPM(t, filepath.Join(dir, "Packages/t", p.FileName()), p)
	rewriteRepodata(t, dir)
	return dir
}

func TestSet(t *testing.T) {
	local := mediumTree(t)
	srv := serveRepo(t, newerTree(t))
	specs := []Spec{
		{ID: "vendor", Location: local},
		{Location: srv.URL, Priority: 10},
	}
	set, err := OpenSet(context.Background(), specs, t.TempDir())
	if err != nil {
		t.Fatalf("OpenSet = %v", err)
	}
	defer set.Close()
	ms := set.Members()
	if len(ms) != 2 || ms[0].Source.ID() != "vendor" || ms[1].Spec.ID != srv.URL || ms[1].Spec.Priority != 10 {
		t.Fatalf("Members = %+v; want vendor and %s (priority 10)", ms, srv.URL)
	}
	if m, ok := set.Member(srv.URL); !ok || m.Index.Len() != 1 {
		t.Errorf("Member(%s) = %v, %v; want the one-package repository", srv.URL, m, ok)
	}
	all, _ := set.Index(context.Background())
	if all.Len() != 14 {
		t.Errorf("Set.Index has %d packages; want 14", all.Len())
	}
	dest := t.TempDir()
	for _, p := range all.ByName("tiny-base") {
		if _, err := set.Fetch(context.Background(), p, dest); err != nil {
			t.Errorf("Fetch(%s) = %v", p.NEVRA, err)
		}
	}
	if n := srv.count(func(p string) bool { return strings.HasSuffix(p, ".rpm") }); n != 1 {
		t.Errorf("HTTP package requests = %d; want 1 (only tiny-base 1.1 lives there)", n)
	}
}

func TestOpenSetErrors(t *testing.T) {
	dir := t.TempDir()
	_, err := OpenSet(context.Background(), []Spec{
		{ID: "a.iso", Location: filepath.Join(dir, "a.iso")},
		{ID: "b", Location: filepath.Join(dir, "b")},
		{ID: "b", Location: filepath.Join(dir, "c")},
		{ID: "d", Location: dir, Key: filepath.Join(dir, "KEY")},
	}, "")
	for _, w := range []string{"source a.iso: open source:", "source b: open source:", "source b given twice", "source d: key:"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("OpenSet(bad specs) = %v; want it to contain %q", err, w)
		}
	}
	if _, err := OpenSet(context.Background(), nil, ""); err == nil {
		t.Error("OpenSet(nil) = nil error; want one")
	}
}
