package bootstrap

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/levitateos/levitate/internal/bootstrap/testrepo"
	"github.com/levitateos/levitate/internal/closure"
	"github.com/levitateos/levitate/internal/store"
)

func TestExecuteSmallSet(t *testing.T) {
	needTools(t, append(Tools(), "busybox")...)
	f := newFixture(t)
	p, err := NewPlan(f.groups(t, "bash", "base", "linux", "systemd", "recipe"), f.inputs)
	if err != nil {
		t.Fatal(err)
	}
	target := t.TempDir()
	// /boot on a file system of its own: the record step must check and
	// record files across file systems.
	boot := filepath.Join(target, "boot")
	if err := os.Mkdir(boot, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", boot, "tmpfs", 0, "size=1m"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Unmount(boot, syscall.MNT_DETACH) })
	conf := filepath.Join(t.TempDir(), "recipe.conf")
	if err := os.WriteFile(conf, []byte("repo = /nowhere\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	o := f.options(target)
	o.Config, o.Log = conf, &log
	if err := Execute(context.Background(), p, o); err != nil {
		t.Fatalf("Execute: %v\nrpm output:\n%s", err, log.String())
	}

	// Scriptlets ran inside the target with /proc mounted.
	if b, err := os.ReadFile(filepath.Join(target, testrepo.ProbeFile)); err != nil || string(b) != "proc\n" {
		t.Errorf("probe scriptlet wrote %q, %v; want \"proc\\n\"", b, err)
	}
	if b, err := os.ReadFile(filepath.Join(target, "var/lib/tiny/app-post")); err != nil || string(b) != "installed\n" {
		t.Errorf("tiny-app %%post wrote %q, %v; want \"installed\\n\"", b, err)
	}
	// Nothing stays mounted but our /boot: the namespace died with rpm.
	mi, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(mi, []byte(target)); n != 1 {
		t.Errorf("%d mounts under %s; want only /boot:\n%s", n, target, mi)
	}
	for _, p := range []string{ConfigFile, RecipesDir + "/base.recipe", "etc/os-release", "usr/bin/recipe", testrepo.BootFile} {
		if _, err := os.Stat(filepath.Join(target, p)); err != nil {
			t.Errorf("target lacks %s: %v", p, err)
		}
	}
	for _, p := range []string{targetCache, stageDir} {
		if _, err := os.Stat(filepath.Join(target, p)); err == nil {
			t.Errorf("target still has %s after a successful bootstrap", p)
		}
	}

	db, err := store.Open(target, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	metas, err := db.List()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range metas {
		names = append(names, m.Name)
	}
	if got := strings.Join(names, " "); got != "base bash linux recipe systemd" {
		t.Errorf("records = %q; want \"base bash linux recipe systemd\"", got)
	}
	rec, err := db.Get("bash")
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string]store.File{}
	for _, f := range rec.Files {
		byPath[f.Path] = f
	}
	if f := byPath["usr/bin/busybox"]; f.Type != store.TypeFile || len(f.SHA256) != 64 || f.Mode != 0o755 {
		t.Errorf("bash record of usr/bin/busybox = %+v; want a 0755 file with a sha256", f)
	}
	if f := byPath["usr/bin/sh"]; f.Type != store.TypeSymlink || f.Target != "busybox" {
		t.Errorf("bash record of usr/bin/sh = %+v; want a symlink to busybox", f)
	}
	if owners, err := db.Owner("/etc/tiny.conf"); err != nil || len(owners) != 1 || owners[0] != "base" {
		t.Errorf("Owner(/etc/tiny.conf) = %v, %v; want [base]", owners, err)
	}
	for _, m := range metas {
		probs, err := db.Verify(m.Name)
		if err != nil || len(probs) != 0 {
			t.Errorf("Verify(%s) = %v, %v; want no problems", m.Name, probs, err)
		}
	}
	// verify sees damage to a file rpm installed.
	if err := os.WriteFile(filepath.Join(target, "usr/bin/tiny-app"), []byte("tampered"), 0o755); err != nil {
		t.Fatal(err)
	}
	if probs, _ := db.Verify("systemd"); len(probs) != 1 || probs[0].Kind != store.Modified {
		t.Errorf("Verify(systemd) after tampering = %v; want one modified file", probs)
	}
}

func TestExecuteRefusesFileTarget(t *testing.T) {
	needTools(t, Tools()...)
	f := newFixture(t)
	p, err := NewPlan(f.groups(t, "bash"), f.inputs)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Execute(context.Background(), p, f.options(file)); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("Execute(file target) = %v; want a not a directory error", err)
	}
}

func TestExecuteRefusesInterruptedTarget(t *testing.T) {
	needTools(t, Tools()...)
	f := newFixture(t)
	p, err := NewPlan(f.groups(t, "bash"), f.inputs)
	if err != nil {
		t.Fatal(err)
	}
	target := t.TempDir()
	if err := os.MkdirAll(filepath.Join(target, stageDir, "bash"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := Execute(context.Background(), p, f.options(target)); err == nil || !strings.Contains(err.Error(), "killed while recording") {
		t.Errorf("Execute(interrupted target) = %v; want the interrupted-bootstrap error", err)
	}
	if _, err := os.Stat(filepath.Join(target, "usr")); err == nil {
		t.Error("Execute changed an interrupted target")
	}
}

// TestExecuteChecksPackagesBeforeRPM: every package is checked against
// the repodata before rpm or the header reader sees it. A damaged package
// in the repository stops the bootstrap before rpm runs; a damaged copy
// in the host cache is fetched again, not installed.
func TestExecuteChecksPackagesBeforeRPM(t *testing.T) {
	needTools(t, append(Tools(), "busybox")...)
	f := newFixture(t)
	p, err := NewPlan(f.groups(t, "bash", "base"), f.inputs)
	if err != nil {
		t.Fatal(err)
	}
	var sh closure.Entry
	for _, e := range p.Closure.Entries {
		if e.Pkg.Name == "tiny-sh" {
			sh = e
		}
	}
	if sh.Pkg == nil {
		t.Fatalf("closure %v lacks tiny-sh", p.Closure.Entries)
	}
	damage := func(t *testing.T, name string) {
		t.Helper()
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		b[len(b)/2] ^= 0xff
		if err := os.WriteFile(name, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("damaged in the repository", func(t *testing.T) {
		good := filepath.Join(f.repoDir, filepath.FromSlash(sh.Pkg.Href))
		saved, err := os.ReadFile(good)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.WriteFile(good, saved, 0o644) })
		damage(t, good)
		target := t.TempDir()
		o := f.options(target)
		o.CacheDir = t.TempDir()
		err = Execute(context.Background(), p, o)
		if err == nil || !strings.Contains(err.Error(), "tiny-sh") {
			t.Fatalf("Execute(damaged tiny-sh) = %v; want an error naming tiny-sh", err)
		}
		for _, rel := range []string{"var/lib/rpm/rpmdb.sqlite", "usr/bin/busybox", "var/lib/recipe/installed"} {
			if _, err := os.Lstat(filepath.Join(target, rel)); err == nil {
				t.Errorf("target has %s after a refused package", rel)
			}
		}
		if _, err := os.Stat(filepath.Join(o.CacheDir, filepath.Base(sh.Pkg.Href))); err == nil {
			t.Error("the damaged package is in the cache")
		}
	})

	t.Run("damaged in the cache", func(t *testing.T) {
		cache := t.TempDir()
		cached, err := f.src.Fetch(context.Background(), sh.Pkg, cache)
		if err != nil {
			t.Fatal(err)
		}
		damage(t, cached)
		target := t.TempDir()
		o := f.options(target)
		o.CacheDir = cache
		var log bytes.Buffer
		o.Log = &log
		if err := Execute(context.Background(), p, o); err != nil {
			t.Fatalf("Execute(damaged cache) = %v\n%s", err, log.String())
		}
		db, err := store.Open(target, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if probs, err := db.Verify("bash"); err != nil || len(probs) != 0 {
			t.Errorf("Verify(bash) = %v, %v; want no problems", probs, err)
		}
		rec, err := db.Get("bash")
		if err != nil || len(rec.Files) == 0 {
			t.Fatalf("Get(bash) = %+v, %v; want the files of tiny-sh", rec, err)
		}
	})
}

// TestExecuteFailedTransaction: when rpm fails, Execute reports it and
// records nothing (the header reader running beside rpm is stopped).
func TestExecuteFailedTransaction(t *testing.T) {
	needTools(t, append(Tools(), "busybox")...)
	f := newFixture(t)
	p, err := NewPlan(f.groups(t, "bash", "base"), f.inputs)
	if err != nil {
		t.Fatal(err)
	}
	target := t.TempDir()
	// A directory where tiny-sh installs a file: rpm cannot unpack it.
	if err := os.MkdirAll(filepath.Join(target, "usr/bin/busybox/x"), 0o755); err != nil {
		t.Fatal(err)
	}
	err = Execute(context.Background(), p, f.options(target))
	if err == nil || !strings.Contains(err.Error(), "rpm transaction") {
		t.Fatalf("Execute(blocked path) = %v; want an rpm transaction error", err)
	}
	if _, err := os.Stat(filepath.Join(target, "var/lib/recipe/installed")); err == nil {
		t.Error("records written after a failed transaction")
	}
}
