package recipecmd

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/levitateos/levitate/internal/recipe/recipegen"
)

// benchDir writes n generated recipes into a temporary directory, with
// the tools they all depend on but recipegen does not generate.
func benchDir(b *testing.B, n int) string {
	b.Helper()
	dir := b.TempDir()
	if err := recipegen.WriteDir(dir, n, 1); err != nil {
		b.Fatal(err)
	}
	for _, name := range []string{"pkgconf", "meson", "ninja", "sphinx", "ncurses"} {
		src := fmt.Sprintf("(package %q \"2.0\" (description \"stub\") (license \"MIT\"))\n", name)
		if err := os.WriteFile(filepath.Join(dir, name+".recipe"), []byte(src), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return dir
}

// BenchmarkSearch is `recipe search` in-process over 5,000 recipes: the
// whole command minus process start-up.
func BenchmarkSearch(b *testing.B) {
	dir := benchDir(b, 5000)
	for _, q := range []string{"curl", "foo", "synthetic"} {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				code := Run(context.Background(), []string{"--recipes", dir, "search", q}, strings.NewReader(""), io.Discard, io.Discard)
				if code != ExitOK && code != ExitFailure {
					b.Fatalf("search %s: exit %d", q, code)
				}
			}
		})
	}
}

// BenchmarkInstallPlan resolves a plan over the 5,000 recipes, loading
// included.
func BenchmarkInstallPlan(b *testing.B) {
	dir := benchDir(b, 5000)
	for b.Loop() {
		if code := Run(context.Background(), []string{"--recipes", dir, "install", "-n", "curl-curl1010"}, strings.NewReader(""), io.Discard, io.Discard); code != ExitOK {
			b.Fatalf("install -n: exit %d", code)
		}
	}
}
