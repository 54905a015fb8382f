package profile

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestCheckLabel(t *testing.T) {
	tests := []struct {
		in      string
		wantCol int // 0: valid
	}{
		{"LEVITATEOS", 0},
		{"ROCKY-10_0-X86_64", 0},
		{strings.Repeat("A", 32), 0},
		{strings.Repeat("A", 33), 33},
		{"LIVE OS", 5},
		{"live", 1},
		{"LIVE.ISO", 5},
		{"", 0},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			err := CheckLabel(tt.in)
			var le *LabelError
			switch {
			case tt.in == "":
				if err == nil {
					t.Errorf("CheckLabel(%q) = nil; want an error", tt.in)
				}
			case tt.wantCol == 0 && err != nil:
				t.Errorf("CheckLabel(%q) = %v; want nil", tt.in, err)
			case tt.wantCol != 0 && !errors.As(err, &le):
				t.Errorf("CheckLabel(%q) = %v; want *LabelError", tt.in, err)
			case tt.wantCol != 0 && le.Col != tt.wantCol:
				t.Errorf("CheckLabel(%q) column = %d; want %d", tt.in, le.Col, tt.wantCol)
			}
			if s := SuggestLabel(tt.in); CheckLabel(s) != nil {
				t.Errorf("SuggestLabel(%q) = %q, which is not a valid label", tt.in, s)
			}
		})
	}
}

func TestEscapes(t *testing.T) {
	tests := []struct {
		link, target string
		want         bool
	}{
		{"/etc/a", "b", false},
		{"/etc/a", "../usr/lib/x", false},
		{"/etc/a", "../../x", true},
		{"/a", "../x", true},
		{"/a", "./x", false},
		{"/etc/a", "/anywhere/../../x", false},
		{"/etc/x/a", "y/../../../../z", true},
		{"/etc/x/a", "y/../../../z", false},
		{"/etc/x/a", "../../z", false},
	}
	for _, tt := range tests {
		if got := escapes(tt.link, tt.target); got != tt.want {
			t.Errorf("escapes(%q, %q) = %v; want %v", tt.link, tt.target, got, tt.want)
		}
	}
}

func TestBadPackageChar(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"bash", -1}, {"gcc-c++", -1}, {"python3.12", -1}, {"_x", -1},
		{"-x", 0}, {".x", 0}, {"a b", 1}, {"a/b", 1}, {"pkg>=1", 3},
	}
	for _, tt := range tests {
		if got := badPackageChar(tt.in); got != tt.want {
			t.Errorf("badPackageChar(%q) = %d; want %d", tt.in, got, tt.want)
		}
	}
}

// confOne parses a one-line profile.conf and returns settings and messages.
func confOne(t *testing.T, line string) (Settings, string) {
	t.Helper()
	s := DefaultSettings()
	var ds Diagnostics
	parseConf(t.TempDir(), []byte(line+"\n"), &s, diags{list: &ds, file: ConfFile})
	return s, ds.Error()
}

func TestCompression(t *testing.T) {
	tests := []struct {
		in   string
		want Compression
		err  string
	}{
		{"zstd", Compression{Algo: "zstd"}, ""},
		{"zstd 3", Compression{Algo: "zstd", Level: 3}, ""},
		{"gzip 9", Compression{Algo: "gzip", Level: 9}, ""},
		{"xz x86", Compression{Algo: "xz", Option: "x86"}, ""},
		{"lz4 hc", Compression{Algo: "lz4", Option: "hc"}, ""},
		{"xz 5", Compression{}, "compression xz takes no level"},
		{"gzip 0", Compression{}, "gzip level 0 out of range 1-9"},
		{"zstd fast", Compression{}, `unexpected "fast" after compression zstd; allowed: a level 1-22`},
		{"zstf", Compression{}, `did you mean "zstd"?`},
		{"lzo", Compression{}, `unknown compression "lzo"`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			s, msg := confOne(t, "compression = "+tt.in)
			if tt.err == "" {
				if msg != "" || s.Compression != tt.want {
					t.Errorf("compression %q = %+v, %q; want %+v", tt.in, s.Compression, msg, tt.want)
				}
				return
			}
			if !strings.Contains(msg, tt.err) {
				t.Errorf("compression %q error = %q; want it to contain %q", tt.in, msg, tt.err)
			}
		})
	}
}

func TestMksquashfsArgs(t *testing.T) {
	tests := []struct {
		in   Compression
		want string
	}{
		{Compression{Algo: "zstd", Level: 15}, "-comp zstd -Xcompression-level 15"},
		{Compression{Algo: "xz", Option: "x86"}, "-comp xz -Xbcj x86"},
		{Compression{Algo: "lz4", Option: "hc"}, "-comp lz4 -Xhc"},
		{Compression{Algo: "gzip"}, "-comp gzip"},
	}
	for _, tt := range tests {
		if got := strings.Join(tt.in.MksquashfsArgs(), " "); got != tt.want {
			t.Errorf("%+v.MksquashfsArgs() = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestConfValues(t *testing.T) {
	tests := []struct {
		line string
		err  string // "" for valid
	}{
		{"hostname = live.example", ""},
		{"hostname = -bad", "may not start or end with '-'"},
		{"hostname = a..b", "1-63 characters"},
		{"file-permissions = /etc/x root:wheel:4755", ""},
		{"file-permissions = /etc/x 0:0", "want OWNER:GROUP:MODE"},
		{"file-permissions = /etc/../x 0:0:644", "absolute and clean"},
		{"file-permissions = /etc/x 0:Bad!:644", `group "Bad!"`},
		{"file-permissions = /etc/x 0:0:12345", "3 or 4 octal digits"},
		{"kernel-cmdline = rd.live.ram", "set by the boot menu"},
		{"kernel-cmdline = a=\"b c\"", "quote"},
		{"os-release.VERSION_ID = 1", ""},
		{"os-release.X = a$b", "escaping"},
		{"publisher = " + strings.Repeat("p", 129), "at most 128"},
		{"boot-modes = uefi-grub uefi-grub", "listed twice"},
		{"label = LEVITATEOS_ROCKY_10_X86_64_LIVE_ISO", "at most 32"},
		{"bootmodes = bios-grub", `did you mean "boot-modes"?`},
		{"volume = X", `unknown key "volume"`},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			_, msg := confOne(t, tt.line)
			if tt.err == "" && msg != "" || tt.err != "" && !strings.Contains(msg, tt.err) {
				t.Errorf("parse %q = %q; want %q", tt.line, msg, tt.err)
			}
		})
	}
}

func TestPermissionMode(t *testing.T) {
	s, msg := confOne(t, "file-permissions = /usr/bin/su 0:0:4755")
	if msg != "" || len(s.Permissions) != 1 {
		t.Fatalf("parse = %q, %v", msg, s.Permissions)
	}
	if got, want := s.Permissions[0].Mode, os.FileMode(0o755)|os.ModeSetuid; got != want {
		t.Errorf("mode of 4755 = %v; want %v", got, want)
	}
}

func TestIdentityFiles(t *testing.T) {
	s, msg := confOne(t, "os-release.NAME = LevitateOS")
	if msg != "" {
		t.Fatal(msg)
	}
	s.Hostname = "levitateos"
	got := s.IdentityFiles()
	want := map[string][]byte{
		"etc/hostname":       []byte("levitateos\n"),
		"usr/lib/os-release": []byte("NAME=\"LevitateOS\"\n"),
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("IdentityFiles() = %q; want %q", got, want)
	}
}
