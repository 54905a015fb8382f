package install

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

var errCrash = errors.New("injected crash")

// crashAt returns a FailAt hook that fails at its n-th call (0-based) and
// records the steps it saw.
func crashAt(n int, steps *[]string) func(string) error {
	i := 0
	return func(step string) error {
		*steps = append(*steps, step)
		i++
		if i-1 == n {
			return fmt.Errorf("%w at %q", errCrash, step)
		}
		return nil
	}
}

// crashPackages are three packages of several files each.
func crashPackages(t *testing.T, srv *server) []Package {
	var pkgs []Package
	for _, name := range []string{"alpha", "beta", "gamma"} {
		files := map[string]string{}
		install := ""
		for i := range 8 {
			f := fmt.Sprintf("%s%d.sh", name, i)
			files[f] = "#!/bin/sh\necho " + f + "\n"
			install += fmt.Sprintf(" (to-share %q %q)", f, name+"/"+f)
		}
		install += fmt.Sprintf(" (to-bin %q %q) (to-config %q %q)", name+"0.sh", name, name+"1.sh", "/etc/"+name+".conf")
		pkgs = append(pkgs, shPackage(t, srv, name, "1.0", "(install"+install+")", files))
	}
	return pkgs
}

// consistent checks, after recovery, that the database and the root agree
// and that no package is half there; it returns the installed names.
func consistent(t *testing.T, root string) []string {
	t.Helper()
	db := openDB(t, root)
	if _, err := db.Recover(context.Background()); err != nil {
		t.Fatalf("Recover: %v", err)
	}
	names := verifyAll(t, root)
	for _, n := range []string{"alpha", "beta", "gamma"} {
		_, err := os.Lstat(filepath.Join(root, "usr/bin", n))
		if has := err == nil; has != slices.Contains(names, n) {
			t.Errorf("usr/bin/%s present = %v, installed = %v", n, has, names)
		}
	}
	return names
}

func TestCrashInstall(t *testing.T) {
	srv := newServer(t, false)
	pkgs := crashPackages(t, srv)
	cache := t.TempDir()
	var steps []string
	opts := Options{Root: t.TempDir(), CacheDir: cache, NoSync: true, FailAt: crashAt(-1, &steps)}
	if _, err := Install(context.Background(), pkgs, opts); err != nil {
		t.Fatal(err)
	}
	total := len(steps)
	t.Logf("install: %d injection points", total)
	points := 0
	for n := range total {
		var seen []string
		opts := Options{Root: t.TempDir(), CacheDir: cache, NoSync: true, FailAt: crashAt(n, &seen)}
		_, err := Install(context.Background(), pkgs, opts)
		if !errors.Is(err, errCrash) {
			t.Fatalf("crash %d (%s): Install = %v; want the injected crash", n, steps[n], err)
		}
		points++
		got := consistent(t, opts.Root)
		if len(got) != 0 && len(got) != 3 {
			t.Errorf("crash %d (%s): installed %v; want all or nothing", n, steps[n], got)
		}
		opts.FailAt = nil
		if _, err := Install(context.Background(), pkgs, opts); err != nil {
			t.Fatalf("crash %d (%s): re-run Install = %v", n, steps[n], err)
		}
		if got := consistent(t, opts.Root); len(got) != 3 {
			t.Errorf("crash %d (%s): after re-run installed %v; want 3", n, steps[n], got)
		}
	}
	crashPoints(t, "install", points, 60)
}

func TestCrashRemove(t *testing.T) {
	srv := newServer(t, false)
	pkgs := crashPackages(t, srv)
	cache := t.TempDir()
	names := []string{"alpha", "beta", "gamma"}
	setup := func(fail func(string) error) Options {
		opts := Options{Root: t.TempDir(), CacheDir: cache, NoSync: true}
		if _, err := Install(context.Background(), pkgs, opts); err != nil {
			t.Fatal(err)
		}
		// A modified config exercises the .recipesave step.
		os.WriteFile(filepath.Join(opts.Root, "etc/beta.conf"), []byte("mine"), 0o644)
		opts.FailAt = fail
		return opts
	}
	var steps []string
	if _, err := Remove(context.Background(), names, setup(crashAt(-1, &steps)), RemoveOptions{}); err != nil {
		t.Fatal(err)
	}
	total := len(steps)
	t.Logf("remove: %d injection points", total)
	points := 0
	for n := range total {
		var seen []string
		opts := setup(crashAt(n, &seen))
		_, err := Remove(context.Background(), names, opts, RemoveOptions{})
		if !errors.Is(err, errCrash) {
			t.Fatalf("crash %d (%s): Remove = %v; want the injected crash", n, steps[n], err)
		}
		points++
		left := consistent(t, opts.Root)
		if len(left) != 0 && len(left) != 3 {
			t.Errorf("crash %d (%s): left %v; want all or nothing", n, steps[n], left)
		}
		opts.FailAt = nil
		if len(left) > 0 {
			if _, err := Remove(context.Background(), left, opts, RemoveOptions{}); err != nil {
				t.Fatalf("crash %d (%s): re-run Remove = %v", n, steps[n], err)
			}
		}
		if got := consistent(t, opts.Root); len(got) != 0 {
			t.Errorf("crash %d (%s): after re-run installed %v; want none", n, steps[n], got)
		}
		if b, err := os.ReadFile(filepath.Join(opts.Root, "etc/beta.conf.recipesave")); err != nil || string(b) != "mine" {
			t.Errorf("crash %d (%s): beta.conf.recipesave = %q, %v; want the user's file", n, steps[n], b, err)
		}
		if ents, _ := os.ReadDir(filepath.Join(opts.Root, "usr/share")); len(ents) != 0 {
			t.Errorf("crash %d (%s): usr/share still holds %v", n, steps[n], ents)
		}
	}
	crashPoints(t, "remove", points, 40)
}

// crashPoints checks that a crash test covered enough points: at least 60
// for install and 40 for remove, 100 together.
func crashPoints(t *testing.T, what string, n, want int) {
	t.Logf("%s: %d crash points exercised", what, n)
	if n < want {
		t.Errorf("%s: %d injection points; want at least %d", what, n, want)
	}
}
