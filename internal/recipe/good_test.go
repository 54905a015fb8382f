package recipe

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGoodRecipes decodes valid recipes that use every form: no errors,
// and a reviewed golden summary.
func TestGoodRecipes(t *testing.T) {
	files, _ := filepath.Glob("testdata/good/*.recipe")
	if len(files) == 0 {
		t.Fatal("no good recipes")
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".recipe")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			r, diags := Decode(filepath.Base(f), src)
			if r == nil || diags.HasErrors() {
				t.Fatalf("Decode(%s):\n%v", f, diags)
			}
			checkGolden(t, filepath.Join("testdata/golden/good", name+".golden"), summarize(r, diags))
		})
	}
}

// TestDocExample decodes the complete recipe that opens
// docs/recipe-format.md: the reference must not show a broken example.
func TestDocExample(t *testing.T) {
	doc, err := os.ReadFile("../../docs/recipe-format.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "```\n")
	block, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 || !strings.Contains(block, "(package ") {
		t.Fatalf("no example recipe in docs/recipe-format.md")
	}
	r, diags := Decode("ripgrep.recipe", []byte(block))
	if r == nil || len(diags) != 0 {
		t.Errorf("Decode(doc example) diagnostics:\n%v", diags)
	}
}
