package version

import (
	"bufio"
	"os"
	"reflect"
	"strings"
	"testing"
)

type matchCase struct {
	Constraint, Version string
	Want                bool
	Line                int
}

// loadConstraints reads testdata/constraints.txt:
// "CONSTRAINT | VERSION | yes/no" per line.
func loadConstraints(tb testing.TB) []matchCase {
	tb.Helper()
	f, err := os.Open("testdata/constraints.txt")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var cases []matchCase
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if t := strings.TrimSpace(line); t == "" || t[0] == '#' {
			continue
		}
		f := strings.Split(line, "|")
		if len(f) != 3 {
			tb.Fatalf("testdata/constraints.txt:%d: want 3 '|'-separated fields, got %d", n, len(f))
		}
		want := strings.TrimSpace(f[2])
		if want != "yes" && want != "no" {
			tb.Fatalf("testdata/constraints.txt:%d: result %q is not yes or no", n, want)
		}
		cases = append(cases, matchCase{
			Constraint: strings.TrimSpace(f[0]),
			Version:    strings.TrimSpace(f[1]),
			Want:       want == "yes",
			Line:       n,
		})
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return cases
}

func TestMatch(t *testing.T) {
	cases := loadConstraints(t)
	if len(cases) < 60 {
		t.Errorf("testdata/constraints.txt has %d cases; want at least 60", len(cases))
	}
	for _, c := range cases {
		t.Run(c.Constraint+"_"+c.Version, func(t *testing.T) {
			con, err := ParseConstraint(c.Constraint)
			if err != nil {
				t.Fatalf("line %d: ParseConstraint(%q): %v", c.Line, c.Constraint, err)
			}
			if got := con.Match(c.Version); got != c.Want {
				t.Errorf("line %d: ParseConstraint(%q).Match(%q) = %v; want %v", c.Line, c.Constraint, c.Version, got, c.Want)
			}
			// The canonical form must mean the same thing.
			again, err := ParseConstraint(con.String())
			if err != nil {
				t.Fatalf("ParseConstraint(%q) (canonical of %q): %v", con.String(), c.Constraint, err)
			}
			if got := again.Match(c.Version); got != c.Want {
				t.Errorf("ParseConstraint(%q).Match(%q) = %v; want %v", con.String(), c.Version, got, c.Want)
			}
		})
	}
}

func TestParseConstraint(t *testing.T) {
	evr := func(e int, v, r string) EVR { return EVR{Epoch: e, Version: v, Release: r} }
	tests := []struct {
		in        string
		want      []Clause
		canonical string
	}{
		{"", nil, ""},
		{"   ", nil, ""},
		{">= 1.2", []Clause{{OpGE, evr(0, "1.2", "")}}, ">= 1.2"},
		{">=1.2,<2", []Clause{{OpGE, evr(0, "1.2", "")}, {OpLT, evr(0, "2", "")}}, ">= 1.2, < 2"},
		{"  >=  1.2 ,\t< 2  ", []Clause{{OpGE, evr(0, "1.2", "")}, {OpLT, evr(0, "2", "")}}, ">= 1.2, < 2"},
		{"~= 1.4.2", []Clause{{OpCompat, evr(0, "1.4.2", "")}}, "~= 1.4.2"},
		{"= 1:2.0-3", []Clause{{OpEQ, evr(1, "2.0", "3")}}, "= 1:2.0-3"},
		{"= 0:2.0", []Clause{{OpEQ, evr(0, "2.0", "")}}, "= 2.0"},
		{"<=007:1-1", []Clause{{OpLE, evr(7, "1", "1")}}, "<= 7:1-1"},
		{"> 1", []Clause{{OpGT, evr(0, "1", "")}}, "> 1"},
		{"~=1.0~rc1", []Clause{{OpCompat, evr(0, "1.0~rc1", "")}}, "~= 1.0~rc1"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseConstraint(tt.in)
			if err != nil {
				t.Fatalf("ParseConstraint(%q): %v", tt.in, err)
			}
			if !reflect.DeepEqual(got.Clauses, tt.want) {
				t.Errorf("ParseConstraint(%q) = %#v; want %#v", tt.in, got.Clauses, tt.want)
			}
			if s := got.String(); s != tt.canonical {
				t.Errorf("ParseConstraint(%q).String() = %q; want %q", tt.in, s, tt.canonical)
			}
			if got.Any() != (tt.want == nil) {
				t.Errorf("ParseConstraint(%q).Any() = %v; want %v", tt.in, got.Any(), tt.want == nil)
			}
		})
	}
}

func TestParseConstraintErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{">> 1.2", `invalid constraint ">> 1.2": unknown operator ">>" (use one of = >= <= > < ~=)`},
		{"== 1.2", `invalid constraint "== 1.2": unknown operator "==" (use one of = >= <= > < ~=)`},
		{"!= 1.2", `invalid constraint "!= 1.2": unknown operator "!=" (use one of = >= <= > < ~=)`},
		{"=> 1.2", `invalid constraint "=> 1.2": unknown operator "=>" (use one of = >= <= > < ~=)`},
		{"1.2", `invalid constraint "1.2": missing operator before "1.2" (use one of = >= <= > < ~=)`},
		{">=", `invalid constraint ">=": missing version after ">="`},
		{"> = 1.2", `invalid constraint "> = 1.2": operator ">" followed by "= 1.2": write an operator without spaces inside, as in ">="`},
		{">= 1.2,", `invalid constraint ">= 1.2,": empty clause (a ',' must separate two clauses)`},
		{",>= 1.2", `invalid constraint ",>= 1.2": empty clause (a ',' must separate two clauses)`},
		{">= 1.2 3", `invalid constraint ">= 1.2 3": invalid version "1.2 3": whitespace ' ' at byte 3`},
		{">= 1.2; < 2", `invalid constraint ">= 1.2; < 2": invalid version "1.2; < 2": whitespace ' ' at byte 4`},
		{">= x:1", `invalid constraint ">= x:1": invalid version "x:1": bad epoch "x": want a non-negative integer before ':'`},
		{">= 1.2-", `invalid constraint ">= 1.2-": invalid version "1.2-": empty release after '-'`},
		{"< 1.2$", `invalid constraint "< 1.2$": invalid version "1.2$": character '$' not allowed in version "1.2$" (use letters, digits and . _ + ~ ^)`},
		{"~= 2", `invalid constraint "~= 2": "~= 2" needs a version with at least two components, as in "~= 2.0": ~= drops the last component to find the upper bound, and "2" has only one`},
		{"~= 1:2-5", `invalid constraint "~= 1:2-5": "~= 1:2-5" needs a version with at least two components, as in "~= 2.0": ~= drops the last component to find the upper bound, and "2" has only one`},
		{">> 1, << 2", `invalid constraint ">> 1, << 2": unknown operator ">>" (use one of = >= <= > < ~=); unknown operator "<<" (use one of = >= <= > < ~=)`},
		{">= 1, bogus", `invalid constraint ">= 1, bogus": missing operator before "bogus" (use one of = >= <= > < ~=)`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			c, err := ParseConstraint(tt.in)
			if err == nil {
				t.Fatalf("ParseConstraint(%q) = %q; want error %q", tt.in, c, tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("ParseConstraint(%q) error = %q; want %q", tt.in, err, tt.want)
			}
		})
	}
}

func TestZeroConstraint(t *testing.T) {
	var c Constraint
	if !c.Any() || !c.Match("1.0") || c.String() != "" {
		t.Errorf("zero Constraint: Any() = %v, Match(\"1.0\") = %v, String() = %q; want true, true, \"\"", c.Any(), c.Match("1.0"), c.String())
	}
	if c.Match("not a version") {
		t.Errorf("zero Constraint.Match(%q) = true; want false (invalid version)", "not a version")
	}
}
