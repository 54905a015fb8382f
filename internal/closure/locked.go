package closure

import (
	"fmt"
	"sort"
	"strings"
)

// FromLock returns exactly the packages of a lock, found in inputs by
// NEVRA (in the input whose ID the entry names, if it names one) and
// checked against the locked sha256. It is what a --locked build
// installs; every missing or changed package is reported at once. A
// package is never taken from another source than the one recorded,
// even when that source has the same NEVRA.
func FromLock(inputs []Input, l *Lock) (*Closure, error) {
	problems := map[string]bool{}
	known := map[string]bool{}
	ids := make([]string, len(inputs))
	for i, in := range inputs {
		known[in.ID] = true
		ids[i] = in.ID
	}
	c := &Closure{}
	for _, e := range l.Entries {
		if e.Source != "" && !known[e.Source] {
			problems[fmt.Sprintf("%s: locked from source %s, which is not among the sources given (%s)", e.NEVRA, e.Source, strings.Join(ids, ", "))] = true
			continue
		}
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
