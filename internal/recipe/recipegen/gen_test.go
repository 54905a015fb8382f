package recipegen

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteDirDeterministic(t *testing.T) {
	a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
	for _, d := range []struct {
		dir  string
		seed int64
	}{{a, 7}, {b, 7}, {c, 8}} {
		if err := WriteDir(d.dir, 40, d.seed); err != nil {
			t.Fatal(err)
		}
	}
	files, _ := filepath.Glob(filepath.Join(a, "*.recipe"))
	if want := 40 + len(BaseNames()); len(files) != want {
		t.Fatalf("WriteDir(40) wrote %d files; want %d", len(files), want)
	}
	differs := false
	for _, f := range files {
		x, _ := os.ReadFile(f)
		y, _ := os.ReadFile(filepath.Join(b, filepath.Base(f)))
		z, _ := os.ReadFile(filepath.Join(c, filepath.Base(f)))
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs with seed 7", filepath.Base(f))
		}
		differs = differs || !bytes.Equal(x, z)
	}
	if !differs {
		t.Errorf("seeds 7 and 8 wrote the same files; want different ones")
	}
}

func TestWriteDirError(t *testing.T) {
	if err := WriteDir(filepath.Join(t.TempDir(), "missing"), 1, 1); err == nil {
		t.Errorf("WriteDir(missing dir) = nil; want an error")
	}
}
