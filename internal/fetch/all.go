package fetch

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// FetchAll fetches items in parallel (Options.Concurrency at a time). Items
// with the same cache name and hash are fetched once; the same name with
// different hashes is an error. Results are in the order of items; failed
// items have a zero Path. The error joins every failure, sorted.
func FetchAll(ctx context.Context, items []Item, opts Options) ([]Result, error) {
	f := newFetcher(opts)
	results := make([]Result, len(items))
	type job struct {
		it   Item
		idxs []int
	}
	var (
		jobs   []*job
		byName = map[string]*job{}
		errs   []error
	)
	for i, it := range items {
		results[i].Item = it
		name, err := validate(&it, &f.opts)
		if err != nil {
			errs = append(errs, &Error{URL: it.URL, Err: err})
			continue
		}
		if j := byName[name]; j != nil {
			if j.it.SHA256 != it.SHA256 || (it.SHA256 == "" && j.it.URL != it.URL) {
				errs = append(errs, &Error{URL: it.URL, Err: fmt.Errorf("%w: cache name %q is also used by %s", ErrBadItem, name, j.it.URL)})
				continue
			}
			j.idxs = append(j.idxs, i)
			continue
		}
		j := &job{it: it, idxs: []int{i}}
		byName[name] = j
		jobs = append(jobs, j)
	}

	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		sem = make(chan struct{}, f.opts.Concurrency)
	)
	for _, j := range jobs {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			res, err := f.fetch(ctx, j.it)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			for _, i := range j.idxs {
				r := res
				r.Item = items[i]
				results[i] = r
			}
		})
	}
	wg.Wait()
	slices.SortFunc(errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
	return results, errors.Join(errs...)
}
