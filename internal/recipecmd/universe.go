package recipecmd

import (
	"github.com/levitateos/levitate/internal/recipe"
	"github.com/levitateos/levitate/internal/resolve"
	"github.com/levitateos/levitate/internal/version"
)

// packages converts decoded recipes into the resolver's model: one Package
// per recipe and one per subpackage. A subpackage shares its recipe's
// version and source file; it does not implicitly depend on its parent.
func packages(rs []*recipe.Recipe) []resolve.Package {
	out := make([]resolve.Package, 0, len(rs))
	for _, r := range rs {
		out = append(out, resolve.Package{
			Name:      r.Name,
			Version:   r.Version,
			Source:    r.File,
			Deps:      deps(r.Deps),
			Provides:  provides(r.Provides),
			Conflicts: deps(r.Conflicts),
			Features:  features(r.Features),
		})
		for _, sp := range r.Subpackages {
			out = append(out, resolve.Package{
				Name:      sp.Name,
				Version:   r.Version,
				Source:    r.File,
				Deps:      deps(sp.Deps),
				Provides:  provides(sp.Provides),
				Conflicts: deps(sp.Conflicts),
			})
		}
	}
	return out
}

func deps(ds []recipe.Dep) []resolve.Dep {
	if len(ds) == 0 {
		return nil
	}
	out := make([]resolve.Dep, len(ds))
	for i, d := range ds {
		kind := resolve.Runtime
		if d.Kind == recipe.Build {
			kind = resolve.Build
		}
		out[i] = resolve.Dep{Name: d.Name, Constraint: d.Constraint, Kind: kind, If: d.If, From: d.Pos.String()}
	}
	return out
}

// provides converts (provides "name" "other = 1.2"): an exact "=" clause
// gives the provided version; anything else provides the bare name.
func provides(ds []recipe.Dep) []resolve.Provide {
	if len(ds) == 0 {
		return nil
	}
	out := make([]resolve.Provide, len(ds))
	for i, d := range ds {
		out[i] = resolve.Provide{Name: d.Name}
		if cs := d.Constraint.Clauses; len(cs) == 1 && cs[0].Op == version.OpEQ {
			out[i].Version = cs[0].EVR.String()
		}
	}
	return out
}

func features(fs []recipe.Feature) []resolve.Feature {
	if len(fs) == 0 {
		return nil
	}
	out := make([]resolve.Feature, len(fs))
	for i, f := range fs {
		out[i] = resolve.Feature{Name: f.Name, Default: f.Default, Implies: f.Implies}
	}
	return out
}
