package store

import (
	"context"
	"fmt"
	"os"
	"path"
	"strings"
	"testing"
)

// writeRecords puts n records of files files each straight into the
// database of root, without the files themselves: enough for queries.
func writeRecords(b *testing.B, root string, n, files int) {
	b.Helper()
	r, err := os.OpenRoot(root)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	if err := r.MkdirAll(path.Join(dbDir, installedDir), 0o755); err != nil {
		b.Fatal(err)
	}
	sum := strings.Repeat("5e", 32)
	for i := range n {
		name := fmt.Sprintf("pkg%03d", i)
		rec := &Record{Meta: Meta{Name: name, Version: "1.2.3-1", Reason: Explicit, Depends: []string{"glibc", "zlib"},
			RecipeSHA256: sum}}
		for j := range files {
			rec.Files = append(rec.Files, File{Path: fmt.Sprintf("usr/share/%s/dir%02d/file%03d.txt", name, j/50, j),
				Type: TypeFile, Mode: 0o644, Size: 1234, SHA256: sum})
		}
		data, err := encodeRecord(rec)
		if err != nil {
			b.Fatal(err)
		}
		if err := writeAtomic(r, recordPath(name), data, false); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpenLookup is the database's part of a warm no-op
// "recipe install X": open the database of a root with 200 packages of 500
// files each and check that X is installed.
func BenchmarkOpenLookup(b *testing.B) {
	root := b.TempDir()
	writeRecords(b, root, 200, 500)
	b.ResetTimer()
	for b.Loop() {
		db, err := Open(root, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if m, err := db.Lookup("pkg150"); err != nil || m.Version != "1.2.3-1" {
			b.Fatalf("Lookup(pkg150) = %v, %v", m, err)
		}
		db.Close()
	}
}

// BenchmarkOpenGet is BenchmarkOpenLookup with the file list decoded.
func BenchmarkOpenGet(b *testing.B) {
	root := b.TempDir()
	writeRecords(b, root, 200, 500)
	b.ResetTimer()
	for b.Loop() {
		db, err := Open(root, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if r, err := db.Get("pkg150"); err != nil || len(r.Files) != 500 {
			b.Fatalf("Get(pkg150) = %v", err)
		}
		db.Close()
	}
}

// BenchmarkOwner builds the owner index of 200 x 500 files.
func BenchmarkOwner(b *testing.B) {
	root := b.TempDir()
	writeRecords(b, root, 200, 500)
	b.ResetTimer()
	for b.Loop() {
		db, err := Open(root, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if o, err := db.Owner("usr/share/pkg007/dir01/file077.txt"); err != nil || len(o) != 1 {
			b.Fatalf("Owner = %v, %v", o, err)
		}
		db.Close()
	}
}

// BenchmarkCommit200 installs 200 small staged packages in one
// transaction, with full durability (the figure the issue sets: < 5 s).
func BenchmarkCommit200(b *testing.B) { benchCommit(b, Options{}) }

// BenchmarkCommit200NoSync is the same without fsync/syncfs.
func BenchmarkCommit200NoSync(b *testing.B) { benchCommit(b, Options{NoSync: true}) }

func benchCommit(b *testing.B, opts Options) {
	for b.Loop() {
		b.StopTimer()
		root := b.TempDir()
		var p Plan
		for i := range 200 {
			p.Install = append(p.Install, genPkg(fmt.Sprintf("p%03d", i), "1", 5).stage(b, root))
		}
		b.StartTimer()
		db, err := Open(root, opts)
		if err != nil {
			b.Fatal(err)
		}
		tx, err := db.Begin(context.Background(), p)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Commit(context.Background()); err != nil {
			b.Fatal(err)
		}
		tx.Close()
		db.Close()
	}
}
