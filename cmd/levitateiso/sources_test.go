package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/levitateos/levitate/internal/vendorset"
)

// smallSources writes the small vendor set twice: as a directory next to
// a profile (named by a relative source line) and behind a loopback HTTP
// server. It returns the profile directory and the server's URL.
func smallSources(t *testing.T, packages string) (prof, url string) {
	t.Helper()
	t.Setenv("LEVITATE_CACHE", t.TempDir())
	top := t.TempDir()
	if _, err := vendorset.WriteSmallTree(context.Background(), filepath.Join(top, "vendor")); err != nil {
		t.Fatal(err)
	}
	remote := t.TempDir()
	if _, err := vendorset.WriteSmallTree(context.Background(), remote); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(filepath.Join(remote, vendorset.RepoDir))))
	t.Cleanup(srv.Close)
	prof = filepath.Join(top, "profile")
	os.MkdirAll(prof, 0o755)
	os.WriteFile(filepath.Join(prof, "packages.txt"), []byte(packages), 0o644)
	os.WriteFile(filepath.Join(prof, "profile.conf"), []byte("source = ../vendor\nverify-signatures = no\n"), 0o644)
	return prof, srv.URL
}

func TestCheckNamesSearchedSources(t *testing.T) {
	prof, url := smallSources(t, "tiny-app\ntiny-unsat\n")
	code, _, stderr := runCLI(t, "check", prof, "--source", url+" priority=5")
	want := `tiny-unsat-1.0-1.noarch requires "tiny-does-not-exist >= 1": nothing provides it; searched: ../vendor, ` + url + " (priority 5)"
	if code != exitFailure || !strings.Contains(stderr, want) {
		t.Errorf("check = %d, %q; want failure containing %q", code, stderr, want)
	}
	code, _, stderr = runCLI(t, "check", prof, "--no-profile-sources", "--source", url)
	want = "nothing provides it; searched: " + url + "\n"
	if code != exitFailure || !strings.Contains(stderr, want) {
		t.Errorf("check --no-profile-sources = %d, %q; want failure containing %q", code, stderr, want)
	}
}

func TestCheckProfileSourceOnly(t *testing.T) {
	prof, _ := smallSources(t, "tiny-app\n")
	code, stdout, _ := runCLI(t, "check", prof)
	if code != exitFailure || !strings.Contains(stdout, "closure: 4 packages from ../vendor") || !strings.Contains(stdout, "kernel") {
		t.Errorf("check = %d, %q; want the closure from ../vendor and the missing kernel", code, stdout)
	}
}

func TestBuildDryRunSources(t *testing.T) {
	prof, url := smallSources(t, "tiny-app\n")
	key := filepath.Join(t.TempDir(), "KEY")
	os.WriteFile(key, []byte("key"), 0o644)
	code, stdout, stderr := runCLI(t, "build", prof, "--dry-run", "-o", filepath.Join(t.TempDir(), "x.iso"),
		"--source", url+" priority=10 key="+key, "--source", "/srv/AppStream")
	if code != exitOK {
		t.Fatalf("build --dry-run = %d, %q", code, stderr)
	}
	for _, w := range []string{
		"source       ../vendor\n",
		"source       " + url + " priority=10 key=" + key + "\n",
		"source       /srv/AppStream\n",
		"in       ../vendor " + url + " /srv/AppStream packages.txt",
	} {
		if !strings.Contains(stdout, w) {
			t.Errorf("build --dry-run printed %q; want %q", stdout, w)
		}
	}
}

func TestSourceFlagErrors(t *testing.T) {
	prof, url := smallSources(t, "tiny-app\n")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"build", prof, "--dry-run", "--source", url + " priority=x"}, exitUsage, `--source "` + url + ` priority=x": priority "x": want an integer`},
		{[]string{"check", prof, "--source", url + " key=/nonexistent"}, exitUsage, `key file "/nonexistent": no such file or directory`},
		{[]string{"build", prof, "--no-profile-sources", "--dry-run"}, exitUsage, "--source is required"},
		{[]string{"check", prof, "--source", filepath.Join(prof, "missing.iso")}, exitFailure, "source " + filepath.Join(prof, "missing.iso") + ": open source:"},
	} {
		t.Run(strings.Join(tc.args[2:], " "), func(t *testing.T) {
			code, _, stderr := runCLI(t, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.want) {
				t.Errorf("levitateiso %q = %d, %q; want %d and %q", tc.args, code, stderr, tc.code, tc.want)
			}
		})
	}
}

func TestListSeveralSources(t *testing.T) {
	prof, url := smallSources(t, "tiny-app\n")
	vendor := filepath.Join(filepath.Dir(prof), "vendor")
	code, stdout, stderr := runCLI(t, "list-packages", vendor, url)
	if code != exitOK {
		t.Fatalf("list-packages = %d, %q", code, stderr)
	}
	for _, w := range []string{"tiny-lib\t2:1.5-3.noarch\t", "\t" + vendor + "\n", "\t" + url + "\n"} {
		if !strings.Contains(stdout, w) {
			t.Errorf("list-packages printed %q; want %q", stdout, w)
		}
	}
}
