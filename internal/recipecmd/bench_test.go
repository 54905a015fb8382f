package recipecmd

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/levitateos/levitate/internal/recipe/recipegen"
)

// benchDir writes n generated recipes (and the base tools they depend on)
// into a temporary directory.
func benchDir(b *testing.B, n int) string {
	b.Helper()
	dir := b.TempDir()
	if err := recipegen.WriteDir(dir, n, 1); err != nil {
		b.Fatal(err)
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
