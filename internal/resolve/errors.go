package resolve

import (
	"fmt"
	"strings"

	"github.com/levitateos/levitate/internal/suggest"
)

// Requirement is one demand on a name, with who made it.
type Requirement struct {
	By  string // "app 1.0"; "" for the user's request
	Dep Dep
}

func (r requirement) String() string { return Requirement{By: r.by(), Dep: *r.dep}.String() }

// String returns "app 1.0 (recipes/app.recipe:7:10) requires libfoo >= 2"
// or "requested libfoo >= 2".
func (r Requirement) String() string {
	if r.By == "" {
		return "requested " + r.Dep.Spec()
	}
	return r.By + at(r.Dep.From) + " requires " + r.Dep.Spec()
}

// UnsatisfiableError explains why a dependency could not be satisfied.
type UnsatisfiableError struct {
	Name string
	// Missing is set when no recipe has or provides Name at all.
	Missing bool
	// Requirements are the demands on Name in force at the dead end, in
	// the order they were made; the failing one is last.
	Requirements []Requirement
	// Available lists what exists under Name: "libfoo 1.5, 2.1",
	// "provided by pkgx 1.0 (libfoo = 1)", "installed libfoo 1.0".
	Available []string
	// Rejected tells why matching candidates could not be used.
	Rejected []string
	// Suggestions are known names close to a missing Name.
	Suggestions []string
}

func (e *UnsatisfiableError) Error() string {
	var b strings.Builder
	if e.Missing {
		last := e.Requirements[len(e.Requirements)-1]
		fmt.Fprintf(&b, "no recipe provides %q", e.Name)
		if last.By == "" { // a request
			b.WriteString(" (requested)")
		} else {
			fmt.Fprintf(&b, " (required by %s", last.By)
			if last.Dep.From != "" {
				fmt.Fprintf(&b, " at %s", last.Dep.From)
			}
			b.WriteString(")")
		}
		if len(e.Suggestions) > 0 {
			q := make([]string, len(e.Suggestions))
			for i, s := range e.Suggestions {
				q[i] = fmt.Sprintf("%q", s)
			}
			alt := q[len(q)-1]
			if len(q) > 1 {
				alt = strings.Join(q[:len(q)-1], ", ") + " or " + alt
			}
			fmt.Fprintf(&b, "; did you mean %s?", alt)
		}
		return b.String()
	}
	fmt.Fprintf(&b, "cannot satisfy %q", e.Name)
	sep := ": "
	for _, r := range e.Requirements {
		b.WriteString(sep + r.String())
		sep = "; "
	}
	if len(e.Available) > 0 {
		b.WriteString(sep + "available: " + strings.Join(e.Available, "; "))
	}
	for _, r := range e.Rejected {
		b.WriteString(sep + r)
	}
	return b.String()
}

// explain builds the error for a dead end on t.
func (s *solver) explain(t task, rejects []string) error {
	name := t.dep.Name
	e := &UnsatisfiableError{Name: name}
	seen := map[string]bool{}
	add := func(r requirement) {
		if k := r.String(); !seen[k] {
			seen[k] = true
			e.Requirements = append(e.Requirements, Requirement{By: r.by(), Dep: *r.dep})
		}
	}
	// Every demand on name in force: the requests, then the applicable
	// dependencies of the selected packages, oldest first; the failing
	// one last.
	failing := reqOf(t)
	failingKey := failing.String()
	seen[failingKey] = true
	for _, r := range s.requests {
		if r.Name == name {
			add(requirement{dep: &Dep{Name: r.Name, Constraint: r.Constraint}})
		}
	}
	for _, ch := range s.order {
		for i := range ch.pkg.Deps {
			if d := &ch.pkg.Deps[i]; d.Name == name && applies(d.If, ch.features) {
				add(requirement{dep: d, req: ch})
			}
		}
	}
	seen[failingKey] = false
	add(failing)
	if !s.u.known(name) && s.inst[name] == nil && len(s.instProv[name]) == 0 {
		e.Missing = true
		e.Suggestions = suggest.Closest(name, s.u.names, 3)
		return e
	}
	if ps := s.u.byName[name]; len(ps) > 0 {
		vs := make([]string, len(ps))
		for i, p := range ps {
			vs[len(ps)-1-i] = p.Version
		}
		e.Available = append(e.Available, name+" "+strings.Join(vs, ", "))
	}
	if prs := s.u.providers[name]; len(prs) > 0 {
		var list []string
		for _, pr := range prs {
			list = append(list, pr.pkg.ID()+" ("+provideSpec(name, pr.version)+")")
		}
		e.Available = append(e.Available, "provided by "+strings.Join(list, ", "))
	}
	if st := s.inst[name]; st != nil {
		e.Available = append(e.Available, "installed "+st.rec.Name+" "+st.rec.Version)
	}
	for _, st := range s.instProv[name] {
		e.Available = append(e.Available, "installed "+st.rec.Name+" "+st.rec.Version+" ("+provideSpec(name, provided(st.rec.Provides, name))+")")
	}
	if ch := s.sel[name]; ch != nil && !t.dep.Constraint.Match(ch.pkg.Version) {
		note := ch.pkg.ID() + " is already selected"
		if ch.why.dep.Name != name {
			note += ", because " + ch.why.String()
		}
		e.Rejected = append(e.Rejected, note)
	}
	e.Rejected = append(e.Rejected, rejects...)
	return e
}

func provideSpec(name, ver string) string {
	if ver == "" {
		return name
	}
	return name + " = " + ver
}

func provided(prs []Provide, name string) string {
	for _, pr := range prs {
		if pr.Name == name {
			return pr.Version
		}
	}
	return ""
}

func cmpString(a, b string) int { return strings.Compare(a, b) }
