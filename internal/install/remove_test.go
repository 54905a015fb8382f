package install

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/levitateos/levitate/internal/recipe"
	"github.com/levitateos/levitate/internal/store"
)

// libApp installs lib (a dependency) and app, which needs it.
func libApp(t *testing.T) (Options, map[string]Package) {
	t.Helper()
	srv := newServer(t, false)
	opts := testOptions(t)
	lib := shPackage(t, srv, "lib", "1.0", `(install (to-lib "src/lib.sh" "libx.so") (to-share "src/lib.sh" "lib/data/x"))`, nil)
	lib.Reason = store.Dependency
	app := shPackage(t, srv, "app", "1.0", `(deps "lib") (install (to-bin "src/app.sh" "app"))`, nil)
	other := shPackage(t, srv, "other", "1.0", `(install (to-bin "src/other.sh" "other"))`, nil)
	pkgs := map[string]Package{"lib": lib, "app": app, "other": other}
	if _, err := Install(context.Background(), []Package{lib, app, other}, opts); err != nil {
		t.Fatal(err)
	}
	return opts, pkgs
}

func TestRemoveDependents(t *testing.T) {
	tests := []struct {
		name    string
		remove  []string
		ro      RemoveOptions
		want    []string // removed
		wantErr string
	}{
		{"refused", []string{"lib"}, RemoveOptions{}, nil, `cannot remove "lib": needed by app`},
		{"cascade", []string{"lib"}, RemoveOptions{Cascade: true}, []string{"app", "lib"}, ""},
		{"leaf", []string{"app"}, RemoveOptions{}, []string{"app"}, ""},
		{"orphans", []string{"app"}, RemoveOptions{Orphans: true}, []string{"app", "lib"}, ""},
		{"not installed", []string{"nope"}, RemoveOptions{}, nil, `package "nope": not installed`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts, _ := libApp(t)
			before := snapshot(t, opts.Root)
			sum, err := Remove(context.Background(), tt.remove, opts, tt.ro)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Remove(%v) = %v; want %q", tt.remove, err, tt.wantErr)
				}
				var de *DependentsError
				if tt.name == "refused" && (!errors.As(err, &de) || !reflect.DeepEqual(de.Needed["lib"], []string{"app"})) {
					t.Errorf("Remove error = %#v; want DependentsError lib <- app", err)
				}
				sameTree(t, before, snapshot(t, opts.Root))
				return
			}
			if err != nil {
				t.Fatalf("Remove(%v) = %v", tt.remove, err)
			}
			if !reflect.DeepEqual(sum.Removed, tt.want) {
				t.Errorf("Remove(%v).Removed = %v; want %v", tt.remove, sum.Removed, tt.want)
			}
			left := verifyAll(t, opts.Root)
			for _, n := range tt.want {
				if slices.Contains(left, n) {
					t.Errorf("%s still installed", n)
				}
			}
			if slices.Contains(tt.want, "lib") {
				for _, p := range []string{"usr/lib/libx.so", "usr/share/lib"} {
					if _, err := os.Lstat(filepath.Join(opts.Root, p)); !errors.Is(err, os.ErrNotExist) {
						t.Errorf("%s after removing lib: %v; want gone", p, err)
					}
				}
			}
			if _, err := os.Stat(filepath.Join(opts.Root, "usr/bin/other")); err != nil {
				t.Errorf("usr/bin/other of a kept package: %v", err)
			}
		})
	}
}

func TestOrphans(t *testing.T) {
	opts, _ := libApp(t)
	if _, err := Remove(context.Background(), []string{"app"}, opts, RemoveOptions{}); err != nil {
		t.Fatal(err)
	}
	got, err := Orphans(openDB(t, opts.Root))
	if err != nil || !reflect.DeepEqual(got, []string{"lib"}) {
		t.Errorf("Orphans = %v, %v; want [lib]", got, err)
	}
}

func TestRemoveKeepsModifiedConfig(t *testing.T) {
	srv := newServer(t, false)
	opts := testOptions(t)
	files := map[string]string{"d.conf": "a = 1\n", "d.sh": "#!/bin/sh\n"}
	pkg := shPackage(t, srv, "daemon", "1.0", `(install (to-bin "d.sh" "d") (to-config "d.conf" "/etc/d/d.conf"))
  (remove (rm-data "/var/lib/d") (rm-config "/etc/keepme" keep) (rm-user "d"))
  (configure (create-user "d" system no-login) (create-dir "/var/lib/d" "d"))`, files)
	if _, err := Install(context.Background(), []Package{pkg}, opts); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(opts.Root, "etc/d/d.conf")
	if err := os.WriteFile(conf, []byte("a = 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(opts.Root, "etc/keepme"), []byte("k"), 0o644)
	sum, err := Remove(context.Background(), []string{"daemon"}, opts, RemoveOptions{Recipes: map[string]*recipe.Recipe{"daemon": pkg.Recipe}})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(sum.Saved, []string{"etc/d/d.conf.recipesave"}) {
		t.Errorf("Saved = %v; want [etc/d/d.conf.recipesave]", sum.Saved)
	}
	if !strings.Contains(sum.String(), "modified config file kept as /etc/d/d.conf.recipesave") {
		t.Errorf("summary %q does not report the saved config", sum.String())
	}
	if b, err := os.ReadFile(conf + ".recipesave"); err != nil || string(b) != "a = 2\n" {
		t.Errorf("d.conf.recipesave = %q, %v; want the user's edit", b, err)
	}
	if _, err := os.Stat(filepath.Join(opts.Root, "usr/bin/d")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("usr/bin/d: %v; want removed", err)
	}
	if _, err := os.Stat(filepath.Join(opts.Root, "var/lib/d")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("var/lib/d: %v; want removed by rm-data", err)
	}
	if _, err := os.Stat(filepath.Join(opts.Root, "etc/keepme")); err != nil {
		t.Errorf("etc/keepme: %v; want kept (policy keep)", err)
	}
	if b, _ := os.ReadFile(filepath.Join(opts.Root, "etc/passwd")); strings.Contains(string(b), "d:") {
		t.Errorf("etc/passwd still has d after rm-user:\n%s", b)
	}
}
