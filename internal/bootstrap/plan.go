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
	p := &Plan{Groups: slices.Clone(groups)}
	owner, c, err := owners(inputs, reqs)
	if err != nil {
		return nil, err
	}
	p.Closure = c
	for _, e := range c.Entries {
		i := owner[key(e.Pkg)]
		p.Groups[i].Packages = append(p.Groups[i].Packages, e)
	}
	return p, nil
}

func key(p *repo.Package) string { return p.Name + "." + p.Arch }

// owners resolves the closure of every prefix of the groups with RPMs
// (their RPMs with those of the groups before them), at once on all
// CPUs, and maps every package to the first group whose prefix contains
// it. The last prefix is the whole set: its closure is the plan's.
func owners(inputs []closure.Input, reqs [][]closure.Request) (map[string]int, *closure.Closure, error) {
	var groupOf []int
	var prefixes [][]closure.Request
	var acc []closure.Request
	for i, rs := range reqs {
		if len(rs) == 0 {
			continue
		}
		acc = append(acc, rs...)
		groupOf = append(groupOf, i)
		prefixes = append(prefixes, slices.Clone(acc))
	}
	if len(prefixes) == 0 {
		return nil, nil, errors.New("no recipe of the set names an RPM: nothing to install")
	}
	cs := make([]*closure.Closure, len(prefixes))
	errs := make([]error, len(prefixes))
	forEach(len(prefixes), 1, func(k int) { cs[k], errs[k] = closure.Resolve(inputs, prefixes[k]) })
	last := len(prefixes) - 1
	if errs[last] != nil {
		return nil, nil, fmt.Errorf("cannot bootstrap: %w", errs[last])
	}
	owner := make(map[string]int, len(cs[last].Entries))
	for k, c := range cs {
		if errs[k] != nil {
			// The full set resolves, so a prefix failing is unexpected;
			// say which one rather than guess.
			return nil, nil, fmt.Errorf("closure of the recipes up to %d: %w", groupOf[k]+1, errs[k])
		}
		for _, e := range c.Entries {
			if _, ok := owner[key(e.Pkg)]; !ok {
				owner[key(e.Pkg)] = groupOf[k]
			}
		}
	}
	return owner, cs[last], nil
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
