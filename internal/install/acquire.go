package install

import (
	"context"
	"fmt"
	"path"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/levitateos/levitate/internal/fetch"
	"github.com/levitateos/levitate/internal/recipe"
)

// goArch maps GOARCH to the recipe language's architecture names.
func archName() string {
	switch runtime.GOARCH {
	case "amd64":
		return "x86_64"
	case "arm64":
		return "aarch64"
	case "386":
		return "i686"
	case "arm":
		return "armv7"
	default:
		return runtime.GOARCH
	}
}

// sourceItem returns what pkg needs downloaded; ok is false for a package
// without a download (a meta-package).
func sourceItem(pkg *Package) (it fetch.Item, ok bool, err error) {
	r := pkg.Recipe
	a := r.Acquire
	if a == nil {
		return it, false, nil
	}
	switch a.Kind {
	case recipe.AcquireSource:
		it = fetch.Item{URL: a.URL, SHA256: a.SHA256}
	case recipe.AcquireFile:
		dir := pkg.Dir
		if dir == "" {
			dir = filepath.Dir(r.File)
		}
		it = fetch.Item{URL: filepath.Join(dir, filepath.FromSlash(a.Path)), SHA256: a.SHA256}
	case recipe.AcquireBinary:
		arch := archName()
		for _, b := range a.Binaries {
			if b.Arch == arch {
				it = fetch.Item{URL: b.URL, SHA256: b.SHA256}
			}
		}
		if it.URL == "" {
			return it, false, fmt.Errorf("%s: package %q has no binary for %s", a.Pos, r.Name, arch)
		}
	default:
		return it, false, fmt.Errorf("%s: package %q: acquire method %q is not supported by the installer yet", a.Pos, r.Name, a.Kind)
	}
	// A cache name per package and hash keeps two recipes' "v1.0.tar.gz"
	// apart.
	base := path.Base(strings.TrimRight(strings.SplitN(strings.SplitN(it.URL, "?", 2)[0], "#", 2)[0], "/"))
	if base == "." || base == "/" || base == "" {
		base = "source"
	}
	it.Name = r.Name + "-" + r.Version + "-" + base
	return it, true, nil
}

// fetchAll downloads the sources of pkgs; the result maps a package index
// to its file in the cache.
func fetchAll(ctx context.Context, pkgs []Package, opts *Options) (map[int]fetch.Result, error) {
	var items []fetch.Item
	var idx []int
	var errs []error
	for i := range pkgs {
		it, ok, err := sourceItem(&pkgs[i])
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if ok {
			items = append(items, it)
			idx = append(idx, i)
		}
	}
	if len(errs) > 0 {
		return nil, joinSorted(errs)
	}
	out := make(map[int]fetch.Result, len(items))
	if len(items) == 0 {
		return out, nil
	}
	// The build hashes a cached source while it reads it (see extract),
	// so the fetcher need not read it once more before.
	fo := fetchOptions(opts)
	fo.DeferCacheCheck = true
	res, err := fetch.FetchAll(ctx, items, fo)
	if err != nil {
		return nil, fmt.Errorf("fetch: %w", err)
	}
	for k, r := range res {
		out[idx[k]] = r
	}
	return out, nil
}

func fetchOptions(opts *Options) fetch.Options {
	fo := fetch.Options{
		CacheDir:         opts.cacheDir(),
		Concurrency:      opts.jobs(),
		InsecureSkipHash: opts.InsecureSkipHash,
		RootCAs:          opts.RootCAs,
	}
	if opts.Progress != nil {
		fo.Progress = func(it fetch.Item, done, total int64) {
			opts.emit(Event{Step: "fetch", Detail: it.URL, Done: done, Total: total})
		}
	}
	return fo
}

// refetch fetches the source of a package again after its cached file
// failed the check of a deferred cache hit: the fetcher hashes the cached
// file first, finds the mismatch and downloads it anew.
func refetch(ctx context.Context, r fetch.Result, opts *Options) (fetch.Result, error) {
	res, err := fetch.Fetch(ctx, r.Item, fetchOptions(opts))
	if err != nil {
		return res, fmt.Errorf("fetch: %w", err)
	}
	return res, nil
}
