package recipecmd

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/levitateos/levitate/internal/recipe"
)

// searchDir finds the recipes of dir whose name or description contains
// text, ignoring case, without decoding the whole directory: a file whose
// bytes do not contain text (ignoring case) cannot match, so only the
// files that do, or that use string escapes, are decoded and validated.
// Broken candidates are reported like loadCatalog does; broken files that
// cannot match go unnoticed (check reports them). On 5,000 recipes a
// typical query reads every file but decodes a fraction of them; the worst
// case, a query every file mentions, decodes and validates them all (see
// docs/benchmarks.md for both). The recipes returned hold only what
// search prints (see brief).
func (a *app) searchDir(text string) ([]*recipe.Recipe, error) {
	dir := a.opts.recipesDir
	start := time.Now()
	if fi, err := os.Stat(dir); err != nil {
		return nil, fail(fmt.Errorf("recipe directory: %w", err))
	} else if !fi.IsDir() {
		return nil, fail(fmt.Errorf("recipe directory %s: not a directory", dir))
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.recipe"))
	if err != nil {
		return nil, fail(fmt.Errorf("list recipe directory: %w", err))
	}
	slices.Sort(files)
	needle := strings.ToLower(text)
	type result struct {
		r     *recipe.Recipe
		diags recipe.Diagnostics
	}
	results := make([]result, len(files))
	var wg sync.WaitGroup
	// A shared counter rather than a channel: handing out 5,000 small jobs
	// through a channel puts the workers to sleep and wakes them up again
	// for every file.
	var next atomic.Int64
	for range min(runtime.GOMAXPROCS(0), len(files)) {
		wg.Go(func() {
			buf := make([]byte, readBufSize)
			var dec recipe.Decoder
			for {
				i := int(next.Add(1) - 1)
				if i >= len(files) {
					return
				}
				r, diags := decodeIfMentions(&dec, files[i], needle, buf)
				if r != nil && !diags.HasErrors() {
					r = brief(r)
				}
				results[i].r, results[i].diags = r, diags
			}
		})
	}
	wg.Wait()

	var diags recipe.Diagnostics
	var hits []*recipe.Recipe
	seen := map[string]bool{}
	for _, res := range results {
		diags = append(diags, res.diags...)
		if r := res.r; r != nil && !res.diags.HasErrors() && !seen[r.Name] {
			seen[r.Name] = true
			hits = append(hits, r)
		}
	}
	diags.Sort()
	if bad := a.report(diags); len(bad) > 0 {
		fmt.Fprintf(a.stderr, "recipe: skipped %d recipe file(s) with errors in %s\n", len(bad), dir)
	}
	hits = search(hits, text)
	slices.SortFunc(hits, func(x, y *recipe.Recipe) int { return strings.Compare(x.Name, y.Name) })
	a.verbosef("searched %d recipe files in %s in %v", len(files), dir, time.Since(start).Round(time.Microsecond))
	return hits, nil
}

// brief returns the part of r that search prints, in memory of its own.
// The full recipe, and the copy of its file that its strings point into,
// then become garbage at once: in the worst case, a query every file
// matches, keeping 5,000 full recipes alive would make the heap, the page
// faults and the garbage collector's work several times larger.
func brief(r *recipe.Recipe) *recipe.Recipe {
	return &recipe.Recipe{
		File:        r.File,
		Pos:         r.Pos,
		Name:        strings.Clone(r.Name),
		NamePos:     r.NamePos,
		Version:     strings.Clone(r.Version),
		VersionPos:  r.VersionPos,
		Description: strings.Clone(r.Description),
	}
}

// readBufSize is the per-worker read buffer; recipes are a few KiB, and
// larger files take the slow path.
const readBufSize = 64 << 10

// decodeIfMentions decodes the file when it may match the lower-case
// needle; it returns nil and no diagnostics when it cannot. buf is the
// caller's scratch buffer, which the decoder does not keep: it copies src.
func decodeIfMentions(dec *recipe.Decoder, name, needle string, buf []byte) (*recipe.Recipe, recipe.Diagnostics) {
	src, err := readSmall(name, buf)
	switch {
	case err != nil:
		return nil, recipe.Diagnostics{{Pos: recipe.Pos{File: name}, Severity: recipe.Error, Msg: fmt.Sprintf("read recipe: %v", err)}}
	case len(src) > recipe.MaxFileSize:
		return nil, recipe.Diagnostics{{Pos: recipe.Pos{File: name}, Severity: recipe.Error, Msg: fmt.Sprintf("recipe file larger than %d bytes", recipe.MaxFileSize)}}
	}
	// A string escape could spell the needle differently in the file.
	if bytes.IndexByte(src, '\\') < 0 && !containsFoldBytes(src, needle) {
		return nil, nil
	}
	return dec.Decode(name, src)
}

// readSmall reads a file into buf with bare system calls. os.ReadFile
// costs twice the CPU time here (it registers the descriptor with the
// poller and stats the file), and search reads thousands of files. A
// file that does not fit in buf is read with os.ReadFile.
func readSmall(name string, buf []byte) ([]byte, error) {
	fd, err := syscall.Open(name, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: name, Err: err}
	}
	defer syscall.Close(fd)
	n := 0
	for n < len(buf) {
		m, err := syscall.Read(fd, buf[n:])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &os.PathError{Op: "read", Path: name, Err: err}
		}
		if m == 0 {
			return buf[:n], nil
		}
		n += m
		if n < len(buf) {
			// A short read from a regular file means end of file; this
			// saves the read that would return 0.
			return buf[:n], nil
		}
	}
	return os.ReadFile(name)
}

// containsFoldBytes is containsFold over a byte slice, without copying
// ASCII input.
func containsFoldBytes(s []byte, needle string) bool {
	for _, c := range s {
		if c >= 0x80 {
			return strings.Contains(strings.ToLower(string(s)), needle)
		}
	}
	n := len(needle)
	if n == 0 {
		return true
	}
	first := needle[0]
	for i := 0; i+n <= len(s); i++ {
		if lower(s[i]) != first {
			continue
		}
		j := 1
		for j < n && lower(s[i+j]) == needle[j] {
			j++
		}
		if j == n {
			return true
		}
	}
	return false
}
