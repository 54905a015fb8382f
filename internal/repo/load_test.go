package repo

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/levitateos/levitate/internal/rpm"
)

func load(t testing.TB, repo, cache string) *Index {
	t.Helper()
	ix, err := Load(context.Background(), os.DirFS(repo), Options{CacheDir: cache})
	if err != nil {
		t.Fatalf("Load(%s) = %v", repo, err)
	}
	return ix
}

func depStrings(ds []rpm.Dep) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.String())
	}
	sort.Strings(out)
	return out
}

func TestLoadSmall(t *testing.T) {
	ix := load(t, smallRepo(t), "")
	if ix.Len() != 12 {
		t.Errorf("Len() = %d; want 12", ix.Len())
	}
	app := ix.ByName("tiny-app")
	if len(app) != 1 {
		t.Fatalf("ByName(tiny-app) = %d packages; want 1", len(app))
	}
	if got, want := app[0].Href, "Packages/t/tiny-app-1.0-1.noarch.rpm"; got != want {
		t.Errorf("tiny-app href = %q; want %q", got, want)
	}
	if app[0].Checksum.Type != "sha256" || len(app[0].Checksum.Value) != 64 || app[0].Size <= 0 {
		t.Errorf("tiny-app checksum/size = %+v %d; want sha256 and a size", app[0].Checksum, app[0].Size)
	}
	pre := false
	for _, d := range app[0].Requires {
		if d.Name == "tiny-base" {
			pre = d.Flags&rpm.FlagPrereq != 0
		}
	}
	if !pre {
		t.Errorf("tiny-app requires tiny-base without the pre flag; want pre")
	}
	if got := ix.ByName("tiny-lib")[0].NEVRA.String(); got != "tiny-lib-2:1.5-3.noarch" {
		t.Errorf("tiny-lib NEVRA = %s; want tiny-lib-2:1.5-3.noarch", got)
	}
	if got := ix.ByName("tiny"); len(got) != 0 {
		t.Errorf("ByName(tiny) = %d packages; want none (no prefix match)", len(got))
	}
	tests := []struct{ cap, want string }{
		{"tiny-virtual", "tiny-base"},
		{"libtiny.so.1()(64bit)", "tiny-lib"},
		{"tiny-old", "tiny-new,tiny-old"},
		{"tiny-cli", "tiny-cli"},
	}
	for _, tt := range tests {
		var names []string
		for _, p := range ix.WhatProvides(tt.cap) {
			names = append(names, p.Pkg.Name)
		}
		sort.Strings(names)
		if got := strings.Join(names, ","); got != tt.want {
			t.Errorf("WhatProvides(%q) = %s; want %s", tt.cap, got, tt.want)
		}
	}
}

func TestFileLookup(t *testing.T) {
	ix := load(t, smallRepo(t), t.TempDir())
	tests := []struct{ path, want string }{
		{"/usr/bin/tiny-base", "tiny-base"},     // in primary
		{"/etc/tiny.conf", "tiny-base"},         // in primary
		{"/usr/lib64/libtiny.so.1", "tiny-lib"}, // only in filelists
		{"/usr/share/tiny/clash", "tiny-clash-a,tiny-clash-b"},
		{"/usr/share/nothing", ""},
	}
	for _, tt := range tests {
		ps, err := ix.WhatProvidesFile(tt.path)
		if err != nil {
			t.Fatalf("WhatProvidesFile(%q) = %v", tt.path, err)
		}
		var names []string
		for _, p := range ps {
			names = append(names, p.Name)
		}
		sort.Strings(names)
		if got := strings.Join(names, ","); got != tt.want {
			t.Errorf("WhatProvidesFile(%q) = %s; want %s", tt.path, got, tt.want)
		}
	}
}

func TestCompressions(t *testing.T) {
	src := smallRepo(t)
	want := load(t, src, "").Packages()
	primary, files := plainData(t, src, "primary"), plainData(t, src, "filelists")
	for _, kind := range []string{"gz", "zst", "xz", ""} {
		t.Run("ext="+kind, func(t *testing.T) {
			repo := smallRepo(t)
			os.RemoveAll(filepath.Join(repo, "repodata"))
			os.Mkdir(filepath.Join(repo, "repodata"), 0o755)
			ext := ""
			if kind != "" {
				ext = "." + kind
			}
			writeRepomd(t, repo, ext, map[string][]byte{
				"primary": compress(t, kind, primary), "filelists": compress(t, kind, files),
			})
			ix := load(t, repo, "")
			if !reflect.DeepEqual(ix.Packages(), want) {
				t.Errorf("Load(%s repodata) differs from the gzip original", kind)
			}
			if ps, err := ix.WhatProvidesFile("/usr/lib64/libtiny.so.1"); err != nil || len(ps) != 1 {
				t.Errorf("WhatProvidesFile via %s filelists = %v, %v; want tiny-lib", kind, ps, err)
			}
		})
	}
}

func TestChecksumMismatch(t *testing.T) {
	repo := smallRepo(t)
	md := readRepomd(t, repo)
	d, _ := md.Find("filelists")
	p := filepath.Join(repo, d.Href)
	b, _ := os.ReadFile(p)
	b[len(b)/2] ^= 0xff
	os.WriteFile(p, b, 0o644)
	_, err := Load(context.Background(), os.DirFS(repo), Options{})
	var ce *ChecksumError
	if !errors.As(err, &ce) {
		t.Fatalf("Load(corrupt filelists) = %v; want a *ChecksumError", err)
	}
	if ce.File != d.Href || ce.Want != d.Checksum.Value || ce.Got != sha256Hex(b) {
		t.Errorf("ChecksumError = %+v; want file %s, expected %s, actual %s", ce, d.Href, d.Checksum.Value, sha256Hex(b))
	}
	for _, s := range []string{d.Href, d.Checksum.Value, sha256Hex(b)} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not name %s", err, s)
		}
	}
}

func TestMissingDataFile(t *testing.T) {
	repo := smallRepo(t)
	d, _ := readRepomd(t, repo).Find("primary")
	os.Remove(filepath.Join(repo, d.Href))
	_, err := Load(context.Background(), os.DirFS(repo), Options{})
	if err == nil || !strings.Contains(err.Error(), d.Href) {
		t.Errorf("Load(missing primary) = %v; want an error naming %s", err, d.Href)
	}
}

func TestCache(t *testing.T) {
	repo, cacheDir := smallRepo(t), t.TempDir()
	first := load(t, repo, cacheDir)
	first.WhatProvidesFile("/usr/lib64/libtiny.so.1")
	entries, _ := filepath.Glob(filepath.Join(cacheDir, "*.primary"))
	if len(entries) != 1 {
		t.Fatalf("cache has %d primary entries; want 1", len(entries))
	}
	// A hit must not need the data files at all.
	d, _ := readRepomd(t, repo).Find("primary")
	orig, _ := os.ReadFile(filepath.Join(repo, d.Href))
	os.Remove(filepath.Join(repo, d.Href))
	if got := load(t, repo, cacheDir); !reflect.DeepEqual(got.Packages(), first.Packages()) {
		t.Errorf("Load from cache differs from the parsed index")
	}
	os.WriteFile(filepath.Join(repo, d.Href), orig, 0o644)
	for name, corrupt := range map[string]func([]byte) []byte{
		"flipped":   func(b []byte) []byte { b[len(b)/2] ^= 1; return b },
		"truncated": func(b []byte) []byte { return b[:len(b)/3] },
		"empty":     func([]byte) []byte { return nil },
	} {
		t.Run(name, func(t *testing.T) {
			b, _ := os.ReadFile(entries[0])
			os.WriteFile(entries[0], corrupt(b), 0o644)
			if got := load(t, repo, cacheDir); !reflect.DeepEqual(got.Packages(), first.Packages()) {
				t.Errorf("Load with a %s cache differs from the parsed index", name)
			}
		})
	}
}

func TestBadHref(t *testing.T) {
	for _, href := range []string{"/etc/passwd", "../x", "a/../../b"} {
		_, err := ParseRepomd([]byte(`<repomd><data type="primary"><location href="` + href + `"/></data></repomd>`))
		if err == nil {
			t.Errorf("ParseRepomd(href %q) = nil error; want rejection", href)
		}
	}
}
