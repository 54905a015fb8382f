package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/levitateos/levitate/internal/vendorset"
)

func TestBuildDryRun(t *testing.T) {
	t.Setenv("LEVITATE_CACHE", t.TempDir())
	out := filepath.Join(t.TempDir(), "x.iso")
	code, stdout, stderr := runCLI(t, "build", "../../profiles/levitate", "--source", "/nonexistent.iso",
		"-o", out, "--dry-run", "--compression", "zstd:3", "--no-verify-signatures")
	if code != exitOK {
		t.Fatalf("build --dry-run = %d, stderr %q; want 0", code, stderr)
	}
	for _, want := range []string{"compression  zstd 3", "signatures   NOT verified", "1. resolve:", "9. outputs:", out + ".lock"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("build --dry-run printed %q; want %q", stdout, want)
		}
	}
	if !strings.Contains(stderr, "NOT checked") {
		t.Errorf("build --no-verify-signatures stderr = %q; want a loud warning", stderr)
	}
}

func TestBuildUsage(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no source", []string{"build", "../../profiles/levitate"}, "--source is required"},
		{"bad compression", []string{"build", "../../profiles/levitate", "--source", "x", "--compression", "zstd:99", "--dry-run"}, "zstd level 99 out of range 1-22"},
		{"two profiles", []string{"build", "a", "b"}, "at most one PROFILE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tc.args...)
			if code != exitUsage || !strings.Contains(stderr, tc.want) {
				t.Errorf("levitateiso %q = %d, %q; want %d and %q", tc.args, code, stderr, exitUsage, tc.want)
			}
		})
	}
}

func TestCheckAndListSmallTree(t *testing.T) {
	t.Setenv("LEVITATE_CACHE", t.TempDir())
	src := t.TempDir()
	if _, err := vendorset.WriteSmallTree(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, "list-packages", src)
	if code != exitOK || !strings.Contains(stdout, "tiny-lib\t2:1.5-3.noarch\t") {
		t.Errorf("list-packages = %d, %q, %q; want tiny-lib 2:1.5-3.noarch", code, stdout, stderr)
	}
	prof := t.TempDir()
	if err := os.WriteFile(filepath.Join(prof, "packages.txt"), []byte("tiny-lib\ntiny-app\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// The small set has no kernel or boot loader: check names each
	// missing boot requirement with its file and line.
	code, stdout, _ = runCLI(t, "check", prof, "--source", src)
	if code != exitFailure || !strings.Contains(stdout, "packages.txt:") || !strings.Contains(stdout, "kernel") {
		t.Errorf("check small profile = %d, %q; want failure naming the missing kernel at packages.txt", code, stdout)
	}
	if err := os.WriteFile(filepath.Join(prof, "packages.txt"), []byte("tiny-lbi\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = runCLI(t, "check", prof, "--source", src)
	if code != exitFailure || !strings.Contains(stderr, "tiny-lbi") {
		t.Errorf("check unknown name = %d, %q; want failure naming tiny-lbi", code, stderr)
	}
}
