package rpm

import "testing"

func TestEVRString(t *testing.T) {
	tests := []struct {
		in   EVR
		want string
	}{
		{EVR{Version: "1.0"}, "1.0"},
		{EVR{Version: "1.0", Release: "1"}, "1.0-1"},
		{EVR{Epoch: 2, Version: "1.0", Release: "1.el10"}, "2:1.0-1.el10"},
		{EVR{Epoch: 1, Version: "1~rc1"}, "1:1~rc1"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.in.String(); got != tt.want {
				t.Errorf("%#v.String() = %q; want %q", tt.in, got, tt.want)
			}
			back, err := ParseEVR(tt.want)
			if err != nil || back != tt.in {
				t.Errorf("ParseEVR(%q) = %#v, %v; want %#v", tt.want, back, err, tt.in)
			}
		})
	}
}

func TestParseEVRErrors(t *testing.T) {
	for _, in := range []string{"", "x:1.0", ":1.0", "1:", "-1"} {
		t.Run(in, func(t *testing.T) {
			if got, err := ParseEVR(in); err == nil {
				t.Errorf("ParseEVR(%q) = %#v, nil; want an error", in, got)
			}
		})
	}
}

func TestNEVRA(t *testing.T) {
	n := NEVRA{Name: "bash", EVR: EVR{Epoch: 0, Version: "5.2.15", Release: "2"}, Arch: "x86_64"}
	if got, want := n.String(), "bash-5.2.15-2.x86_64"; got != want {
		t.Errorf("String() = %q; want %q", got, want)
	}
	n.Epoch = 1
	if got, want := n.String(), "bash-1:5.2.15-2.x86_64"; got != want {
		t.Errorf("String() = %q; want %q", got, want)
	}
	if got, want := n.FileName(), "bash-5.2.15-2.x86_64.rpm"; got != want {
		t.Errorf("FileName() = %q; want %q", got, want)
	}
}

func TestDepRoundTrip(t *testing.T) {
	tests := []struct {
		in   string
		want Dep
	}{
		{"bash", Dep{Name: "bash"}},
		{"/bin/sh", Dep{Name: "/bin/sh"}},
		{"libc.so.6(GLIBC_2.34)(64bit)", Dep{Name: "libc.so.6(GLIBC_2.34)(64bit)"}},
		{"foo >= 1.2", Dep{Name: "foo", Flags: FlagGreater | FlagEqual, EVR: EVR{Version: "1.2"}}},
		{"foo < 2:1.2-3", Dep{Name: "foo", Flags: FlagLess, EVR: EVR{Epoch: 2, Version: "1.2", Release: "3"}}},
		{"foo = 1.0-1", Dep{Name: "foo", Flags: FlagEqual, EVR: EVR{Version: "1.0", Release: "1"}}},
		{"foo <= 1", Dep{Name: "foo", Flags: FlagLess | FlagEqual, EVR: EVR{Version: "1"}}},
		{"foo > 1", Dep{Name: "foo", Flags: FlagGreater, EVR: EVR{Version: "1"}}},
		{"(a or (b >= 2 and c))", Dep{Name: "(a or (b >= 2 and c))"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDep(tt.in)
			if err != nil || got != tt.want {
				t.Fatalf("ParseDep(%q) = %#v, %v; want %#v", tt.in, got, err, tt.want)
			}
			if s := got.String(); s != tt.in {
				t.Errorf("ParseDep(%q).String() = %q; want the input", tt.in, s)
			}
		})
	}
}

func TestParseDepErrors(t *testing.T) {
	for _, in := range []string{"", "foo >=", "foo ~ 1", "(a or b", "foo >= x:1", "a b c d"} {
		t.Run(in, func(t *testing.T) {
			if got, err := ParseDep(in); err == nil {
				t.Errorf("ParseDep(%q) = %#v, nil; want an error", in, got)
			}
		})
	}
}

func TestFlagsXMLOp(t *testing.T) {
	tests := map[Flags]string{
		0: "", FlagLess: "LT", FlagLess | FlagEqual: "LE", FlagEqual: "EQ",
		FlagGreater | FlagEqual: "GE", FlagGreater: "GT", FlagEqual | FlagPrereq: "EQ",
	}
	for in, want := range tests {
		if got := in.XMLOp(); got != want {
			t.Errorf("Flags(%#x).XMLOp() = %q; want %q", uint32(in), got, want)
		}
	}
}

func FuzzParseDep(f *testing.F) {
	for _, s := range []string{"bash", "foo >= 1:2-3", "(a or b)", "x = 1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDep(s)
		if err != nil {
			return
		}
		again, err := ParseDep(d.String())
		if err != nil || again != d {
			t.Errorf("ParseDep(%q) = %#v, re-parsed from %q as %#v, %v", s, d, d.String(), again, err)
		}
	})
}
