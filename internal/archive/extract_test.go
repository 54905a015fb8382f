package archive

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// want describes one path expected after extraction.
type want struct {
	mode   fs.FileMode // type and permission bits
	data   string      // file content
	target string      // symlink target
	mtime  bool        // check the mtime against epoch
}

var longName = "long/" + strings.Repeat("directory-name-", 5) + "/" + strings.Repeat("file-name-", 10) + ".txt"

// goodTar is a tree exercising what extraction must reproduce.
func goodTar(t testing.TB) []byte {
	return mkTar(t,
		tdir("d/", 0o750),
		treg("d/f", 0o640, "hello"),
		treg("bin/x", 0o755, "#!/bin/sh\n"),
		treg("bin/su", 0o4755, "setuid"),
		tsym("lnk", "d/f"),
		tsym("d/up", "../bin/x"),
		tsym("dangling", "nothere"),
		tlink("d/hard", "d/f"),
		tdir("empty/", 0o700),
		tdir("ro/", 0o555),
		treg("ro/inside", 0o444, "ro"),
		treg(longName, 0o644, "long"),
		treg("./dot/slash", 0o600, "ds"),
		tdir("./", 0o755),
	)
}

func goodTree() map[string]want {
	return map[string]want{
		"d":           {mode: fs.ModeDir | 0o750, mtime: true},
		"d/f":         {mode: 0o640, data: "hello", mtime: true},
		"bin":         {mode: fs.ModeDir | 0o755},
		"bin/x":       {mode: 0o755, data: "#!/bin/sh\n", mtime: true},
		"bin/su":      {mode: fs.ModeSetuid | 0o755, data: "setuid", mtime: true},
		"lnk":         {mode: fs.ModeSymlink | 0o777, target: "d/f"},
		"d/up":        {mode: fs.ModeSymlink | 0o777, target: "../bin/x"},
		"dangling":    {mode: fs.ModeSymlink | 0o777, target: "nothere"},
		"d/hard":      {mode: 0o640, data: "hello", mtime: true},
		"empty":       {mode: fs.ModeDir | 0o700, mtime: true},
		"ro":          {mode: fs.ModeDir | 0o555, mtime: true},
		"ro/inside":   {mode: 0o444, data: "ro", mtime: true},
		"long":        {mode: fs.ModeDir | 0o755},
		longName[:80]: {mode: fs.ModeDir | 0o755},
		longName:      {mode: 0o644, data: "long", mtime: true},
		"dot":         {mode: fs.ModeDir | 0o755},
		"dot/slash":   {mode: 0o600, data: "ds", mtime: true},
	}
}

// checkTree compares dst against want exactly: no missing, no extra paths.
func checkTree(t *testing.T, dst string, tree map[string]want) {
	t.Helper()
	seen := map[string]bool{}
	err := filepath.WalkDir(dst, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dst {
			return err
		}
		rel, _ := filepath.Rel(dst, p)
		seen[rel] = true
		w, ok := tree[rel]
		if !ok {
			t.Errorf("unexpected path %s", rel)
			return nil
		}
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		if fi.Mode() != w.mode {
			t.Errorf("mode(%s) = %v; want %v", rel, fi.Mode(), w.mode)
		}
		if w.mtime && !fi.ModTime().Equal(epoch) {
			t.Errorf("mtime(%s) = %v; want %v", rel, fi.ModTime(), epoch)
		}
		switch {
		case fi.Mode().IsRegular():
			if b, _ := os.ReadFile(p); string(b) != w.data {
				t.Errorf("content(%s) = %q; want %q", rel, b, w.data)
			}
		case fi.Mode()&fs.ModeSymlink != 0:
			if l, _ := os.Readlink(p); l != w.target {
				t.Errorf("readlink(%s) = %q; want %q", rel, l, w.target)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for p := range tree {
		if !seen[p] {
			t.Errorf("missing path %s", p)
		}
	}
}

func TestExtractTarFormats(t *testing.T) {
	opts := Options{AllowSetuid: []string{"bin/su"}}
	for _, f := range []Format{Tar, TarGz, TarXz, TarZst} {
		t.Run(string(f), func(t *testing.T) {
			data := compress(t, f, goodTar(t))
			dst := filepath.Join(t.TempDir(), "dst")
			var calls int
			var last int64
			o := opts
			o.Progress = func(done, total int64) { calls++; last = done }
			st, err := ExtractReader(context.Background(), "good."+string(f), bytes.NewReader(data), "", dst, o)
			if err != nil {
				t.Fatalf("ExtractReader(%s) = %v; want nil", f, err)
			}
			checkTree(t, dst, goodTree())
			wantSt := Stats{Files: 6, Dirs: 3, Symlinks: 3, Hardlinks: 1, Bytes: 29, Compressed: int64(len(data))}
			if st.Sums != nil {
				t.Errorf("stats.Sums = %v without Options.Sums; want nil", st.Sums)
			}
			if st.Sums = nil; !reflect.DeepEqual(st, wantSt) {
				t.Errorf("stats = %+v; want %+v", st, wantSt)
			}
			if calls == 0 || last != int64(len(data)) {
				t.Errorf("progress: %d calls, last %d; want last = %d", calls, last, len(data))
			}
			a, _ := os.Stat(filepath.Join(dst, "d/f"))
			b, _ := os.Stat(filepath.Join(dst, "d/hard"))
			if !os.SameFile(a, b) {
				t.Errorf("d/hard is not a hard link of d/f")
			}
		})
	}
}

func TestExtractZip(t *testing.T) {
	data := mkZip(t,
		zent{name: "d/", mode: fs.ModeDir | 0o750},
		zent{name: "d/f", mode: 0o640, data: "hello"},
		zent{name: "bin/x", mode: 0o755, data: "#!/bin/sh\n"},
		zent{name: "lnk", mode: fs.ModeSymlink | 0o777, data: "d/f"},
		zent{name: "empty/", mode: fs.ModeDir | 0o700},
		zent{name: longName, mode: 0o644, data: "long"},
	)
	tree := map[string]want{
		"d":           {mode: fs.ModeDir | 0o750, mtime: true},
		"d/f":         {mode: 0o640, data: "hello", mtime: true},
		"bin":         {mode: fs.ModeDir | 0o755},
		"bin/x":       {mode: 0o755, data: "#!/bin/sh\n", mtime: true},
		"lnk":         {mode: fs.ModeSymlink | 0o777, target: "d/f"},
		"empty":       {mode: fs.ModeDir | 0o700, mtime: true},
		"long":        {mode: fs.ModeDir | 0o755},
		longName[:80]: {mode: fs.ModeDir | 0o755},
		longName:      {mode: 0o644, data: "long", mtime: true},
	}
	// Through a file (random access) and through a plain stream (spooled).
	path := filepath.Join(t.TempDir(), "good.zip")
	must(t, os.WriteFile(path, data, 0o644))
	dst := filepath.Join(t.TempDir(), "dst")
	if _, err := Extract(context.Background(), path, "", dst, Options{}); err != nil {
		t.Fatalf("Extract(zip) = %v; want nil", err)
	}
	checkTree(t, dst, tree)
	dst2 := filepath.Join(t.TempDir(), "dst")
	st, err := ExtractReader(context.Background(), "good.zip", struct{ *bytes.Buffer }{bytes.NewBuffer(data)}, Zip, dst2, Options{TempDir: t.TempDir()})
	if err != nil {
		t.Fatalf("ExtractReader(zip stream) = %v; want nil", err)
	}
	checkTree(t, dst2, tree)
	if st.Files != 3 || st.Dirs != 2 || st.Symlinks != 1 {
		t.Errorf("stats = %+v; want 3 files, 2 dirs, 1 symlink", st)
	}
}

func TestExtractSingle(t *testing.T) {
	text := bigText(300000)
	for _, f := range []Format{Gz, Xz, Zst} {
		t.Run(string(f), func(t *testing.T) {
			dir := t.TempDir()
			src := filepath.Join(dir, "notes.txt."+f.compression())
			must(t, os.WriteFile(src, compress(t, f, []byte(text)), 0o644))
			dst := filepath.Join(dir, "dst")
			if _, err := Extract(context.Background(), src, "", dst, Options{}); err != nil {
				t.Fatalf("Extract(%s) = %v; want nil", src, err)
			}
			b, err := os.ReadFile(filepath.Join(dst, "notes.txt"))
			if err != nil || string(b) != text {
				t.Errorf("notes.txt: %d bytes, err %v; want %d bytes", len(b), err, len(text))
			}
		})
	}
}

// TestExtractRealTar extracts archives made by GNU tar and checks the tree
// against what GNU tar itself extracts.
func TestExtractRealTar(t *testing.T) {
	if _, err := exec.LookPath("tar"); err != nil && os.Getenv("CI") == "" {
		t.Skip("tar not installed")
	}
	src := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(src, "usr/bin"), 0o755))
	must(t, os.MkdirAll(filepath.Join(src, "usr/share/doc/empty"), 0o755))
	must(t, os.WriteFile(filepath.Join(src, "usr/bin/tool"), []byte(bigText(200000)), 0o755))
	must(t, os.WriteFile(filepath.Join(src, "usr/share/doc/"+strings.Repeat("n", 150)), []byte("long"), 0o644))
	must(t, os.Symlink("tool", filepath.Join(src, "usr/bin/alias")))
	must(t, os.Link(filepath.Join(src, "usr/bin/tool"), filepath.Join(src, "usr/bin/tool2")))
	must(t, os.Chtimes(filepath.Join(src, "usr/bin/tool"), epoch, epoch))
	for _, c := range []struct {
		flag string
		f    Format
	}{{"-cf", Tar}, {"-czf", TarGz}, {"-cJf", TarXz}, {"--zstd -cf", TarZst}, {"-cjf", TarBz2}} {
		t.Run(string(c.f), func(t *testing.T) {
			dir := t.TempDir()
			arc := filepath.Join(dir, "real.archive")
			args := append(strings.Fields(c.flag), arc, "-C", src, ".")
			if out, err := exec.Command("tar", args...).CombinedOutput(); err != nil {
				t.Fatalf("tar %v: %v\n%s", args, err, out)
			}
			ours, theirs := filepath.Join(dir, "ours"), filepath.Join(dir, "theirs")
			if _, err := Extract(context.Background(), arc, "", ours, Options{}); err != nil {
				t.Fatalf("Extract(%s) = %v; want nil", c.f, err)
			}
			must(t, os.Mkdir(theirs, 0o755))
			if out, err := exec.Command("tar", "-xf", arc, "-C", theirs).CombinedOutput(); err != nil {
				t.Fatalf("tar -x: %v\n%s", err, out)
			}
			a, b := treeDesc(t, ours), treeDesc(t, theirs)
			if a != b {
				t.Errorf("our tree differs from GNU tar's:\nours:\n%s\ntheirs:\n%s", a, b)
			}
		})
	}
}

// treeDesc renders a tree (names, modes, sizes, mtimes, link targets).
func treeDesc(t *testing.T, dir string) string {
	var sb strings.Builder
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		must(t, err)
		rel, _ := filepath.Rel(dir, p)
		fi, _ := os.Lstat(p)
		l, _ := os.Readlink(p)
		mt := fi.ModTime().Format(time.RFC3339)
		if rel == "." || l != "" { // the root is the caller's; link times are not set
			mt = ""
		}
		sb.WriteString(rel + " " + fi.Mode().String() + " " + mt + " " + l + "\n")
		if fi.Mode().IsRegular() {
			b, _ := os.ReadFile(p)
			fmt.Fprintf(&sb, "  %x\n", sha256.Sum256(b))
		}
		return nil
	})
	return sb.String()
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dst := filepath.Join(t.TempDir(), "dst")
	_, err := ExtractReader(ctx, "x.tar", bytes.NewReader(goodTar(t)), Tar, dst, Options{AllowSetuid: []string{"bin/su"}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("ExtractReader(cancelled) = %v; want context.Canceled", err)
	}
	if _, err := os.Stat(dst); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("dst after cancel: %v; want removed", err)
	}
}

func TestDetectFormat(t *testing.T) {
	tarHead := mkTar(t, treg("x", 0o644, "x"))[:HeadSize]
	gz := compress(t, TarGz, []byte("x"))
	zs := compress(t, TarZst, []byte("x"))
	xzb := compress(t, TarXz, []byte("x"))
	cases := []struct {
		name string
		head []byte
		want Format
	}{
		{"a.tar.gz", gz, TarGz},
		{"a.tgz", gz, TarGz},
		{"a.gz", gz, Gz},
		{"download", gz, TarGz},
		{"a.zip", gz, TarGz}, // magic wins over the name
		{"a.tar.zst", zs, TarZst},
		{"a.zst", zs, Zst},
		{"a.tar.xz", xzb, TarXz},
		{"a.xz", xzb, Xz},
		{"a.tar.bz2", []byte("BZh91AY&SY"), TarBz2},
		{"a", []byte("PK\x03\x04rest"), Zip},
		{"a", tarHead, Tar},
		{"old.tar", []byte("v7 tar without magic"), Tar},
		{"a.ZIP", nil, Zip},
	}
	for _, c := range cases {
		got, err := DetectFormat(c.name, c.head)
		if err != nil || got != c.want {
			t.Errorf("DetectFormat(%q, %q...) = %q, %v; want %q", c.name, c.head[:min(len(c.head), 4)], got, err, c.want)
		}
	}
	if _, err := DetectFormat("blob", []byte("nothing")); !errors.Is(err, ErrUnknownFormat) {
		t.Errorf("DetectFormat(blob) error = %v; want ErrUnknownFormat", err)
	}
	for _, f := range Formats() {
		if got, err := ParseFormat(string(f)); got != f || err != nil {
			t.Errorf("ParseFormat(%q) = %q, %v; want %q", f, got, err, f)
		}
	}
	if _, err := ParseFormat("rar"); err == nil || !strings.Contains(err.Error(), `unknown archive format "rar"`) {
		t.Errorf("ParseFormat(rar) = %v; want unknown format error", err)
	}
}
