package build

import (
	"os"
	"path/filepath"
	"testing"
)

func TestHasMediaCheck(t *testing.T) {
	for _, tt := range []struct {
		name  string
		setup func(t *testing.T, root string)
		want  bool
	}{
		{"absent", func(*testing.T, string) {}, false},
		{"in usr-bin", func(t *testing.T, root string) { touch(t, filepath.Join(root, "usr/bin/checkisomd5")) }, true},
		{"directory", func(t *testing.T, root string) {
			if err := os.MkdirAll(filepath.Join(root, "usr/bin/checkisomd5"), 0o755); err != nil {
				t.Fatal(err)
			}
		}, false},
		// An absolute /usr link must resolve inside the root, never on
		// the host (whose /usr/bin may have checkisomd5).
		{"absolute usr link", func(t *testing.T, root string) {
			touch(t, filepath.Join(root, "real/bin/checkisomd5"))
			if err := os.Symlink("/real", filepath.Join(root, "usr")); err != nil {
				t.Fatal(err)
			}
		}, true},
		{"link to host", func(t *testing.T, root string) {
			if err := os.Symlink("/nonexistent-levitate", filepath.Join(root, "usr")); err != nil {
				t.Fatal(err)
			}
		}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			tt.setup(t, root)
			got, err := hasMediaCheck(root)
			if err != nil || got != tt.want {
				t.Errorf("hasMediaCheck(%s) = %v, %v; want %v, nil", tt.name, got, err, tt.want)
			}
		})
	}
}
