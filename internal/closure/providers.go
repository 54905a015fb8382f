package closure

import (
	"fmt"
	"sort"
	"strings"

	"github.com/levitateos/levitate/internal/rpm"
)

// providers returns the candidates that satisfy a plain, with or without
// expression, deduplicated, in input order.
func (r *resolver) providers(e *expr) []cand {
	switch e.op {
	case "with", "without":
		in := map[any]bool{}
		for _, c := range r.providers(e.args[1]) {
			in[c.pkg] = true
		}
		var out []cand
		for _, c := range r.providers(e.args[0]) {
			if in[c.pkg] == (e.op == "with") {
				out = append(out, c)
			}
		}
		return out
	case "":
	default:
		// and/or/if inside with: rpm forbids it; treat as unsatisfiable.
		return nil
	}
	return r.depProviders(e.dep)
}

func (r *resolver) depProviders(d rpm.Dep) []cand {
	seen := map[any]bool{}
	var out []cand
	for i, in := range r.inputs {
		if strings.HasPrefix(d.Name, "/") {
			ps, err := in.Index.WhatProvidesFile(d.Name)
			if err != nil {
				r.problem("%s: %v", in.ID, err)
			}
			for _, p := range ps {
				if !seen[p] {
					seen[p] = true
					out = append(out, cand{p, i})
				}
			}
		}
		for _, pv := range in.Index.WhatProvides(d.Name) {
			if !seen[pv.Pkg] && overlaps(d, pv.Dep) {
				seen[pv.Pkg] = true
				out = append(out, cand{pv.Pkg, i})
			}
		}
	}
	return out
}

// best picks deterministically among candidates no chosen package blocks:
// a name from the request list, a name equal to the capability, a package
// no other candidate obsoletes, then by name, source priority, newest
// EVR, architecture, input order and href.
func (r *resolver) best(cs []cand, capName string) cand {
	cs = append([]cand(nil), cs...)
	obsoleted := map[any]bool{}
	for _, a := range cs {
		for _, o := range a.pkg.Obsoletes {
			for _, b := range cs {
				if b.pkg.Name == o.Name && a.pkg.Name != b.pkg.Name &&
					overlaps(o, rpm.Dep{Name: b.pkg.Name, Flags: rpm.FlagEqual, EVR: b.pkg.EVR}) {
					obsoleted[b.pkg] = true
				}
			}
		}
	}
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := cs[i], cs[j]
		if x, y := r.requested[a.pkg.Name], r.requested[b.pkg.Name]; x != y {
			return x
		}
		if x, y := obsoleted[a.pkg], obsoleted[b.pkg]; x != y {
			return y
		}
		if x, y := a.pkg.Name == capName, b.pkg.Name == capName; x != y {
			return x
		}
		if a.pkg.Name != b.pkg.Name {
			return a.pkg.Name < b.pkg.Name
		}
		if x, y := r.inputs[a.in].Priority, r.inputs[b.in].Priority; x != y {
			return x > y
		}
		if c := compareEVR(a.pkg.EVR, b.pkg.EVR); c != 0 {
			return c > 0
		}
		if x, y := archRank(a.pkg.Arch), archRank(b.pkg.Arch); x != y {
			return x < y
		}
		if a.pkg.Arch != b.pkg.Arch {
			return a.pkg.Arch < b.pkg.Arch
		}
		if a.in != b.in {
			return a.in < b.in
		}
		return a.pkg.Href < b.pkg.Href
	})
	return cs[0]
}

// checkConflicts reports chosen packages that conflict with or obsolete
// other chosen packages.
func (r *resolver) checkConflicts() {
	for _, c := range r.sortedChosen() {
		for _, d := range c.pkg.Conflicts {
			for _, o := range r.depProviders(d) {
				if o.pkg != c.pkg && r.isChosen(o) {
					r.problem("%s conflicts with %s (%q)", c.pkg.NEVRA, o.pkg.NEVRA, d.String())
				}
			}
		}
		for _, d := range c.pkg.Obsoletes {
			if o, ok := r.chosen[d.Name]; ok && o.pkg != c.pkg &&
				overlaps(d, rpm.Dep{Name: o.pkg.Name, Flags: rpm.FlagEqual, EVR: o.pkg.EVR}) {
				r.problem("%s obsoletes %s (%q), but both are in the closure", c.pkg.NEVRA, o.pkg.NEVRA, d.String())
			}
		}
	}
}

// Error lists every problem found while resolving, sorted.
type Error struct {
	Problems []string
}

func newError(set map[string]bool) *Error {
	e := &Error{}
	for p := range set {
		e.Problems = append(e.Problems, p)
	}
	sort.Strings(e.Problems)
	return e
}

func (e *Error) Error() string {
	if len(e.Problems) == 1 {
		return e.Problems[0]
	}
	return fmt.Sprintf("%d problems:\n\t%s", len(e.Problems), strings.Join(e.Problems, "\n\t"))
}
