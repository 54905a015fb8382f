package install

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/levitateos/levitate/internal/fetch"
	"github.com/levitateos/levitate/internal/store"
)

// Install installs pkgs (in install order) into opts.Root in one store
// transaction; see the package documentation. Packages already installed in
// the same version, features and recipe are skipped unless opts.Reinstall.
func Install(ctx context.Context, pkgs []Package, opts Options) (*Summary, error) {
	start := time.Now()
	root, err := filepath.Abs(opts.root())
	if err != nil {
		return nil, err
	}
	opts.Root = root
	if !opts.DryRun {
		if err := os.MkdirAll(root, 0o755); err != nil {
			return nil, err
		}
	}
	db, err := store.Open(root, opts.storeOptions())
	if err != nil {
		return nil, err
	}
	defer db.Close()
	sum := &Summary{}
	todo, err := pending(db, pkgs, &opts, sum)
	if err != nil {
		return nil, err
	}
	if opts.DryRun {
		sum.Plan, err = dryInstall(db, todo, &opts)
		sum.Duration = time.Since(start)
		return sum, err
	}
	if len(todo) > 0 {
		if err := installAll(ctx, db, todo, &opts, sum); err != nil {
			return nil, err
		}
	}
	sum.Duration = time.Since(start)
	return sum, nil
}

// Upgrade installs newer versions of installed packages in one transaction.
// The resolver decides what is newer (resolve.Step.Upgrade); the engine
// replaces every package whose name is installed, so Upgrade is Install.
func Upgrade(ctx context.Context, pkgs []Package, opts Options) (*Summary, error) {
	return Install(ctx, pkgs, opts)
}

// target is one package to install with what the run learns about it.
type target struct {
	pkg      *Package
	meta     store.Meta
	replaces *store.Meta // the installed version, nil if none
}

// pending drops the packages that are installed as asked and fills in
// their meta data.
func pending(db *store.DB, pkgs []Package, opts *Options, sum *Summary) ([]target, error) {
	var out []target
	for i := range pkgs {
		p := &pkgs[i]
		r := p.Recipe
		if r == nil {
			return nil, fmt.Errorf("package %d: no recipe", i)
		}
		reason := p.Reason
		if reason == "" {
			reason = store.Explicit
		}
		meta := store.Meta{
			Name: r.Name, Version: r.Version, Features: slices.Clone(p.Features), Reason: reason,
			RecipeSHA256: fileSHA256(r.File), Depends: runtimeDeps(r, p.Features),
		}
		old, err := db.Lookup(r.Name)
		switch {
		case errors.Is(err, store.ErrNotInstalled):
			old = nil
		case err != nil:
			return nil, err
		}
		if old != nil {
			if old.Reason == store.Explicit {
				meta.Reason = store.Explicit
			}
			if !opts.Reinstall && old.Version == meta.Version && slices.Equal(old.Features, meta.Features) &&
				(old.RecipeSHA256 == "" || meta.RecipeSHA256 == "" || old.RecipeSHA256 == meta.RecipeSHA256) {
				sum.Skipped = append(sum.Skipped, r.Name+" "+r.Version)
				continue
			}
		}
		out = append(out, target{pkg: p, meta: meta, replaces: old})
	}
	return out, nil
}

func fileSHA256(name string) string {
	if name == "" {
		return ""
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return ""
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// installAll fetches, builds, stages and commits todo, then configures.
func installAll(ctx context.Context, db *store.DB, todo []target, opts *Options, sum *Summary) (err error) {
	pkgs := make([]Package, len(todo))
	for i, t := range todo {
		pkgs[i] = *t.pkg
	}
	fetched, err := fetchAll(ctx, pkgs, opts)
	if err != nil {
		return err
	}
	for _, r := range fetched {
		if !r.Cached {
			sum.Fetched += r.Size
		}
	}
	var wss []*workspace
	owned := false // the store owns the stages from a written journal on
	defer func() {
		for _, ws := range wss {
			if ws != nil {
				err = errors.Join(err, ws.remove(owned))
			}
		}
	}()
	// Builds are independent: nothing of this transaction is in the root
	// before the commit, so they run in parallel, opts.jobs() at a time.
	wss = make([]*workspace, len(todo))
	built := make([]builtPkg, len(todo))
	errs := make([]error, len(todo))
	refetched := make([]int64, len(todo))
	sem := make(chan struct{}, opts.jobs())
	var wg sync.WaitGroup
	for i := range todo {
		src := fetched[i] // zero Result for a package without a download
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			wss[i], built[i], errs[i] = buildOne(ctx, &todo[i], src, opts)
			if !errors.Is(errs[i], errStaleCache) {
				return
			}
			// The cached source changed: download it again, build again.
			if built[i].flush != nil {
				built[i].flush.wait()
			}
			if wss[i] != nil {
				if err := wss[i].remove(false); err != nil {
					errs[i] = err
					return
				}
				wss[i] = nil
			}
			if src, errs[i] = refetch(ctx, src, opts); errs[i] == nil {
				if !src.Cached {
					refetched[i] = src.Size
				}
				wss[i], built[i], errs[i] = buildOne(ctx, &todo[i], src, opts)
			}
		}()
	}
	wg.Wait()
	defer func() {
		for _, b := range built {
			if b.flush != nil {
				b.flush.wait()
			}
		}
	}()
	for _, n := range refetched {
		sum.Fetched += n
	}
	if err := joinSorted(slices.DeleteFunc(errs, func(e error) bool { return e == nil })); err != nil {
		return err
	}
	plan := store.Plan{}
	for i, b := range built {
		sum.Bytes += b.bytes
		plan.Install = append(plan.Install, store.Install{Record: b.rec, Stage: wss[i].stageRel})
	}
	opts.emit(Event{Step: "commit", Detail: fmt.Sprintf("%d package(s)", len(todo))})
	res, err := commit(ctx, db, plan)
	if p, perr := db.Pending(); perr == nil && p {
		owned = true
	}
	if err != nil {
		return err
	}
	sum.Saved, sum.New = res.Saved, res.New
	var cerrs []error
	for i, t := range todo {
		sum.Installed = append(sum.Installed, t.meta.Name+" "+t.meta.Version)
		if err := configure(ctx, t.pkg.Recipe, built[i].templates, opts); err != nil {
			cerrs = append(cerrs, err)
		}
	}
	if len(cerrs) > 0 {
		return fmt.Errorf("installed, but configuring failed: %w", joinSorted(cerrs))
	}
	return nil
}

// builtPkg is a built and staged package.
type builtPkg struct {
	rec       store.Record
	bytes     int64
	templates map[string]bool // applied in the stage
	flush     *flusher        // nil with NoSync
}

// buildOne builds t from src into a fresh workspace and records its stage.
// The workspace comes back even on failure, for the caller to remove.
func buildOne(ctx context.Context, t *target, src fetch.Result, opts *Options) (*workspace, builtPkg, error) {
	var b builtPkg
	id := t.meta.Name + " " + t.meta.Version
	opts.emit(Event{Package: id, Step: "build"})
	ws, err := newWorkspace(opts.Root, t.pkg.Recipe)
	if err != nil {
		return nil, b, fmt.Errorf("%s: %w", id, err)
	}
	if !opts.NoSync {
		b.flush = newFlusher(ws.buildDir)
		ws.flush = b.flush
	}
	if err := build(ctx, t.pkg, src, ws, opts); err != nil {
		return ws, b, err
	}
	if b.flush != nil && ws.extractedBytes >= flushEvery {
		b.flush.kick()
	}
	opts.emit(Event{Package: id, Step: "stage"})
	config, err := stageForms(t.pkg.Recipe.Install, ws)
	if err != nil {
		return ws, b, fmt.Errorf("%s: %w", id, err)
	}
	if b.templates, err = stagedTemplates(t.pkg.Recipe, ws); err != nil {
		return ws, b, fmt.Errorf("%s: %w", id, err)
	}
	for p := range b.templates {
		if rel, err := rootPath(p); err == nil {
			delete(ws.staged, rel) // filled in: the copy's digest is stale
		}
	}
	if b.rec, b.bytes, err = recordStage(ws.stage, t.meta, config, ws.staged); err != nil {
		return ws, b, fmt.Errorf("%s: %w", id, err)
	}
	return ws, b, nil
}

// commit runs one store transaction for plan.
func commit(ctx context.Context, db *store.DB, plan store.Plan) (store.Result, error) {
	tx, err := db.Begin(ctx, plan)
	if err != nil {
		return store.Result{}, err
	}
	res, err := tx.Commit(ctx)
	if cerr := tx.Close(); err == nil {
		err = cerr
	}
	return res, err
}
