package build

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/levitateos/levitate/internal/boot"
	"github.com/levitateos/levitate/internal/profile"
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

func TestMediaCheckTools(t *testing.T) {
	for _, tt := range []struct {
		pkgs []string
		want []string
	}{
		{[]string{"kernel", "isomd5sum"}, []string{boot.ImplantTool}},
		{[]string{"kernel"}, nil},
	} {
		p := &profile.Profile{}
		for _, n := range tt.pkgs {
			p.Packages = append(p.Packages, profile.Package{Name: n})
		}
		if got := mediaCheckTools(p); !slices.Equal(got, tt.want) {
			t.Errorf("mediaCheckTools(%v) = %v; want %v", tt.pkgs, got, tt.want)
		}
	}
	if got := mediaCheckTools(nil); got != nil {
		t.Errorf("mediaCheckTools(nil) = %v; want nil", got)
	}
}

func TestNeedImplant(t *testing.T) {
	missing := func(string) (string, error) { return "", errors.New("not found") }
	found := func(n string) (string, error) { return "/usr/bin/" + n, nil }
	if err := needImplant(found); err != nil {
		t.Errorf("needImplant(found) = %v; want nil", err)
	}
	err := needImplant(missing)
	if err == nil || !strings.Contains(err.Error(), "implantisomd5 is not on PATH (Debian: isomd5sum, Rocky: isomd5sum)") {
		t.Errorf("needImplant(missing) = %v; want the tool and its packages named", err)
	}
}
