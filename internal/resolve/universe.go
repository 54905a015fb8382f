package resolve

import (
	"slices"
	"strings"

	"github.com/levitateos/levitate/internal/version"
)

// Universe is the set of available packages, indexed by name and by
// provided name. Build it once with NewUniverse; it is read-only afterwards
// and safe for concurrent use.
type Universe struct {
	pkgs      []*Package
	byName    map[string][]*Package   // newest first
	providers map[string][]providerOf // by provider name, then newest first
	names     []string                // every package and provided name, sorted
	ranks     map[string]int          // the agenda order of names
	demand    []int                   // per rank, how many dependencies name it
	deps      int                     // dependencies of all packages
	depRanks  map[*Package][]int      // the rank of each dependency's name
}

// providerOf is a package offering a name other than its own.
type providerOf struct {
	pkg     *Package
	version string // provided version, "" when unversioned
}

// NewUniverse indexes pkgs. Several versions of one name are allowed; a
// second package with the same name and version as an earlier one is
// ignored. The packages are copied.
func NewUniverse(pkgs []Package) *Universe {
	u := &Universe{
		byName:    make(map[string][]*Package),
		providers: make(map[string][]providerOf),
	}
	seen := make(map[string]bool, len(pkgs))
	store := make([]Package, len(pkgs))
	copy(store, pkgs)
	for i := range store {
		p := &store[i]
		if seen[p.ID()] {
			continue
		}
		seen[p.ID()] = true
		u.pkgs = append(u.pkgs, p)
		u.byName[p.Name] = append(u.byName[p.Name], p)
		for _, pr := range p.Provides {
			if pr.Name != p.Name {
				u.providers[pr.Name] = append(u.providers[pr.Name], providerOf{p, pr.Version})
			}
		}
	}
	newestFirst := func(a, b *Package) int {
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return version.Compare(b.Version, a.Version)
	}
	slices.SortStableFunc(u.pkgs, newestFirst)
	names := make([]string, 0, len(u.byName)+len(u.providers))
	for name, ps := range u.byName {
		slices.SortStableFunc(ps, newestFirst)
		names = append(names, name)
	}
	for name, ps := range u.providers {
		slices.SortStableFunc(ps, func(a, b providerOf) int { return newestFirst(a.pkg, b.pkg) })
		if u.byName[name] == nil {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	u.names = names
	u.computeRanks()
	return u
}

// Packages returns every package, sorted by name, newest version first.
func (u *Universe) Packages() []*Package { return slices.Clone(u.pkgs) }

// Versions returns the packages named name, newest first.
func (u *Universe) Versions(name string) []*Package { return slices.Clone(u.byName[name]) }

// known reports whether any package has or provides name.
func (u *Universe) known(name string) bool {
	return u.byName[name] != nil || u.providers[name] != nil
}

// candidates returns, in preference order, the packages that satisfy name
// with constraint c: packages of that name newest first, then providers
// ordered by their own name and newest first.
func (u *Universe) candidates(name string, c version.Constraint) []*Package {
	var out []*Package
	for _, p := range u.byName[name] {
		if c.Match(p.Version) {
			out = append(out, p)
		}
	}
	for _, pr := range u.providers[name] {
		if provideMatches(pr.version, c) {
			out = append(out, pr.pkg)
		}
	}
	return out
}

// provideMatches applies rpm's rule: a versioned provide is checked against
// the constraint; an unversioned one satisfies only an unconstrained need.
func provideMatches(provided string, c version.Constraint) bool {
	if provided == "" {
		return c.Any()
	}
	return c.Match(provided)
}

// satisfies reports whether a package called name at ver, providing
// provides, satisfies (depName, c).
func satisfies(name, ver string, provides []Provide, depName string, c version.Constraint) bool {
	if name == depName && c.Match(ver) {
		return true
	}
	for _, pr := range provides {
		if pr.Name == depName && provideMatches(pr.Version, c) {
			return true
		}
	}
	return false
}

// ReverseDeps returns the sorted names of the packages (any version) that
// declare a dependency, of any kind or condition, on name or on a name
// that some version of name provides.
func (u *Universe) ReverseDeps(name string) []string {
	targets := map[string]bool{name: true}
	for _, p := range u.byName[name] {
		for _, pr := range p.Provides {
			targets[pr.Name] = true
		}
	}
	var out []string
	for _, p := range u.pkgs {
		if p.Name == name {
			continue
		}
		for _, d := range p.Deps {
			if targets[d.Name] {
				out = append(out, p.Name)
				break
			}
		}
	}
	return slices.Compact(out) // u.pkgs is sorted by name
}
