package recipecmd

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildRecipe builds cmd/recipe into a temporary directory.
func buildRecipe(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "recipe")
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = "/usr/local/go/bin/go"
	}
	out, err := exec.Command(goTool, "build", "-o", bin, "github.com/levitateos/levitate/cmd/recipe").CombinedOutput()
	if err != nil {
		t.Fatalf("go build cmd/recipe: %v\n%s", err, out)
	}
	return bin
}

// TestProcessWarmNoOp runs the real binary: an install, then the warm
// no-op install of the same package, which must leave the root alone.
func TestProcessWarmNoOp(t *testing.T) {
	bin := buildRecipe(t)
	e := newEnv(t)
	writeRecipe(t, e.srv, e.recipes, pkgSpec{name: "hello", version: "1.0"})
	run := func(args ...string) (string, string, error) {
		cmd := exec.Command(bin, append([]string{"--root", e.root, "--recipes", e.recipes}, args...)...)
		var out, errb strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		return out.String(), errb.String(), err
	}
	if out, errs, err := run("install", "hello"); err != nil {
		t.Fatalf("recipe install hello: %v\n%s%s", err, out, errs)
	}
	before := treeHash(t, e.root)
	start := time.Now()
	out, errs, err := run("install", "hello")
	took := time.Since(start)
	if err != nil || !strings.Contains(out, "hello 1.0 is already installed") || errs != "" {
		t.Errorf("warm recipe install hello = %v, stdout %q, stderr %q; want exit 0 and already installed", err, out, errs)
	}
	if after := treeHash(t, e.root); after != before {
		t.Errorf("warm no-op install changed the root:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	t.Logf("warm no-op install as a process: %v", took)
	if out, errs, err := run("verify"); err != nil {
		t.Errorf("recipe verify = %v\n%s%s", err, out, errs)
	}
}

// TestLockHeld checks that a second writer fails naming the holder's PID
// and suggests --wait.
func TestLockHeld(t *testing.T) {
	e := newEnv(t)
	writeRecipe(t, e.srv, e.recipes, pkgSpec{name: "hello", version: "1.0"})
	writeRecipe(t, e.srv, e.recipes, pkgSpec{name: "other", version: "1.0"})
	e.must(t, ExitOK, "install", "hello")
	dir := filepath.Join(e.root, "var/lib/recipe")
	f, err := os.OpenFile(filepath.Join(dir, "lock"), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	const holder = 424242
	if _, err := f.WriteString(strconv.Itoa(holder) + "\n"); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"install", "other"}, {"remove", "hello"}} {
		r := e.run(t, args...)
		want := "locked by process " + strconv.Itoa(holder)
		if r.code != ExitFailure || !strings.Contains(r.stderr, want) || !strings.Contains(r.stderr, "--wait") {
			t.Errorf("recipe %q with the lock held = exit %d, stderr %q; want exit 1 naming %q and --wait", args, r.code, r.stderr, want)
		}
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_UN); err != nil {
		t.Fatal(err)
	}
	e.must(t, ExitOK, "remove", "--wait", "hello")
	e.must(t, ExitOK, "install", "--wait", "other")
}
