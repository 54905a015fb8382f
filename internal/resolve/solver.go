package resolve

import (
	"fmt"
	"slices"
)

// requirement is one dependency being resolved, with who asked for it.
type requirement struct {
	dep *Dep
	req *choice // the requirer; nil for a request
}

// by returns the requirer as "app 1.0", or "" for a request.
func (r requirement) by() string {
	if r.req == nil {
		return ""
	}
	return r.req.pkg.ID()
}

// choice is a package selected for the plan.
type choice struct {
	pkg      *Package
	features []string
	replaces *instState  // the installed version this one replaces, if any
	why      requirement // the requirement it was selected for
	// cp is the index of the choice point holding its alternatives, or -1.
	cp int
	// because lists the selections that ruled out preferred candidates
	// when it was chosen. With why.req and cp they are what its selection
	// depends on (see backjump).
	because []*choice
}

// instState is an installed package during the search.
type instState struct {
	rec      *Installed
	replaced *choice       // the selection replacing it, if any
	used     []requirement // requirements it satisfies; a replacement must too
}

// conflictEntry is a conflict declared by a selected or installed package.
type conflictEntry struct {
	owner   string // declaring package name
	ownerID string // "tool 3.1" or "installed tool 3.1"
	dep     Dep
	inst    *instState // set when declared by an installed package
	by      *choice    // set when declared by a selected package
}

// edge is a resolved dependency; from is "" for a request.
type edge struct {
	from, to string
	kind     DepKind
	index    int // of the dependency in from's Deps
}

// task is a dependency waiting to be resolved.
type task struct {
	from *choice // nil for a request
	dep  *Dep    // points into the universe's packages (or the requests)
	// index is the position of dep in from's Deps, or of the request.
	index int
}

// choicePoint remembers untried candidates for backtracking.
type choicePoint struct {
	edgesLen, trailLen, orderLen, agendaTrailLen int
	task                                         task
	cands                                        []*Package
	next                                         int
	// blame collects the indices of the choice points below this one
	// that caused its alternatives to fail (conflict-directed
	// backjumping).
	blame []int
}

// solver is the state of one Resolve call. Mutations of maps are recorded
// on the trail (only while a choice point exists) so that backtracking can
// undo them; slices that only grow are truncated instead.
type solver struct {
	u         *Universe
	feat      map[string]featureRequest
	sel       map[string]*choice
	selProv   map[string][]*choice
	inst      map[string]*instState
	instProv  map[string][]*instState
	conflicts map[string][]conflictEntry // by the name conflicted with
	order     []*choice                  // selections, oldest first
	requests  []Request
	edges     []edge
	agenda    agenda
	roots     []string // the package satisfying each request
	trail     []func()
	stack     []choicePoint

	attempts, maxAttempts int
	gaveUp                bool
	failPos               int
	fail                  error
}

func newSolver(u *Universe, opts Options) *solver {
	s := &solver{
		u:           u,
		feat:        make(map[string]featureRequest),
		sel:         make(map[string]*choice, len(u.byName)),
		selProv:     make(map[string][]*choice),
		inst:        make(map[string]*instState),
		instProv:    make(map[string][]*instState),
		conflicts:   make(map[string][]conflictEntry),
		maxAttempts: opts.MaxAttempts,
		agenda:      newAgenda(u),
		edges:       make([]edge, 0, u.deps),
		order:       make([]*choice, 0, len(u.byName)),
	}
	if s.maxAttempts <= 0 {
		s.maxAttempts = DefaultMaxAttempts
	}
	return s
}

// Resolve computes the install plan for reqs on a system holding
// installed. The error, when resolution fails, is a *FeatureError (or
// several joined), an *UnsatisfiableError, a *CycleError, or an
// *AbandonedError.
func (u *Universe) Resolve(reqs []Request, installed []Installed, opts Options) (*Plan, error) {
	s := newSolver(u, opts)
	if err := s.setRequests(reqs); err != nil {
		return nil, err
	}
	s.setInstalled(installed)
	s.requests = reqs
	s.roots = make([]string, len(reqs))
	for i, r := range reqs {
		s.agenda.requests = append(s.agenda.requests, task{dep: &Dep{Name: r.Name, Constraint: r.Constraint}, index: i})
	}
	for {
		t, more := s.pop()
		if !more {
			break
		}
		b, ok := s.process(t)
		if ok {
			continue
		}
		if !s.backjump(s.culprits(b)) {
			if s.gaveUp {
				return nil, &AbandonedError{Attempts: s.attempts, Last: s.fail}
			}
			return nil, s.fail
		}
	}
	return s.plan()
}

func (s *solver) onUndo(f func()) {
	if len(s.stack) > 0 {
		s.trail = append(s.trail, f)
	}
}

func (s *solver) undoTo(n int) {
	for i := len(s.trail) - 1; i >= n; i-- {
		s.trail[i]()
	}
	s.trail = s.trail[:n]
}

func reqOf(t task) requirement {
	if t.from == nil {
		return requirement{dep: t.dep}
	}
	return requirement{dep: t.dep, req: t.from}
}

func (s *solver) addEdge(t task, to string) {
	if t.from == nil {
		s.roots[t.index] = to
		return
	}
	s.edges = append(s.edges, edge{from: t.from.pkg.Name, to: to, kind: t.dep.Kind, index: t.index})
}

// process resolves one task, reusing a selected or installed package when
// one satisfies it, else choosing a new candidate. At a dead end it
// reports false and what the dead end depends on.
func (s *solver) process(t task) (blame, bool) {
	name, c := t.dep.Name, t.dep.Constraint
	r := reqOf(t)

	if ch := s.sel[name]; ch != nil && c.Match(ch.pkg.Version) {
		s.addEdge(t, name)
		return blame{}, true
	}
	for _, ch := range s.selProv[name] {
		if satisfies(ch.pkg.Name, ch.pkg.Version, ch.pkg.Provides, name, c) {
			s.addEdge(t, ch.pkg.Name)
			return blame{}, true
		}
	}
	var involved []*choice
	insts := s.instProv[name]
	if st := s.inst[name]; st != nil {
		insts = append([]*instState{st}, insts...)
	}
	for _, st := range insts {
		if s.instSatisfies(st, t) {
			s.use(st, r)
			s.addEdge(t, st.rec.Name)
			return blame{}, true
		}
		if st.replaced != nil {
			involved = append(involved, st.replaced)
		}
	}

	var cands []*Package
	for _, p := range s.u.candidates(name, c) {
		if ch := s.sel[p.Name]; ch != nil {
			involved = append(involved, ch)
			continue
		}
		cands = append(cands, p)
	}
	cands = s.preferPending(name, cands)
	i, feats, rejects, b := s.firstViable(cands, 0)
	if i < 0 {
		if !s.gaveUp {
			s.failed(t, rejects)
		}
		b.choices = append(append(b.choices, involved...), t.from)
		return b, false
	}
	cp := -1
	if i+1 < len(cands) {
		cp = len(s.stack)
		s.stack = append(s.stack, choicePoint{
			edgesLen: len(s.edges), trailLen: len(s.trail), orderLen: len(s.order), agendaTrailLen: len(s.agenda.trail),
			task: t, cands: cands, next: i + 1,
		})
	}
	if b.all {
		// Depends on whatever installed packages stay: on every choice.
		cp = len(s.stack) - 1
	}
	s.apply(cands[i], feats, t, cp, append(involved, b.choices...))
	return blame{}, true
}

// instSatisfies reports whether an installed package, not replaced,
// satisfies t. For a request with feature switches, the installed package
// must also have every feature switched on and none switched off;
// otherwise it is rebuilt.
func (s *solver) instSatisfies(st *instState, t task) bool {
	rec := st.rec
	if st.replaced != nil || !satisfies(rec.Name, rec.Version, rec.Provides, t.dep.Name, t.dep.Constraint) {
		return false
	}
	if t.from != nil || rec.Name != t.dep.Name {
		return true
	}
	fr := s.feat[rec.Name]
	for _, f := range fr.on {
		if !slices.Contains(rec.Features, f) {
			return false
		}
	}
	for _, f := range fr.off {
		if slices.Contains(rec.Features, f) {
			return false
		}
	}
	return true
}

func (s *solver) use(st *instState, r requirement) {
	old := st.used
	st.used = append(old, r)
	s.onUndo(func() { st.used = old })
}

// apply selects p for t and queues p's applicable dependencies, in
// declaration order.
func (s *solver) apply(p *Package, feats []string, t task, cp int, because []*choice) {
	ch := &choice{pkg: p, features: feats, why: reqOf(t), cp: cp, because: because}
	s.sel[p.Name] = ch
	s.order = append(s.order, ch)
	s.onUndo(func() { delete(s.sel, p.Name) })
	for _, pr := range p.Provides {
		if pr.Name == p.Name {
			continue
		}
		old := s.selProv[pr.Name]
		s.selProv[pr.Name] = append(old, ch)
		s.onUndo(func() { s.selProv[pr.Name] = old })
	}
	if st := s.inst[p.Name]; st != nil && st.replaced == nil {
		st.replaced = ch
		ch.replaces = st
		s.onUndo(func() { st.replaced = nil })
	}
	for _, d := range p.Conflicts {
		old := s.conflicts[d.Name]
		s.conflicts[d.Name] = append(old, conflictEntry{owner: p.Name, ownerID: p.ID(), dep: d, by: ch})
		s.onUndo(func() { s.conflicts[d.Name] = old })
	}
	s.addEdge(t, p.Name)
	ranks := s.u.depRanks[p]
	for i := range p.Deps {
		if d := &p.Deps[i]; applies(d.If, feats) {
			s.push(task{from: ch, dep: d, index: i}, ranks[i])
		}
	}
}

// failed records the explanation of a dead end; the one reached furthest
// into the search (most tasks done) wins, the first one on ties.
func (s *solver) failed(t task, rejects []string) {
	if s.fail != nil && s.agenda.done <= s.failPos {
		return
	}
	s.fail = s.explain(t, rejects)
	s.failPos = s.agenda.done
}

// AbandonedError reports that the candidate budget ran out.
type AbandonedError struct {
	Attempts int
	Last     error // the explanation of the furthest dead end seen
}

func (e *AbandonedError) Error() string {
	if e.Last == nil {
		return fmt.Sprintf("resolution abandoned after %d attempts", e.Attempts)
	}
	return fmt.Sprintf("resolution abandoned after %d attempts: %v", e.Attempts, e.Last)
}

// Unwrap returns the last dead end's explanation.
func (e *AbandonedError) Unwrap() error { return e.Last }
