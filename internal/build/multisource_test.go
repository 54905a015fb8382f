package build

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/levitateos/levitate/internal/closure"
	"github.com/levitateos/levitate/internal/profile"
	"github.com/levitateos/levitate/internal/rpm"
	"github.com/levitateos/levitate/internal/vendorset"
)

// writeRepo writes pkgs as dir/Packages/*.rpm with repodata.
func writeRepo(t *testing.T, dir string, pkgs ...*rpm.Package) {
	t.Helper()
	var entries []rpm.RepoPackage
	os.MkdirAll(filepath.Join(dir, "Packages"), 0o755)
	for _, p := range pkgs {
		name := filepath.Join(dir, "Packages", p.FileName())
		f, err := os.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := p.Write(f); err != nil {
			t.Fatal(err)
		}
		f.Close()
		e, err := rpm.ScanPackage(name, "Packages/"+p.FileName(), 1)
		if err != nil {
			t.Fatal(err)
		}
		entries = append(entries, e)
	}
	if err := rpm.WriteRepodata(dir, entries, rpm.RepoOptions{Revision: 1}); err != nil {
		t.Fatal(err)
	}
}

func tinyPkg(name string, epoch uint32, ver string, files ...string) *rpm.Package {
	p := &rpm.Package{
		NEVRA:   rpm.NEVRA{Name: name, EVR: rpm.EVR{Epoch: epoch, Version: ver, Release: "1"}, Arch: "noarch"},
		Summary: name, License: "MIT", Compressor: "gzip",
	}
	for _, f := range files {
		p.Files = append(p.Files, rpm.File{Path: f, Mode: rpm.ModeRegular | 0o755, Body: []byte("#!/bin/sh\n")})
	}
	return p
}

// countingServer serves dir over loopback HTTP and counts package
// requests by base name.
type countingServer struct {
	*httptest.Server
	mu   sync.Mutex
	rpms map[string]int
}

func serveDir(t *testing.T, dir string) *countingServer {
	t.Helper()
	s := &countingServer{rpms: map[string]int{}}
	files := http.FileServer(http.Dir(dir))
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".rpm") {
			s.mu.Lock()
			s.rpms[filepath.Base(r.URL.Path)]++
			s.mu.Unlock()
		}
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

// multiSetup is the small vendor set in a local directory plus a loopback
// HTTP repository with tiny-base 1.1 (newer than the directory's 1.0) and
// tiny-lib 2:1.4 (older than the directory's 2:1.5).
func multiSetup(t *testing.T) (local string, srv *countingServer) {
	t.Helper()
	local = t.TempDir()
	if _, err := vendorset.WriteSmallTree(context.Background(), local); err != nil {
		t.Fatal(err)
	}
	remote := t.TempDir()
	lib := tinyPkg("tiny-lib", 2, "1.4", "/usr/lib64/libtiny.so.1")
	lib.Provides = []rpm.Dep{{Name: "libtiny.so.1()(64bit)"}}
	base := tinyPkg("tiny-base", 0, "1.1", "/usr/bin/tiny-base")
	base.Provides = []rpm.Dep{{Name: "tiny-virtual", Flags: rpm.FlagEqual, EVR: rpm.EVR{Version: "2.0"}}}
	writeRepo(t, remote, lib, base)
	return local, serveDir(t, remote)
}

// resolveOnly runs the resolve stage alone.
func resolveOnly(t *testing.T, o Options) (*builder, error) {
	t.Helper()
	b := &builder{opts: o, log: io.Discard}
	t.Cleanup(func() {
		if b.src != nil {
			b.src.Close()
		}
	})
	return b, b.resolve(context.Background())
}

func multiOptions(t *testing.T, work string, srcs ...profile.Source) Options {
	p := writeProfile(t, []string{"tiny-app", "tiny-cli"}, "verify-signatures = no\n")
	return Options{
		Profile: p, Settings: p.Settings, Sources: srcs, Work: work,
		Lock: filepath.Join(work, "lock"), Console: &bytes.Buffer{}, CacheDir: filepath.Join(work, "cache"),
	}
}

// picked maps name to "NEVRA@source" for the closure.
func picked(c *closure.Closure) map[string]string {
	out := map[string]string{}
	for _, e := range c.Entries {
		out[e.Pkg.Name] = e.Pkg.NEVRA.String() + "@" + e.Source
	}
	return out
}

func TestMultiSourceResolve(t *testing.T) {
	local, srv := multiSetup(t)
	tests := []struct {
		name       string
		localPrio  int
		remotePrio int
		want       map[string]string // name -> NEVRA@ID ("remote" stands for the URL)
	}{
		{"equal priority takes the newest EVR", 0, 0, map[string]string{
			"tiny-base": "tiny-base-1.1-1.noarch@remote", "tiny-lib": "tiny-lib-2:1.5-3.noarch@local"}},
		{"priority wins over a newer EVR", 0, 10, map[string]string{
			"tiny-base": "tiny-base-1.1-1.noarch@remote", "tiny-lib": "tiny-lib-2:1.4-1.noarch@remote"}},
		{"priority wins over a newer EVR, other way", 5, -5, map[string]string{
			"tiny-base": "tiny-base-1.0-1.noarch@local", "tiny-lib": "tiny-lib-2:1.5-3.noarch@local"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := multiOptions(t, t.TempDir(),
				profile.Source{ID: "local", Location: local, Priority: tt.localPrio},
				profile.Source{Location: srv.URL, Priority: tt.remotePrio})
			b, err := resolveOnly(t, o)
			if err != nil {
				t.Fatalf("resolve = %v", err)
			}
			got := picked(b.closure)
			for name, w := range tt.want {
				w = strings.Replace(w, "@remote", "@"+srv.URL, 1)
				if got[name] != w {
					t.Errorf("resolve picked %s = %s; want %s", name, got[name], w)
				}
			}
			if got["tiny-app"] != "tiny-app-1.0-1.noarch@local" {
				t.Errorf("tiny-app = %s; want it from local", got["tiny-app"])
			}
			// The lock records each package's source.
			f, err := os.Open(o.Lock)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			l, err := closure.ReadLock(f, o.Lock)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range l.Entries {
				if w := got[e.NEVRA.Name]; w != e.NEVRA.String()+"@"+e.Source {
					t.Errorf("lock entry %s from %q; closure took %s", e.NEVRA, e.Source, w)
				}
			}
		})
	}
}

func TestMultiSourceLocked(t *testing.T) {
	local, srv := multiSetup(t)
	work := t.TempDir()
	srcs := []profile.Source{{ID: "local", Location: local}, {Location: srv.URL, Priority: 10}}
	o := multiOptions(t, work, srcs...)
	if _, err := resolveOnly(t, o); err != nil {
		t.Fatalf("resolve = %v", err)
	}
	lockText, _ := os.ReadFile(o.Lock)

	t.Run("from lock", func(t *testing.T) {
		o := o
		o.Locked = true
		b, err := resolveOnly(t, o)
		if err != nil {
			t.Fatalf("resolve --locked = %v", err)
		}
		if err := b.fetch(context.Background()); err != nil {
			t.Fatalf("fetch --locked = %v", err)
		}
		if got := srv.rpms["tiny-lib-1.4-1.noarch.rpm"]; got != 1 {
			t.Errorf("tiny-lib 1.4 downloaded %d times; want 1 (from the recorded source)", got)
		}
		if len(b.rpms) != len(b.closure.Entries) {
			t.Errorf("fetched %d files for %d packages", len(b.rpms), len(b.closure.Entries))
		}
	})
	t.Run("lock without sources still builds", func(t *testing.T) {
		var stripped []string
		for _, line := range strings.Split(string(lockText), "\n") {
			if f := strings.Fields(line); len(f) >= 3 && !strings.HasPrefix(line, "#") {
				line = f[0] + " " + f[1]
			}
			stripped = append(stripped, line)
		}
		o := o
		o.Locked, o.Lock = true, filepath.Join(t.TempDir(), "old.lock")
		os.WriteFile(o.Lock, []byte(strings.Join(stripped, "\n")), 0o644)
		if _, err := resolveOnly(t, o); err != nil {
			t.Errorf("resolve --locked with a lock without sources = %v", err)
		}
	})
	t.Run("drift", func(t *testing.T) {
		o := o
		o.Locked = true
		o.Sources = []profile.Source{{ID: "local", Location: local}, {Location: srv.URL}}
		_, err := resolveOnly(t, o)
		for _, w := range []string{"--locked: " + o.Lock, "closure drifted from the lock file",
			"changed: tiny-lib.noarch: locked tiny-lib-2:1.4-1.noarch", srv.URL + " -> resolved tiny-lib-2:1.5-3.noarch"} {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("resolve --locked after a priority change = %v; want it to contain %q", err, w)
			}
		}
	})
	t.Run("recorded source missing", func(t *testing.T) {
		o := o
		o.Locked = true
		o.Sources = []profile.Source{{ID: "local", Location: local}}
		_, err := resolveOnly(t, o)
		for _, w := range []string{"changed: tiny-base.noarch: locked tiny-base-1.1-1.noarch", srv.URL + " -> resolved tiny-base-1.0-1.noarch"} {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("resolve --locked without the HTTP source = %v; want it to contain %q", err, w)
			}
		}
	})
}

func TestMultiSourceUnresolvableNamesSources(t *testing.T) {
	local, srv := multiSetup(t)
	p := writeProfile(t, []string{"tiny-unsat", "tiny-nosuch"}, "verify-signatures = no\n")
	o := Options{Profile: p, Settings: p.Settings, Work: t.TempDir(), Console: io.Discard,
		Sources: []profile.Source{{ID: "local", Location: local}, {Location: srv.URL, Priority: 10}}}
	_, err := resolveOnly(t, o)
	searched := "searched: local, " + srv.URL + " (priority 10)"
	for _, w := range []string{
		`tiny-unsat-1.0-1.noarch requires "tiny-does-not-exist >= 1": nothing provides it; ` + searched,
		`packages.txt:2:1: unknown package "tiny-nosuch"`,
	} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("resolve = %v; want it to contain %q", err, w)
		}
	}
}

func TestFetchReportsEveryFailure(t *testing.T) {
	local, srv := multiSetup(t)
	o := multiOptions(t, t.TempDir(), profile.Source{ID: "local", Location: local}, profile.Source{Location: srv.URL})
	b, err := resolveOnly(t, o)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"tiny-app-1.0-1.noarch.rpm", "tiny-cli-1.0-1.noarch.rpm"} {
		if err := os.Remove(filepath.Join(local, vendorset.RepoDir, "Packages/t", name)); err != nil {
			t.Fatal(err)
		}
	}
	err = b.fetch(context.Background())
	want := []string{"fetch tiny-app-1.0-1.noarch:", "(source local)\nfetch tiny-cli-1.0-1.noarch:"}
	for _, w := range want {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("fetch with two files gone = %v; want it to contain %q", err, w)
		}
	}
	if got := srv.rpms["tiny-base-1.1-1.noarch.rpm"]; got != 1 {
		t.Errorf("tiny-base 1.1 fetched %d times; want 1 despite the failures", got)
	}
}
