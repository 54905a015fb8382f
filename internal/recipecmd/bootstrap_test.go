package recipecmd

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/levitateos/levitate/internal/bootstrap"
	"github.com/levitateos/levitate/internal/bootstrap/testrepo"
)

// bootstrapFixture writes the bootstrap test repository and recipes; it
// skips (outside CI) when busybox is missing.
func bootstrapFixture(t *testing.T) (repoDir, recipesDir string) {
	t.Helper()
	busybox, err := exec.LookPath("busybox")
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("busybox (busybox-static) not installed")
		}
		t.Fatal(err)
	}
	dir := t.TempDir()
	repoDir, recipesDir = filepath.Join(dir, "repo"), filepath.Join(dir, "recipes")
	if err := os.Mkdir(recipesDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := testrepo.WriteRepo(repoDir, busybox); err != nil {
		t.Fatal(err)
	}
	if err := testrepo.WriteRecipes(recipesDir); err != nil {
		t.Fatal(err)
	}
	return repoDir, recipesDir
}

// empty reports whether dir exists and holds nothing.
func empty(t *testing.T, dir string) bool {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return len(ents) == 0
}

func TestBootstrapChecksBeforeTouching(t *testing.T) {
	repoDir, recipesDir := bootstrapFixture(t)
	tests := []struct {
		name string
		args []string
		code int
		out  []string // in stdout
		err  []string // in stderr
	}{
		{"dry run", []string{"bootstrap", "-n"}, ExitOK,
			[]string{"would bootstrap", "recipe  bash 1.0 (explicit): 1 package(s)", "recipe  base 1.0 (explicit)", "tiny-sh-1.0-1.noarch", "recipe-1.0-1.noarch", "9 recipe(s), 9 package(s)"}, nil},
		{"dependency", []string{"bootstrap", "-n", "--only", "base"}, ExitOK,
			[]string{"recipe  bash 1.0 (dependency): 1 package(s)", "recipe  base 1.0 (explicit): 2 package(s)", "2 recipe(s), 3 package(s)"}, nil},
		{"unknown names", []string{"bootstrap", "basse", "nosuchthing"}, ExitFailure, nil,
			[]string{`2 name(s) without a recipe`, `unknown package "basse"; did you mean "base"?`, `unknown package "nosuchthing"`}},
		{"unsatisfiable", []string{"bootstrap", "--only", "unsat"}, ExitFailure, nil,
			[]string{"cannot bootstrap", "tiny-does-not-exist", "tiny-missing"}},
		{"only needs names", []string{"bootstrap", "--only"}, ExitUsage, nil, []string{"--only needs at least one NAME"}},
		{"no repo", []string{"bootstrap", "--config", "/dev/null"}, ExitFailure, nil, []string{"no package repository"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := t.TempDir()
			args := append([]string{"--recipes", recipesDir}, tt.args...)
			if tt.name != "no repo" {
				args = append(args, "--repo", repoDir)
			}
			// TARGET goes after the command's flags, names after it.
			args = insertTarget(args, target)
			r := runCLI(t, "", args...)
			if r.code != tt.code {
				t.Fatalf("recipe %q = exit %d; want %d\nstdout:\n%s\nstderr:\n%s", args, r.code, tt.code, r.stdout, r.stderr)
			}
			for _, w := range tt.out {
				if !strings.Contains(r.stdout, w) {
					t.Errorf("stdout lacks %q:\n%s", w, r.stdout)
				}
			}
			for _, w := range tt.err {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, r.stderr)
				}
			}
			if !empty(t, target) {
				t.Errorf("target %s was touched", target)
			}
		})
	}
}

// insertTarget puts target right after the bootstrap command's flags
// (before the names, which follow the last flag in these tests).
func insertTarget(args []string, target string) []string {
	var out, names []string
	i := 0
	for ; i < len(args); i++ {
		out = append(out, args[i])
		if args[i] == "bootstrap" {
			break
		}
	}
	for i++; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--repo" || a == "--config":
			out = append(out, a, args[i+1])
			i++
		case strings.HasPrefix(a, "-"):
			out = append(out, a)
		default:
			names = append(names, a)
		}
	}
	return append(append(out, target), names...)
}

func TestBootstrapInstallListVerifyChroot(t *testing.T) {
	for _, tool := range append(bootstrap.Tools(), "busybox") {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "" {
				t.Skipf("%s not installed", tool)
			}
			t.Fatal(err)
		}
	}
	if os.Geteuid() != 0 {
		if os.Getenv("CI") == "" {
			t.Skip("needs root")
		}
		t.Fatal("needs root in CI")
	}
	repoDir, recipesDir := bootstrapFixture(t)
	target := t.TempDir()
	conf := filepath.Join(t.TempDir(), "recipe.conf")
	if err := os.WriteFile(conf, []byte("repo = "+repoDir+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, "", "--recipes", recipesDir, "bootstrap", "--config", conf, target)
	if r.code != ExitOK {
		t.Fatalf("bootstrap = exit %d\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "9 recipe(s), 9 package(s)") {
		t.Errorf("bootstrap stdout = %q; want the summary", r.stdout)
	}
	if b, err := os.ReadFile(filepath.Join(target, bootstrap.ConfigFile)); err != nil || !strings.Contains(string(b), repoDir) {
		t.Errorf("copied config = %q, %v; want the repo line", b, err)
	}

	r = runCLI(t, "", "--root", target, "list", "--installed")
	for _, name := range bootstrap.BaseSet() {
		if !strings.Contains(r.stdout, name+" ") {
			t.Errorf("list --installed lacks %s:\n%s", name, r.stdout)
		}
	}
	if r = runCLI(t, "", "--root", target, "verify"); r.code != ExitOK || !strings.Contains(r.stdout, "9 package(s) verified") {
		t.Errorf("verify = exit %d, %q %q; want 9 verified", r.code, r.stdout, r.stderr)
	}
	if r = runCLI(t, "", "--root", target, "owns", "/usr/bin/busybox"); strings.TrimSpace(r.stdout) != "bash" {
		t.Errorf("owns /usr/bin/busybox = %q; want bash", r.stdout)
	}

	t.Run("chroot", func(t *testing.T) {
		tests := []struct {
			argv []string
			code int
			out  string
		}{
			{[]string{"true"}, 0, ""},
			{[]string{"cat", "/etc/os-release"}, 0, testrepo.OSRelease},
			{[]string{"sh", "-c", "test -r /proc/self/status && test -c /dev/null && echo ok"}, 0, "ok\n"},
			{[]string{"sh", "-c", "exit 3"}, 3, ""},
		}
		for _, tt := range tests {
			r := runCLI(t, "", append([]string{"chroot", target}, tt.argv...)...)
			if r.code != tt.code || r.stdout != tt.out {
				t.Errorf("chroot %q = exit %d, %q (stderr %q); want exit %d, %q", tt.argv, r.code, r.stdout, r.stderr, tt.code, tt.out)
			}
		}
		mi, err := os.ReadFile("/proc/self/mountinfo")
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(mi), target) {
			t.Errorf("chroot left mounts under %s", target)
		}
	})

	if err := os.WriteFile(filepath.Join(target, "usr/bin/tiny-app"), []byte("tampered"), 0o755); err != nil {
		t.Fatal(err)
	}
	if r = runCLI(t, "", "--root", target, "verify"); r.code != ExitFailure || !strings.Contains(r.stdout+r.stderr, "usr/bin/tiny-app") {
		t.Errorf("verify after tampering = exit %d, %q %q; want 1 naming usr/bin/tiny-app", r.code, r.stdout, r.stderr)
	}
}
