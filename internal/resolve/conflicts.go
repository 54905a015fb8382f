package resolve

import "fmt"

// viable checks whether p can join the current selection: its features
// can be computed, replacing an installed version keeps every requirement
// that version satisfied, and no conflict holds in either direction
// against selected or installed packages. It returns p's enabled features,
// or a reason why p is rejected and the highest level of the selections
// involved in the rejection.
func (s *solver) viable(p *Package) (feats []string, why string, culprit *choice, all bool) {
	feats, err := enabledFeatures(p, s.feat[p.Name])
	if err != nil {
		return nil, err.Error(), nil, false
	}
	if st := s.inst[p.Name]; st != nil && st.replaced == nil {
		for _, r := range st.used {
			if !satisfies(p.Name, p.Version, p.Provides, r.dep.Name, r.dep.Constraint) {
				return nil, fmt.Sprintf("%s cannot replace installed %s %s: %s", p.ID(), st.rec.Name, st.rec.Version, r), r.req, false
			}
		}
	}
	if why, culprit, all := s.ownConflicts(p); why != "" {
		return nil, why, culprit, all
	}
	why, culprit, all = s.othersConflicts(p)
	return feats, why, culprit, all
}

// ownConflicts checks the conflicts p declares. A conflict with an
// installed package counts at the current level: another branch might
// have replaced it.
func (s *solver) ownConflicts(p *Package) (string, *choice, bool) {
	for _, d := range p.Conflicts {
		hit := func(what string) string {
			return fmt.Sprintf("%s%s conflicts with %s (%s)", p.ID(), at(d.From), d.Spec(), what)
		}
		if ch := s.sel[d.Name]; ch != nil && ch.pkg.Name != p.Name && d.Constraint.Match(ch.pkg.Version) {
			return hit(ch.pkg.ID() + " selected"), ch, false
		}
		for _, ch := range s.selProv[d.Name] {
			if ch.pkg.Name != p.Name && satisfies(ch.pkg.Name, ch.pkg.Version, ch.pkg.Provides, d.Name, d.Constraint) {
				return hit(ch.pkg.ID() + " selected"), ch, false
			}
		}
		insts := s.instProv[d.Name]
		if st := s.inst[d.Name]; st != nil {
			insts = append([]*instState{st}, insts...)
		}
		for _, st := range insts {
			rec := st.rec
			if st.replaced == nil && rec.Name != p.Name && satisfies(rec.Name, rec.Version, rec.Provides, d.Name, d.Constraint) {
				return hit(rec.Name + " " + rec.Version + " installed"), nil, true
			}
		}
	}
	return "", nil, false
}

// othersConflicts checks the conflicts selected and installed packages
// declare against p's name and provides.
func (s *solver) othersConflicts(p *Package) (string, *choice, bool) {
	check := func(name, ver string, versioned bool) (string, *choice, bool) {
		for _, e := range s.conflicts[name] {
			if e.owner == p.Name || (e.inst != nil && e.inst.replaced != nil) {
				continue
			}
			if (versioned && e.dep.Constraint.Match(ver)) || (!versioned && provideMatches(ver, e.dep.Constraint)) {
				return fmt.Sprintf("%s%s conflicts with %s (matched by %s)", e.ownerID, at(e.dep.From), e.dep.Spec(), p.ID()), e.by, e.inst != nil
			}
		}
		return "", nil, false
	}
	if why, culprit, all := check(p.Name, p.Version, true); why != "" {
		return why, culprit, all
	}
	for _, pr := range p.Provides {
		if pr.Name == p.Name {
			continue
		}
		if why, culprit, all := check(pr.Name, pr.Version, false); why != "" {
			return why, culprit, all
		}
	}
	return "", nil, false
}

// at formats a declaration position for messages.
func at(from string) string {
	if from == "" {
		return ""
	}
	return " (" + from + ")"
}
