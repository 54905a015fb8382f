package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunSmall(t *testing.T) {
	if _, err := exec.LookPath("xorriso"); err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("xorriso not installed")
		}
		t.Fatal("xorriso not installed (needed in CI)")
	}
	cache := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"-small", "-cache", cache}, &stdout, &stderr); code != 0 {
		t.Fatalf("run -small = %d; want 0\nstderr: %s", code, stderr.String())
	}
	lines := strings.Split(strings.TrimRight(stdout.String(), "\n"), "\n")
	last := lines[len(lines)-1]
	if !filepath.IsAbs(last) || !strings.HasPrefix(last, cache) {
		t.Fatalf("last stdout line = %q; want an absolute path under %s", last, cache)
	}
	if fi, err := os.Stat(last); err != nil || fi.Size() == 0 {
		t.Errorf("ISO %s: %v", last, err)
	}
	if !strings.Contains(stderr.String(), "small set") {
		t.Errorf("stderr = %q; want a progress line", stderr.String())
	}
}

func TestRunUsage(t *testing.T) {
	tests := map[string][]string{
		"unknown flag": {"-nope"},
		"extra args":   {"-small", "extra"},
	}
	for name, args := range tests {
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(context.Background(), args, &stdout, &stderr); code != 2 {
				t.Errorf("run(%q) = %d; want 2", args, code)
			}
			if stdout.Len() != 0 {
				t.Errorf("run(%q) printed %q on stdout; want nothing", args, stdout.String())
			}
		})
	}
}

func TestDefaultCache(t *testing.T) {
	t.Setenv("LEVITATE_CACHE", "/x/cache")
	if got := defaultCache(); got != "/x/cache" {
		t.Errorf("defaultCache() with LEVITATE_CACHE = %q; want /x/cache", got)
	}
	t.Setenv("LEVITATE_CACHE", "")
	t.Setenv("XDG_CACHE_HOME", "/y")
	if got := defaultCache(); got != "/y/levitate" {
		t.Errorf("defaultCache() with XDG_CACHE_HOME = %q; want /y/levitate", got)
	}
}
