package repo

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/levitateos/levitate/internal/rpm"
)

// genRepo writes repodata for n synthetic packages shaped like a
// distribution's (descriptions, provides, requires, files).
func genRepo(b *testing.B, n int) string {
	b.Helper()
	dir := b.TempDir()
	var pkgs []rpm.RepoPackage
	for i := range n {
		h := &rpm.Header{
			NEVRA:       rpm.NEVRA{Name: fmt.Sprintf("pkg%04d", i), EVR: rpm.EVR{Version: "1.0", Release: "1.el10"}, Arch: "x86_64"},
			Summary:     "a generated package",
			Description: "A generated package description that is about as long as a real one, give or take a few words of marketing.",
			License:     "MIT",
			Provides:    []rpm.Dep{{Name: fmt.Sprintf("libgen%04d.so.1()(64bit)", i)}},
			Requires: []rpm.Dep{
				{Name: fmt.Sprintf("libgen%04d.so.1()(64bit)", i/2)},
				{Name: "/usr/bin/sh"},
				{Name: fmt.Sprintf("pkg%04d", i/3), Flags: rpm.FlagGreater | rpm.FlagEqual, EVR: rpm.EVR{Version: "1.0"}},
			},
		}
		for f := range 20 {
			h.Files = append(h.Files, rpm.FileEntry{Path: fmt.Sprintf("/usr/share/pkg%04d/file%d", i, f), Mode: 0o100644})
		}
		h.Files = append(h.Files, rpm.FileEntry{Path: fmt.Sprintf("/usr/bin/pkg%04d", i), Mode: 0o100755})
		pkgs = append(pkgs, rpm.RepoPackage{Header: h, Href: fmt.Sprintf("Packages/p/pkg%04d.rpm", i), Size: 1000, Checksum: fmt.Sprintf("%064x", i)})
	}
	if err := rpm.WriteRepodata(dir, pkgs, rpm.RepoOptions{Revision: 1}); err != nil {
		b.Fatal(err)
	}
	return dir
}

func BenchmarkLoad5000(b *testing.B) {
	dir := genRepo(b, 5000)
	b.Run("parse", func(b *testing.B) {
		for b.Loop() {
			if _, err := Load(context.Background(), os.DirFS(dir), Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cached", func(b *testing.B) {
		cache := b.TempDir()
		if _, err := Load(context.Background(), os.DirFS(dir), Options{CacheDir: cache}); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for b.Loop() {
			if _, err := Load(context.Background(), os.DirFS(dir), Options{CacheDir: cache}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("filelists", func(b *testing.B) {
		for b.Loop() {
			ix, err := Load(context.Background(), os.DirFS(dir), Options{})
			if err != nil {
				b.Fatal(err)
			}
			if ps, err := ix.WhatProvidesFile("/usr/share/pkg0042/file3"); err != nil || len(ps) != 1 {
				b.Fatalf("WhatProvidesFile = %v, %v", ps, err)
			}
		}
	})
}
