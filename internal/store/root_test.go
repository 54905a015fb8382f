package store

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// assertEmpty fails if dir has any entry.
func assertEmpty(t *testing.T, dir string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil || len(ents) != 0 {
		t.Errorf("ReadDir(%s) = %v, %v; want empty: nothing may be written outside the root", dir, ents, err)
	}
}

func TestDatabaseSymlinkOutsideRoot(t *testing.T) {
	tests := []struct {
		name   string
		link   string // path in the root made a symlink
		target func(outside string) string
	}{
		{"absolute var/lib/recipe", "var/lib/recipe", func(o string) string { return o }},
		{"relative var/lib/recipe", "var/lib/recipe", func(o string) string { return "../../../" + filepath.Base(o) }},
		{"absolute var", "var", func(o string) string { return o }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parent := t.TempDir()
			root, outside := filepath.Join(parent, "root"), filepath.Join(parent, "outside")
			for _, d := range []string{root, outside, filepath.Dir(filepath.Join(root, tt.link))} {
				if err := os.MkdirAll(d, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.Symlink(tt.target(outside), filepath.Join(root, tt.link)); err != nil {
				t.Fatal(err)
			}
			if db, err := Open(root, Options{}); err == nil {
				db.Close()
				t.Errorf("Open with %s -> outside = nil; want an error", tt.link)
			}
			assertEmpty(t, outside)
		})
	}
}

func TestDatabaseSymlinkAfterOpen(t *testing.T) {
	parent := t.TempDir()
	root, outside := filepath.Join(parent, "root"), filepath.Join(parent, "outside")
	os.MkdirAll(root, 0o755)
	os.MkdirAll(outside, 0o755)
	db := openDB(t, root, Options{})
	// The symlink appears between Open and Begin.
	if err := os.Symlink(outside, filepath.Join(root, "var")); err != nil {
		t.Fatal(err)
	}
	if tx, err := db.Begin(context.Background(), Plan{}); err == nil {
		tx.Close()
		t.Errorf("Begin with var -> outside = nil; want an error")
	}
	assertEmpty(t, outside)
}

func TestInstallThroughSymlink(t *testing.T) {
	parent := t.TempDir()
	root, outside := filepath.Join(parent, "root"), filepath.Join(parent, "outside")
	os.MkdirAll(outside, 0o755)
	os.MkdirAll(filepath.Join(root, "usr/lib"), 0o755)
	os.Symlink(outside, filepath.Join(root, "opt"))
	os.Symlink("usr/lib", filepath.Join(root, "lib"))

	s := genPkg("x", "1", 4)
	p := step{install: []spec{s}}.plan(t, root)
	if tx, err := openDB(t, root, Options{}).Begin(context.Background(), p); err == nil {
		tx.Close()
		t.Fatalf("Begin installing under opt -> outside = nil; want an error")
	}
	assertEmpty(t, outside)

	// A relative symlink that stays inside the root is followed.
	in := spec{name: "y", version: "1", files: []sfile{{path: "lib/liby.so", typ: TypeFile, content: "elf", mode: 0o755}}}
	runTx(t, root, step{install: []spec{in}}.plan(t, root))
	assertContent(t, filepath.Join(root, "usr/lib/liby.so"), "elf")
	if probs, err := openDB(t, root, Options{}).Verify("y"); err != nil || len(probs) != 0 {
		t.Errorf("Verify(y) = %v, %v; want clean", probs, err)
	}
}
