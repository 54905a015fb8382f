package bootstrap

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/levitateos/levitate/internal/closure"
	"github.com/levitateos/levitate/internal/recipe"
	"github.com/levitateos/levitate/internal/repo"
)

// BenchmarkRecords builds the records of a target shaped like the base
// set's: 12,000 files in 400 directories, half of them named through the
// lib64 -> usr/lib64 link, with their digests from the headers.
func BenchmarkRecords(b *testing.B) {
	target := b.TempDir()
	if err := makeSkeleton(target); err != nil {
		b.Fatal(err)
	}
	digest := sum("x")
	var pkgs []closure.Entry
	files := map[*repo.Package][]rpmFile{}
	for d := range 400 {
		dir := fmt.Sprintf("usr/lib64/m%d", d)
		if err := os.MkdirAll(filepath.Join(target, dir), 0o755); err != nil {
			b.Fatal(err)
		}
		pkg := &repo.Package{}
		pkg.Name = fmt.Sprintf("p%d", d)
		pkgs = append(pkgs, closure.Entry{Pkg: pkg})
		spelt := "/" + dir
		if d%2 == 1 {
			spelt = fmt.Sprintf("/lib64/m%d", d)
		}
		files[pkg] = append(files[pkg], rpmFile{path: spelt, size: 4096})
		for f := range 30 {
			name := fmt.Sprintf("f%d.so", f)
			if err := os.WriteFile(filepath.Join(target, dir, name), []byte("x"), 0o644); err != nil {
				b.Fatal(err)
			}
			files[pkg] = append(files[pkg], rpmFile{path: spelt + "/" + name, size: 1, sha256: digest})
		}
	}
	p := &Plan{Groups: []Group{{Recipe: &recipe.Recipe{Name: "base", Version: "1"}, Packages: pkgs}}}
	for b.Loop() {
		if _, err := records(target, p, files, time.Now()); err != nil {
			b.Fatal(err)
		}
	}
}
