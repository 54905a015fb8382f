package repo

import (
	"sort"
	"sync"

	"github.com/levitateos/levitate/internal/rpm"
)

// Package is one package as primary.xml describes it.
type Package struct {
	rpm.NEVRA
	// Href locates the package file relative to the root of the source
	// that produced the index (for an ISO with several repositories it
	// starts with the repository directory).
	Href      string
	Checksum  Checksum
	Size      int64
	SourceRPM string
	// Requires carry rpm.FlagPrereq for repodata's pre="1".
	Requires, Provides, Conflicts, Obsoletes, Recommends []rpm.Dep
	// Files are the paths primary.xml lists (createrepo's subset: */bin/*,
	// /etc/*); the full list is in filelists.xml.
	Files []string
}

// Provider is a package together with the provide that matched.
type Provider struct {
	Pkg *Package
	Dep rpm.Dep
}

// Index answers lookups over a set of packages. It is safe for concurrent
// use.
type Index struct {
	pkgs     []*Package
	byName   map[string][]*Package
	provides map[string][]Provider
	files    map[string][]*Package

	// moreFiles looks a path up in filelists.xml, loading it on first use.
	moreFiles func(path string) ([]*Package, error)
}

// NewIndex indexes pkgs. Each package provides its own name at its EVR,
// whether or not its provides list says so (rpm adds that provide).
func NewIndex(pkgs []*Package) *Index {
	ix := &Index{
		pkgs:     append([]*Package(nil), pkgs...),
		byName:   map[string][]*Package{},
		provides: map[string][]Provider{},
		files:    map[string][]*Package{},
	}
	sort.SliceStable(ix.pkgs, func(i, j int) bool { return lessNEVRA(ix.pkgs[i].NEVRA, ix.pkgs[j].NEVRA) })
	for _, p := range ix.pkgs {
		ix.byName[p.Name] = append(ix.byName[p.Name], p)
		self := false
		for _, d := range p.Provides {
			ix.provides[d.Name] = append(ix.provides[d.Name], Provider{p, d})
			self = self || d.Name == p.Name
		}
		if !self {
			ix.provides[p.Name] = append(ix.provides[p.Name], Provider{p, rpm.Dep{Name: p.Name, Flags: rpm.FlagEqual, EVR: p.EVR}})
		}
		for _, f := range p.Files {
			ix.files[f] = appendOnce(ix.files[f], p)
		}
	}
	return ix
}

func appendOnce(ps []*Package, p *Package) []*Package {
	if len(ps) > 0 && ps[len(ps)-1] == p {
		return ps
	}
	return append(ps, p)
}

func lessNEVRA(a, b rpm.NEVRA) bool {
	if a.Name != b.Name {
		return a.Name < b.Name
	}
	if a.Arch != b.Arch {
		return a.Arch < b.Arch
	}
	return a.EVR.String() < b.EVR.String()
}

// Packages returns every package, sorted by name, arch and EVR text.
func (ix *Index) Packages() []*Package { return ix.pkgs }

// Len is the number of packages.
func (ix *Index) Len() int { return len(ix.pkgs) }

// ByName returns the packages whose header NAME is exactly name.
func (ix *Index) ByName(name string) []*Package { return ix.byName[name] }

// Names returns every package name, sorted.
func (ix *Index) Names() []string {
	out := make([]string, 0, len(ix.byName))
	for n := range ix.byName {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// WhatProvides returns the providers of a capability name, whatever their
// version; the caller matches versions.
func (ix *Index) WhatProvides(name string) []Provider { return ix.provides[name] }

// WhatProvidesFile returns the packages that own path. Paths outside
// primary.xml's subset are looked up in filelists.xml, which is loaded on
// the first such query.
func (ix *Index) WhatProvidesFile(path string) ([]*Package, error) {
	if ps := ix.files[path]; len(ps) > 0 || ix.moreFiles == nil {
		return ps, nil
	}
	return ix.moreFiles(path)
}

// Merge returns an index over the packages of several indexes; file
// lookups fall back to each part's filelists.
func Merge(parts ...*Index) *Index {
	var all []*Package
	for _, p := range parts {
		all = append(all, p.pkgs...)
	}
	ix := NewIndex(all)
	ix.moreFiles = func(path string) ([]*Package, error) {
		var out []*Package
		for _, p := range parts {
			ps, err := p.WhatProvidesFile(path)
			if err != nil {
				return nil, err
			}
			out = append(out, ps...)
		}
		return out, nil
	}
	return ix
}

// fileTable is the lazily loaded filelists.xml of one repository.
type fileTable struct {
	once  sync.Once
	load  func() (map[string][]string, error)
	files map[string][]*Package
	err   error
}

func (t *fileTable) lookup(byID map[string]*Package, path string) ([]*Package, error) {
	t.once.Do(func() {
		lists, err := t.load()
		if err != nil {
			t.err = err
			return
		}
		t.files = map[string][]*Package{}
		for id, paths := range lists {
			p := byID[id]
			if p == nil {
				continue
			}
			for _, f := range paths {
				t.files[f] = appendOnce(t.files[f], p)
			}
		}
	})
	return t.files[path], t.err
}
