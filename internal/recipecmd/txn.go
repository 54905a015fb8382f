package recipecmd

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/levitateos/levitate/internal/install"
	"github.com/levitateos/levitate/internal/recipe"
	"github.com/levitateos/levitate/internal/resolve"
	"github.com/levitateos/levitate/internal/store"
	"github.com/spf13/cobra"
)

// changeFlags are the options of the commands that change the root
// (install, upgrade, remove).
type changeFlags struct {
	dryRun           bool
	insecureSkipHash bool
	wait             bool
}

// insecureWarning is printed on stderr every time --insecure-skip-hash is
// given: the flag turns off the one check that stands between a
// compromised download and root on the target system.
const insecureWarning = "recipe: WARNING: --insecure-skip-hash: sources without a sha256 are installed UNVERIFIED; whoever controls the download server or the network controls this system"

func (f *changeFlags) register(cmd *cobra.Command, fetches bool) {
	cmd.Flags().BoolVarP(&f.dryRun, "dry-run", "n", false, "print what would be fetched, built, installed and removed, with sizes; change nothing")
	cmd.Flags().BoolVar(&f.wait, "wait", false, "wait for another recipe process holding the database lock instead of failing")
	if fetches {
		cmd.Flags().BoolVar(&f.insecureSkipHash, "insecure-skip-hash", false, "accept sources that have no sha256 in their recipe (dangerous)")
	}
}

// engineOptions builds the engine's options for a changing command, and
// the function to call when the engine returns (it ends progress bars).
func (a *app) engineOptions(f *changeFlags, packages int) (install.Options, func()) {
	opts := install.Options{
		Root:             a.opts.root,
		DryRun:           f.dryRun,
		InsecureSkipHash: f.insecureSkipHash,
		Wait:             f.wait,
	}
	done := func() {}
	if !f.dryRun {
		opts.Progress, done = a.progress(packages)
	}
	if a.opts.verbose {
		opts.BuildOutput = a.stderr
	}
	return opts, done
}

// openDB opens the installed database under --root for reading. A root
// without a database reads as an empty system.
func (a *app) openDB() (*store.DB, error) {
	db, err := store.Open(a.opts.root, store.Options{})
	if err != nil {
		return nil, fail(fmt.Errorf("open database under %s: %w", a.opts.root, err))
	}
	return db, nil
}

// installedFor lists the installed packages for the resolver, with the
// provides and conflicts of their recipes where the catalog has them.
func installedFor(db *store.DB, cat *catalog) ([]resolve.Installed, error) {
	inst, err := install.InstalledFor(db)
	if err != nil {
		return nil, fail(fmt.Errorf("read database: %w", err))
	}
	if len(inst) == 0 {
		return inst, nil
	}
	type key struct{ name, version string }
	known := make(map[key]resolve.Package)
	for _, p := range packages(cat.recipes) {
		known[key{p.Name, p.Version}] = p
	}
	for i := range inst {
		if p, ok := known[key{inst[i].Name, inst[i].Version}]; ok {
			inst[i].Provides, inst[i].Conflicts = p.Provides, p.Conflicts
		}
	}
	return inst, nil
}

// find returns the recipe of a name (or subpackage name) and version.
func (c *catalog) find(name, version string) *recipe.Recipe {
	for _, r := range c.byName[name] {
		if r.Version == version {
			return r
		}
	}
	for _, r := range c.recipes {
		if r.Version != version {
			continue
		}
		for _, sp := range r.Subpackages {
			if sp.Name == name {
				return r
			}
		}
	}
	return nil
}

// newest returns the newest recipe of every name, for the remove forms of
// installed packages.
func (c *catalog) newest() map[string]*recipe.Recipe {
	out := make(map[string]*recipe.Recipe, len(c.byName))
	for n, rs := range c.byName {
		out[n] = rs[0]
	}
	return out
}

// isRecipeFile tells whether an install argument names a recipe file
// rather than a package.
func isRecipeFile(arg string) bool {
	return strings.HasSuffix(arg, ".recipe")
}

// addFile decodes a recipe file given on the command line and puts it in
// the catalog ahead of a recipe of the same name and version.
func (a *app) addFile(c *catalog, file string) (*recipe.Recipe, error) {
	abs, err := filepath.Abs(file)
	if err != nil {
		return nil, fail(err)
	}
	src, err := os.ReadFile(abs)
	if err != nil {
		return nil, fail(fmt.Errorf("read recipe: %w", err))
	}
	r, diags := recipe.Decode(abs, src)
	if bad := a.report(diags); len(bad) > 0 || r == nil {
		return nil, silent(ExitFailure, fmt.Errorf("%s: invalid recipe", file))
	}
	kept := c.byName[r.Name][:0:0]
	for _, o := range c.byName[r.Name] {
		if o.Version != r.Version {
			kept = append(kept, o)
		}
	}
	c.byName[r.Name] = append([]*recipe.Recipe{r}, kept...)
	rs := make([]*recipe.Recipe, 0, len(c.recipes)+1)
	rs = append(rs, r)
	for _, o := range c.recipes {
		if o.Name != r.Name || o.Version != r.Version {
			rs = append(rs, o)
		}
	}
	c.recipes, c.u = rs, nil
	return r, nil
}

// engineError turns an engine failure into the command's error. The
// messages of the engine (a missing hash with the line to add, a held
// lock with its PID, dependents refusing a removal) are printed as they
// are.
func engineError(err error) error {
	var le *store.LockedError
	if errors.As(err, &le) {
		return fail(fmt.Errorf("%w (rerun with --wait to wait for it)", err))
	}
	return fail(err)
}
