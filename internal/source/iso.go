package source

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/levitateos/levitate/internal/run"
)

// isoBlock is the ISO 9660 logical block size.
const isoBlock = 2048

// openISO reads an ISO 9660 image without mounting it. One `xorriso
// -find ... -exec report_lba` call maps every Rock Ridge path to its
// extents; files are then read straight from the image file. We tried
// github.com/kdomanski/iso9660 v0.4.0 first: on xorriso-made images it
// returned 8.3 names for most files and only the tail of a 164-character
// name, so xorriso, the reference reader, decides what a path is.
func openISO(ctx context.Context, id, name, cacheDir string) (Source, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("open source: %w", err)
	}
	var magic [5]byte
	if _, err := f.ReadAt(magic[:], 16*isoBlock+1); err != nil || string(magic[:]) != "CD001" {
		f.Close()
		return nil, fmt.Errorf("open source %s: not an ISO 9660 image", name)
	}
	out, err := run.Output(ctx, run.Cmd{Argv: []string{
		"xorriso", "-abort_on", "FAILURE", "-indev", name, "-find", "/", "-type", "f", "-exec", "report_lba", "--",
	}})
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open source %s: list files: %w", name, err)
	}
	files, err := parseReportLBA(out)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open source %s: %w", name, err)
	}
	return newTreeSource(id, &isoOpener{img: f, files: files}, f, cacheDir, false), nil
}

// extent is one contiguous run of a file in the image; files over 4 GiB
// have several.
type extent struct{ lba, size int64 }

type isoOpener struct {
	img   *os.File
	files map[string][]extent
}

// parseReportLBA reads lines such as
//
//	File data lba:  0 ,       34 ,        1 ,     2012 , '/Minimal/Packages/t/a.rpm'
func parseReportLBA(out []byte) (map[string][]extent, error) {
	files := map[string][]extent{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for line := 1; sc.Scan(); line++ {
		text, ok := strings.CutPrefix(sc.Text(), "File data lba:")
		if !ok {
			continue
		}
		f := strings.SplitN(text, ",", 5)
		if len(f) != 5 {
			return nil, fmt.Errorf("xorriso report line %d: %q: want 5 fields", line, sc.Text())
		}
		var n [4]int64
		for i := range n {
			v, err := strconv.ParseInt(strings.TrimSpace(f[i]), 10, 64)
			if err != nil {
				return nil, fmt.Errorf("xorriso report line %d: field %d: %w", line, i+1, err)
			}
			n[i] = v
		}
		p, err := unquoteShell(strings.TrimSpace(f[4]))
		if err != nil {
			return nil, fmt.Errorf("xorriso report line %d: %w", line, err)
		}
		p = strings.TrimPrefix(p, "/")
		files[p] = append(files[p], extent{lba: n[1], size: n[3]})
	}
	return files, sc.Err()
}

// unquoteShell undoes xorriso's quoting: the path is in single quotes and
// a quote inside is written '"'"'.
func unquoteShell(s string) (string, error) {
	if len(s) < 2 || s[0] != '\'' || s[len(s)-1] != '\'' {
		return "", fmt.Errorf("path %q is not quoted", s)
	}
	return strings.ReplaceAll(s[1:len(s)-1], `'"'"'`, `'`), nil
}

func (o *isoOpener) open(_ context.Context, name string) (io.ReadCloser, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	exts, ok := o.files[name]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	rs := make([]io.Reader, len(exts))
	for i, e := range exts {
		rs[i] = io.NewSectionReader(o.img, e.lba*isoBlock, e.size)
	}
	return io.NopCloser(io.MultiReader(rs...)), nil
}

// readDir lists the directories and files below name, derived from the
// file paths (the report lists files only, so empty directories are
// invisible, which no caller needs).
func (o *isoOpener) readDir(name string) ([]fs.DirEntry, error) {
	prefix := ""
	if name != "." {
		prefix = name + "/"
	}
	seen := map[string]bool{}
	var out []fs.DirEntry
	for p := range o.files {
		rest, ok := strings.CutPrefix(p, prefix)
		if !ok {
			continue
		}
		child, _, isDir := strings.Cut(rest, "/")
		if seen[child] {
			continue
		}
		seen[child] = true
		out = append(out, dirEntry{name: child, dir: isDir})
	}
	if len(out) == 0 {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out, nil
}

type dirEntry struct {
	name string
	dir  bool
}

func (d dirEntry) Name() string { return d.name }
func (d dirEntry) IsDir() bool  { return d.dir }
func (d dirEntry) Type() fs.FileMode {
	if d.dir {
		return fs.ModeDir
	}
	return 0
}
func (d dirEntry) Info() (fs.FileInfo, error) { return d, nil }
func (d dirEntry) Size() int64                { return 0 }
func (d dirEntry) Mode() fs.FileMode          { return d.Type() }
func (d dirEntry) ModTime() time.Time         { return time.Time{} }
func (d dirEntry) Sys() any                   { return nil }
