package install

import (
	"fmt"

	"github.com/levitateos/levitate/internal/recipe"
	"github.com/levitateos/levitate/internal/resolve"
	"github.com/levitateos/levitate/internal/store"
)

// FromPlan turns a resolver plan into the packages Install takes, in the
// plan's order, leaving out the installed packages it keeps. find returns
// the recipe of a name and version (nil when there is none).
func FromPlan(plan *resolve.Plan, find func(name, version string) *recipe.Recipe) ([]Package, error) {
	var out []Package
	var errs []error
	for _, st := range plan.Steps {
		if st.AlreadyInstalled {
			continue
		}
		r := find(st.Name, st.Version)
		if r == nil {
			errs = append(errs, fmt.Errorf("package %s %s: no recipe", st.Name, st.Version))
			continue
		}
		reason := store.Explicit
		if st.Reason == resolve.Dependency {
			reason = store.Dependency
		}
		out = append(out, Package{Recipe: r, Features: st.Features, Reason: reason})
	}
	return out, joinSorted(errs)
}

// InstalledFor lists the installed packages of db for the resolver, with
// name, version and features; the caller adds provides and conflicts from
// the recipes it has (the database does not keep them).
func InstalledFor(db *store.DB) ([]resolve.Installed, error) {
	metas, err := db.List()
	out := make([]resolve.Installed, 0, len(metas))
	for _, m := range metas {
		out = append(out, resolve.Installed{Name: m.Name, Version: m.Version, Features: m.Features})
	}
	return out, err
}
