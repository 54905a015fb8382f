package archive

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// fuzzAbs is where absolute names in the fuzz seeds point; it must never
// come into existence.
const fuzzAbs = "/tmp/levitate-archive-fuzz-abs"

func FuzzExtractTar(f *testing.F) {
	for _, c := range hostileCorpus(f, fuzzAbs) {
		if c.format != Zip {
			f.Add(c.data)
		}
	}
	f.Add(goodTar(f))
	f.Add(compress(f, TarZst, goodTar(f)))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzOne(t, "fuzz.tar", data, "")
	})
}

func FuzzExtractZip(f *testing.F) {
	for _, c := range hostileCorpus(f, fuzzAbs) {
		if c.format == Zip {
			f.Add(c.data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzOne(t, "fuzz.zip", data, Zip)
	})
}

// fuzzOne extracts data and checks the invariants: nothing outside dst,
// nothing left in dst on error, and no symbolic link in dst that resolves
// outside of it.
func fuzzOne(t *testing.T, name string, data []byte, format Format) {
	parent := t.TempDir()
	dst := filepath.Join(parent, "dst")
	opts := Options{MaxTotal: 64 << 20, TempDir: parent}
	_, err := ExtractReader(context.Background(), name, bytes.NewReader(data), format, dst, opts)
	names, rerr := readNames(parent)
	if rerr != nil || len(names) > 1 || (len(names) == 1 && names[0] != "dst") {
		t.Fatalf("parent holds %v (%v); want at most dst", names, rerr)
	}
	if _, serr := os.Lstat(fuzzAbs); serr == nil {
		os.RemoveAll(fuzzAbs)
		t.Fatalf("%s was created", fuzzAbs)
	}
	if err != nil {
		var ae *Error
		if !errors.As(err, &ae) {
			t.Fatalf("error %v is not an *Error", err)
		}
		if _, serr := os.Lstat(dst); !errors.Is(serr, os.ErrNotExist) {
			t.Fatalf("after error %v, dst exists", err)
		}
		return
	}
	root, err := os.OpenRoot(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	filepath.WalkDir(dst, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.Type()&fs.ModeSymlink == 0 {
			return err
		}
		rel, _ := filepath.Rel(dst, p)
		// os.Root refuses to follow a link that leaves it; a missing
		// target is fine.
		if _, err := root.Stat(rel); err != nil && !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, errNotDir) {
			t.Errorf("symlink %s does not resolve inside dst: %v", rel, err)
		}
		return nil
	})
}

var errNotDir = fs.ErrInvalid
