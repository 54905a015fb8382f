package closure

import (
	"fmt"
	"sort"
	"strings"
)

// Drift is how a resolved closure differs from a lock, keyed by
// name.arch.
type Drift struct {
	// Added are packages the closure has and the lock does not.
	Added []string
	// Removed are packages the lock has and the closure does not.
	Removed []string
	// Changed are packages whose NEVRA, checksum or source differ, as
	// "name.arch: locked ... -> resolved ...".
	Changed []string
}

// Empty reports whether there is no drift.
func (d Drift) Empty() bool { return len(d.Added)+len(d.Removed)+len(d.Changed) == 0 }

// Diff compares a resolved closure against a lock. A lock entry without
// a source (written before locks recorded one) matches any source.
func Diff(lock *Lock, c *Closure) (Drift, error) {
	now, err := LockOf(c)
	if err != nil {
		return Drift{}, err
	}
	key := func(e LockEntry) string { return e.NEVRA.Name + "." + e.NEVRA.Arch }
	old := map[string]LockEntry{}
	for _, e := range lock.Entries {
		old[key(e)] = e
	}
	var d Drift
	for _, e := range now.Entries {
		k := key(e)
		o, ok := old[k]
		delete(old, k)
		switch {
		case !ok:
			d.Added = append(d.Added, e.line())
		case o.NEVRA != e.NEVRA || o.SHA256 != e.SHA256 || (o.Source != "" && o.Source != e.Source):
			d.Changed = append(d.Changed, fmt.Sprintf("%s: locked %s -> resolved %s", k, o.line(), e.line()))
		}
	}
	for _, o := range old {
		d.Removed = append(d.Removed, o.line())
	}
	sort.Strings(d.Added)
	sort.Strings(d.Removed)
	sort.Strings(d.Changed)
	return d, nil
}

// Err returns nil without drift, else an error listing all of it.
func (d Drift) Err() error {
	if d.Empty() {
		return nil
	}
	var b strings.Builder
	b.WriteString("closure drifted from the lock file")
	for _, part := range []struct {
		label string
		lines []string
	}{{"added", d.Added}, {"removed", d.Removed}, {"changed", d.Changed}} {
		for _, l := range part.lines {
			b.WriteString("\n\t" + part.label + ": " + l)
		}
	}
	return fmt.Errorf("%s", b.String())
}
