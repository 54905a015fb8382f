package recipecmd

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/levitateos/levitate/internal/recipe"
	"github.com/levitateos/levitate/internal/recipe/recipegen"
)

// TestSearchMatchesFullLoad checks that the prefiltered search finds
// exactly what filtering fully decoded recipes finds.
func TestSearchMatchesFullLoad(t *testing.T) {
	gen := t.TempDir()
	if err := recipegen.WriteDir(gen, 300, 7); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{gen, compatDir, recipesDir} {
		rs, diags := recipe.LoadDir(dir)
		if diags.HasErrors() {
			t.Fatalf("LoadDir(%s): %v", dir, diags)
		}
		for _, q := range []string{"curl", "WAYLAND", "lib", "a", "Synthetic package number 12", "zzz", "-", "rust-"} {
			var want []string
			for _, r := range search(rs, q) {
				want = append(want, r.Name)
			}
			slices.Sort(want)
			a := &app{stdout: &strings.Builder{}, stderr: &strings.Builder{}, opts: globals{recipesDir: dir}}
			hits, err := a.searchDir(q)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range hits {
				got = append(got, r.Name)
			}
			if !slices.Equal(got, want) {
				t.Errorf("searchDir(%s, %q) = %v; want %v", dir, q, got, want)
			}
		}
	}
}

func TestSearchEdgeCases(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"escaped.recipe": `(package "escaped" "1.0" (description "Tiny \x57idget kit") (license "MIT"))`,
		"unicode.recipe": `(package "unicode" "1.0" (description "Ärger-frei CAFÉ") (license "MIT"))`,
		"broken.recipe":  `(package "broken" "1.0" (description "a widget, unterminated)`,
		"other.recipe":   `(package "other" "1.0" (description "nothing to see" (license "MIT"))`,
		// Larger than the read buffer of searchDir.
		"big.recipe": "; " + strings.Repeat("x", readBufSize) + "\n" + `(package "big" "1.0" (description "Huge file") (license "MIT"))`,
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		query  string
		code   int
		stdout string
		stderr string
	}{
		{"widget", ExitOK, "escaped  1.0  Tiny Widget kit\n", "broken.recipe:1:38: error: unterminated string"},
		{"café", ExitOK, "unicode  1.0  Ärger-frei CAFÉ\n", ""},
		{"ÄRGER", ExitOK, "unicode  1.0  Ärger-frei CAFÉ\n", ""},
		{"nothing", ExitFailure, "", "other.recipe"},
		{"HUGE", ExitOK, "big  1.0  Huge file\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			r := runCLI(t, "", "--recipes", dir, "search", tt.query)
			if r.code != tt.code || r.stdout != tt.stdout || !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("search %q = exit %d, %q, stderr %q; want exit %d, %q, stderr containing %q", tt.query, r.code, r.stdout, r.stderr, tt.code, tt.stdout, tt.stderr)
			}
		})
	}
}

func TestContainsFold(t *testing.T) {
	tests := []struct {
		s, needle string
		want      bool
	}{
		{"Wayland Compositor", "compositor", true},
		{"Wayland", "waylandx", false},
		{"", "", true},
		{"abc", "", true},
		{"aab", "ab", true},
		{"ÄRGER", "ärger", true},
		{"Kelvin", "kelvin", true},
		{"abc", "abd", false},
	}
	for _, tt := range tests {
		if got := containsFold(tt.s, tt.needle); got != tt.want {
			t.Errorf("containsFold(%q, %q) = %v; want %v", tt.s, tt.needle, got, tt.want)
		}
		if got := containsFoldBytes([]byte(tt.s), tt.needle); got != tt.want {
			t.Errorf("containsFoldBytes(%q, %q) = %v; want %v", tt.s, tt.needle, got, tt.want)
		}
	}
}
