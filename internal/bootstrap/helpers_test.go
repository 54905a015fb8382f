package bootstrap

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/levitateos/levitate/internal/bootstrap/testrepo"
	"github.com/levitateos/levitate/internal/closure"
	"github.com/levitateos/levitate/internal/recipe"
	"github.com/levitateos/levitate/internal/source"
)

// needTools skips when a tool is missing outside CI; in CI it fails.
func needTools(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "" {
				t.Skipf("%s not installed", tool)
			}
			t.Fatalf("%s not installed (CI): %v", tool, err)
		}
	}
	if os.Geteuid() != 0 {
		if os.Getenv("CI") == "" {
			t.Skip("needs root (mount namespaces, chroot)")
		}
		t.Fatal("needs root in CI")
	}
}

// fixture is the test repository and its recipes, opened.
type fixture struct {
	repoDir    string
	recipesDir string
	src        source.Source
	inputs     []closure.Input
	recipes    map[string]*recipe.Recipe
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	busybox, err := exec.LookPath("busybox")
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("busybox (busybox-static) not installed")
		}
		t.Fatal(err)
	}
	dir := t.TempDir()
	repoDir, recDir := filepath.Join(dir, "repo"), filepath.Join(dir, "recipes")
	if err := os.Mkdir(recDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := testrepo.WriteRepo(repoDir, busybox); err != nil {
		t.Fatal(err)
	}
	if err := testrepo.WriteRecipes(recDir); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	src, err := source.Open(ctx, repoDir, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Close() })
	ix, err := src.Index(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rs, diags := recipe.LoadDir(recDir)
	for _, d := range diags {
		if d.Severity == recipe.Error {
			t.Fatalf("test recipe: %s", d)
		}
	}
	f := &fixture{repoDir: repoDir, recipesDir: recDir, src: src, recipes: map[string]*recipe.Recipe{},
		inputs: []closure.Input{{ID: src.ID(), Priority: 1, Index: ix}}}
	for _, r := range rs {
		f.recipes[r.Name] = r
	}
	return f
}

// groups returns explicit groups for names, in order.
func (f *fixture) groups(t *testing.T, names ...string) []Group {
	t.Helper()
	var gs []Group
	for _, n := range names {
		r, ok := f.recipes[n]
		if !ok {
			t.Fatalf("no test recipe %q", n)
		}
		gs = append(gs, Group{Recipe: r, Explicit: true})
	}
	return gs
}

func (f *fixture) options(target string) Options {
	return Options{
		Target:     target,
		RecipesDir: f.recipesDir,
		Fetch: func(ctx context.Context, e closure.Entry, dir string) (string, error) {
			return f.src.Fetch(ctx, e.Pkg, dir)
		},
	}
}
