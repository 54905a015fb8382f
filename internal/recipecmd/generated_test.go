package recipecmd

import (
	"testing"

	"github.com/levitateos/levitate/internal/recipe/recipegen"
)

// TestGeneratedSetResolves checks that a generated directory is complete:
// deps and install --dry-run succeed on it without stub recipes, for
// packages with and without features, and for the base tools themselves.
func TestGeneratedSetResolves(t *testing.T) {
	dir := t.TempDir()
	if err := recipegen.WriteDir(dir, 200, 3); err != nil {
		t.Fatal(err)
	}
	names := append([]string{recipegen.Name(0), recipegen.Name(199)}, recipegen.BaseNames()...)
	for i := 150; i < 200; i += 7 {
		names = append(names, recipegen.Name(i))
	}
	for _, name := range names {
		for _, cmd := range [][]string{{"deps", name}, {"install", "-n", name}} {
			args := append([]string{"--recipes", dir}, cmd...)
			t.Run(cmd[0]+"/"+name, func(t *testing.T) {
				if r := runCLI(t, "", args...); r.code != ExitOK || r.stderr != "" {
					t.Errorf("recipe %v = exit %d, stderr %q; want exit 0 and no stderr", args, r.code, r.stderr)
				}
			})
		}
	}
}
