package version

import "testing"

func TestParseEVR(t *testing.T) {
	tests := []struct {
		in   string
		want EVR
		str  string
	}{
		{"1.0", EVR{0, "1.0", ""}, "1.0"},
		{"1.0-1", EVR{0, "1.0", "1"}, "1.0-1"},
		{"1:1.0-1.el9", EVR{1, "1.0", "1.el9"}, "1:1.0-1.el9"},
		{"0:1.0", EVR{0, "1.0", ""}, "1.0"},
		{"007:1", EVR{7, "1", ""}, "7:1"},
		{"2147483647:1", EVR{2147483647, "1", ""}, "2147483647:1"},
		{"1.0~rc1^git2_3+4-0.1~b", EVR{0, "1.0~rc1^git2_3+4", "0.1~b"}, "1.0~rc1^git2_3+4-0.1~b"},
		{"A.b.C", EVR{0, "A.b.C", ""}, "A.b.C"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseEVR(tt.in)
			if err != nil {
				t.Fatalf("ParseEVR(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseEVR(%q) = %#v; want %#v", tt.in, got, tt.want)
			}
			if s := got.String(); s != tt.str {
				t.Errorf("ParseEVR(%q).String() = %q; want %q", tt.in, s, tt.str)
			}
			if c := Compare(got.String(), tt.in); c != 0 {
				t.Errorf("Compare(%q, %q) = %d; want 0", got.String(), tt.in, c)
			}
		})
	}
}

func TestParseEVRErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", `invalid version "": empty`},
		{" 1.0", `invalid version " 1.0": whitespace ' ' at byte 0`},
		{"1.0\t", `invalid version "1.0\t": whitespace '\t' at byte 3`},
		{"1.0\x00", `invalid version "1.0\x00": control character '\x00' at byte 3`},
		{"1.0\x7f", `invalid version "1.0\x7f": control character '\x7f' at byte 3`},
		{"1.0\xff", `invalid version "1.0\xff": invalid UTF-8 at byte 3`},
		{"x:1.0", `invalid version "x:1.0": bad epoch "x": want a non-negative integer before ':'`},
		{"-1:1.0", `invalid version "-1:1.0": bad epoch "-1": want a non-negative integer before ':'`},
		{":1.0", `invalid version ":1.0": empty epoch before ':'`},
		{"2147483648:1", `invalid version "2147483648:1": bad epoch "2147483648": larger than 2147483647`},
		{"99999999999999999999:1", `invalid version "99999999999999999999:1": bad epoch "99999999999999999999": larger than 2147483647`},
		{"1:", `invalid version "1:": empty version`},
		{"-1", `invalid version "-1": empty version`},
		{"1.0-", `invalid version "1.0-": empty release after '-'`},
		{"1-2-3", `invalid version "1-2-3": version "1-2" contains '-' (only one '-' may separate version and release)`},
		{"1:2:3", `invalid version "1:2:3": version "2:3" contains ':' (only one ':' may follow the epoch)`},
		{"1.0-1:2", `invalid version "1.0-1:2": bad epoch "1.0-1": want a non-negative integer before ':'`},
		{"1.0,2", `invalid version "1.0,2": character ',' not allowed in version "1.0,2" (use letters, digits and . _ + ~ ^)`},
		{"1.0-a/b", `invalid version "1.0-a/b": character '/' not allowed in release "a/b" (use letters, digits and . _ + ~ ^)`},
		{"1.0é", `invalid version "1.0é": character 'é' not allowed in version "1.0é" (use letters, digits and . _ + ~ ^)`},
		{"%{v}", `invalid version "%{v}": character '%' not allowed in version "%{v}" (use letters, digits and . _ + ~ ^)`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseEVR(tt.in)
			if err == nil {
				t.Fatalf("ParseEVR(%q) = %#v; want error %q", tt.in, got, tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("ParseEVR(%q) error = %q; want %q", tt.in, err, tt.want)
			}
		})
	}
}

func TestEVRCompare(t *testing.T) {
	tests := []struct {
		a, b EVR
		want int
	}{
		{EVR{0, "1.0", ""}, EVR{0, "1.0", ""}, 0},
		{EVR{0, "1.0", ""}, EVR{0, "1.0", "1"}, -1},
		{EVR{0, "1.0", "2"}, EVR{0, "1.0", "10"}, -1},
		{EVR{1, "1.0", ""}, EVR{0, "9.0", "9"}, 1},
		{EVR{10, "1", ""}, EVR{9, "1", ""}, 1},
		{EVR{0, "1.0~rc1", "5"}, EVR{0, "1.0", "1"}, -1},
	}
	for _, tt := range tests {
		if got := tt.a.Compare(tt.b); got != tt.want {
			t.Errorf("%q.Compare(%q) = %d; want %d", tt.a, tt.b, got, tt.want)
		}
		if got := tt.b.Compare(tt.a); got != -tt.want {
			t.Errorf("%q.Compare(%q) = %d; want %d", tt.b, tt.a, got, -tt.want)
		}
		if got := Compare(tt.a.String(), tt.b.String()); got != tt.want {
			t.Errorf("Compare(%q, %q) = %d; want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestOpString(t *testing.T) {
	want := map[Op]string{OpEQ: "=", OpGE: ">=", OpLE: "<=", OpGT: ">", OpLT: "<", OpCompat: "~=", 0: "Op(0)", 99: "Op(99)"}
	for op, s := range want {
		if got := op.String(); got != s {
			t.Errorf("Op(%d).String() = %q; want %q", int(op), got, s)
		}
	}
}
