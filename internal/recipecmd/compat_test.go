package recipecmd

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// compatDir holds the original project's 26 example recipes. The
// compatibility promise: all pass check (warnings allowed), and info and
// deps work on all of them with the nested deps read.
const compatDir = "../recipe/testdata/compat"

func compatRecipes(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(compatDir, "*.recipe"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 26 {
		t.Fatalf("%s holds %d recipes; want the original 26", compatDir, len(files))
	}
	return files
}

func TestCompat(t *testing.T) {
	var all strings.Builder
	for _, f := range compatRecipes(t) {
		name := strings.TrimSuffix(filepath.Base(f), ".recipe")
		t.Run(name, func(t *testing.T) {
			r := runCLI(t, "", "check", f)
			if r.code != ExitOK || strings.Contains(r.stdout, ": error: ") {
				t.Errorf("recipe check %s = exit %d\n%s; want exit 0 and warnings only", f, r.code, r.stdout)
			}
			for _, args := range [][]string{{"info", name}, {"deps", name}, {"deps", "--reverse", name}, {"install", "-n", name}} {
				args = append([]string{"--recipes", compatDir}, args...)
				r := runCLI(t, "", args...)
				if r.code != ExitOK || r.stderr != "" || r.stdout == "" {
					t.Errorf("recipe %q = exit %d, stderr %q; want exit 0, output and no complaint", args, r.code, r.stderr)
				}
				if strings.Contains(r.stdout, "(missing)") {
					t.Errorf("recipe %q: a dependency is missing from the compat set:\n%s", args, r.stdout)
				}
				all.WriteString("$ recipe " + strings.Join(args[2:], " ") + "\n" + r.stdout)
			}
		})
	}
	golden(t, "compat", all.String())
}

// TestCompatNestedDeps checks that the nested (deps (build ...) (runtime
// ...)) form, which the original implementation dropped, is read.
func TestCompatNestedDeps(t *testing.T) {
	tests := []struct {
		name           string
		build, runtime []string
	}{
		{"foot", []string{"meson", "ninja", "pkg-config"}, []string{"wayland", "wayland-protocols", "libxkbcommon"}},
		{"sway", []string{"meson", "ninja", "pkg-config"}, []string{"wlroots", "wayland", "wayland-protocols", "libxkbcommon", "libinput", "seatd"}},
		{"redis", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var info infoJSON
			decodeJSON(t, &info, ExitOK, "--recipes", compatDir, "--json", "info", tt.name)
			if got := depNames(info.BuildDeps); !slices.Equal(got, tt.build) {
				t.Errorf("info %s build deps = %v; want %v", tt.name, got, tt.build)
			}
			if got := depNames(info.RuntimeDeps); !slices.Equal(got, tt.runtime) {
				t.Errorf("info %s runtime deps = %v; want %v", tt.name, got, tt.runtime)
			}

			var tree treeJSON
			decodeJSON(t, &tree, ExitOK, "--recipes", compatDir, "--json", "deps", tt.name)
			var build, runtime []string
			for _, c := range tree.Deps {
				if c.Kind == "build" {
					build = append(build, c.Name)
				} else {
					runtime = append(runtime, c.Name)
				}
			}
			if !slices.Equal(build, tt.build) || !slices.Equal(runtime, tt.runtime) {
				t.Errorf("deps %s = build %v, runtime %v; want %v, %v", tt.name, build, runtime, tt.build, tt.runtime)
			}
		})
	}
}

func depNames(ds []depJSON) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Name)
	}
	return out
}

// TestCompatCheckAll checks the whole directory at once, as a user would.
func TestCompatCheckAll(t *testing.T) {
	var got checkJSON
	decodeJSON(t, &got, ExitOK, "--json", "check", compatDir)
	if got.Files != 26 || got.Errors != 0 {
		t.Errorf("check --json %s = %d files, %d errors; want 26 files, 0 errors", compatDir, got.Files, got.Errors)
	}
}
