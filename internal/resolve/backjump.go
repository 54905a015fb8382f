package resolve

import "slices"

// blame is what a dead end depends on: selections, or (all) anything.
type blame struct {
	choices []*choice
	all     bool
}

// firstViable returns the index of the first candidate from start that
// can be added and its enabled features; else -1. It also returns why the
// candidates before it could not, and what those rejections depend on.
func (s *solver) firstViable(cands []*Package, start int) (int, []string, []string, blame) {
	var rejects []string
	var b blame
	for i := start; i < len(cands); i++ {
		s.attempts++
		if s.attempts > s.maxAttempts {
			s.gaveUp = true
			return -1, nil, rejects, b
		}
		feats, why, culprit, all := s.viable(cands[i])
		if why == "" {
			return i, feats, rejects, b
		}
		rejects = append(rejects, why)
		if culprit != nil {
			b.choices = append(b.choices, culprit)
		}
		b.all = b.all || all
	}
	return -1, nil, rejects, b
}

// culprits returns the sorted indices of the choice points a dead end
// depends on: those of the blamed selections and, transitively, of the
// selections they depend on (their requirer and the selections in their
// because lists). Blaming all returns every open choice point.
func (s *solver) culprits(b blame) []int {
	if b.all {
		idx := make([]int, len(s.stack))
		for i := range idx {
			idx[i] = i
		}
		return idx
	}
	var idx []int
	seen := make(map[*choice]bool)
	work := b.choices
	for len(work) > 0 {
		ch := work[len(work)-1]
		work = work[:len(work)-1]
		if ch == nil || seen[ch] {
			continue
		}
		seen[ch] = true
		if ch.cp >= 0 {
			idx = append(idx, ch.cp)
		}
		work = append(append(work, ch.why.req), ch.because...)
	}
	slices.Sort(idx)
	return slices.Compact(idx)
}

// backjump repairs a dead end that depends on the choice points idx. The
// choice points above the highest of them cannot repair it: they are
// dropped, and the highest tries its next candidate, adding the other
// indices to its blame. When it runs out of candidates, its blame (plus
// what its task and the rejections depend on) is the next dead end. It
// reports false when no choice point can help.
func (s *solver) backjump(idx []int) bool {
	for !s.gaveUp && len(idx) > 0 {
		top := idx[len(idx)-1]
		s.stack = s.stack[:top+1]
		cp := &s.stack[top]
		for _, i := range idx[:len(idx)-1] {
			if !slices.Contains(cp.blame, i) {
				cp.blame = append(cp.blame, i)
			}
		}
		s.undoTo(cp.trailLen)
		s.agenda.undoTo(cp.agendaTrailLen)
		s.edges = s.edges[:cp.edgesLen]
		s.order = s.order[:cp.orderLen]
		i, feats, rejects, b := s.firstViable(cp.cands, cp.next)
		if i >= 0 {
			// The choice point stays even after its last candidate, so
			// that its blame survives until it is exhausted.
			cp.next = i + 1
			chosenCP := top
			if b.all {
				chosenCP = len(s.stack) - 1
			}
			s.apply(cp.cands[i], feats, cp.task, chosenCP, b.choices)
			return true
		}
		if len(rejects) > 0 && !s.gaveUp {
			s.failed(cp.task, rejects)
		}
		b.choices = append(b.choices, cp.task.from)
		next := append(s.culprits(b), cp.blame...)
		s.stack = s.stack[:top]
		next = slices.DeleteFunc(next, func(i int) bool { return i >= top })
		slices.Sort(next)
		idx = slices.Compact(next)
	}
	return false
}
