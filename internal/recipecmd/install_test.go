package recipecmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/levitateos/levitate/internal/testutil"
)

// env is a recipe directory, a root and a loopback server for one test.
type env struct {
	srv           *fileServer
	recipes, root string
}

func newEnv(t *testing.T) *env {
	return &env{srv: newFileServer(t), recipes: t.TempDir(), root: filepath.Join(t.TempDir(), "root")}
}

// run runs the CLI with --recipes and --root of the environment.
func (e *env) run(t *testing.T, args ...string) result {
	t.Helper()
	return runCLI(t, "", append([]string{"--recipes", e.recipes, "--root", e.root}, args...)...)
}

// must runs the CLI and fails the test unless it exits with want.
func (e *env) must(t *testing.T, want int, args ...string) result {
	t.Helper()
	r := e.run(t, args...)
	if r.code != want {
		t.Fatalf("recipe %q = exit %d; want %d\nstdout:\n%s\nstderr:\n%s", args, r.code, want, r.stdout, r.stderr)
	}
	return r
}

func TestInstallLifecycle(t *testing.T) {
	for _, comp := range []string{"gz", "zst"} {
		t.Run(comp, func(t *testing.T) {
			e := newEnv(t)
			writeRecipe(t, e.srv, e.recipes, pkgSpec{name: "hello", version: "1.0", comp: comp})
			r := e.must(t, ExitOK, "install", "hello")
			if !strings.Contains(r.stdout, "installed 1 package(s)") {
				t.Errorf("install hello stdout = %q; want the summary", r.stdout)
			}
			if !strings.Contains(r.stderr, "hello 1.0: extract") || !strings.Contains(r.stderr, "commit") {
				t.Errorf("install hello stderr = %q; want one line per step", r.stderr)
			}
			bin := filepath.Join(e.root, "usr/bin/hello")
			if b, err := os.ReadFile(bin); err != nil || !strings.Contains(string(b), "echo hello 1.0") {
				t.Fatalf("read %s = %q, %v; want the script", bin, b, err)
			}

			r = e.must(t, ExitOK, "install", "hello")
			if !strings.Contains(r.stdout, "hello 1.0 is already installed") {
				t.Errorf("second install stdout = %q; want already installed", r.stdout)
			}

			var list []installedJSON
			r = e.must(t, ExitOK, "--json", "list", "--installed")
			if err := json.Unmarshal([]byte(r.stdout), &list); err != nil || len(list) != 1 || list[0].Name != "hello" || list[0].Reason != "explicit" {
				t.Errorf("list --installed --json = %+v, %v; want hello explicit", list, err)
			}
			r = e.must(t, ExitOK, "list", "--installed", "--explicit")
			if !strings.HasPrefix(r.stdout, "hello  1.0  explicit") {
				t.Errorf("list --installed --explicit = %q; want hello", r.stdout)
			}

			r = e.must(t, ExitOK, "owns", "/usr/bin/hello")
			if r.stdout != "hello\n" {
				t.Errorf("owns /usr/bin/hello = %q; want hello", r.stdout)
			}
			r = e.must(t, ExitOK, "owns", bin) // host path below --root
			if r.stdout != "hello\n" {
				t.Errorf("owns %s = %q; want hello", bin, r.stdout)
			}
			var owns ownsJSON
			r = e.must(t, ExitFailure, "--json", "owns", "/usr/bin/nothing")
			if err := json.Unmarshal([]byte(r.stdout), &owns); err != nil || len(owns.Owners) != 0 || owns.Path != "/usr/bin/nothing" {
				t.Errorf("owns --json /usr/bin/nothing = %+v, %v; want no owners", owns, err)
			}

			r = e.must(t, ExitOK, "verify")
			if r.stdout != "1 package(s) verified\n" {
				t.Errorf("verify = %q; want clean", r.stdout)
			}
			if err := os.WriteFile(bin, []byte("#!/bin/sh\necho tampered\n"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Remove(filepath.Join(e.root, "etc/hello.conf")); err != nil {
				t.Fatal(err)
			}
			r = e.must(t, ExitFailure, "verify", "hello")
			for _, want := range []string{"hello: /usr/bin/hello: modified", "hello: /etc/hello.conf: missing"} {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("verify after tampering = %q; want a line %q", r.stdout, want)
				}
			}
			var v verifyJSON
			r = e.must(t, ExitFailure, "--json", "verify")
			if err := json.Unmarshal([]byte(r.stdout), &v); err != nil || v.OK || len(v.Problems) != 2 {
				t.Errorf("verify --json = %+v, %v; want two problems", v, err)
			}

			r = e.must(t, ExitOK, "remove", "hello")
			if !strings.Contains(r.stdout, "removed 1 package(s)") {
				t.Errorf("remove stdout = %q; want the summary", r.stdout)
			}
			if _, err := os.Lstat(bin); !os.IsNotExist(err) {
				t.Errorf("after remove, stat %s = %v; want not exist", bin, err)
			}
			r = e.must(t, ExitOK, "list", "--installed")
			if r.stdout != "" {
				t.Errorf("list --installed after remove = %q; want nothing", r.stdout)
			}
			e.must(t, ExitFailure, "owns", "/usr/bin/hello")
		})
	}
}

func TestInstallHashMismatch(t *testing.T) {
	e := newEnv(t)
	writeRecipe(t, e.srv, e.recipes, pkgSpec{name: "hello", version: "1.0"})
	e.srv.put("hello-1.0.tar.zst", testutil.Tarball(t, map[string]string{"hello/hello.sh": "evil"}, "zst"))
	if err := os.MkdirAll(filepath.Join(e.root, "etc"), 0o755); err != nil {
		t.Fatal(err)
	}
	before := treeHash(t, e.root)
	r := e.must(t, ExitFailure, "install", "hello")
	if !strings.Contains(r.stderr, "sha256 mismatch") {
		t.Errorf("install with a bad hash: stderr = %q; want sha256 mismatch", r.stderr)
	}
	if after := treeHash(t, e.root); after != before {
		t.Errorf("root changed by a failed install:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

func TestInstallMissingHash(t *testing.T) {
	e := newEnv(t)
	writeRecipe(t, e.srv, e.recipes, pkgSpec{name: "hello", version: "1.0", noHash: true})
	r := e.must(t, ExitFailure, "install", "hello")
	if !strings.Contains(r.stderr, `(sha256 "`) {
		t.Errorf("install without a hash: stderr = %q; want the (sha256 \"...\") line", r.stderr)
	}
	if _, err := os.Stat(filepath.Join(e.root, "usr/bin/hello")); !os.IsNotExist(err) {
		t.Errorf("refused install left usr/bin/hello: %v", err)
	}
	r = e.must(t, ExitOK, "install", "--insecure-skip-hash", "hello")
	if !strings.Contains(r.stderr, "WARNING: --insecure-skip-hash") {
		t.Errorf("install --insecure-skip-hash: stderr = %q; want the warning", r.stderr)
	}
	if _, err := os.Stat(filepath.Join(e.root, "usr/bin/hello")); err != nil {
		t.Errorf("install --insecure-skip-hash: %v", err)
	}
}

func TestRemoveDependents(t *testing.T) {
	e := newEnv(t)
	writeRecipe(t, e.srv, e.recipes, pkgSpec{name: "lib", version: "1.0"})
	writeRecipe(t, e.srv, e.recipes, pkgSpec{name: "app", version: "1.0", deps: []string{"lib"}})
	e.must(t, ExitOK, "install", "app")
	r := e.must(t, ExitOK, "list", "--installed", "--orphans")
	if r.stdout != "" {
		t.Errorf("list --installed --orphans = %q; want none while app needs lib", r.stdout)
	}
	r = e.must(t, ExitFailure, "remove", "lib")
	if !strings.Contains(r.stderr, "app") || !strings.Contains(r.stderr, "--cascade") {
		t.Errorf("remove lib: stderr = %q; want app named and --cascade suggested", r.stderr)
	}
	if _, err := os.Stat(filepath.Join(e.root, "usr/bin/lib")); err != nil {
		t.Errorf("refused remove took lib away: %v", err)
	}
	e.must(t, ExitOK, "remove", "--cascade", "lib")
	for _, p := range []string{"usr/bin/lib", "usr/bin/app"} {
		if _, err := os.Stat(filepath.Join(e.root, p)); !os.IsNotExist(err) {
			t.Errorf("after remove --cascade lib: stat %s = %v; want gone", p, err)
		}
	}
}

func TestRemoveOrphans(t *testing.T) {
	e := newEnv(t)
	writeRecipe(t, e.srv, e.recipes, pkgSpec{name: "lib", version: "1.0"})
	writeRecipe(t, e.srv, e.recipes, pkgSpec{name: "app", version: "1.0", deps: []string{"lib"}})
	e.must(t, ExitOK, "install", "app")
	e.must(t, ExitOK, "remove", "--orphans", "app")
	if r := e.must(t, ExitOK, "list", "--installed"); r.stdout != "" {
		t.Errorf("list --installed after remove --orphans app = %q; want nothing", r.stdout)
	}
}

func TestDryRunsChangeNothing(t *testing.T) {
	e := newEnv(t)
	writeRecipe(t, e.srv, e.recipes, pkgSpec{name: "lib", version: "1.0"})
	writeRecipe(t, e.srv, e.recipes, pkgSpec{name: "app", version: "1.0", deps: []string{"lib"}})
	writeRecipe(t, e.srv, e.recipes, pkgSpec{name: "tool", version: "1.0"})
	e.must(t, ExitOK, "install", "app")
	writeRecipe(t, e.srv, e.recipes, pkgSpec{name: "lib", version: "2.0"})
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"install", "-n", "tool"}, "install  tool 1.0 (fetch "},
		{[]string{"install", "--dry-run", "tool", "app"}, "app 1.0 is already installed"},
		{[]string{"upgrade", "-n"}, "upgrade  lib 1.0 -> 2.0"},
		{[]string{"remove", "-n", "--cascade", "lib"}, "remove   app 1.0"},
		{[]string{"remove", "-n", "--orphans", "app"}, "remove   lib 1.0"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			before := treeHash(t, e.root)
			r := e.must(t, ExitOK, tt.args...)
			if !strings.Contains(r.stdout, tt.want) {
				t.Errorf("recipe %q = %q; want %q", tt.args, r.stdout, tt.want)
			}
			if after := treeHash(t, e.root); after != before {
				t.Errorf("recipe %q changed the root:\nbefore:\n%s\nafter:\n%s", tt.args, before, after)
			}
		})
	}
	var out installJSON
	r := e.must(t, ExitOK, "--json", "install", "-n", "tool")
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || len(out.Packages) != 1 || out.Packages[0].Name != "tool" || len(out.Packages[0].Add) == 0 {
		t.Errorf("install -n --json tool = %+v, %v; want one package with files", out, err)
	}
}

func TestUpgrade(t *testing.T) {
	e := newEnv(t)
	writeRecipe(t, e.srv, e.recipes, pkgSpec{name: "lib", version: "1.0"})
	writeRecipe(t, e.srv, e.recipes, pkgSpec{name: "app", version: "1.0", deps: []string{"lib"}})
	e.must(t, ExitOK, "install", "app")
	if r := e.must(t, ExitOK, "upgrade"); r.stdout != "nothing to upgrade\n" {
		t.Errorf("upgrade with nothing newer = %q; want nothing to upgrade", r.stdout)
	}
	writeRecipe(t, e.srv, e.recipes, pkgSpec{name: "lib", version: "1.1"})
	e.must(t, ExitOK, "upgrade")
	var list []installedJSON
	r := e.must(t, ExitOK, "--json", "list", "--installed")
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil || len(list) != 2 {
		t.Fatalf("list --installed = %s, %v", r.stdout, err)
	}
	got := map[string]string{}
	for _, m := range list {
		got[m.Name] = m.Version + " " + m.Reason
	}
	if got["lib"] != "1.1 dependency" || got["app"] != "1.0 explicit" {
		t.Errorf("after upgrade: %v; want lib 1.1 dependency, app 1.0 explicit", got)
	}
	if b, _ := os.ReadFile(filepath.Join(e.root, "usr/bin/lib")); !strings.Contains(string(b), "lib 1.1") {
		t.Errorf("usr/bin/lib = %q; want version 1.1", b)
	}
	e.must(t, ExitOK, "verify")
	e.must(t, ExitFailure, "upgrade", "nothere")
}

func TestInstallRecipeFile(t *testing.T) {
	e := newEnv(t)
	other := t.TempDir()
	file := writeRecipe(t, e.srv, other, pkgSpec{name: "solo", version: "0.1"})
	e.recipes = filepath.Join(t.TempDir(), "absent") // no recipe directory at all
	e.must(t, ExitOK, "install", file)
	if r := e.must(t, ExitOK, "owns", "/usr/bin/solo"); r.stdout != "solo\n" {
		t.Errorf("owns /usr/bin/solo = %q; want solo", r.stdout)
	}
}

func TestRootLeavesHostAlone(t *testing.T) {
	host := []string{"/etc/passwd", "/etc/group", "/etc/shadow"}
	before := map[string]string{}
	for _, p := range host {
		b, _ := os.ReadFile(p)
		before[p] = string(b)
	}
	e := newEnv(t)
	if err := os.MkdirAll(filepath.Join(e.root, "etc"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeRecipe(t, e.srv, e.recipes, pkgSpec{name: "svc", version: "1.0",
		extra: `(configure (create-user "recipe-test-svc" system no-login) (create-dir "/var/lib/recipe-test-svc"))`})
	e.must(t, ExitOK, "install", "svc")
	for _, p := range host {
		b, _ := os.ReadFile(p)
		if string(b) != before[p] {
			t.Errorf("host %s changed by an install into %s", p, e.root)
		}
	}
	for _, p := range []string{"/var/lib/recipe-test-svc", "/var/lib/recipe/installed/svc.rec", "/usr/bin/svc", "/etc/svc.conf"} {
		if _, err := os.Lstat(p); !os.IsNotExist(err) {
			t.Errorf("host %s exists after an install into %s: %v", p, e.root, err)
		}
	}
	b, err := os.ReadFile(filepath.Join(e.root, "etc/passwd"))
	if err != nil || !strings.Contains(string(b), "recipe-test-svc:") {
		t.Errorf("ROOT/etc/passwd = %q, %v; want the new user", b, err)
	}
	if _, err := os.Stat(filepath.Join(e.root, "var/cache/recipe")); err != nil {
		t.Errorf("cache not under the root: %v", err)
	}
}

func TestListOrphans(t *testing.T) {
	e := newEnv(t)
	writeRecipe(t, e.srv, e.recipes, pkgSpec{name: "lib", version: "1.0"})
	writeRecipe(t, e.srv, e.recipes, pkgSpec{name: "app", version: "1.0", deps: []string{"lib"}})
	e.must(t, ExitOK, "install", "app")
	e.must(t, ExitOK, "remove", "app")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"list", "--installed"}, "lib  1.0  dependency  \n"},
		{[]string{"list", "--orphans"}, "lib  1.0  dependency  \n"},
		{[]string{"list", "--installed", "--explicit"}, ""},
	}
	for _, tt := range tests {
		if r := e.must(t, ExitOK, tt.args...); r.stdout != tt.want {
			t.Errorf("recipe %q = %q; want %q", tt.args, r.stdout, tt.want)
		}
	}
}
