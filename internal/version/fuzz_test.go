package version

import (
	"reflect"
	"testing"
)

func FuzzCompare(f *testing.F) {
	for _, c := range loadVercmp(f) {
		f.Add(c.A, c.B)
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if c := Compare(a, a); c != 0 {
			t.Errorf("Compare(%q, %q) = %d; want 0", a, a, c)
		}
		ab, ba := Compare(a, b), Compare(b, a)
		if ab != -ba || ab < -1 || ab > 1 {
			t.Errorf("Compare(%q, %q) = %d but Compare(%q, %q) = %d; want opposite signs in -1..1", a, b, ab, b, a, ba)
		}
		ea, errA := ParseEVR(a)
		eb, errB := ParseEVR(b)
		if errA == nil && errB == nil {
			if c := ea.Compare(eb); c != ab {
				t.Errorf("ParseEVR(%q).Compare(ParseEVR(%q)) = %d; Compare = %d", a, b, c, ab)
			}
			if s := ea.String(); Compare(s, a) != 0 {
				t.Errorf("ParseEVR(%q).String() = %q compares unequal", a, s)
			}
		}
	})
}

func FuzzParseConstraint(f *testing.F) {
	for _, c := range loadConstraints(f) {
		f.Add(c.Constraint, c.Version)
	}
	for _, s := range []string{">> 1.2", "~= 2", ">= 1.2,,", "= 1:", "<=007:1-1"} {
		f.Add(s, "1.0")
	}
	f.Fuzz(func(t *testing.T, s, v string) {
		c, err := ParseConstraint(s)
		if err != nil {
			return
		}
		again, err := ParseConstraint(c.String())
		if err != nil {
			t.Fatalf("ParseConstraint(%q) (canonical of %q): %v", c.String(), s, err)
		}
		if !reflect.DeepEqual(again, c) {
			t.Fatalf("ParseConstraint(%q) = %#v; want %#v (from %q)", c.String(), again, c, s)
		}
		if again.Match(v) != c.Match(v) {
			t.Errorf("ParseConstraint(%q).Match(%q) differs from the canonical form", s, v)
		}
	})
}
