package resolve

import (
	"fmt"
	"slices"
	"strings"

	"github.com/levitateos/levitate/internal/version"
)

// Reason tells why a step is in the plan.
type Reason int

const (
	// Explicit steps were requested by the user.
	Explicit Reason = iota
	// Dependency steps are needed by other steps.
	Dependency
)

// Step is one package of the plan.
type Step struct {
	Name, Version string
	// Package is the recipe to build; nil for a kept installed package.
	Package  *Package
	Features []string // enabled features, sorted
	Reason   Reason
	NeededBy []string // names of the steps depending on this one, sorted
	// AlreadyInstalled marks an installed package kept as is.
	AlreadyInstalled bool
	// Replaces is the installed version this step replaces, if any;
	// Upgrade tells whether the new version is newer.
	Replaces string
	Upgrade  bool
}

// Edge is a dependency between two steps of a plan.
type Edge struct {
	From, To string
	Kind     DepKind
}

// Plan is the result of Resolve. Steps are in install order: every step
// comes after all the steps it depends on, build and runtime alike.
type Plan struct {
	Steps []Step
	Edges []Edge // deduplicated, grouped by dependent, in declaration order
	// Attempts counts the candidates tried, a measure of backtracking.
	Attempts int
}

// verb is the action a step stands for.
func (st Step) verb() string {
	switch {
	case st.AlreadyInstalled:
		return "keep"
	case st.Replaces == "":
		return "install"
	case st.Upgrade:
		return "upgrade"
	case st.Replaces == st.Version:
		return "rebuild"
	default:
		return "downgrade"
	}
}

// String renders the plan, one step per line:
//
//	install   libfoo 2.1 (for app)
//	upgrade   zlib 1.2 -> 1.3 (for libfoo)
//	keep      libc 2.0 (installed; for app)
//	install   app 1.0 [gui, x11] (explicit)
func (p *Plan) String() string {
	var b strings.Builder
	for _, st := range p.Steps {
		fmt.Fprintf(&b, "%-9s %s ", st.verb(), st.Name)
		if st.Replaces != "" && st.Replaces != st.Version {
			b.WriteString(st.Replaces + " -> ")
		}
		b.WriteString(st.Version)
		if len(st.Features) > 0 {
			b.WriteString(" [" + strings.Join(st.Features, ", ") + "]")
		}
		var notes []string
		if st.AlreadyInstalled {
			notes = append(notes, "installed")
		}
		if st.Reason == Explicit {
			notes = append(notes, "explicit")
		}
		if len(st.NeededBy) > 0 {
			notes = append(notes, "for "+strings.Join(st.NeededBy, ", "))
		}
		b.WriteString(" (" + strings.Join(notes, "; ") + ")\n")
	}
	return b.String()
}

// plan turns a finished search into a Plan, or a *CycleError. It works
// on integer node ids: it runs on every successful Resolve.
func (s *solver) plan() (*Plan, error) {
	id := make(map[string]int, len(s.order)+len(s.inst))
	names := make([]string, 0, len(s.order)+len(s.inst))
	node := func(name string) int {
		if i, ok := id[name]; ok {
			return i
		}
		id[name] = len(names)
		names = append(names, name)
		return len(names) - 1
	}
	roots := make([]int, len(s.roots))
	for i, r := range s.roots {
		roots[i] = node(r)
	}
	// Group the edges by dependent (a counting sort), then order each
	// group by declaration, whatever order the search resolved them in.
	from := make([]int, len(s.edges))
	for i, e := range s.edges {
		from[i] = node(e.from)
		node(e.to)
	}
	start := make([]int, len(names)+1)
	for _, f := range from {
		start[f+1]++
	}
	for i := range names {
		start[i+1] += start[i]
	}
	grouped := make([]edge, len(s.edges))
	fill := slices.Clone(start[:len(names)])
	for i, e := range s.edges {
		grouped[fill[from[i]]] = e
		fill[from[i]]++
	}
	p := &Plan{Attempts: s.attempts, Edges: make([]Edge, 0, len(s.edges))}
	adj := make([][]int, len(names))
	indeg := make([]int, len(names))
	targets := make([]int, 0, len(s.edges))
	for f := range names {
		es := grouped[start[f]:start[f+1]]
		slices.SortStableFunc(es, func(a, b edge) int { return a.index - b.index })
		first := len(targets)
		for i, e := range es {
			if slices.ContainsFunc(es[:i], func(o edge) bool { return o.to == e.to && o.kind == e.kind }) {
				continue
			}
			p.Edges = append(p.Edges, Edge{From: e.from, To: e.to, Kind: e.kind})
			if t := id[e.to]; !slices.Contains(targets[first:], t) {
				targets = append(targets, t)
				indeg[t]++
			}
		}
		adj[f] = targets[first:len(targets):len(targets)]
	}
	neededBy := make([]string, len(targets))
	incoming := make([][]string, len(names))
	off := 0
	for t, d := range indeg {
		incoming[t] = neededBy[off : off : off+d]
		off += d
	}
	for f, ts := range adj {
		for _, t := range ts {
			incoming[t] = append(incoming[t], names[f])
		}
	}
	order, cyclic := postorder(roots, adj)
	if cyclic {
		byName := make(map[string][]string, len(adj))
		for f, ts := range adj {
			for _, t := range ts {
				byName[names[f]] = append(byName[names[f]], names[t])
			}
		}
		return nil, &CycleError{Cycles: findCycles(byName)}
	}
	explicit := make([]bool, len(names))
	for _, r := range roots {
		explicit[r] = true
	}
	p.Steps = make([]Step, 0, len(order))
	for _, n := range order {
		name := names[n]
		st := Step{Name: name, Reason: Dependency, NeededBy: incoming[n]}
		slices.Sort(st.NeededBy)
		if explicit[n] {
			st.Reason = Explicit
		}
		if ch := s.sel[name]; ch != nil {
			st.Package, st.Version, st.Features = ch.pkg, ch.pkg.Version, ch.features
			if ch.replaces != nil {
				st.Replaces = ch.replaces.rec.Version
				st.Upgrade = version.Compare(st.Version, st.Replaces) > 0
			}
		} else {
			rec := s.inst[name].rec
			st.Version, st.AlreadyInstalled = rec.Version, true
			st.Features = slices.Sorted(slices.Values(rec.Features))
		}
		p.Steps = append(p.Steps, st)
	}
	return p, nil
}

// postorder lists every node reachable from roots, each after all of its
// successors, visiting roots and successors in order, and reports whether
// it met a cycle. It uses an explicit stack, so depth is bounded only by
// memory.
func postorder(roots []int, adj [][]int) ([]int, bool) {
	type frame struct{ node, next int }
	const (
		unseen = iota
		open
		done
	)
	state := make([]uint8, len(adj))
	var out []int
	cyclic := false
	var stack []frame
	for _, r := range roots {
		if state[r] != unseen {
			continue
		}
		state[r] = open
		stack = append(stack, frame{node: r})
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			if top.next < len(adj[top.node]) {
				child := adj[top.node][top.next]
				top.next++
				switch state[child] {
				case unseen:
					state[child] = open
					stack = append(stack, frame{node: child})
				case open:
					cyclic = true
				}
				continue
			}
			state[top.node] = done
			out = append(out, top.node)
			stack = stack[:len(stack)-1]
		}
	}
	return out, cyclic
}
