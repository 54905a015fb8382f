package recipecmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const messy = "testdata/fmt/messy.recipe"

func TestFmtStdout(t *testing.T) {
	r := runCLI(t, "", "fmt", messy)
	if r.code != ExitOK {
		t.Fatalf("recipe fmt %s exit = %d; want 0\n%s", messy, r.code, r.stderr)
	}
	golden(t, "fmt-messy", r.stdout)

	// Idempotence: the formatted text formats to itself, from a file or stdin.
	again := runCLI(t, r.stdout, "fmt")
	if again.code != ExitOK || again.stdout != r.stdout {
		t.Errorf("recipe fmt (stdin) of formatted output = exit %d\n%s\nwant it unchanged:\n%s", again.code, again.stdout, r.stdout)
	}
	// The formatted recipe still decodes to the same package.
	dir := t.TempDir()
	out := filepath.Join(dir, "messy.recipe")
	writeFile(t, out, r.stdout, 0o644)
	if c := runCLI(t, "", "check", out); c.code != ExitOK || c.stdout != "" {
		t.Errorf("recipe check of formatted %s = exit %d\n%s; want 0 and nothing to say", messy, c.code, c.stdout)
	}
}

func TestFmtListWrite(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile(messy)
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "messy.recipe")
	writeFile(t, bad, string(src), 0o640)
	formatted := runCLI(t, "", "fmt", messy).stdout
	good := filepath.Join(dir, "good.recipe")
	writeFile(t, good, formatted, 0o600)

	r := runCLI(t, "", "fmt", "-l", good, bad)
	if r.code != ExitOK || r.stdout != bad+"\n" {
		t.Errorf("recipe fmt -l = exit %d, %q; want 0, %q", r.code, r.stdout, bad+"\n")
	}
	if got := readFile(t, bad); got != string(src) {
		t.Errorf("fmt -l changed %s", bad)
	}

	r = runCLI(t, "", "fmt", "-w", good, bad)
	if r.code != ExitOK || r.stdout != "" {
		t.Errorf("recipe fmt -w = exit %d, %q; want 0 and no output", r.code, r.stdout)
	}
	if got := readFile(t, bad); got != formatted {
		t.Errorf("fmt -w %s wrote:\n%s\nwant:\n%s", bad, got, formatted)
	}
	for name, mode := range map[string]os.FileMode{bad: 0o640, good: 0o600} {
		fi, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != mode {
			t.Errorf("fmt -w: mode of %s = %v; want %v", name, fi.Mode().Perm(), mode)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 {
		t.Errorf("fmt -w left files behind: %v", entries)
	}
}

func TestFmtWriteSymlink(t *testing.T) {
	dir := t.TempDir()
	src := readFile(t, messy)
	target := filepath.Join(dir, "real.recipe")
	writeFile(t, target, src, 0o644)
	link := filepath.Join(dir, "messy.recipe")
	if err := os.Symlink("real.recipe", link); err != nil {
		t.Fatal(err)
	}
	if r := runCLI(t, "", "fmt", "-w", link); r.code != ExitOK {
		t.Fatalf("recipe fmt -w %s = exit %d, %s", link, r.code, r.stderr)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("fmt -w through a symlink replaced the link: %v, %v", fi, err)
	}
	if got, want := readFile(t, target), runCLI(t, src, "fmt").stdout; got != want {
		t.Errorf("fmt -w through a symlink: target holds\n%s\nwant\n%s", got, want)
	}
}

func TestFmtErrors(t *testing.T) {
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken.recipe")
	writeFile(t, broken, "(package \"x\" \"1\"\n  (description \"open\"\n", 0o644)
	empty := filepath.Join(dir, "empty.recipe")
	writeFile(t, empty, "; only a comment\n", 0o644)
	tests := []struct {
		name   string
		args   []string
		stdin  string
		code   int
		stderr string
	}{
		{"syntax error", []string{"fmt", "-w", broken}, "", ExitInvalid, broken + ":2:3: error: unterminated list"},
		{"empty file", []string{"fmt", empty}, "", ExitInvalid, empty + ": error: nothing to format"},
		{"stdin syntax error", []string{"fmt"}, "(a \"b", ExitInvalid, "<stdin>:1:4: error: unterminated string"},
		{"missing file", []string{"fmt", filepath.Join(dir, "nope.recipe")}, "", ExitFailure, "no such file"},
		{"-l without files", []string{"fmt", "-l"}, "", ExitUsage, "need file names"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, tt.stdin, tt.args...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("recipe %q = exit %d, stderr %q; want exit %d, stderr containing %q", tt.args, r.code, r.stderr, tt.code, tt.stderr)
			}
		})
	}
	if got := readFile(t, broken); !strings.HasPrefix(got, "(package") {
		t.Errorf("fmt -w rewrote a file with a syntax error: %q", got)
	}
}

func writeFile(t *testing.T, name, data string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(name, []byte(data), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(name, mode); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
