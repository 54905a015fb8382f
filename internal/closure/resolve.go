package closure

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/levitateos/levitate/internal/repo"
	"github.com/levitateos/levitate/internal/rpm"
)

// Input is one package index with the source it came from.
type Input struct {
	// ID names the source; lock files record it.
	ID string
	// Priority ranks sources offering the same package: higher wins
	// before versions are compared.
	Priority int
	Index    *repo.Index
}

// Request is one wanted package name with where it was asked for
// ("packages.txt:12"); Pos prefixes error messages when set.
type Request struct {
	Name string
	Pos  string
}

// Entry is one package of a closure and the source it is taken from.
type Entry struct {
	Pkg    *repo.Package
	Source string
}

// Closure is a resolved package set, sorted by name and architecture.
type Closure struct {
	Entries []Entry
}

// Names returns the NEVRA of every entry, in order.
func (c *Closure) Names() []string {
	out := make([]string, len(c.Entries))
	for i, e := range c.Entries {
		out[i] = e.Pkg.NEVRA.String()
	}
	return out
}

// cand is a package together with the input that offers it.
type cand struct {
	pkg *repo.Package
	in  int
}

type resolver struct {
	inputs    []Input
	requested map[string]bool
	chosen    map[string]cand // by package name: one version per name
	queue     []cand
	problems  map[string]bool
	parsed    map[string]*expr
}

// Resolve computes the closure of reqs over inputs. The error, when not
// nil, is an *Error listing every problem.
func Resolve(inputs []Input, reqs []Request) (*Closure, error) {
	r := &resolver{
		inputs: inputs, requested: map[string]bool{}, chosen: map[string]cand{},
		problems: map[string]bool{}, parsed: map[string]*expr{},
	}
	for _, q := range reqs {
		r.requested[q.Name] = true
	}
	for _, q := range reqs {
		r.request(q)
	}
	for {
		for len(r.queue) > 0 {
			c := r.queue[0]
			r.queue = r.queue[1:]
			r.requires(c)
		}
		// Conditional (if/unless) requirements may have changed meaning
		// as the set grew: check everything again until nothing is added.
		for _, c := range r.sortedChosen() {
			r.requires(c)
		}
		if len(r.queue) == 0 {
			break
		}
	}
	r.checkConflicts()
	if len(r.problems) > 0 {
		return nil, newError(r.problems)
	}
	c := &Closure{}
	for _, ch := range r.sortedChosen() {
		c.Entries = append(c.Entries, Entry{Pkg: ch.pkg, Source: r.inputs[ch.in].ID})
	}
	return c, nil
}

func (r *resolver) sortedChosen() []cand {
	out := make([]cand, 0, len(r.chosen))
	for _, c := range r.chosen {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].pkg, out[j].pkg
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.Arch < b.Arch
	})
	return out
}

func (r *resolver) problem(format string, a ...any) { r.problems[fmt.Sprintf(format, a...)] = true }

// searched names the sources a failed lookup went through, so that a
// missing package can be told apart from a missing repository (Rocky's
// dracut-live is in AppStream, not on the minimal ISO).
func (r *resolver) searched() string {
	if len(r.inputs) == 0 {
		return "; no sources searched"
	}
	ids := make([]string, len(r.inputs))
	for i, in := range r.inputs {
		ids[i] = in.ID
		if in.Priority != 0 {
			ids[i] += " (priority " + strconv.Itoa(in.Priority) + ")"
		}
	}
	return "; searched: " + strings.Join(ids, ", ")
}

func (r *resolver) request(q Request) {
	if _, ok := r.chosen[q.Name]; ok {
		return
	}
	var cs []cand
	for i, in := range r.inputs {
		for _, p := range in.Index.ByName(q.Name) {
			cs = append(cs, cand{p, i})
		}
	}
	if len(cs) == 0 {
		msg := fmt.Sprintf("unknown package %q", q.Name)
		if near := r.closest(q.Name); len(near) > 0 {
			msg += " (closest: " + strings.Join(near, ", ") + ")"
		}
		if q.Pos != "" {
			msg = q.Pos + ": " + msg
		}
		r.problem("%s%s", msg, r.searched())
		return
	}
	r.add(r.best(cs, q.Name))
}

func (r *resolver) add(c cand) {
	r.chosen[c.pkg.Name] = c
	r.queue = append(r.queue, c)
}

// requires satisfies every requirement of c that is not yet satisfied.
func (r *resolver) requires(c cand) {
	for _, d := range c.pkg.Requires {
		if d.IsRPMLib() {
			continue
		}
		e, err := r.parse(d)
		if err != nil {
			r.problem("%s: %v", c.pkg.NEVRA, err)
			continue
		}
		if !r.sat(e) {
			r.install(e, c, d)
		}
	}
}

func (r *resolver) parse(d rpm.Dep) (*expr, error) {
	key := d.String()
	if e, ok := r.parsed[key]; ok {
		return e, nil
	}
	e, err := parseRequire(d)
	if err == nil {
		r.parsed[key] = e
	}
	return e, err
}

// sat reports whether the chosen set already satisfies e.
func (r *resolver) sat(e *expr) bool {
	switch e.op {
	case "and":
		for _, a := range e.args {
			if !r.sat(a) {
				return false
			}
		}
		return true
	case "or":
		for _, a := range e.args {
			if r.sat(a) {
				return true
			}
		}
		return false
	case "if", "unless":
		if r.sat(e.args[1]) == (e.op == "if") {
			return r.sat(e.args[0])
		}
		return e.otherwise == nil || r.sat(e.otherwise)
	}
	for _, c := range r.providers(e) {
		if r.isChosen(c) {
			return true
		}
	}
	return false
}

func (r *resolver) isChosen(c cand) bool {
	ch, ok := r.chosen[c.pkg.Name]
	return ok && ch.pkg == c.pkg
}

// possible reports whether e could be satisfied by adding packages.
func (r *resolver) possible(e *expr) bool {
	switch e.op {
	case "and":
		for _, a := range e.args {
			if !r.possible(a) {
				return false
			}
		}
		return true
	case "or":
		for _, a := range e.args {
			if r.possible(a) {
				return true
			}
		}
		return false
	case "if", "unless":
		if r.sat(e.args[1]) == (e.op == "if") {
			return r.possible(e.args[0])
		}
		return e.otherwise == nil || r.possible(e.otherwise)
	}
	ok, _ := r.free(r.providers(e))
	return len(ok) > 0
}

// free splits candidates into those that can join the set and those
// blocked because another version of their name is already chosen.
func (r *resolver) free(cs []cand) (ok, blocked []cand) {
	for _, c := range cs {
		if ch, taken := r.chosen[c.pkg.Name]; taken && ch.pkg != c.pkg {
			blocked = append(blocked, c)
		} else {
			ok = append(ok, c)
		}
	}
	return ok, blocked
}

// install adds packages so that e holds, or records why it cannot.
func (r *resolver) install(e *expr, who cand, top rpm.Dep) {
	switch e.op {
	case "and":
		for _, a := range e.args {
			if !r.sat(a) {
				r.install(a, who, top)
			}
		}
		return
	case "or":
		for _, a := range e.args {
			if r.possible(a) {
				r.install(a, who, top)
				return
			}
		}
		r.problem("%s requires %q: nothing provides it%s", who.pkg.NEVRA, top.String(), r.searched())
		return
	case "if", "unless":
		if r.sat(e.args[1]) == (e.op == "if") {
			r.install(e.args[0], who, top)
		} else if e.otherwise != nil {
			r.install(e.otherwise, who, top)
		}
		return
	}
	ok, blocked := r.free(r.providers(e))
	if len(ok) == 0 {
		msg := fmt.Sprintf("%s requires %q: nothing provides it", who.pkg.NEVRA, top.String())
		if len(blocked) > 0 {
			msg += fmt.Sprintf(" (%s would, but %s is already chosen)", blocked[0].pkg.NEVRA, r.chosen[blocked[0].pkg.Name].pkg.NEVRA)
		}
		r.problem("%s%s", msg, r.searched())
		return
	}
	r.add(r.best(ok, e.dep.Name))
}
