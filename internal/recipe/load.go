package recipe

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/levitateos/levitate/internal/sexpr"
)

// MaxFileSize bounds the size of a recipe file LoadDir reads.
const MaxFileSize = 1 << 20

// LoadDir decodes every *.recipe file in dir (not hidden ones, not those in
// subdirectories), in parallel on up to GOMAXPROCS goroutines. The recipes
// come back sorted by file name; a recipe whose file has an Error is left
// out, and its diagnostics are in the returned list, as are warnings for
// every file and an Error for each package name defined twice. A directory
// that cannot be read is reported as an Error at the directory.
func LoadDir(dir string) ([]*Recipe, Diagnostics) {
	d, err := os.Open(dir)
	if err != nil {
		return nil, Diagnostics{{Pos: Pos{File: dir}, Severity: Error, Msg: fmt.Sprintf("read recipe directory: %v", err)}}
	}
	defer d.Close()
	names, err := d.Readdirnames(-1)
	if err != nil {
		return nil, Diagnostics{{Pos: Pos{File: dir}, Severity: Error, Msg: fmt.Sprintf("read recipe directory: %v", err)}}
	}
	// Files are opened relative to the directory: cheaper than resolving
	// the whole path once per file.
	dirfd := int(d.Fd())
	var files []string
	for _, n := range names {
		if strings.HasSuffix(n, ".recipe") && !strings.HasPrefix(n, ".") {
			files = append(files, n)
		}
	}
	sort.Strings(files)
	type result struct {
		r     *Recipe
		diags Diagnostics
	}
	results := make([]result, len(files))
	workers := min(runtime.GOMAXPROCS(0), len(files))
	// Workers take the next file from a shared counter: a channel or a
	// mutex makes them sleep and wake up thousands of times, which costs
	// more than decoding a small file.
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			var buf []byte
			var dec Decoder
			for {
				j := int(next.Add(1) - 1)
				if j >= len(files) {
					return
				}
				results[j].r, results[j].diags = loadFile(&dec, dirfd, filepath.Join(dir, files[j]), files[j], &buf)
			}
		})
	}
	wg.Wait()
	var recipes []*Recipe
	var diags Diagnostics
	byName := make(map[string]*Recipe, len(files))
	for _, res := range results {
		diags = append(diags, res.diags...)
		if res.r == nil || res.diags.HasErrors() {
			continue
		}
		if first, ok := byName[res.r.Name]; ok {
			diags = append(diags, Diagnostic{Pos: res.r.NamePos, Severity: Error,
				Msg: fmt.Sprintf("package %q is also defined at %s", res.r.Name, first.NamePos)})
			continue
		}
		byName[res.r.Name] = res.r
		recipes = append(recipes, res.r)
	}
	diags.Sort()
	return recipes, diags
}

// loadFile reads and decodes one file with dec, reading into *buf, which
// it reuses from call to call: the reader copies what it keeps.
func loadFile(dec *Decoder, dirfd int, name, base string, buf *[]byte) (*Recipe, Diagnostics) {
	src, err := readFile(dirfd, name, base, buf)
	if err != nil {
		return nil, Diagnostics{{Pos: Pos{File: name}, Severity: Error, Msg: err.Error()}}
	}
	return dec.Decode(name, src)
}

// readFile reads the whole file base in the directory dirfd (name is its
// path, for messages), of at most MaxFileSize bytes with three
// system calls (open, read, close) where os.ReadFile needs five: system
// calls dominate the cost of loading thousands of small recipes.
func readFile(dirfd int, name, base string, buf *[]byte) ([]byte, error) {
	fd, err := syscall.Openat(dirfd, base, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("read recipe: %w", &os.PathError{Op: "open", Path: name, Err: err})
	}
	defer syscall.Close(fd)
	if *buf == nil {
		*buf = make([]byte, 64<<10)
	}
	b := *buf
	n := 0
	for {
		if n > MaxFileSize {
			return nil, fmt.Errorf("recipe file %s is larger than %d bytes", name, MaxFileSize)
		}
		if n == len(b) {
			b = append(b, make([]byte, len(b))...)
			*buf = b
		}
		m, err := syscall.Read(fd, b[n:])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read recipe: %w", &os.PathError{Op: "read", Path: name, Err: err})
		}
		if m == 0 {
			return b[:n], nil
		}
		n += m
		if n < len(b) && n <= MaxFileSize {
			// A short read from a regular file means end of file.
			return b[:n], nil
		}
	}
}

// FormatFile returns src in the canonical layout (see sexpr.Format). It
// checks the syntax only, so that a recipe with semantic errors can still
// be formatted; syntax errors come back as a sexpr.ErrorList whose
// positions have no file name.
func FormatFile(src []byte) ([]byte, error) {
	nodes, err := sexpr.Parse("", src)
	if err != nil {
		return nil, err
	}
	if len(nodes) == 0 {
		return nil, fmt.Errorf("nothing to format: no form in input")
	}
	return sexpr.Format(nodes), nil
}
