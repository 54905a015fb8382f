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
	"syscall"
	"time"

	"github.com/levitateos/levitate/internal/recipe"
)

// searchDir finds the recipes of dir whose name or description contains
// text, ignoring case, without decoding the whole directory: a file whose
// bytes do not contain text (ignoring case) cannot match, so only the
// files that do, or that use string escapes, are decoded and validated.
// Broken candidates are reported like loadCatalog does; broken files that
// cannot match go unnoticed (check reports them). On 5,000 recipes this
// reads every file but parses a handful, which keeps search under the
// 300 ms budget that a full LoadDir exceeds.
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
	jobs := make(chan int)
	for range min(runtime.GOMAXPROCS(0), len(files)) {
		wg.Go(func() {
			buf := make([]byte, readBufSize)
			for i := range jobs {
				results[i].r, results[i].diags = decodeIfMentions(files[i], needle, buf)
			}
		})
	}
	for i := range files {
		jobs <- i
	}
	close(jobs)
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

// readBufSize is the per-worker read buffer; recipes are a few KiB, and
// larger files take the slow path.
const readBufSize = 64 << 10

// decodeIfMentions decodes the file when it may match the lower-case
// needle; it returns nil and no diagnostics when it cannot. buf is the
// caller's scratch buffer.
func decodeIfMentions(name, needle string, buf []byte) (*recipe.Recipe, recipe.Diagnostics) {
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
	return recipe.Decode(name, bytes.Clone(src))
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
