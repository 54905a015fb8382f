package recipe

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/levitateos/levitate/internal/recipe/recipegen"
)

func TestLoadDirCompat(t *testing.T) {
	recipes, diags := LoadDir("testdata/compat")
	if diags.HasErrors() {
		t.Fatalf("LoadDir(compat) errors:\n%v", diags)
	}
	if len(recipes) != 26 {
		t.Fatalf("LoadDir(compat) = %d recipes; want 26", len(recipes))
	}
	for i := 1; i < len(recipes); i++ {
		if recipes[i-1].File >= recipes[i].File {
			t.Errorf("LoadDir order: %s before %s; want sorted by file", recipes[i-1].File, recipes[i].File)
		}
	}
	for _, d := range diags {
		if d.Severity != Warning {
			t.Errorf("unexpected diagnostic %v", d)
		}
	}
}

func TestLoadDirSkipsBrokenAndDuplicates(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"a.recipe":      "(package \"a\" \"1.0\" (description \"d\") (license \"MIT\"))",
		"b.recipe":      "(package \"b\" \"1.0\" (descripton \"d\") (license \"MIT\"))",
		"c.recipe":      "(package \"a\" \"2.0\" (description \"d\") (license \"MIT\"))",
		"notes.txt":     "not a recipe",
		"broken.recipe": "(package",
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	recipes, diags := LoadDir(dir)
	if len(recipes) != 1 || recipes[0].Name != "a" || recipes[0].Version != "1.0" {
		t.Fatalf("LoadDir = %d recipes; want only a 1.0", len(recipes))
	}
	got := diags.Error()
	for _, want := range []string{
		"b.recipe:1:21: error: unknown form \"descripton\" in package; did you mean \"description\"?",
		"broken.recipe:1:1: error: unterminated list",
		"c.recipe:1:10: error: package \"a\" is also defined at " + filepath.Join(dir, "a.recipe") + ":1:10",
		"c.recipe:1:10: warning: file name \"c.recipe\" does not match package name \"a\"",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("LoadDir diagnostics lack %q; got:\n%s", want, got)
		}
	}
}

func TestLoadDirUnreadable(t *testing.T) {
	dir := t.TempDir()
	big := "(package \"big\" \"1.0\" (description \"" + strings.Repeat("x", MaxFileSize) + "\"))"
	if err := os.WriteFile(filepath.Join(dir, "big.recipe"), []byte(big), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "subdir.recipe"), 0o755); err != nil {
		t.Fatal(err)
	}
	recipes, diags := LoadDir(dir)
	got := diags.Error()
	for _, want := range []string{
		"big.recipe: error: recipe file " + filepath.Join(dir, "big.recipe") + " is larger than 1048576 bytes",
		"subdir.recipe: error: read recipe: read " + filepath.Join(dir, "subdir.recipe") + ": is a directory",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("LoadDir diagnostics lack %q; got:\n%s", want, got)
		}
	}
	if len(recipes) != 0 {
		t.Errorf("LoadDir = %d recipes; want 0", len(recipes))
	}
}

func TestLoadDirMissing(t *testing.T) {
	_, diags := LoadDir(filepath.Join(t.TempDir(), "nope"))
	if !diags.HasErrors() || !strings.Contains(diags.Error(), "read recipe directory") {
		t.Errorf("LoadDir(missing) = %v; want a read error", diags)
	}
}

func TestGeneratedRecipesAreValid(t *testing.T) {
	dir := t.TempDir()
	if err := recipegen.WriteDir(dir, 300, 1); err != nil {
		t.Fatal(err)
	}
	recipes, diags := LoadDir(dir)
	if len(diags) != 0 || len(recipes) != 300+len(recipegen.BaseNames()) {
		t.Fatalf("LoadDir(generated) = %d recipes, diagnostics:\n%v", len(recipes), diags)
	}
	for _, r := range recipes {
		src, _ := os.ReadFile(r.File)
		if n := strings.Count(string(src), "\n"); n < 30 || n > 60 {
			t.Errorf("%s has %d lines; want 30 to 60", r.File, n)
		}
	}
}

func TestFormatFile(t *testing.T) {
	for _, f := range compatFiles(t) {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		once, err := FormatFile(src)
		if err != nil {
			t.Fatalf("FormatFile(%s): %v", f, err)
		}
		twice, err := FormatFile(once)
		if err != nil || string(once) != string(twice) {
			t.Errorf("FormatFile(%s) not idempotent (err %v)", f, err)
		}
		r1, _ := Decode("x.recipe", src)
		r2, d2 := Decode("x.recipe", once)
		if d2.HasErrors() || noPos(summarize(r1, nil)) != noPos(summarize(r2, nil)) {
			t.Errorf("formatting %s changed its meaning", f)
		}
	}
	if _, err := FormatFile([]byte("(a")); err == nil || err.Error() != "1:1: unterminated list: missing ')' (1 list(s) open at end of file)" {
		t.Errorf("FormatFile(\"(a\") error = %v", err)
	}
}

// noPos removes the positions from a summary.
func noPos(s string) string { return regexp.MustCompile(`\d+:\d+`).ReplaceAllString(s, "") }

func BenchmarkLoadDir5000(b *testing.B) {
	dir := b.TempDir()
	if err := recipegen.WriteDir(dir, 5000, 42); err != nil {
		b.Fatal(err)
	}
	// The machine is shared: report the CPU time used besides the wall
	// time, which other processes inflate.
	start := cpuTime()
	for b.Loop() {
		recipes, diags := LoadDir(dir)
		if len(recipes) != 5000+len(recipegen.BaseNames()) || diags.HasErrors() {
			b.Fatalf("LoadDir = %d recipes, %d diagnostics", len(recipes), len(diags))
		}
	}
	b.ReportMetric(float64((cpuTime()-start).Milliseconds())/float64(b.N), "cpu-ms/op")
}

// cpuTime returns the user and system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func FuzzDecode(f *testing.F) {
	for _, dir := range []string{"testdata/compat", "testdata/bad", "testdata/good"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.recipe"))
		for _, file := range files {
			src, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(src)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		r, diags := Decode("fuzz.recipe", src)
		if r == nil && len(diags) == 0 {
			t.Fatalf("Decode = nil recipe and no diagnostics")
		}
		for i := 1; i < len(diags); i++ {
			if diags[i].Pos.Before(diags[i-1].Pos) {
				t.Fatalf("diagnostics not sorted: %v", diags)
			}
		}
	})
}

// BenchmarkDecode5000 decodes the 5,000 generated recipes from memory: the
// cost of BenchmarkLoadDir5000 without the file system.
func BenchmarkDecode5000(b *testing.B) {
	dir := b.TempDir()
	if err := recipegen.WriteDir(dir, 5000, 42); err != nil {
		b.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.recipe"))
	srcs := make([][]byte, len(files))
	for i, f := range files {
		srcs[i], _ = os.ReadFile(f)
	}
	start := cpuTime()
	for b.Loop() {
		for i, src := range srcs {
			if _, diags := Decode(files[i], src); diags.HasErrors() {
				b.Fatal(diags)
			}
		}
	}
	b.ReportMetric(float64((cpuTime()-start).Milliseconds())/float64(b.N), "cpu-ms/op")
}
