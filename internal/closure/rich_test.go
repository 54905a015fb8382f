package closure

import (
	"strings"
	"testing"

	"github.com/levitateos/levitate/internal/rpm"
)

func TestParseRich(t *testing.T) {
	tests := []struct{ in, want string }{
		{"(a or b)", "(a or b)"},
		{"(a or b or c)", "(a or b or c)"},
		{"(a >= 1.0 and b < 2:3-4)", "(a >= 1.0 and b < 2:3-4)"},
		{"(a if b else c)", "(a if b else c)"},
		{"(a unless b else c)", "(a unless b else c)"},
		{"((a and b) or (c with d))", "((a and b) or (c with d))"},
		{"(a without b)", "(a without b)"},
		{"(python3.12dist(foo) >= 1 or libfoo.so.1()(64bit))", "(python3.12dist(foo) >= 1 or libfoo.so.1()(64bit))"},
		{"((a))", "a"},
		{"(  a   or  b )", "(a or b)"},
	}
	for _, tt := range tests {
		e, err := parseRequire(rpm.Dep{Name: tt.in})
		if err != nil {
			t.Errorf("parseRequire(%q) = %v", tt.in, err)
			continue
		}
		if got := e.String(); got != tt.want {
			t.Errorf("parseRequire(%q) = %s; want %s", tt.in, got, tt.want)
		}
	}
	for _, tt := range []struct{ in, want string }{
		{"(a or b and c)", `operator "and" after "or" needs parentheses`},
		{"(a xor b)", `unknown operator "xor"`},
		{"(a or b", "missing )"},
		{"(a else b)", "else without if or unless"},
		{"(a or b) c", "trailing text"},
		{"(a or)", "empty operand"},
	} {
		_, err := parseRequire(rpm.Dep{Name: tt.in})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("parseRequire(%q) = %v; want an error containing %q", tt.in, err, tt.want)
		}
	}
}

func FuzzParseRich(f *testing.F) {
	for _, s := range []string{"(a or b)", "(a if b else c)", "((a and b) or (c with d >= 1))", "(a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !strings.HasPrefix(s, "(") {
			return
		}
		e, err := parseRequire(rpm.Dep{Name: s})
		if err != nil {
			return
		}
		// What parses must print to something that parses the same way.
		again, err := parseRequire(rpm.Dep{Name: "(" + e.String() + ")"})
		if err != nil || again.String() != e.String() {
			t.Errorf("reparse of %q (%q) = %v, %v", s, e.String(), again, err)
		}
	})
}

func TestOverlaps(t *testing.T) {
	tests := []struct {
		req, prov string
		want      bool
	}{
		{"a", "a = 1-1", true},
		{"a >= 1", "a", true},
		{"a >= 1", "a = 1-1", true},
		{"a > 1", "a = 1-1", false},
		{"a > 1", "a = 1.1-1", true},
		{"a < 2", "a = 1:1-1", false},
		{"a = 1", "a = 1-7", true},
		{"a = 1-2", "a = 1-7", false},
		{"a <= 1-7", "a = 1-7", true},
		{"a >= 2", "a >= 1", true},
		{"a < 1", "a > 2", false},
		{"a >= 1.0", "a = 1.0~rc1-1", false},
		{"a >= 1.0", "a = 1.0^git1-1", true},
	}
	for _, tt := range tests {
		r, _ := rpm.ParseDep(tt.req)
		p, _ := rpm.ParseDep(tt.prov)
		if got := overlaps(r, p); got != tt.want {
			t.Errorf("overlaps(%q, %q) = %v; want %v", tt.req, tt.prov, got, tt.want)
		}
	}
}

func TestClosest(t *testing.T) {
	in := twoSources(t)
	tests := []struct{ name, want string }{{"ap", "app"}, {"dracut-lve", "dracut-live"}, {"zzzzzzzz", ""}, {"tol", "tool"}}
	for _, tt := range tests {
		if got := strings.Join(Closest(in, tt.name), ","); got != tt.want {
			t.Errorf("Closest(%q) = %q; want %q", tt.name, got, tt.want)
		}
	}
}
