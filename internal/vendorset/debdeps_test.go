package vendorset

import (
	"strings"
	"testing"

	"github.com/levitateos/levitate/internal/rpm"
)

func TestDebEVR(t *testing.T) {
	tests := []struct {
		in         string
		forPackage bool
		want       string
	}{
		{"1.2.3-4", true, "1.2.3-4"},
		{"2:1.2.3-4+deb12u1", true, "2:1.2.3-4+deb12u1"},
		{"1.2.3", true, "1.2.3-0"},
		{"1.2.3", false, "1.2.3"},
		{"252.39-1~deb12u2", true, "252.39-1~deb12u2"},
		{"1.0-beta-2", true, "1.0_beta-2"},
		{"2.1.12-stable-8", true, "2.1.12_stable-8"},
		{"1:9.0~rc1", false, "1:9.0~rc1"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := debEVR(tt.in, tt.forPackage)
			if err != nil || got.String() != tt.want {
				t.Errorf("debEVR(%q, %v) = %q, %v; want %q", tt.in, tt.forPackage, got, err, tt.want)
			}
		})
	}
	for _, bad := range []string{"x:1.0", ":1", "-1", "0:0-:", "1.0-a:b"} {
		if got, err := debEVR(bad, true); err == nil {
			t.Errorf("debEVR(%q) = %v, nil; want an error", bad, got)
		}
	}
}

func TestDebDepends(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"libc6 (>= 2.34)", []string{"libc6 >= 2.34"}},
		{"libc6 (>= 2.34), zlib1g (>= 1:1.1.4)", []string{"libc6 >= 2.34", "zlib1g >= 1:1.1.4"}},
		{"a (<< 2), b (>> 1-1), c (= 3), d (<= 4), e (< 5), f (> 6)", []string{"a < 2", "b > 1-1", "c = 3", "d <= 4", "e <= 5", "f >= 6"}},
		{"libc6 (>> 2.36)", []string{"libc6 > 2.36-0"}},
		{"debconf (>= 0.5) | debconf-2.0", []string{"(debconf >= 0.5 or debconf-2.0)"}},
		{"python3:any, perl:any (>= 5)", []string{"python3", "perl >= 5"}},
		{"libfoo1 [amd64]", []string{"libfoo1"}},
		{"  ", nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			deps, err := debDepends(tt.in)
			if err != nil {
				t.Fatalf("debDepends(%q): %v", tt.in, err)
			}
			var got []string
			for _, d := range deps {
				got = append(got, d.String())
				// Every translation must be something rpm's syntax takes.
				if _, err := rpm.ParseDep(d.String()); err != nil {
					t.Errorf("debDepends(%q) gave %q, which ParseDep rejects: %v", tt.in, d, err)
				}
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("debDepends(%q) = %q; want %q", tt.in, got, tt.want)
			}
		})
	}
	if _, err := debDepends("foo (~~ 1), bar (>= )"); err == nil || !strings.Contains(err.Error(), "foo") || !strings.Contains(err.Error(), "bar") {
		t.Errorf("debDepends(bad) error = %v; want both bad terms named", err)
	}
}

func TestParseControl(t *testing.T) {
	st, err := parseControl(strings.NewReader(fakeStatus), "status")
	if err != nil {
		t.Fatal(err)
	}
	pk := installedPackages(st)
	if len(pk) != 2 || pk[0].Name != "tool" || pk[1].Name != "libx" {
		t.Fatalf("installedPackages = %+v; want tool, libx", pk)
	}
	if got := pk[0].Conffiles; len(got) != 1 || got[0] != "/etc/tool.conf" {
		t.Errorf("conffiles = %q; want [/etc/tool.conf] (obsolete left out)", got)
	}
	if !pk[1].MultiArchSame {
		t.Errorf("libx MultiArchSame = false; want true")
	}
	_, err = parseControl(strings.NewReader(" orphan continuation\nno colon here\n"), "bad")
	if err == nil || !strings.Contains(err.Error(), "bad:1:1") || !strings.Contains(err.Error(), "bad:2:1") {
		t.Errorf("parseControl(bad) = %v; want errors at bad:1:1 and bad:2:1", err)
	}
}

func TestCapsText(t *testing.T) {
	// vfs_cap_data revision 2, effective, permitted cap_net_raw (13).
	v := []byte{0x01, 0, 0, 0x02, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	if got, err := capsText(v); err != nil || got != "cap_net_raw=ep" {
		t.Errorf("capsText(net_raw) = %q, %v; want cap_net_raw=ep", got, err)
	}
	if _, err := capsText(v[:8]); err == nil {
		t.Errorf("capsText(short) = nil error; want one")
	}
}

func FuzzDebDepends(f *testing.F) {
	for _, s := range []string{"libc6 (>= 2.34)", "a | b (<< 1:2-3)", "x:any", "p [amd64] <!nocheck>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		deps, err := debDepends(s)
		if err != nil {
			return
		}
		for _, d := range deps {
			if _, err := rpm.ParseDep(d.String()); err != nil && !strings.ContainsAny(d.Name, "()") {
				t.Errorf("debDepends(%q) gave %q, which ParseDep rejects: %v", s, d, err)
			}
		}
	})
}
