package recipecmd

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// result is what one in-process run of the program produced.
type result struct {
	stdout, stderr string
	code           int
}

// runCLI runs the program in-process with args and stdin.
func runCLI(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return result{stdout: out.String(), stderr: errb.String(), code: code}
}

// durations matches the timings printed with -v, which vary between runs.
var durations = regexp.MustCompile(` in [0-9.]+(ns|µs|ms|s)\b`)

// transcript renders a result for a golden file.
func (r result) transcript() string {
	stderr := durations.ReplaceAllString(r.stderr, " in DURATION")
	return fmt.Sprintf("%s-- stderr --\n%s-- exit %d --\n", r.stdout, stderr, r.code)
}

// golden compares got with testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run go test -update to create it): %v", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (go test -update rewrites it):\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

const (
	recipesDir = "testdata/recipes"
	cycleDir   = "testdata/cycle"
	brokenDir  = "testdata/broken"
)

// TestGolden runs each command on the small testdata recipe sets and
// compares stdout, stderr and the exit code with a golden transcript.
func TestGolden(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"list", []string{"--recipes", recipesDir, "list"}, ExitOK},
		{"list-json", []string{"--recipes", recipesDir, "list", "--json"}, ExitOK},
		{"list-broken", []string{"--recipes", brokenDir, "list"}, ExitOK},
		{"list-broken-verbose", []string{"--recipes", brokenDir, "-v", "list"}, ExitOK},
		{"info-app", []string{"--recipes", recipesDir, "info", "app"}, ExitOK},
		{"info-app-json", []string{"--recipes", recipesDir, "--json", "info", "app"}, ExitOK},
		{"info-pkgconf", []string{"--recipes", recipesDir, "info", "pkgconf"}, ExitOK},
		{"info-make", []string{"--recipes", recipesDir, "info", "make"}, ExitOK},
		{"info-libfoo", []string{"--recipes", recipesDir, "info", "libfoo"}, ExitOK},
		{"info-subpackage", []string{"--recipes", recipesDir, "info", "libfoo-dev"}, ExitOK},
		{"install-subpackage", []string{"--recipes", recipesDir, "install", "-n", "libfoo-dev"}, ExitOK},
		{"info-unknown", []string{"--recipes", recipesDir, "info", "libfo"}, ExitFailure},
		{"deps-app", []string{"--recipes", recipesDir, "deps", "app"}, ExitOK},
		{"deps-app-features", []string{"--recipes", recipesDir, "deps", "app[tls,-gui]"}, ExitOK},
		{"deps-app-runtime", []string{"--recipes", recipesDir, "deps", "--runtime", "app"}, ExitOK},
		{"deps-app-json", []string{"--recipes", recipesDir, "deps", "--json", "app"}, ExitOK},
		{"deps-reverse", []string{"--recipes", recipesDir, "deps", "--reverse", "zlib"}, ExitOK},
		{"deps-reverse-json", []string{"--recipes", recipesDir, "deps", "-r", "--json", "libfoo"}, ExitOK},
		{"deps-provided", []string{"--recipes", recipesDir, "deps", "pkg-config"}, ExitOK},
		{"deps-reverse-provider", []string{"--recipes", recipesDir, "deps", "--reverse", "pkgconf"}, ExitOK},
		{"deps-reverse-unknown", []string{"--recipes", recipesDir, "deps", "--reverse", "zlb"}, ExitFailure},
		{"deps-constraint", []string{"--recipes", recipesDir, "deps", "zlib >= 1"}, ExitUsage},
		{"deps-cycle", []string{"--recipes", cycleDir, "deps", "a"}, ExitOK},
		{"deps-unknown", []string{"--recipes", recipesDir, "deps", "zlb"}, ExitFailure},
		{"deps-bad-feature", []string{"--recipes", recipesDir, "deps", "app[wayland]"}, ExitFailure},
		{"search", []string{"--recipes", recipesDir, "search", "LIB"}, ExitOK},
		{"search-description", []string{"--recipes", recipesDir, "search", "graphical"}, ExitOK},
		{"search-json", []string{"--recipes", recipesDir, "search", "--json", "tls"}, ExitOK},
		{"search-none", []string{"--recipes", recipesDir, "search", "nothing-like-this"}, ExitFailure},
		{"check-ok", []string{"check", recipesDir}, ExitOK},
		{"check-strict", []string{"check", "--strict", recipesDir}, ExitInvalid},
		{"check-broken", []string{"check", brokenDir}, ExitInvalid},
		{"check-broken-json", []string{"check", "--json", brokenDir + "/bad.recipe", brokenDir + "/zlib.recipe"}, ExitInvalid},
		{"check-default-dir", []string{"--recipes", cycleDir, "check"}, ExitOK},
		{"check-missing-file", []string{"check", "testdata/nope.recipe"}, ExitFailure},
		{"install-plan", []string{"--recipes", recipesDir, "install", "--dry-run", "app"}, ExitOK},
		{"install-plan-features", []string{"--recipes", recipesDir, "install", "-n", "app[tls,-gui]", "zlib >= 1.3"}, ExitOK},
		{"install-plan-json", []string{"--recipes", recipesDir, "--json", "install", "-n", "app"}, ExitOK},
		{"install-unsatisfiable", []string{"--recipes", recipesDir, "install", "-n", "app", "oldapp"}, ExitFailure},
		{"install-unsatisfiable-json", []string{"--recipes", recipesDir, "--json", "install", "-n", "app", "oldapp"}, ExitFailure},
		{"install-constraint", []string{"--recipes", recipesDir, "install", "-n", "zlib >= 2"}, ExitFailure},
		{"install-cycle", []string{"--recipes", cycleDir, "install", "-n", "a"}, ExitFailure},
		{"install-cycle-json", []string{"--recipes", cycleDir, "--json", "install", "-n", "b"}, ExitFailure},
		{"install-unknown", []string{"--recipes", recipesDir, "install", "-n", "ap"}, ExitFailure},
		{"install-real", []string{"--recipes", recipesDir, "--root", "@ROOT@", "install", "app"}, ExitFailure},
		{"install-bad-arg", []string{"--recipes", recipesDir, "install", "-n", "app[gui"}, ExitUsage},
		{"usage-unknown-command", []string{"lst"}, ExitUsage},
		{"usage-unknown-flag", []string{"list", "--bogus"}, ExitUsage},
		{"usage-missing-arg", []string{"info"}, ExitUsage},
		{"usage-extra-arg", []string{"search", "a", "b"}, ExitUsage},
		{"usage-install-no-args", []string{"install", "-n"}, ExitUsage},
		{"usage-fmt-json", []string{"--json", "fmt", "x.recipe"}, ExitUsage},
		{"missing-dir", []string{"--recipes", "testdata/no-such-dir", "list"}, ExitFailure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A real install never runs against the host: @ROOT@ is a
			// fresh directory.
			args := slices.Clone(tt.args)
			for i, a := range args {
				if a == "@ROOT@" {
					args[i] = t.TempDir()
				}
			}
			r := runCLI(t, "", args...)
			if r.code != tt.code {
				t.Errorf("recipe %q exit = %d; want %d\nstderr:\n%s", tt.args, r.code, tt.code, r.stderr)
			}
			golden(t, tt.name, r.transcript())
		})
	}
}

// TestHelp checks that every command answers -h with its usage, exit 0.
func TestHelp(t *testing.T) {
	for _, cmd := range []string{"", "list", "info", "deps", "search", "check", "fmt", "install", "remove", "upgrade", "owns", "verify"} {
		t.Run(cmd, func(t *testing.T) {
			args := []string{"-h"}
			if cmd != "" {
				args = []string{cmd, "-h"}
			}
			r := runCLI(t, "", args...)
			if r.code != ExitOK || !strings.Contains(r.stdout, "Usage:") || !strings.Contains(r.stdout, "--recipes") {
				t.Errorf("recipe %q = exit %d, stdout:\n%s\nwant exit 0 and usage with the global flags", args, r.code, r.stdout)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	r := runCLI(t, "", "--version")
	if r.code != ExitOK || !strings.HasPrefix(r.stdout, "recipe version ") {
		t.Errorf("recipe --version = exit %d, %q; want exit 0, \"recipe version ...\"", r.code, r.stdout)
	}
}

func TestRecipeDirEnv(t *testing.T) {
	t.Setenv(RecipesDirEnv, cycleDir)
	r := runCLI(t, "", "list")
	want := "a  1.0  Cycle member a\nb  1.0  Cycle member b\nc  1.0  Cycle member c\n"
	if r.code != ExitOK || r.stdout != want {
		t.Errorf("RECIPE_DIR=%s recipe list = exit %d, %q; want 0, %q", cycleDir, r.code, r.stdout, want)
	}
	r = runCLI(t, "", "--recipes", recipesDir, "search", "zlib")
	if r.code != ExitOK || !strings.HasPrefix(r.stdout, "zlib ") {
		t.Errorf("--recipes over RECIPE_DIR: search zlib = exit %d, %q; want the zlib of %s", r.code, r.stdout, recipesDir)
	}
}
