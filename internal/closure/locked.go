package closure

import (
	"fmt"
	"sort"
)

// FromLock returns exactly the packages of a lock, found in inputs by
// NEVRA (in the input whose ID the entry names, if it names one) and
// checked against the locked sha256. It is what a --locked build
// installs; every missing or changed package is reported at once.
func FromLock(inputs []Input, l *Lock) (*Closure, error) {
	problems := map[string]bool{}
	c := &Closure{}
	for _, e := range l.Entries {
		found := false
		for _, in := range inputs {
			if e.Source != "" && in.ID != e.Source {
				continue
			}
			for _, p := range in.Index.ByName(e.NEVRA.Name) {
				if p.NEVRA != e.NEVRA {
					continue
				}
				found = true
				if p.Checksum.Type != "sha256" || p.Checksum.Value != e.SHA256 {
					problems[fmt.Sprintf("%s: locked sha256 %s, source %s has %s %s", e.NEVRA, e.SHA256, in.ID, p.Checksum.Type, p.Checksum.Value)] = true
					continue
				}
				c.Entries = append(c.Entries, Entry{Pkg: p, Source: in.ID})
				break
			}
			if found {
				break
			}
		}
		if !found {
			where := "any source"
			if e.Source != "" {
				where = "source " + e.Source
			}
			problems[fmt.Sprintf("%s: locked, but not in %s", e.NEVRA, where)] = true
		}
	}
	if len(problems) > 0 {
		return nil, newError(problems)
	}
	sort.Slice(c.Entries, func(i, j int) bool {
		a, b := c.Entries[i].Pkg, c.Entries[j].Pkg
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.Arch < b.Arch
	})
	return c, nil
}
