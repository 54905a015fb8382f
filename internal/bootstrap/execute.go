package bootstrap

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/levitateos/levitate/internal/chroot"
	"github.com/levitateos/levitate/internal/closure"
	"github.com/levitateos/levitate/internal/repo"
	"github.com/levitateos/levitate/internal/run"
)

// RecipesDir and ConfigFile are where the recipes and the configuration
// go in the target, target-relative.
const (
	RecipesDir = "usr/share/recipe/recipes"
	ConfigFile = "etc/recipe/recipe.conf"
	// targetCache is where packages are downloaded without HostCache; it
	// is emptied after a successful install.
	targetCache = "var/cache/recipe/rpms"
)

// Fetcher copies one package of the plan into a directory and returns
// its path, verified against the repodata (source.Source.Fetch).
type Fetcher func(ctx context.Context, e closure.Entry, dir string) (string, error)

// Options are what Execute needs besides the plan.
type Options struct {
	Target string
	// Fetch gets the package files.
	Fetch Fetcher
	// CacheDir, when set, is a host directory that keeps the downloaded
	// packages (pacstrap -c); otherwise they are downloaded into the
	// target and deleted after the install.
	CacheDir string
	// RecipesDir is the host directory whose *.recipe files are copied to
	// TARGET/usr/share/recipe/recipes; "" copies none.
	RecipesDir string
	// Config is the host configuration file copied to
	// TARGET/etc/recipe/recipe.conf; "" copies none (pacstrap -M).
	Config string
	// VerifySignatures makes rpm require valid signatures.
	VerifySignatures bool
	// Progress receives one line per step; nil discards them.
	Progress func(format string, args ...any)
	// Log receives rpm's output; nil discards it (its tail is kept for
	// errors).
	Log io.Writer
	// Now stamps the records; zero means time.Now.
	Now time.Time
}

// Tools are the host programs Execute runs.
func Tools() []string { return append([]string{"rpm"}, chroot.Tools()...) }

// Preflight checks what Execute needs from the host and the target
// without changing anything: root, the tools, and a target directory.
func Preflight(target string) error {
	var errs []error
	if err := chroot.CheckRoot(); err != nil {
		errs = append(errs, err)
	}
	for _, t := range Tools() {
		if _, err := run.LookPath(t); err != nil {
			errs = append(errs, fmt.Errorf("missing tool %s: %w", t, err))
		}
	}
	fi, err := os.Stat(target)
	switch {
	case err != nil:
		errs = append(errs, fmt.Errorf("target: %w", err))
	case !fi.IsDir():
		errs = append(errs, fmt.Errorf("target %s: not a directory", target))
	}
	return errors.Join(errs...)
}

// Execute installs the plan into o.Target.
func Execute(ctx context.Context, p *Plan, o Options) error {
	progress := o.Progress
	if progress == nil {
		progress = func(string, ...any) {}
	}
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	target, err := filepath.Abs(o.Target)
	if err != nil {
		return err
	}
	if err := Preflight(target); err != nil {
		return err
	}
	if _, err := os.Lstat(filepath.Join(target, stageDir)); err == nil {
		return fmt.Errorf("%s exists: an earlier bootstrap was killed while recording the installed files, which are still there; start again from an empty target", filepath.Join(target, stageDir))
	}
	clock := newPhases()
	progress("create the hierarchy in %s", target)
	if err := makeSkeleton(target); err != nil {
		return err
	}
	cache := o.CacheDir
	if cache == "" {
		cache = filepath.Join(target, targetCache)
	}
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return err
	}
	progress("fetch %d packages (%s)", len(p.Closure.Entries), humanBytes(p.Size()))
	files, err := fetchAll(ctx, p.Closure.Entries, o.Fetch, cache)
	if err != nil {
		return err
	}
	clock.end("hierarchy and fetch")
	progress("install %d packages with rpm (one transaction)", len(files))
	lists, err := install(ctx, target, o, p, files)
	if err != nil {
		return err
	}
	clock.end("rpm")
	if err := copyFiles(target, o.RecipesDir, o.Config); err != nil {
		return err
	}
	progress("record %d recipes in %s", len(p.Groups), filepath.Join(target, "var/lib/recipe"))
	recs, err := records(target, p, lists, now)
	if err != nil {
		return err
	}
	clock.end("records")
	if err := adopt(ctx, target, recs); err != nil {
		return err
	}
	clock.end("adopt")
	progress("times: %s", clock)
	if o.CacheDir == "" {
		return os.RemoveAll(cache)
	}
	return nil
}

// install runs rpm's one transaction of files, the packages of p in the
// same order, and returns what each package owns. The file lists come
// from the packages' headers, read on the other CPUs while rpm runs (one
// process, which waits on the disk much of the time); the files were
// checked against the repodata before either reads them.
func install(ctx context.Context, target string, o Options, p *Plan, files []string) (map[*repo.Package][]rpmFile, error) {
	type result struct {
		lists map[*repo.Package][]rpmFile
		err   error
	}
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan result, 1)
	go func() {
		m, err := fileLists(lctx, entryPackages(p.Closure.Entries), files)
		done <- result{m, err}
	}()
	argv := chroot.HostArgv(target, installArgv(target, o.VerifySignatures, sorted(files))...)
	if err := run.Run(ctx, run.Cmd{Argv: argv, Stdout: o.Log, Stderr: o.Log}); err != nil {
		cancel()
		<-done
		return nil, fmt.Errorf("rpm transaction: %w", err)
	}
	r := <-done
	if r.err != nil {
		return nil, fmt.Errorf("read the packages' file lists: %w", r.err)
	}
	return r.lists, nil
}

// fetchAll fetches the packages, a few at a time (network sources
// benefit, local ones do not mind), and returns their paths in the order
// of entries.
func fetchAll(ctx context.Context, entries []closure.Entry, fetch Fetcher, dir string) ([]string, error) {
	const workers = 4
	out := make([]string, len(entries))
	errs := make([]error, len(entries))
	sem := make(chan struct{}, workers)
	done := make(chan struct{})
	for i, e := range entries {
		go func() {
			sem <- struct{}{}
			out[i], errs[i] = fetch(ctx, e, dir)
			<-sem
			done <- struct{}{}
		}()
	}
	for range entries {
		<-done
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// sorted returns a sorted copy of s.
func sorted(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}

// humanBytes prints a size for progress lines.
func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// PackageLabel names a closure entry for plans and errors.
func PackageLabel(p *repo.Package) string { return p.NEVRA.String() }
