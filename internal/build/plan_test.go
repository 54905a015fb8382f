package build

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/levitateos/levitate/internal/profile"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// defaultProfileDir is the repository's default profile: the tests read
// it in place, so they follow every change to it.
const defaultProfileDir = "../../profiles/levitate"

// loadProfile loads the repository's default profile with its directory
// shown as /profiles/levitate and its recipes as /recipes, so output does
// not depend on the checkout.
func loadProfile(t *testing.T) *profile.Profile {
	t.Helper()
	p, err := profile.Load(defaultProfileDir)
	if err != nil {
		t.Fatalf("profile.Load: %v", err)
	}
	p.Dir = "/profiles/levitate"
	p.Settings.RecipesDir = "/recipes"
	return p
}

func testOptions(t *testing.T) Options {
	p := loadProfile(t)
	return Options{
		Profile: p, Settings: p.Settings, Sources: []profile.Source{{Location: "/media/Rocky-10-x86_64-minimal.iso"}},
		Out: "/out/levitateos.iso", Work: "/work", Lock: "/out/levitateos.iso.lock",
		ModuleDir: "/src", Epoch: -1,
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output:\n--- got\n%s--- want\n%s", path, got, want)
	}
}

func TestPlanPrintGolden(t *testing.T) {
	locked := testOptions(t)
	locked.Locked = true
	locked.Recipe = "/bin/recipe"
	zstd := testOptions(t)
	zstd.Settings.Compression = profile.Compression{Algo: "zstd", Level: 3}
	zstd.Settings.VerifySignatures = false
	zstd.StopAfter = StageOverlay
	tests := []struct {
		name string
		opts Options
	}{
		{"plan-default.txt", testOptions(t)},
		{"plan-locked.txt", locked},
		{"plan-stop-overlay.txt", zstd},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := NewPlan(tt.opts)
			if err != nil {
				t.Fatalf("NewPlan: %v", err)
			}
			var b bytes.Buffer
			if err := p.Print(&b); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name, b.Bytes())
		})
	}
}

func TestNewPlanErrors(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Options)
		want   []string
	}{
		{"empty", func(o *Options) { *o = Options{} }, []string{"no profile", "no source", "no output", "no work"}},
		{"locked without lock", func(o *Options) { o.Locked, o.Lock = true, "" }, []string{"--locked needs a lock file"}},
		{"unknown stop", func(o *Options) { o.StopAfter = "bogus" }, []string{`unknown stage "bogus"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := testOptions(t)
			tt.change(&o)
			_, err := NewPlan(o)
			if err == nil {
				t.Fatalf("NewPlan(%s) = nil error; want %q", tt.name, tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("NewPlan(%s) = %q; want it to contain %q", tt.name, err, w)
				}
			}
		})
	}
}

func TestPreflight(t *testing.T) {
	p, err := NewPlan(testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	none := func(string) (string, error) { return "", errors.New("not found") }
	err = p.Preflight(none)
	if err == nil {
		t.Fatal("Preflight(no tools) = nil; want the missing tools")
	}
	for _, tool := range []string{"rpm", "unshare", "mksquashfs", "xorriso", "mcopy", "grub-mkimage", "go"} {
		if !strings.Contains(err.Error(), tool) {
			t.Errorf("Preflight(no tools) = %q; want it to name %s", err, tool)
		}
	}
	all := func(n string) (string, error) { return "/usr/bin/" + n, nil }
	if err := p.Preflight(all); err != nil {
		t.Errorf("Preflight(all tools) = %v; want nil", err)
	}
}
