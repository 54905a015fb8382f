package recipecmd

import (
	"cmp"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/levitateos/levitate/internal/recipe"
	"github.com/levitateos/levitate/internal/resolve"
	"github.com/levitateos/levitate/internal/suggest"
	"github.com/levitateos/levitate/internal/version"
)

// catalog is the valid recipes of the recipe directory, indexed by name.
type catalog struct {
	// recipes is sorted by name, newest version first.
	recipes []*recipe.Recipe
	byName  map[string][]*recipe.Recipe
	u       *resolve.Universe // built on first use
}

// loadCatalog reads the recipe directory. Files with errors are reported
// on stderr (file:line:col) and left out; the command goes on with the
// valid recipes. Warnings are printed only with -v, since every command
// would otherwise repeat them.
func (a *app) loadCatalog() (*catalog, error) {
	dir := a.opts.recipesDir
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, fail(fmt.Errorf("recipe directory: %w", err))
	}
	if !fi.IsDir() {
		return nil, fail(fmt.Errorf("recipe directory %s: not a directory", dir))
	}
	start := time.Now()
	rs, diags := recipe.LoadDir(dir)
	bad := a.report(diags)
	cat := &catalog{byName: make(map[string][]*recipe.Recipe, len(rs))}
	for _, r := range rs {
		if r == nil || bad[r.File] {
			continue
		}
		cat.recipes = append(cat.recipes, r)
	}
	slices.SortFunc(cat.recipes, func(x, y *recipe.Recipe) int {
		return cmp.Or(cmp.Compare(x.Name, y.Name), version.Compare(y.Version, x.Version), cmp.Compare(x.File, y.File))
	})
	for _, r := range cat.recipes {
		cat.byName[r.Name] = append(cat.byName[r.Name], r)
	}
	if len(bad) > 0 {
		fmt.Fprintf(a.stderr, "recipe: skipped %d recipe file(s) with errors in %s\n", len(bad), dir)
	}
	a.verbosef("loaded %d recipes from %s in %v", len(cat.recipes), dir, time.Since(start).Round(time.Microsecond))
	return cat, nil
}

// report prints the errors of diags (and warnings with -v) on stderr and
// returns the files that hold an error.
func (a *app) report(diags recipe.Diagnostics) map[string]bool {
	bad := map[string]bool{}
	for _, d := range diags {
		if d.Severity == recipe.Error {
			bad[d.Pos.File] = true
		} else if !a.opts.verbose {
			continue
		}
		fmt.Fprintln(a.stderr, d.String())
	}
	return bad
}

// universe returns the resolver's view of the catalog.
func (c *catalog) universe() *resolve.Universe {
	if c.u == nil {
		c.u = resolve.NewUniverse(packages(c.recipes))
	}
	return c.u
}

// names returns every package name, sorted.
func (c *catalog) names() []string {
	out := make([]string, 0, len(c.byName))
	for n := range c.byName {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// lookup returns the newest recipe named name, or the recipe that builds
// a subpackage of that name, or an error with a "did you mean" suggestion.
func (c *catalog) lookup(name string) (*recipe.Recipe, error) {
	if rs := c.byName[name]; len(rs) > 0 {
		return rs[0], nil
	}
	for _, r := range c.recipes {
		for _, sp := range r.Subpackages {
			if sp.Name == name {
				return r, nil
			}
		}
	}
	return nil, fail(unknownPackage(name, c.names()))
}

// unknownPackage builds the error for a name no recipe has.
func unknownPackage(name string, names []string) error {
	s := suggest.Closest(name, names, 3)
	switch len(s) {
	case 0:
		return fmt.Errorf("unknown package %q", name)
	case 1:
		return fmt.Errorf("unknown package %q; did you mean %q?", name, s[0])
	default:
		return fmt.Errorf("unknown package %q; did you mean one of %q?", name, s)
	}
}
