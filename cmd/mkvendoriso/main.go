// Command mkvendoriso builds the project's test vendor ISO: Debian bookworm
// packages installed once with debootstrap and cut into RPMs with Rocky's
// names, laid out like Rocky's minimal ISO. It is cached under
// $LEVITATE_CACHE/vendor-iso/ (default ~/.cache/levitate), keyed by its
// inputs. Progress goes to stderr; the last line of stdout is the absolute
// path of the ISO.
//
// Usage:
//
//	mkvendoriso [-small] [-force] [-cache DIR] [-mirror URL] [-suite NAME] [-v]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"

	"github.com/levitateos/levitate/internal/vendorset"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// defaultCache is $LEVITATE_CACHE, else $XDG_CACHE_HOME/levitate, else
// ~/.cache/levitate.
func defaultCache() string {
	if d := os.Getenv("LEVITATE_CACHE"); d != "" {
		return d
	}
	if d := os.Getenv("XDG_CACHE_HOME"); d != "" {
		return filepath.Join(d, "levitate")
	}
	if h, err := os.UserHomeDir(); err == nil {
		return filepath.Join(h, ".cache", "levitate")
	}
	return ""
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mkvendoriso", flag.ContinueOnError)
	fs.SetOutput(stderr)
	small := fs.Bool("small", false, "build the small hand-made set instead (well under a second)")
	force := fs.Bool("force", false, "rebuild even when the cache has the ISO (downloaded .deb files are reused)")
	cache := fs.String("cache", defaultCache(), "cache root; the set lives in CACHE/vendor-iso/")
	mirror := fs.String("mirror", vendorset.DefaultMirror, "Debian mirror")
	suite := fs.String("suite", vendorset.DefaultSuite, "Debian suite")
	verbose := fs.Bool("v", false, "show the output of debootstrap, apt and xorriso")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "mkvendoriso: unexpected arguments %q\n", fs.Args())
		return 2
	}
	dir, err := filepath.Abs(*cache)
	if err != nil || *cache == "" {
		fmt.Fprintf(stderr, "mkvendoriso: no cache directory (set LEVITATE_CACHE): %v\n", err)
		return 2
	}
	var epoch int64
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		if epoch, err = strconv.ParseInt(s, 10, 64); err != nil {
			fmt.Fprintf(stderr, "mkvendoriso: SOURCE_DATE_EPOCH %q: %v\n", s, err)
			return 2
		}
	}
	log := io.Discard
	if *verbose {
		log = stderr
	}
	if *small {
		out := filepath.Join(dir, "vendor-iso", "small-v"+vendorset.GeneratorVersion, "small.iso")
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			fmt.Fprintf(stderr, "mkvendoriso: %v\n", err)
			return 1
		}
		fmt.Fprintf(stderr, "mkvendoriso: building the small set\n")
		if err := vendorset.BuildSmallISO(ctx, out, log); err != nil {
			fmt.Fprintf(stderr, "mkvendoriso: %v\n", err)
			return 1
		}
		fmt.Fprintln(stdout, out)
		return 0
	}
	res, err := vendorset.Build(ctx, vendorset.Options{
		CacheDir: dir, Mirror: *mirror, Suite: *suite, Epoch: epoch, Force: *force,
		Progress: stderr, Log: log,
	})
	if err != nil {
		fmt.Fprintf(stderr, "mkvendoriso: %v\n", err)
		return 1
	}
	for _, p := range res.Phases {
		fmt.Fprintf(stderr, "mkvendoriso: %-45s %s\n", p.Name, p.Duration)
	}
	fmt.Fprintln(stdout, res.ISO)
	return 0
}
