package resolve

import (
	"fmt"
	"math/rand/v2"
	"syscall"
	"testing"
	"time"

	"github.com/levitateos/levitate/internal/version"
)

// genGraph builds n packages p0000... with 3-8 dependencies each on the
// next 300 packages (so no cycles), a fifth of them in two or three versions, some
// constrained dependencies (>= 1.0, < 3.0), and virtual names virtK
// provided by the two packages p(50K) and p(50K+25). The same seed gives
// the same graph.
func genGraph(n int, seed uint64) []Package {
	rng := rand.New(rand.NewPCG(seed, seed))
	name := func(i int) string { return fmt.Sprintf("p%04d", i) }
	ge1, _ := version.ParseConstraint(">= 1.0")
	lt3, _ := version.ParseConstraint("< 3.0")
	var pkgs []Package
	for i := range n {
		versions := []string{"1.0"}
		if rng.IntN(5) == 0 {
			versions = []string{"1.0", "2.0", "3.0"}[:2+rng.IntN(2)]
		}
		for _, v := range versions {
			p := Package{Name: name(i), Version: v, Source: "recipes/" + name(i) + ".recipe"}
			if i%25 == 0 {
				p.Provides = []Provide{{Name: fmt.Sprintf("virt%d", i/50), Version: "1"}}
			}
			if i+1 < n {
				for k := range 3 + rng.IntN(6) {
					j := i + 1 + rng.IntN(min(n-i-1, 300))
					d := Dep{Name: name(j), Kind: DepKind(rng.IntN(2)), From: fmt.Sprintf("%s:%d:3", p.Source, k+2)}
					switch rng.IntN(6) {
					case 0:
						d.Constraint = ge1
					case 1:
						d.Constraint = lt3
					case 2:
						if vi := j/50*50 + 50; vi < n {
							d.Name = fmt.Sprintf("virt%d", vi/50)
						}
					}
					p.Deps = append(p.Deps, d)
				}
			}
			pkgs = append(pkgs, p)
		}
	}
	return pkgs
}

func BenchmarkResolve5000(b *testing.B) {
	u := NewUniverse(genGraph(5000, 1))
	var reqs []Request
	for i := range 10 {
		reqs = append(reqs, Request{Name: fmt.Sprintf("p%04d", i)})
	}
	p, err := u.Resolve(reqs, nil, Options{})
	if err != nil {
		b.Fatal(err)
	}
	if len(p.Steps) < 4000 {
		b.Fatalf("plan has %d steps; want most of the 5000 packages", len(p.Steps))
	}
	b.ReportMetric(float64(len(p.Steps)), "steps")
	b.ReportMetric(float64(p.Attempts), "attempts")
	b.ResetTimer()
	// The machine is shared: report the CPU time used besides the wall
	// time, which other processes inflate.
	start := cpuTime()
	for b.Loop() {
		if _, err := u.Resolve(reqs, nil, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64((cpuTime()-start).Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

// cpuTime returns the user and system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func BenchmarkNewUniverse5000(b *testing.B) {
	pkgs := genGraph(5000, 1)
	for b.Loop() {
		NewUniverse(pkgs)
	}
}

// TestResolve5000 checks the benchmark's graph resolves to a valid plan.
func TestResolve5000(t *testing.T) {
	u := NewUniverse(genGraph(5000, 1))
	reqs := []Request{{Name: "p0000"}, {Name: "p0001"}}
	p, err := u.Resolve(reqs, nil, Options{})
	if err != nil {
		t.Fatalf("Resolve = %v", err)
	}
	checkPlanFast(t, p)
}

// TestDeepChain resolves a 30,000-long chain and cycle: the walks use
// explicit stacks, so neither overflows the goroutine stack.
func TestDeepChain(t *testing.T) {
	const n = 30000
	pkgs := make([]Package, n)
	for i := range pkgs {
		pkgs[i] = Package{Name: fmt.Sprintf("c%05d", i), Version: "1"}
		if i+1 < n {
			pkgs[i].Deps = []Dep{{Name: fmt.Sprintf("c%05d", i+1)}}
		}
	}
	p, err := NewUniverse(pkgs).Resolve([]Request{{Name: "c00000"}}, nil, Options{})
	if err != nil {
		t.Fatalf("Resolve(chain) = %v", err)
	}
	if len(p.Steps) != n || p.Steps[0].Name != "c29999" || p.Steps[n-1].Name != "c00000" {
		t.Errorf("Resolve(chain) = %d steps from %s; want %d from c29999", len(p.Steps), p.Steps[0].Name, n)
	}
	if _, err := NewUniverse(pkgs).Tree("c00000", nil); err != nil {
		t.Errorf("Tree(chain) = %v", err)
	}
	pkgs[n-1].Deps = []Dep{{Name: "c00000"}}
	_, err = NewUniverse(pkgs).Resolve([]Request{{Name: "c00000"}}, nil, Options{})
	ce, ok := err.(*CycleError)
	if !ok || len(ce.Cycles) != 1 || len(ce.Cycles[0]) != n || ce.Cycles[0][0] != "c00000" {
		t.Errorf("Resolve(ring) = %.80v; want a cycle of %d from c00000", err, n)
	}
}

// checkPlanFast checks the order of a large plan against its edges.
func checkPlanFast(t *testing.T, p *Plan) {
	t.Helper()
	pos := make(map[string]int, len(p.Steps))
	for i, st := range p.Steps {
		pos[st.Name] = i
	}
	for _, e := range p.Edges {
		if pos[e.From] <= pos[e.To] {
			t.Fatalf("edge %s -> %s not respected", e.From, e.To)
		}
	}
}
