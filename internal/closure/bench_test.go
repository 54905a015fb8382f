package closure

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/levitateos/levitate/internal/repo"
	"github.com/levitateos/levitate/internal/rpm"
)

// genUniverse makes n packages in a layered dependency graph shaped like a
// distribution: sonames, file requirements, versioned and rich requires,
// several versions of some names, and cycles.
func genUniverse(n int, seed uint64) []*repo.Package {
	r := rand.New(rand.NewPCG(seed, 1))
	var out []*repo.Package
	for i := range n {
		name := fmt.Sprintf("pkg%04d", i)
		versions := 1 + r.IntN(2)
		for v := range versions {
			p := &repo.Package{
				NEVRA:    rpm.NEVRA{Name: name, EVR: rpm.EVR{Version: fmt.Sprintf("1.%d", v), Release: "1.el10"}, Arch: []string{"x86_64", "noarch"}[i%2]},
				Href:     fmt.Sprintf("Packages/p/%s-1.%d.rpm", name, v),
				Checksum: repo.Checksum{Type: "sha256", Value: fmt.Sprintf("%064x", i*4+v)},
				Provides: []rpm.Dep{{Name: fmt.Sprintf("lib%04d.so.1()(64bit)", i)}},
				Files:    []string{fmt.Sprintf("/usr/bin/%s", name)},
			}
			for range r.IntN(8) {
				j := r.IntN(n)
				if j > i && r.IntN(10) != 0 { // mostly downward, some cycles
					j = r.IntN(i + 1)
				}
				switch r.IntN(5) {
				case 0:
					p.Requires = append(p.Requires, rpm.Dep{Name: fmt.Sprintf("lib%04d.so.1()(64bit)", j)})
				case 1:
					p.Requires = append(p.Requires, rpm.Dep{Name: fmt.Sprintf("/usr/bin/pkg%04d", j)})
				case 2:
					p.Requires = append(p.Requires, rpm.Dep{Name: fmt.Sprintf("pkg%04d", j), Flags: rpm.FlagGreater | rpm.FlagEqual, EVR: rpm.EVR{Version: "1.0"}})
				case 3:
					p.Requires = append(p.Requires, rpm.Dep{Name: fmt.Sprintf("(pkg%04d or pkg%04d)", j, r.IntN(n))})
				default:
					p.Requires = append(p.Requires, rpm.Dep{Name: fmt.Sprintf("pkg%04d", j)})
				}
			}
			out = append(out, p)
		}
	}
	return out
}

func BenchmarkResolve5000(b *testing.B) {
	ix := repo.NewIndex(genUniverse(5000, 42))
	var req []Request
	for i := 0; i < 5000; i += 25 {
		req = append(req, Request{Name: fmt.Sprintf("pkg%04d", i)})
	}
	b.ResetTimer()
	var size int
	for b.Loop() {
		c, err := Resolve([]Input{{ID: "gen", Index: ix}}, req)
		if err != nil {
			b.Fatal(err)
		}
		size = len(c.Entries)
	}
	b.ReportMetric(float64(size), "pkgs/closure")
}

func BenchmarkNewIndex5000(b *testing.B) {
	pkgs := genUniverse(5000, 42)
	for b.Loop() {
		repo.NewIndex(pkgs)
	}
}

func TestGeneratedUniverseResolves(t *testing.T) {
	ix := repo.NewIndex(genUniverse(5000, 42))
	c, err := Resolve([]Input{{ID: "gen", Index: ix}}, []Request{{Name: "pkg4999"}, {Name: "pkg2500"}})
	if err != nil {
		t.Fatal(err)
	}
	// Every requirement of every member must be satisfied inside the set.
	r := &resolver{inputs: []Input{{Index: ix}}, chosen: map[string]cand{}, problems: map[string]bool{}, parsed: map[string]*expr{}}
	for _, e := range c.Entries {
		r.chosen[e.Pkg.Name] = cand{e.Pkg, 0}
	}
	for _, e := range c.Entries {
		for _, d := range e.Pkg.Requires {
			x, _ := r.parse(d)
			if !r.sat(x) {
				t.Errorf("%s requires %s: not satisfied in the closure", e.Pkg.NEVRA, d)
			}
		}
	}
	again, _ := Resolve([]Input{{ID: "gen", Index: ix}}, []Request{{Name: "pkg4999"}, {Name: "pkg2500"}})
	if fmt.Sprint(again.Names()) != fmt.Sprint(c.Names()) {
		t.Errorf("Resolve is not deterministic")
	}
}
