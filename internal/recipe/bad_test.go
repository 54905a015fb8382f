package recipe

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBadRecipes decodes each broken recipe under testdata/bad. Every
// "; want: MSG" line at the top of a file names a diagnostic that must be
// reported with exactly that message; the full list, with positions, is
// the golden file.
func TestBadRecipes(t *testing.T) {
	files, _ := filepath.Glob("testdata/bad/*.recipe")
	if len(files) < 30 {
		t.Fatalf("got %d bad recipes; want at least 30", len(files))
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".recipe")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			r, diags := Decode(filepath.Base(f), src)
			if len(diags) == 0 {
				t.Fatalf("Decode(%s) = no diagnostics", f)
			}
			var wants []string
			for _, line := range strings.Split(string(src), "\n") {
				if w, ok := strings.CutPrefix(line, "; want: "); ok {
					wants = append(wants, w)
				}
			}
			if len(wants) == 0 {
				t.Fatalf("%s has no '; want:' line", f)
			}
			for _, w := range wants {
				found := false
				for _, d := range diags {
					found = found || d.Msg == w
				}
				if !found {
					t.Errorf("Decode(%s): no diagnostic %q; got:\n%v", f, w, diags)
				}
			}
			if !strings.HasPrefix(name, "missing-hash") && !strings.HasPrefix(name, "file-name-mismatch") && !diags.HasErrors() {
				t.Errorf("Decode(%s) has no error; got:\n%v", f, diags)
			}
			checkGolden(t, filepath.Join("testdata/golden/bad", name+".golden"), summarizeDiags(r, diags))
		})
	}
}

// summarizeDiags prints the diagnostics of a broken recipe.
func summarizeDiags(r *Recipe, diags Diagnostics) string {
	var b strings.Builder
	if r == nil {
		b.WriteString("recipe: nil\n")
	}
	for _, d := range diags {
		b.WriteString(d.String() + "\n")
	}
	return b.String()
}
