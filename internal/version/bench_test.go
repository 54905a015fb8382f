package version

import "testing"

func BenchmarkCompare(b *testing.B) {
	cases := loadVercmp(b)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		c := cases[i%len(cases)]
		Compare(c.A, c.B)
	}
}

func BenchmarkMatch(b *testing.B) {
	c, err := ParseConstraint(">= 1.2, < 2, ~= 1.4")
	if err != nil {
		b.Fatal(err)
	}
	v, err := ParseEVR("1.9.3-1.el9")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		c.MatchEVR(v)
	}
}
