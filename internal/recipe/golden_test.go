package recipe

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// checkGolden compares got with the golden file, or rewrites it with -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(name)
	if err != nil {
		t.Fatalf("read golden (run go test -update to create it): %v", err)
	}
	if got != string(want) {
		t.Errorf("%s differs; got:\n%s\nwant:\n%s", name, got, want)
	}
}

func compatFiles(t testing.TB) []string {
	files, err := filepath.Glob("testdata/compat/*.recipe")
	if err != nil || len(files) != 26 {
		t.Fatalf("compat recipes: got %d files (%v); want 26", len(files), err)
	}
	return files
}

// TestCompat decodes the original project's 26 example recipes: none may
// have an error, and each decodes to its reviewed golden summary (which
// lists its warnings).
func TestCompat(t *testing.T) {
	for _, f := range compatFiles(t) {
		name := strings.TrimSuffix(filepath.Base(f), ".recipe")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			r, diags := Decode(filepath.Base(f), src)
			if diags.HasErrors() || r == nil {
				t.Fatalf("Decode(%s) errors:\n%v", f, diags)
			}
			checkGolden(t, filepath.Join("testdata/golden", name+".golden"), summarize(r, diags))
		})
	}
}

// TestCompatKeyFacts checks, independently of the goldens, the two defects
// of the original implementation: dropped nested deps and dropped build
// steps after (extract ...).
func TestCompatKeyFacts(t *testing.T) {
	load := func(name string) *Recipe {
		src, err := os.ReadFile("testdata/compat/" + name + ".recipe")
		if err != nil {
			t.Fatal(err)
		}
		r, diags := Decode(name+".recipe", src)
		if r == nil || diags.HasErrors() {
			t.Fatalf("Decode(%s): %v", name, diags)
		}
		return r
	}
	foot := load("foot")
	var build, runtime []string
	for _, d := range foot.Deps {
		if d.Kind == Build {
			build = append(build, d.Name)
		} else {
			runtime = append(runtime, d.Name)
		}
	}
	if got, want := strings.Join(build, " "), "meson ninja pkg-config"; got != want {
		t.Errorf("foot build deps = %q; want %q", got, want)
	}
	if got, want := strings.Join(runtime, " "), "wayland wayland-protocols libxkbcommon"; got != want {
		t.Errorf("foot runtime deps = %q; want %q", got, want)
	}
	cmake := load("cmake")
	if len(cmake.Build) != 3 || cmake.Build[0].Kind != BuildExtract || cmake.Build[2].Kind != BuildRun {
		t.Errorf("cmake build = %+v; want extract and two run steps", cmake.Build)
	}
	if rg := load("ripgrep"); rg.Start == nil || strings.Join(rg.Start.Argv, " ") != "rg $@" {
		t.Errorf("ripgrep start = %+v; want exec rg $@", rg.Start)
	}
}
