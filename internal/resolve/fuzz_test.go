package resolve

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/levitateos/levitate/internal/version"
)

// byteSource hands out bytes of fuzz input, zeros once exhausted.
type byteSource struct{ b []byte }

func (s *byteSource) next(n int) int {
	if len(s.b) == 0 {
		return 0
	}
	v := int(s.b[0])
	s.b = s.b[1:]
	return v % n
}

var fuzzVersions = []string{"1", "1.5", "2", "3"}

func fuzzConstraint(s *byteSource) version.Constraint {
	ops := []string{"", ">= ", "< ", "= ", "<= "}
	op := ops[s.next(len(ops))]
	if op == "" {
		return version.Constraint{}
	}
	c, err := version.ParseConstraint(op + fuzzVersions[s.next(len(fuzzVersions))])
	if err != nil {
		panic(err)
	}
	return c
}

// genUniverse builds a small universe, requests and installed set from
// fuzz input: up to 7 names with up to 3 versions, dependencies mostly
// towards later names (cycles stay possible), virtual names, conflicts,
// features with defaults and implies.
func genUniverse(data []byte) ([]Package, []Request, []Installed) {
	s := &byteSource{b: data}
	n := 2 + s.next(6)
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("n%d", i)
	}
	targets := append(names[:n:n], "v0", "v1")
	var pkgs []Package
	for i, name := range names {
		used := map[string]bool{}
		for range 1 + s.next(3) {
			ver := fuzzVersions[s.next(len(fuzzVersions))]
			if used[ver] {
				continue
			}
			used[ver] = true
			p := Package{Name: name, Version: ver}
			if s.next(3) == 0 {
				p.Features = []Feature{{Name: "f", Default: s.next(2) == 0}, {Name: "g", Implies: []string{"f"}}}
			}
			for range s.next(4) {
				var to string
				if s.next(8) == 0 {
					to = targets[s.next(len(targets))]
				} else if rest := targets[i+1:]; len(rest) > 0 {
					to = rest[s.next(len(rest))]
				} else {
					continue
				}
				d := Dep{Name: to, Constraint: fuzzConstraint(s), Kind: DepKind(s.next(2)), From: fmt.Sprintf("%s:%d", name, len(p.Deps))}
				switch s.next(4) {
				case 0:
					d.If = "f"
				case 1:
					d.If = "!f"
				}
				p.Deps = append(p.Deps, d)
			}
			if s.next(4) == 0 {
				pv := []string{"", "1", "2"}[s.next(3)]
				p.Provides = append(p.Provides, Provide{Name: targets[n+s.next(2)], Version: pv})
			}
			if s.next(5) == 0 {
				p.Conflicts = append(p.Conflicts, Dep{Name: targets[s.next(len(targets))], Constraint: fuzzConstraint(s)})
			}
			pkgs = append(pkgs, p)
		}
	}
	var reqs []Request
	for range 1 + s.next(3) {
		r := Request{Name: targets[s.next(len(targets))], Constraint: fuzzConstraint(s)}
		if k := s.next(6); k < 3 {
			r.Features = []string{[]string{"f", "-f", "g"}[k]}
		}
		reqs = append(reqs, r)
	}
	var inst []Installed
	for range s.next(3) {
		in := Installed{Name: names[s.next(n)], Version: fuzzVersions[s.next(len(fuzzVersions))]}
		if slices.ContainsFunc(inst, func(o Installed) bool { return o.Name == in.Name }) {
			continue
		}
		if s.next(3) == 0 {
			in.Provides = []Provide{{Name: targets[n+s.next(2)], Version: "1"}}
		}
		if s.next(4) == 0 {
			in.Conflicts = []Dep{{Name: targets[s.next(len(targets))], Constraint: fuzzConstraint(s)}}
		}
		if s.next(2) == 0 {
			in.Features = []string{"f"}
		}
		inst = append(inst, in)
	}
	return pkgs, reqs, inst
}

func FuzzResolve(f *testing.F) {
	for _, seed := range []string{
		"", "\x05\x02\x01\x03", "\x06\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09",
		"\x04\x02\x03\x01\x02\x00\x01\x03\x02\x01\x00\x04\x01\x02\x03\x05\x06\x07\x00\x02",
		"\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6\xf5\xf4\xf3\xf2\xf1\xf0",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		pkgs, reqs, inst := genUniverse(data)
		u := NewUniverse(pkgs)
		opts := Options{MaxAttempts: 5000}
		p, err := u.Resolve(reqs, inst, opts)
		if err == nil {
			checkPlan(t, u, reqs, inst, p)
		} else {
			var (
				ue *UnsatisfiableError
				ce *CycleError
				fe *FeatureError
				ae *AbandonedError
			)
			if !errors.As(err, &ue) && !errors.As(err, &ce) && !errors.As(err, &fe) && !errors.As(err, &ae) {
				t.Fatalf("Resolve: unexpected error type %T: %v", err, err)
			}
			if err.Error() == "" {
				t.Fatal("Resolve: empty error message")
			}
			if ue != nil && len(inst) == 0 && bruteForce(u, reqs) {
				t.Fatalf("Resolve = %v; but a solution exists", err)
			}
		}
		p2, err2 := u.Resolve(reqs, inst, opts)
		if a, b := outcome(p, err), outcome(p2, err2); a != b {
			t.Fatalf("Resolve is not deterministic:\n%s\nthen:\n%s", a, b)
		}
		for _, r := range reqs {
			if n, err := u.Tree(r.Name, nil); err == nil {
				_ = n.String()
			}
			u.ReverseDeps(r.Name)
		}
	})
}

// bruteForce reports whether some choice of at most one version per name
// satisfies the requests, every applicable dependency and no conflict,
// with nothing installed. It checks that Resolve's backjumping never
// misses a solution.
func bruteForce(u *Universe, reqs []Request) bool {
	var fr = map[string]featureRequest{}
	for _, r := range reqs {
		f := fr[r.Name]
		if parseFeatures(r.Name, r.Features, &f) != nil {
			return false
		}
		fr[r.Name] = f
	}
	var names []string
	for name := range u.byName {
		names = append(names, name)
	}
	slices.Sort(names)
	pick := make([]int, len(names)) // 0: none, i: byName[name][i-1]
	for {
		var sel []*Package
		var feats [][]string
		ok := true
		for i, name := range names {
			if pick[i] == 0 {
				continue
			}
			p := u.byName[name][pick[i]-1]
			f, err := enabledFeatures(p, fr[name])
			if err != nil {
				ok = false
				break
			}
			sel = append(sel, p)
			feats = append(feats, f)
		}
		if ok && validSelection(sel, feats, reqs) {
			return true
		}
		i := 0
		for ; i < len(names); i++ {
			pick[i]++
			if pick[i] <= len(u.byName[names[i]]) {
				break
			}
			pick[i] = 0
		}
		if i == len(names) {
			return false
		}
	}
}

func validSelection(sel []*Package, feats [][]string, reqs []Request) bool {
	some := func(name string, c version.Constraint) bool {
		return slices.ContainsFunc(sel, func(p *Package) bool { return satisfies(p.Name, p.Version, p.Provides, name, c) })
	}
	for _, r := range reqs {
		if !some(r.Name, r.Constraint) {
			return false
		}
	}
	for i, p := range sel {
		for _, d := range p.Deps {
			if applies(d.If, feats[i]) && !some(d.Name, d.Constraint) {
				return false
			}
		}
		for _, c := range p.Conflicts {
			for _, q := range sel {
				if q.Name != p.Name && satisfies(q.Name, q.Version, q.Provides, c.Name, c.Constraint) {
					return false
				}
			}
		}
	}
	return true
}

// TestCompleteness runs the fuzz body's oracles on 5,000 random inputs:
// a plan must pass checkPlan, and an unsatisfiable answer must agree with
// a brute-force search (without installed packages). It also checks the
// oracle itself: a successful plan means brute force finds a solution.
func TestCompleteness(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	unsat, sat := 0, 0
	for range 5000 {
		data := make([]byte, 48)
		for i := range data {
			data[i] = byte(rng.IntN(256))
		}
		pkgs, reqs, _ := genUniverse(data)
		u := NewUniverse(pkgs)
		p, err := u.Resolve(reqs, nil, Options{})
		var ue *UnsatisfiableError
		switch {
		case err == nil:
			sat++
			checkPlan(t, u, reqs, nil, p)
			if !bruteForce(u, reqs) {
				t.Fatalf("Resolve found a plan brute force did not:\n%s", p)
			}
		case errors.As(err, &ue):
			unsat++
			if bruteForce(u, reqs) {
				t.Fatalf("Resolve(%x) = %v; but a solution exists", data, err)
			}
		}
	}
	if unsat < 100 || sat < 100 {
		t.Errorf("%d satisfiable and %d unsatisfiable inputs; want at least 100 of each", sat, unsat)
	}
	t.Logf("%d satisfiable, %d unsatisfiable", sat, unsat)
}
