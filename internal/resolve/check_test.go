package resolve

import (
	"slices"
	"testing"
)

// member is a package of the system after the plan: name, version,
// provides and conflicts.
type member struct {
	name, version string
	provides      []Provide
	conflicts     []Dep
	old           bool // installed and untouched
}

// checkPlan verifies a successful plan independently of the solver: one
// step per name, every request and every applicable dependency satisfied
// by an earlier step, every edge respected, no conflict in the resulting
// system (plan plus untouched installed packages) that the plan brings in.
func checkPlan(t *testing.T, u *Universe, reqs []Request, inst []Installed, p *Plan) {
	t.Helper()
	pos := make(map[string]int)
	installed := make(map[string]Installed)
	for _, in := range inst {
		if _, dup := installed[in.Name]; !dup {
			installed[in.Name] = in
		}
	}
	var system []member
	for i, st := range p.Steps {
		if _, dup := pos[st.Name]; dup {
			t.Errorf("plan has %q twice:\n%s", st.Name, p)
		}
		pos[st.Name] = i
		if st.AlreadyInstalled {
			in, ok := installed[st.Name]
			if !ok || in.Version != st.Version || st.Package != nil {
				t.Errorf("keep step %s %s is not an installed package", st.Name, st.Version)
			}
			continue
		}
		if st.Package == nil || st.Package.Name != st.Name || st.Package.Version != st.Version {
			t.Errorf("step %s %s has package %v", st.Name, st.Version, st.Package)
			continue
		}
		if in, ok := installed[st.Name]; ok != (st.Replaces != "") || (ok && in.Version != st.Replaces) {
			t.Errorf("step %s %s replaces %q; installed: %v", st.Name, st.Version, st.Replaces, ok)
		}
		for _, f := range st.Package.Features {
			if f.Default && !slices.Contains(st.Features, f.Name) && st.Reason == Dependency {
				t.Errorf("dependency %s lacks default feature %q", st.Package.ID(), f.Name)
			}
		}
		system = append(system, member{st.Name, st.Version, st.Package.Provides, st.Package.Conflicts, false})
	}
	for _, in := range installed {
		if i, ok := pos[in.Name]; !ok || p.Steps[i].AlreadyInstalled {
			system = append(system, member{in.Name, in.Version, in.Provides, in.Conflicts, true})
		}
	}
	// satisfiedBefore reports whether a step before limit satisfies d.
	satisfiedBefore := func(d Dep, limit int) bool {
		for i := 0; i < limit; i++ {
			st := p.Steps[i]
			var prs []Provide
			if st.Package != nil {
				prs = st.Package.Provides
			} else {
				prs = installed[st.Name].Provides
			}
			if satisfies(st.Name, st.Version, prs, d.Name, d.Constraint) {
				return true
			}
		}
		return false
	}
	for _, r := range reqs {
		if !satisfiedBefore(Dep{Name: r.Name, Constraint: r.Constraint}, len(p.Steps)) {
			t.Errorf("request %s not satisfied by plan:\n%s", spec(r.Name, r.Constraint), p)
		}
		if i, ok := pos[r.Name]; ok {
			st := p.Steps[i]
			for _, f := range r.Features {
				on := f[0] != '-'
				if f[0] == '-' {
					f = f[1:]
				}
				if slices.Contains(st.Features, f) != on {
					t.Errorf("request %s %s: step has features %v", r.Name, f, st.Features)
				}
			}
		}
	}
	for i, st := range p.Steps {
		if st.Package == nil {
			continue
		}
		for _, d := range st.Package.Deps {
			if applies(d.If, st.Features) && !satisfiedBefore(d, i) {
				t.Errorf("%s: dependency %s not satisfied by an earlier step:\n%s", st.Package.ID(), d.Spec(), p)
			}
		}
	}
	for _, e := range p.Edges {
		if pos[e.From] <= pos[e.To] {
			t.Errorf("edge %s -> %s not respected by the order:\n%s", e.From, e.To, p)
		}
	}
	for _, a := range system {
		for _, c := range a.conflicts {
			for _, b := range system {
				if b.name != a.name && !(a.old && b.old) && satisfies(b.name, b.version, b.provides, c.Name, c.Constraint) {
					t.Errorf("%s %s conflicts with %s, and %s %s is in the result:\n%s", a.name, a.version, c.Spec(), b.name, b.version, p)
				}
			}
		}
	}
}
