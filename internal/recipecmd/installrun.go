package recipecmd

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/levitateos/levitate/internal/install"
	"github.com/levitateos/levitate/internal/recipe"
	"github.com/levitateos/levitate/internal/resolve"
	"github.com/levitateos/levitate/internal/store"
)

// dryJSON is one package of the engine's dry-run plan.
type dryJSON struct {
	Action    string   `json:"action"`
	Name      string   `json:"name"`
	Version   string   `json:"version"`
	Replaces  string   `json:"replaces,omitempty"`
	Fetch     string   `json:"fetch,omitempty"`
	FetchSize int64    `json:"fetch_size"` // -1 when not cached yet
	Cached    bool     `json:"cached"`
	Add       []string `json:"add,omitempty"`
	Remove    []string `json:"remove,omitempty"`
}

func dryPlanJSON(p *install.DryPlan) []dryJSON {
	if p == nil {
		return nil
	}
	out := make([]dryJSON, len(p.Packages))
	for i, d := range p.Packages {
		out[i] = dryJSON{Action: d.Action, Name: d.Name, Version: d.Version, Replaces: d.Replaces,
			Fetch: d.Fetch, FetchSize: d.FetchSize, Cached: d.Cached, Add: d.Add, Remove: d.Remove}
	}
	return out
}

// catalogFor loads the recipe directory; when needDir is false (only
// recipe files were named, or the command can do without recipes) a
// missing directory reads as an empty catalog.
func (a *app) catalogFor(needDir bool) (*catalog, error) {
	if !needDir {
		if _, err := os.Stat(a.opts.recipesDir); errors.Is(err, fs.ErrNotExist) {
			return &catalog{byName: map[string][]*recipe.Recipe{}}, nil
		}
	}
	return a.loadCatalog()
}

// installed returns what the database under --root holds for the
// resolver; a root that does not exist yet holds nothing.
func (a *app) installed(cat *catalog) ([]resolve.Installed, error) {
	if !a.rootExists() {
		return nil, nil
	}
	db, err := a.openDB()
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return installedFor(db, cat)
}

// transact resolves reqs against the installed packages and installs (or
// upgrades) the result in one transaction, or prints what it would do.
func (a *app) transact(ctx context.Context, cat *catalog, reqs []resolve.Request, f *changeFlags, verb string) error {
	if f.insecureSkipHash {
		fmt.Fprintln(a.stderr, insecureWarning)
	}
	inst, err := a.installed(cat)
	if err != nil {
		return err
	}
	plan, err := cat.universe().Resolve(reqs, inst, resolve.Options{})
	if err != nil {
		return a.explain(err)
	}
	pkgs, err := install.FromPlan(plan, cat.find)
	if err != nil {
		return fail(err)
	}
	pkgs = oncePerRecipe(pkgs)
	if verb == "upgrade" {
		if err := a.keepReasons(pkgs); err != nil {
			return err
		}
	}
	if !a.opts.json {
		for _, st := range plan.Steps {
			if st.AlreadyInstalled && st.Reason == resolve.Explicit {
				fmt.Fprintf(a.stdout, "%s %s is already installed\n", st.Name, st.Version)
			}
		}
	}
	if len(pkgs) == 0 && !a.opts.json {
		_, err := fmt.Fprintln(a.stdout, "nothing to do")
		return err
	}
	opts, done := a.engineOptions(f, len(pkgs))
	run := install.Install
	if verb == "upgrade" {
		run = install.Upgrade
	}
	sum, err := run(ctx, pkgs, opts)
	done()
	if f.dryRun {
		return a.printDryRun(plan, sum, err, verb)
	}
	if err != nil {
		return engineError(err)
	}
	_, err = fmt.Fprint(a.stdout, sum.String())
	return err
}

// printDryRun prints the resolver's plan and the engine's: what would be
// fetched (with sizes when cached), installed and removed. A plan the
// engine cannot carry out (an acquire method it lacks) is still a plan:
// the reason is printed with it and the exit code stays 0.
func (a *app) printDryRun(plan *resolve.Plan, sum *install.Summary, engineErr error, verb string) error {
	var dry *install.DryPlan
	if engineErr == nil {
		dry = sum.Plan
	}
	if a.opts.json {
		out := installJSON{OK: true, Plan: planJSON(plan), Packages: dryPlanJSON(dry)}
		if engineErr != nil {
			out.Blocked = engineErr.Error()
		}
		return a.writeJSON(out)
	}
	fmt.Fprint(a.stdout, plan.String())
	switch {
	case engineErr != nil:
		fmt.Fprintf(a.stdout, "\nthe %s could not run: %v\n", verb, engineErr)
	case dry != nil && len(dry.Packages) > 0:
		fmt.Fprintf(a.stdout, "\nwould %s (dry run, nothing changed):\n%s", verb, dry.String())
	}
	return nil
}

// keepReasons gives upgraded packages the install reason they had: an
// upgrade asks for each package by name, which would otherwise make every
// upgraded dependency explicit.
func (a *app) keepReasons(pkgs []install.Package) error {
	db, err := a.openDB()
	if err != nil {
		return err
	}
	defer db.Close()
	for i := range pkgs {
		m, err := db.Lookup(pkgs[i].Recipe.Name)
		switch {
		case errors.Is(err, store.ErrNotInstalled):
		case err != nil:
			return fail(fmt.Errorf("read database: %w", err))
		default:
			pkgs[i].Reason = m.Reason
		}
	}
	return nil
}

// oncePerRecipe keeps the first package of each recipe: the installer
// builds a recipe as one package, so a subpackage in the plan (libfoo-dev)
// stands for its recipe (libfoo), which must not be installed twice. The
// kept package is explicit when any of its stand-ins was.
func oncePerRecipe(pkgs []install.Package) []install.Package {
	out := pkgs[:0]
	at := make(map[*recipe.Recipe]int, len(pkgs))
	for _, p := range pkgs {
		if i, ok := at[p.Recipe]; ok {
			if p.Reason == store.Explicit || p.Reason == "" {
				out[i].Reason = store.Explicit
			}
			continue
		}
		at[p.Recipe] = len(out)
		out = append(out, p)
	}
	return out
}
