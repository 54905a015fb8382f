package resolve

import (
	"errors"
	"slices"
)

// setRequests merges the feature switches per name and checks every
// switched feature exists in some version of the package.
func (s *solver) setRequests(reqs []Request) error {
	var errs []error
	for _, r := range reqs {
		fr := s.feat[r.Name]
		if err := parseFeatures(r.Name, r.Features, &fr); err != nil {
			errs = append(errs, err)
			continue
		}
		s.feat[r.Name] = fr
	}
	names := make([]string, 0, len(s.feat))
	for name := range s.feat {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		fr := s.feat[name]
		known := map[string]bool{}
		list := []string{}
		for _, p := range s.u.byName[name] {
			for _, f := range p.Features {
				if !known[f.Name] {
					known[f.Name] = true
					list = append(list, f.Name)
				}
			}
		}
		slices.Sort(list)
		for _, f := range slices.Concat(fr.on, fr.off) {
			if !known[f] {
				errs = append(errs, &FeatureError{Package: name, Feature: f, Known: list, Msg: "unknown feature"})
			}
		}
	}
	if len(errs) == 1 {
		return errs[0]
	}
	slices.SortStableFunc(errs, func(a, b error) int { return cmpString(a.Error(), b.Error()) })
	return errors.Join(errs...)
}

func (s *solver) setInstalled(installed []Installed) {
	for i := range installed {
		rec := &installed[i]
		if s.inst[rec.Name] != nil {
			continue
		}
		st := &instState{rec: rec}
		s.inst[rec.Name] = st
		for _, pr := range rec.Provides {
			if pr.Name != rec.Name {
				s.instProv[pr.Name] = append(s.instProv[pr.Name], st)
			}
		}
		for _, d := range rec.Conflicts {
			s.conflicts[d.Name] = append(s.conflicts[d.Name],
				conflictEntry{owner: rec.Name, ownerID: "installed " + rec.Name + " " + rec.Version, dep: d, inst: st})
		}
	}
}
