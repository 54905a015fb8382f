package version

import "testing"

func TestParseDep(t *testing.T) {
	tests := []struct{ in, name, constraint string }{
		{"bash", "bash", ""},
		{"  bash  ", "bash", ""},
		{"bash >= 5.1", "bash", ">= 5.1"},
		{"bash>=5.1", "bash", ">= 5.1"},
		{"bash>=5.1, <6", "bash", ">= 5.1, < 6"},
		{"gcc-c++ = 1:13.2-1", "gcc-c++", "= 1:13.2-1"},
		{"python3.12 ~= 3.12", "python3.12", "~= 3.12"},
		{"@core", "@core", ""},
		{"lib_x-1.2", "lib_x-1.2", ""},
		{"foo\t>=\t1", "foo", ">= 1"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			name, c, err := ParseDep(tt.in)
			if err != nil {
				t.Fatalf("ParseDep(%q): %v", tt.in, err)
			}
			if name != tt.name || c.String() != tt.constraint {
				t.Errorf("ParseDep(%q) = %q, %q; want %q, %q", tt.in, name, c, tt.name, tt.constraint)
			}
		})
	}
}

func TestParseDepErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", `invalid dependency "": empty`},
		{"   ", `invalid dependency "   ": empty`},
		{">= 1.2", `invalid dependency ">= 1.2": missing package name before ">= 1.2"`},
		{"-foo", `invalid dependency "-foo": package name "-foo" starts with "-"`},
		{".foo", `invalid dependency ".foo": package name ".foo" starts with "."`},
		{"foo$bar >= 1", `invalid dependency "foo$bar >= 1": invalid character '$' in package name "foo$bar" (use letters, digits and . _ + - @)`},
		{"perl(Foo::Bar)", `invalid dependency "perl(Foo::Bar)": invalid character '(' in package name "perl(Foo::Bar)" (use letters, digits and . _ + - @)`},
		{"foo >> 1.2", `invalid dependency "foo >> 1.2": invalid constraint ">> 1.2": unknown operator ">>" (use one of = >= <= > < ~=)`},
		{"foo 1.2", `invalid dependency "foo 1.2": invalid constraint "1.2": missing operator before "1.2" (use one of = >= <= > < ~=)`},
		{"foo ~= 2", `invalid dependency "foo ~= 2": invalid constraint "~= 2": "~= 2" needs a version with at least two components, as in "~= 2.0": ~= drops the last component to find the upper bound, and "2" has only one`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			name, c, err := ParseDep(tt.in)
			if err == nil {
				t.Fatalf("ParseDep(%q) = %q, %q; want error %q", tt.in, name, c, tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("ParseDep(%q) error = %q; want %q", tt.in, err, tt.want)
			}
		})
	}
}
