package bootstrap

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMakeSkeleton(t *testing.T) {
	target := t.TempDir()
	if err := makeSkeleton(target); err != nil {
		t.Fatal(err)
	}
	for _, n := range skeleton() {
		p := filepath.Join(target, n.path)
		fi, err := os.Lstat(p)
		if err != nil {
			t.Errorf("%s: %v", n.path, err)
			continue
		}
		if n.target != "" {
			if got, _ := os.Readlink(p); got != n.target {
				t.Errorf("readlink %s = %q; want %q", n.path, got, n.target)
			}
			continue
		}
		if got := fi.Mode() & (fs.ModePerm | fs.ModeSticky); got != n.mode {
			t.Errorf("mode of %s = %v; want %v", n.path, got, n.mode)
		}
	}
	// Idempotent: a second run over an existing hierarchy is fine.
	if err := makeSkeleton(target); err != nil {
		t.Errorf("second makeSkeleton = %v; want nil", err)
	}
}

func TestMakeSkeletonWrongType(t *testing.T) {
	target := t.TempDir()
	if err := os.Mkdir(filepath.Join(target, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(target, "tmp"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	err := makeSkeleton(target)
	for _, w := range []string{"bin: exists and is not a symlink", "tmp: exists and is not a directory"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("makeSkeleton error = %v; want it to contain %q", err, w)
		}
	}
}
