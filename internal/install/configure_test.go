package install

import (
	"context"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/levitateos/levitate/internal/recipe"
)

func hostHash(t *testing.T, p string) [32]byte {
	b, err := os.ReadFile(p)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

func TestConfigureStaysInRoot(t *testing.T) {
	host := []string{"/etc/passwd", "/etc/group", "/etc/shadow"}
	before := make([][32]byte, len(host))
	for i, p := range host {
		before[i] = hostHash(t, p)
	}
	srv := newServer(t, false)
	opts := testOptions(t)
	os.MkdirAll(filepath.Join(opts.Root, "etc"), 0o755)
	os.WriteFile(filepath.Join(opts.Root, "etc/passwd"), []byte("root:x:0:0:root:/root:/bin/sh\nsys:x:999:999::/:/bin/sh\n"), 0o644)
	os.WriteFile(filepath.Join(opts.Root, "etc/other.conf"), []byte("user={{U}}\n"), 0o644)
	pkg := shPackage(t, srv, "svc", "1.0", `(install (to-bin "src/svc.sh" "svc"))
  (configure
    (create-user "svc" system no-login)
    (create-user "alice")
    (create-user "svc")
    (create-dir "/var/lib/svc" "svc")
    (template "/etc/other.conf" (U "svc")))`, nil)
	if _, err := Install(context.Background(), []Package{pkg}, opts); err != nil {
		t.Fatal(err)
	}
	for i, p := range host {
		if hostHash(t, p) != before[i] {
			t.Errorf("host %s changed by an install into %s", p, opts.Root)
		}
	}
	read := func(p string) string {
		b, err := os.ReadFile(filepath.Join(opts.Root, p))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	wants := map[string]string{
		"etc/passwd":     "root:x:0:0:root:/root:/bin/sh\nsys:x:999:999::/:/bin/sh\nsvc:x:998:998::/:/usr/sbin/nologin\nalice:x:1000:1000::/home/alice:/bin/sh\n",
		"etc/group":      "svc:x:998:\nalice:x:1000:\n",
		"etc/other.conf": "user=svc\n",
	}
	for p, want := range wants {
		if got := read(p); got != want {
			t.Errorf("%s = %q; want %q", p, got, want)
		}
	}
	if got := read("etc/shadow"); !strings.HasPrefix(got, "svc:!:") || strings.Count(got, "\n") != 2 {
		t.Errorf("etc/shadow = %q; want locked entries for svc and alice", got)
	}
	st, err := os.Stat(filepath.Join(opts.Root, "var/lib/svc"))
	if err != nil || !st.IsDir() {
		t.Fatalf("var/lib/svc: %v", err)
	}
	if uid := statUID(st); uid != 998 {
		t.Errorf("var/lib/svc owner = %d; want 998", uid)
	}
}

func TestConfigureRunUsesChroot(t *testing.T) {
	marker := filepath.Join(t.TempDir(), "ran-on-host")
	opts := testOptions(t)
	opts.Root, _ = filepath.Abs(opts.Root)
	err := runInRoot(context.Background(), &opts, "touch "+marker)
	// The root holds no sh: the command must fail inside it, never run on
	// the host.
	if err == nil || !strings.Contains(err.Error(), "chroot") {
		t.Errorf("runInRoot = %v; want a chroot failure", err)
	}
	if _, err := os.Stat(marker); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("configure command ran on the host: %v", err)
	}
}

func TestConfinement(t *testing.T) {
	// The decoder refuses a climbing destination already.
	_, ds := recipe.Decode("x.recipe", []byte(`(package "x" "1" (description "x") (build skip) (install (to-bin "a" "../../etc/passwd")))`))
	if !ds.HasErrors() {
		t.Errorf("Decode accepted to-bin \"../../etc/passwd\"")
	}
	outside := filepath.Join(t.TempDir(), "secret")
	os.WriteFile(outside, []byte("secret"), 0o644)
	tests := []struct {
		name string
		step recipe.InstallStep
		want string
	}{
		{"dest climbs", recipe.InstallStep{Kind: recipe.ToBin, Src: "f", Dest: "../../etc/passwd"}, "climbs out"},
		{"dest hidden climb", recipe.InstallStep{Kind: recipe.ToShare, Src: "f", Dest: "a/../../../x"}, "climbs out"},
		{"config relative", recipe.InstallStep{Kind: recipe.ToConfig, Src: "f", Dest: "etc/x"}, "not absolute"},
		{"config climbs", recipe.InstallStep{Kind: recipe.ToConfig, Src: "f", Dest: "/etc/../../x"}, "climbs out"},
		{"source climbs", recipe.InstallStep{Kind: recipe.ToBin, Src: "../../../../etc/passwd"}, "inside the build directory"},
		{"source absolute", recipe.InstallStep{Kind: recipe.ToBin, Src: "/etc/passwd"}, "inside the build directory"},
		{"source through symlink", recipe.InstallStep{Kind: recipe.ToBin, Src: "out/secret"}, "escapes"},
		{"link climbs", recipe.InstallStep{Kind: recipe.Link, Src: "../../../etc/passwd", Dest: "bin/x"}, "climbs out"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			ws, err := newWorkspace(root, &recipe.Recipe{Name: "x", Version: "1"})
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(ws.buildDir, "f"), []byte("f"), 0o644)
			os.Symlink(filepath.Dir(outside), filepath.Join(ws.buildDir, "out"))
			tt.step.Mode = 0o644
			_, err = stageForms([]recipe.InstallStep{tt.step}, ws)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("stageForms(%+v) = %v; want %q", tt.step, err, tt.want)
			}
			n := 0
			filepath.WalkDir(ws.stage, func(p string, d os.DirEntry, err error) error { n++; return nil })
			if n != 1 {
				t.Errorf("stage has %d entries after a refused step; want it empty", n-1)
			}
		})
	}
}
