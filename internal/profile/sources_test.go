package profile

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// sourceProfile writes a profile whose profile.conf is conf and which
// holds keys/RPM-GPG-KEY-Rocky-10, and loads it.
func sourceProfile(t *testing.T, conf string) (string, *Profile, error) {
	t.Helper()
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "keys"), 0o755)
	for name, body := range map[string]string{
		PackagesFile:                   "bash\n",
		ConfFile:                       conf,
		"keys/RPM-GPG-KEY-Rocky-10":    "-----BEGIN PGP PUBLIC KEY BLOCK-----\n",
		"vendor/Rocky-10.0-x86_64.iso": "",
	} {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p, err := Load(dir)
	return dir, p, err
}

func TestSourceLines(t *testing.T) {
	conf := "source = vendor/Rocky-10.0-x86_64.iso\n" +
		"source = https://dl.rockylinux.org/pub/rocky/10/BaseOS/x86_64/os/ priority=10 key=keys/RPM-GPG-KEY-Rocky-10\n" +
		"  source =   /srv/My Mirror/AppStream   key=/KEY priority=-5\n"
	dir := t.TempDir()
	key := filepath.Join(dir, "KEY")
	os.WriteFile(key, nil, 0o644)
	conf = strings.Replace(conf, "/KEY", key, 1)
	dir, p, err := sourceProfile(t, conf)
	if err != nil {
		t.Fatalf("Load = %v", err)
	}
	want := []Source{
		{ID: "vendor/Rocky-10.0-x86_64.iso", Location: filepath.Join(dir, "vendor/Rocky-10.0-x86_64.iso"), Line: 1, Col: 10},
		{ID: "https://dl.rockylinux.org/pub/rocky/10/BaseOS/x86_64/os/", Location: "https://dl.rockylinux.org/pub/rocky/10/BaseOS/x86_64/os/",
			Priority: 10, Key: filepath.Join(dir, "keys/RPM-GPG-KEY-Rocky-10"), Line: 2, Col: 10},
		{ID: "/srv/My Mirror/AppStream", Location: "/srv/My Mirror/AppStream", Priority: -5, Key: key, Line: 3, Col: 14},
	}
	if !reflect.DeepEqual(p.Settings.Sources, want) {
		t.Errorf("Sources = %+v\nwant %+v", p.Settings.Sources, want)
	}
	if got := want[1].String(); !strings.HasSuffix(got, "os/ priority=10 key="+want[1].Key) {
		t.Errorf("String() = %q; want LOCATION priority=10 key=FILE", got)
	}
}

func TestSourceErrors(t *testing.T) {
	tests := []struct {
		line string
		want string // "line:col: message part"
	}{
		{"source = repo priority=high", "1:24: priority \"high\": want an integer"},
		{"source = repo priority=5000", "1:24: priority \"5000\""},
		{"source = repo key=keys/RPM-GPG-KEY-Rocky-9", "1:19: key file \"keys/RPM-GPG-KEY-Rocky-9\": no such file or directory"},
		{"source = repo key=keys", "1:19: key file \"keys\" is not a regular file"},
		{"source = repo key=", "1:19: key= needs a file"},
		{"source = repo priorty=3", "1:15: unknown source option \"priorty\" (allowed: priority, key); did you mean \"priority\"?"},
		{"source = repo priority=1 priority=2", "1:26: source option \"priority\" given twice"},
		{"source = repo priority=1 extra", "1:26: unexpected \"extra\" after the source options"},
		{"source = ftp://mirror/repo", "1:10: source \"ftp://mirror/repo\": unsupported scheme \"ftp\""},
		{"source = a\nsource = ./a", "2:10: source ./a listed twice (first on line 1)"},
		{"source =", "1:9: empty value for \"source\""},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			_, _, err := sourceProfile(t, tt.line+"\n")
			want := ConfFile + ":" + tt.want
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("Load(%q) = %v; want %q", tt.line, err, want)
			}
		})
	}
}

func TestParseSourceCommandLine(t *testing.T) {
	s, err := ParseSource("vendor.iso priority=3", "/work")
	if err != nil || s.Location != "/work/vendor.iso" || s.ID != "vendor.iso" || s.Priority != 3 {
		t.Errorf("ParseSource(vendor.iso priority=3) = %+v, %v; want /work/vendor.iso at priority 3", s, err)
	}
	s, err = ParseSource("file:///srv/repo", "/work")
	if err != nil || s.Location != "/srv/repo" {
		t.Errorf("ParseSource(file:///srv/repo) = %+v, %v; want /srv/repo", s, err)
	}
	// A URL's query is part of the location, not an option.
	s, err = ParseSource("https://m.example/repo?arch=x86_64", "/work")
	if err != nil || s.Location != "https://m.example/repo?arch=x86_64" {
		t.Errorf("ParseSource(URL with query) = %+v, %v", s, err)
	}
}

func TestMergeSources(t *testing.T) {
	iso := Source{ID: "vendor.iso", Location: "/p/vendor.iso", Line: 3}
	base := Source{ID: "https://m/BaseOS", Location: "https://m/BaseOS", Priority: 5}
	cliISO := Source{ID: "/p/vendor.iso", Location: "/p/vendor.iso", Priority: 9}
	app := Source{ID: "https://m/AppStream", Location: "https://m/AppStream"}
	tests := []struct {
		name    string
		only    bool
		prof    []Source
		cli     []Source
		wantIDs []string
	}{
		{"profile only", false, []Source{iso, base}, nil, []string{"vendor.iso", "https://m/BaseOS"}},
		{"command line adds", false, []Source{iso, base}, []Source{app}, []string{"vendor.iso", "https://m/BaseOS", "https://m/AppStream"}},
		{"same location replaces", false, []Source{iso, base}, []Source{cliISO}, []string{"https://m/BaseOS", "/p/vendor.iso"}},
		{"only command line", true, []Source{iso, base}, []Source{app, app}, []string{"https://m/AppStream"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ids []string
			for _, s := range MergeSources(tt.prof, tt.cli, tt.only) {
				ids = append(ids, s.ID)
			}
			if !reflect.DeepEqual(ids, tt.wantIDs) {
				t.Errorf("MergeSources = %v; want %v", ids, tt.wantIDs)
			}
		})
	}
}

// FuzzParseSource checks that errors point into the value and that an
// accepted source prints back to itself.
func FuzzParseSource(f *testing.F) {
	for _, s := range []string{
		"vendor/Rocky-10.0-x86_64-minimal.iso", "https://m.example/BaseOS/ priority=10 key=KEY",
		"/srv/My Mirror priority=-5", "repo priorty=3", "file:///x key=", "a=b c", "ftp://x",
	} {
		f.Add(s)
	}
	dir := f.TempDir()
	os.WriteFile(filepath.Join(dir, "KEY"), nil, 0o644)
	f.Fuzz(func(t *testing.T, text string) {
		s, err := ParseSource(text, dir)
		if err != nil {
			if se, ok := err.(*SourceError); !ok || se.Col < 1 || se.Col > len(text)+1 {
				t.Errorf("ParseSource(%q) = %v; want a *SourceError inside the value", text, err)
			}
			return
		}
		if s.ID == "" || s.Location == "" {
			t.Fatalf("ParseSource(%q) = %+v; want an ID and a location", text, s)
		}
		again, err := ParseSource(s.String(), dir)
		if err != nil || !reflect.DeepEqual(again, s) {
			t.Errorf("ParseSource(%q).String() = %q parses as %+v, %v; want %+v", text, s.String(), again, err, s)
		}
	})
}
