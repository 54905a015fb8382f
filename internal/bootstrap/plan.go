package bootstrap

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/levitateos/levitate/internal/closure"
	"github.com/levitateos/levitate/internal/recipe"
	"github.com/levitateos/levitate/internal/repo"
)

// BaseSet is the set of recipes `recipe bootstrap TARGET` installs when
// no other is asked for: the seed's base system.
func BaseSet() []string {
	return []string{"base", "linux", "linux-firmware", "systemd", "networkmanager", "bash", "coreutils", "util-linux", "recipe"}
}

// Group is one recipe of a bootstrap: the recipe, why it is installed,
// and (after NewPlan) the closure packages it owns.
type Group struct {
	Recipe   *recipe.Recipe
	Explicit bool
	// Depends names the recipes this one needs at run time; the record
	// keeps them so that removal knows the dependents.
	Depends []string
	// Packages are the RPMs this recipe owns, sorted by name.
	Packages []closure.Entry
}

// Plan is a checked bootstrap: recipes in install order and the RPM
// closure they make together.
type Plan struct {
	Groups  []Group
	Closure *closure.Closure
}

// Size is the download size of the closure in bytes.
func (p *Plan) Size() int64 {
	var n int64
	for _, e := range p.Closure.Entries {
		n += e.Pkg.Size
	}
	return n
}

// NewPlan resolves the RPMs of groups (in install order) over inputs and
// assigns every package of the closure to one group. It reports every
// problem at once: recipes that are not RPM-based, and every requirement
// of the closure that nothing satisfies.
func NewPlan(groups []Group, inputs []closure.Input) (*Plan, error) {
	var errs []string
	var reqs [][]closure.Request
	for _, g := range groups {
		r := g.Recipe
		var rs []closure.Request
		switch {
		case r.Acquire == nil:
			// A meta-package: its dependencies do the work.
		case r.Acquire.Kind != recipe.AcquireRPM:
			errs = append(errs, fmt.Sprintf("%s: recipe %q acquires %s: bootstrap installs RPM-based and meta recipes only", r.Acquire.Pos, r.Name, r.Acquire.Kind))
		default:
			rs = RPMRequests(r)
		}
		reqs = append(reqs, rs)
	}
	if len(errs) > 0 {
		slices.Sort(errs)
		return nil, errors.New(strings.Join(errs, "\n"))
	}
	all := slices.Concat(reqs...)
	if len(all) == 0 {
		return nil, errors.New("no recipe of the set names an RPM: nothing to install")
	}
	c, err := closure.Resolve(inputs, all)
	if err != nil {
		return nil, fmt.Errorf("cannot bootstrap: %w", err)
	}
	owner, err := owners(inputs, reqs, c)
	if err != nil {
		return nil, err
	}
	p := &Plan{Groups: slices.Clone(groups), Closure: c}
	for _, e := range c.Entries {
		i := owner[key(e.Pkg)]
		p.Groups[i].Packages = append(p.Groups[i].Packages, e)
	}
	return p, nil
}

func key(p *repo.Package) string { return p.Name + "." + p.Arch }

// owners maps every package of the full closure to the first group whose
// cumulative closure (its RPMs with those of the groups before it)
// contains it. A package no prefix reaches (resolution may pick other
// providers for the whole set) goes to the last group with RPMs.
func owners(inputs []closure.Input, reqs [][]closure.Request, full *closure.Closure) (map[string]int, error) {
	owner := make(map[string]int, len(full.Entries))
	last := 0
	var prefix []closure.Request
	for i, rs := range reqs {
		if len(rs) == 0 {
			continue
		}
		last = i
		prefix = append(prefix, rs...)
		c, err := closure.Resolve(inputs, prefix)
		if err != nil {
			// The full set resolves, so a prefix failing is unexpected;
			// say which one rather than guess.
			return nil, fmt.Errorf("closure of the recipes up to %d: %w", i+1, err)
		}
		for _, e := range c.Entries {
			if _, ok := owner[key(e.Pkg)]; !ok {
				owner[key(e.Pkg)] = i
			}
		}
	}
	for _, e := range full.Entries {
		if _, ok := owner[key(e.Pkg)]; !ok {
			owner[key(e.Pkg)] = last
		}
	}
	return owner, nil
}

// RPMRequests returns the RPM names an RPM-based recipe asks for, each
// with the recipe's position for error messages; nil for other recipes.
// The ISO builder uses it to put the closure of the base recipes on the
// medium.
func RPMRequests(r *recipe.Recipe) []closure.Request {
	if r.Acquire == nil || r.Acquire.Kind != recipe.AcquireRPM {
		return nil
	}
	out := make([]closure.Request, 0, len(r.Acquire.RPMs))
	for _, name := range r.Acquire.RPMs {
		out = append(out, closure.Request{Name: name, Pos: fmt.Sprintf("%s (recipe %s)", r.Acquire.Pos, r.Name)})
	}
	return out
}
