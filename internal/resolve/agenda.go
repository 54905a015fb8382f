package resolve

import "slices"

// agenda is the work list of dependencies to resolve: first the requests
// in order, then a bucket queue ordered by the rank of the dependency's
// name (see Universe.computeRanks): dependents before their dependencies.
// When the first dependency on a name is taken, every other one that can
// arise in the current branch is already queued, so the choice can honour
// all of them at once. Its changes are recorded on the solver's trail.
type agenda struct {
	requests []task
	reqHead  int
	buckets  [][]task
	heads    []int
	cursor   int
	done     int // tasks taken so far in this branch
	trail    []agendaUndo
}

// agendaUndo reverts one change and restores the cursor.
type agendaUndo struct {
	kind      undoKind
	bucket, n int32 // for undoPush: truncate bucket to n
	cursor    int32
}

type undoKind uint8

const (
	undoPush undoKind = iota
	undoPop
	undoPopRequest
)

// undoTo reverts the changes recorded after the first n.
func (a *agenda) undoTo(n int) {
	for i := len(a.trail) - 1; i >= n; i-- {
		u := a.trail[i]
		switch u.kind {
		case undoPush:
			a.buckets[u.bucket] = a.buckets[u.bucket][:u.n]
		case undoPop:
			a.heads[u.bucket]--
			a.done--
		case undoPopRequest:
			a.reqHead--
			a.done--
		}
		a.cursor = int(u.cursor)
	}
	a.trail = a.trail[:n]
}

// newAgenda sizes each bucket after the number of dependencies in the
// universe that name it, carving them from one allocation.
func newAgenda(u *Universe) agenda {
	n := len(u.ranks) + 1
	a := agenda{buckets: make([][]task, n), heads: make([]int, n), trail: make([]agendaUndo, 0, 2*u.deps)}
	backing := make([]task, u.deps)
	off := 0
	for r, d := range u.demand {
		a.buckets[r] = backing[off : off : off+d]
		off += d
	}
	return a
}

// rank returns the bucket of a name; unknown names share the last one.
func (u *Universe) rank(name string) int {
	if r, ok := u.ranks[name]; ok {
		return r
	}
	return len(u.ranks)
}

// push queues t in bucket r, the rank of its name.
func (s *solver) push(t task, r int) {
	a := &s.agenda
	n, cursor := len(a.buckets[r]), a.cursor
	a.buckets[r] = append(a.buckets[r], t)
	a.cursor = min(a.cursor, r)
	if len(s.stack) > 0 {
		a.trail = append(a.trail, agendaUndo{kind: undoPush, bucket: int32(r), n: int32(n), cursor: int32(cursor)})
	}
}

func (s *solver) pop() (task, bool) {
	a := &s.agenda
	if a.reqHead < len(a.requests) {
		a.reqHead++
		a.done++
		if len(s.stack) > 0 {
			a.trail = append(a.trail, agendaUndo{kind: undoPopRequest, cursor: int32(a.cursor)})
		}
		return a.requests[a.reqHead-1], true
	}
	cursor := a.cursor
	for a.cursor < len(a.buckets) && a.heads[a.cursor] >= len(a.buckets[a.cursor]) {
		a.cursor++
	}
	if a.cursor == len(a.buckets) {
		return task{}, false
	}
	r := a.cursor
	t := a.buckets[r][a.heads[r]]
	a.heads[r]++
	a.done++
	if len(s.stack) > 0 {
		a.trail = append(a.trail, agendaUndo{kind: undoPop, bucket: int32(r), cursor: int32(cursor)})
	}
	return t, true
}

// pending returns the queued constraints on name.
func (s *solver) pending(name string) []task {
	r := s.u.rank(name)
	return s.agenda.buckets[r][s.agenda.heads[r]:]
}

// preferPending reorders cands stably so that those satisfying every
// queued dependency on name come first.
func (s *solver) preferPending(name string, cands []*Package) []*Package {
	if len(cands) < 2 {
		return cands
	}
	var cons []task
	for _, t := range s.pending(name) {
		if t.dep.Name == name && !t.dep.Constraint.Any() {
			cons = append(cons, t)
		}
	}
	if len(cons) == 0 {
		return cands
	}
	good := func(p *Package) bool {
		for _, t := range cons {
			if !satisfies(p.Name, p.Version, p.Provides, name, t.dep.Constraint) {
				return false
			}
		}
		return true
	}
	out := make([]*Package, 0, len(cands))
	for _, p := range cands {
		if good(p) {
			out = append(out, p)
		}
	}
	for _, p := range cands {
		if !good(p) {
			out = append(out, p)
		}
	}
	return out
}

// computeRanks orders every name so that a name comes before the names it
// may depend on: package names point to the dependencies of all their
// versions, provided names to their providers. Strongly connected names
// share a rank order by name.
func (u *Universe) computeRanks() {
	adj := make(map[string][]string)
	for _, p := range u.pkgs {
		for _, d := range p.Deps {
			adj[p.Name] = append(adj[p.Name], d.Name)
		}
	}
	for name, prs := range u.providers {
		for _, pr := range prs {
			adj[name] = append(adj[name], pr.pkg.Name)
		}
	}
	for name, next := range adj {
		slices.Sort(next)
		adj[name] = slices.Compact(next)
	}
	comps := components(u.names, adj) // sinks first
	u.ranks = make(map[string]int, len(u.names))
	r := 0
	for i := len(comps) - 1; i >= 0; i-- {
		for _, name := range comps[i] {
			u.ranks[name] = r
			r++
		}
	}
	u.demand = make([]int, len(u.ranks)+1)
	u.depRanks = make(map[*Package][]int, len(u.pkgs))
	for _, p := range u.pkgs {
		rs := make([]int, len(p.Deps))
		for i, d := range p.Deps {
			rs[i] = u.rank(d.Name)
			u.demand[rs[i]]++
			u.deps++
		}
		u.depRanks[p] = rs
	}
}
