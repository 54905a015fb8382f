package install

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/levitateos/levitate/internal/fetch"
	"github.com/levitateos/levitate/internal/store"
	"github.com/levitateos/levitate/internal/testutil"
)

// helloRecipe is the make project of testdata/hello, served as a tarball.
func helloRecipe(t *testing.T, srv *server, version string) Package {
	t.Helper()
	url, sum := srv.add("hello-"+version+".tar.gz", testutil.Tarball(t, dirFiles(t, "testdata/hello", "hello-"+version), "gz"))
	text := fmt.Sprintf(`(package "hello" %q
  (description "hello")
  (acquire (source %q (sha256 %q)))
  (build
    (extract tar-gz)
    (compile)
    (run "cd \"$SOURCE_DIR\" && make DESTDIR=\"$DESTDIR\" install")
    (run "printf '%%s %%s' \"$ARCH\" \"$NPROC\" > \"$BUILD_DIR/vars\""))
  (install
    (to-bin "hello-%[1]s/hello")
    (to-man "hello-%[1]s/hello.1")
    (to-share "vars" "hello/vars")
    (to-config "hello-%[1]s/hello.conf" "/etc/hello/hello.conf")
    (link "hello" "bin/hi"))
  (configure
    (template "/etc/hello/hello.conf" (PORT "8080"))))
`, version, url, sum)
	return Package{Recipe: decode(t, t.TempDir(), text)}
}

func TestInstallMakeProject(t *testing.T) {
	for _, tls := range []bool{false, true} {
		t.Run(fmt.Sprintf("tls=%v", tls), func(t *testing.T) {
			srv := newServer(t, tls)
			opts := testOptions(t)
			if tls {
				opts.RootCAs = x509.NewCertPool()
				opts.RootCAs.AddCert(srv.Certificate())
			}
			var log strings.Builder
			opts.Progress = LineProgress(&log)
			sum, err := Install(context.Background(), []Package{helloRecipe(t, srv, "1.0")}, opts)
			if err != nil {
				t.Fatalf("Install: %v", err)
			}
			if got := sum.Installed; len(got) != 1 || got[0] != "hello 1.0" {
				t.Errorf("Installed = %v; want [hello 1.0]", got)
			}
			out, err := exec.Command(filepath.Join(opts.Root, "usr/bin/hello")).Output()
			if err != nil || string(out) != "hello from recipe\n" {
				t.Errorf("usr/bin/hello = %q, %v; want greeting", out, err)
			}
			checks := map[string]string{
				"usr/share/hello/prefix":     "/usr\n", // make install into DESTDIR, PREFIX from the environment
				"etc/hello/hello.conf":       "port = 8080\n",
				"usr/share/man/man1/hello.1": ".TH HELLO 1\n.SH NAME\nhello \\- greet\n",
			}
			for p, want := range checks {
				if b, err := os.ReadFile(filepath.Join(opts.Root, p)); err != nil || string(b) != want {
					t.Errorf("%s = %q, %v; want %q", p, b, err, want)
				}
			}
			if l, err := os.Readlink(filepath.Join(opts.Root, "usr/bin/hi")); err != nil || l != "hello" {
				t.Errorf("usr/bin/hi -> %q, %v; want hello", l, err)
			}
			if st, err := os.Stat(filepath.Join(opts.Root, "usr/bin/hello")); err != nil || st.Mode().Perm() != 0o755 {
				t.Errorf("usr/bin/hello mode = %v, %v; want 0755", st, err)
			}
			if names := verifyAll(t, opts.Root); len(names) != 1 {
				t.Errorf("installed = %v; want [hello]", names)
			}
			// The template was filled in the stage: the recorded hash is
			// that of the final file, so not even the config differs.
			if probs, err := openDB(t, opts.Root).Verify("hello"); err != nil || len(probs) != 0 {
				t.Errorf("Verify(hello) = %v, %v; want no problems", probs, err)
			}
			wantVars := fmt.Sprintf("%s %d", archName(), runtime.NumCPU())
			if b, err := os.ReadFile(filepath.Join(opts.Root, "usr/share/hello/vars")); err != nil || string(b) != wantVars {
				t.Errorf("usr/share/hello/vars = %q, %v; want %q", b, err, wantVars)
			}
			rec, err := openDB(t, opts.Root).Get("hello")
			if err != nil {
				t.Fatal(err)
			}
			var config []string
			for _, f := range rec.Files {
				if f.Config {
					config = append(config, f.Path)
				}
			}
			if len(config) != 1 || config[0] != "etc/hello/hello.conf" {
				t.Errorf("config files = %v; want [etc/hello/hello.conf]", config)
			}
			for _, want := range []string{"hello 1.0: extract", "hello 1.0: compile", "commit"} {
				if !strings.Contains(log.String(), want) {
					t.Errorf("progress lines lack %q:\n%s", want, log.String())
				}
			}
			// Build and stage directories are gone.
			for _, d := range []string{"build", "stage"} {
				ents, _ := os.ReadDir(filepath.Join(opts.Root, cacheRel, d))
				if len(ents) != 0 {
					t.Errorf("%s left behind: %v", d, ents)
				}
			}
			// Warm no-op.
			sum, err = Install(context.Background(), []Package{helloRecipe(t, srv, "1.0")}, opts)
			if err != nil || len(sum.Installed) != 0 || len(sum.Skipped) != 1 {
				t.Errorf("second Install = %+v, %v; want hello skipped", sum, err)
			}
		})
	}
}

// shPackage is a package built by a shell command only.
func shPackage(t *testing.T, srv *server, name, version, extra string, files map[string]string) Package {
	t.Helper()
	if files == nil {
		files = map[string]string{"src/" + name + ".sh": "#!/bin/sh\necho " + name + "\n"}
	}
	url, sum := srv.add(name+"-"+version+".tar.zst", testutil.Tarball(t, files, "zst"))
	text := fmt.Sprintf(`(package %q %q
  (description "x")
  (acquire (source %q (sha256 %q)))
  (build (extract tar-zst))
  %s)
`, name, version, url, sum, extra)
	return Package{Recipe: decode(t, t.TempDir(), text)}
}

func TestFailuresLeaveRootUnchanged(t *testing.T) {
	srv := newServer(t, false)
	good := func(t *testing.T) Package {
		return shPackage(t, srv, "good", "1.0", `(install (to-bin "src/good.sh" "good"))`, nil)
	}
	tests := []struct {
		name string
		pkgs func(t *testing.T) []Package
		want string
	}{
		{"hash mismatch", func(t *testing.T) []Package {
			p := good(t)
			srv.files["/good-1.0.tar.zst"] = append([]byte(nil), testutil.Tarball(t, map[string]string{"src/good.sh": "evil"}, "zst")...)
			return []Package{p}
		}, "sha256 mismatch"},
		{"build failure", func(t *testing.T) []Package {
			bad := shPackage(t, srv, "bad", "1.0", `(install (to-bin "src/bad.sh"))`, nil)
			bad.Recipe.Build = append(bad.Recipe.Build, runStep("echo failing; exit 3"))
			return []Package{good(t), bad}
		}, "exit"},
		{"conflict in the transaction", func(t *testing.T) []Package {
			other := shPackage(t, srv, "other", "1.0", `(install (to-bin "src/other.sh" "good"))`, nil)
			return []Package{good(t), other}
		}, `claimed by packages "good" and "other"`},
		{"hostile archive", func(t *testing.T) []Package {
			return []Package{good(t), shPackage(t, srv, "evil", "1.0", `(install (to-bin "x"))`,
				map[string]string{"../../escape": "x", "x": "x"})}
		}, "path escapes the destination"},
		{"missing install source", func(t *testing.T) []Package {
			return []Package{good(t), shPackage(t, srv, "gone", "1.0", `(install (to-bin "src/nothere"))`, nil)}
		}, "nothere"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := testOptions(t)
			os.MkdirAll(filepath.Join(opts.Root, "etc"), 0o755)
			os.WriteFile(filepath.Join(opts.Root, "etc/keep"), []byte("x"), 0o644)
			before := snapshot(t, opts.Root)
			_, err := Install(context.Background(), tt.pkgs(t), opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Install = %v; want error containing %q", err, tt.want)
			}
			sameTree(t, before, snapshot(t, opts.Root))
			if names := verifyAll(t, opts.Root); len(names) != 0 {
				t.Errorf("installed = %v; want nothing", names)
			}
		})
	}
}

func TestConflictWithInstalled(t *testing.T) {
	srv := newServer(t, false)
	opts := testOptions(t)
	a := shPackage(t, srv, "a", "1.0", `(install (to-bin "src/a.sh" "tool"))`, nil)
	if _, err := Install(context.Background(), []Package{a}, opts); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, opts.Root)
	b := shPackage(t, srv, "b", "1.0", `(install (to-bin "src/b.sh" "tool"))`, nil)
	_, err := Install(context.Background(), []Package{b}, opts)
	if err == nil || !strings.Contains(err.Error(), `conflicts with installed package "a"`) {
		t.Fatalf("Install(b) = %v; want conflict with a", err)
	}
	sameTree(t, before, snapshot(t, opts.Root))
}

func TestMissingHash(t *testing.T) {
	srv := newServer(t, false)
	url, _ := srv.add("nohash.tar.zst", testutil.Tarball(t, map[string]string{"x.sh": "#!/bin/sh\n"}, "zst"))
	text := fmt.Sprintf(`(package "nohash" "1.0" (description "x") (acquire (source %q)) (build (extract tar-zst)) (install (to-bin "x.sh" "x")))`, url)
	pkg := Package{Recipe: decode(t, t.TempDir(), text)}
	opts := testOptions(t)
	_, err := Install(context.Background(), []Package{pkg}, opts)
	if !errors.Is(err, fetch.ErrNoHash) || !strings.Contains(err.Error(), "(sha256 ") {
		t.Fatalf("Install = %v; want ErrNoHash with the line to add", err)
	}
	opts.InsecureSkipHash = true
	if _, err := Install(context.Background(), []Package{pkg}, opts); err != nil {
		t.Fatalf("Install(InsecureSkipHash) = %v", err)
	}
}

func TestUpgradeAndDryRun(t *testing.T) {
	srv := newServer(t, false)
	opts := testOptions(t)
	v1 := shPackage(t, srv, "app", "1.0", `(install (to-bin "src/app.sh" "app") (to-share "src/app.sh" "app/old"))`, nil)
	if _, err := Install(context.Background(), []Package{v1}, opts); err != nil {
		t.Fatal(err)
	}
	v2 := shPackage(t, srv, "app", "2.0", `(install (to-bin "src/app.sh" "app") (to-share "src/app.sh" "app/new"))`,
		map[string]string{"src/app.sh": "#!/bin/sh\necho two\n"})
	dry := opts
	dry.DryRun = true
	before := snapshot(t, opts.Root)
	sum, err := Upgrade(context.Background(), []Package{v2}, dry)
	if err != nil {
		t.Fatal(err)
	}
	sameTree(t, before, snapshot(t, opts.Root))
	want := "upgrade  app 1.0 -> 2.0 (fetch " + srv.URL + "/app-2.0.tar.zst, size unknown): +2 -1 files\n"
	if got := sum.Plan.String(); got != want {
		t.Errorf("dry run plan = %q; want %q", got, want)
	}
	if got := sum.Plan.Packages[0].Remove; len(got) != 1 || got[0] != "usr/share/app/old" {
		t.Errorf("dry run Remove = %v; want [usr/share/app/old]", got)
	}
	if _, err := Upgrade(context.Background(), []Package{v2}, opts); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(opts.Root, "usr/share/app/old")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("old file after upgrade: %v; want gone", err)
	}
	if b, _ := os.ReadFile(filepath.Join(opts.Root, "usr/bin/app")); string(b) != "#!/bin/sh\necho two\n" {
		t.Errorf("usr/bin/app = %q; want version two", b)
	}
	m, err := openDB(t, opts.Root).Lookup("app")
	if err != nil || m.Version != "2.0" {
		t.Errorf("Lookup(app) = %v, %v; want 2.0", m, err)
	}
	verifyAll(t, opts.Root)
}

func TestReasonKeptExplicit(t *testing.T) {
	srv := newServer(t, false)
	opts := testOptions(t)
	p := shPackage(t, srv, "lib", "1.0", `(install (to-lib "src/lib.sh"))`, nil)
	if _, err := Install(context.Background(), []Package{p}, opts); err != nil {
		t.Fatal(err)
	}
	p2 := shPackage(t, srv, "lib", "1.1", `(install (to-lib "src/lib.sh"))`, nil)
	p2.Reason = store.Dependency
	if _, err := Install(context.Background(), []Package{p2}, opts); err != nil {
		t.Fatal(err)
	}
	if m, err := openDB(t, opts.Root).Lookup("lib"); err != nil || m.Reason != store.Explicit {
		t.Errorf("Lookup(lib).Reason = %v, %v; want explicit", m, err)
	}
}

func TestInstallPlainDownload(t *testing.T) {
	srv := newServer(t, false)
	url, sum := srv.add("tool.sh", []byte("#!/bin/sh\necho tool\n"))
	text := fmt.Sprintf(`(package "tool" "1.0" (description "x") (acquire (source %q (sha256 %q))) (install (to-bin "tool.sh" "tool")))`, url, sum)
	opts := testOptions(t)
	if _, err := Install(context.Background(), []Package{{Recipe: decode(t, t.TempDir(), text)}}, opts); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(filepath.Join(opts.Root, "usr/bin/tool")).Output()
	if err != nil || string(out) != "tool\n" {
		t.Errorf("usr/bin/tool = %q, %v; want tool", out, err)
	}
	// The cached download keeps its own mode: the build got a copy.
	st, err := os.Stat(filepath.Join(opts.Root, cacheRel, "tool-1.0-tool.sh"))
	if err != nil || st.Mode().Perm()&0o111 != 0 {
		t.Errorf("cached download: %v, %v; want a non-executable file", st, err)
	}
}

func TestLineProgressAndSummary(t *testing.T) {
	var b strings.Builder
	p := LineProgress(&b)
	p(Event{Step: "fetch", Detail: "http://x/a", Done: 5, Total: 10})
	p(Event{Step: "fetch", Detail: "http://x/a", Done: 10, Total: 10})
	p(Event{Package: "a 1", Step: "compile", Detail: "make"})
	if got, want := b.String(), "fetch http://x/a (10 bytes)\na 1: compile make\n"; got != want {
		t.Errorf("LineProgress lines = %q; want %q", got, want)
	}
	s := &Summary{Installed: []string{"a 1"}, Bytes: 42, Skipped: []string{"b 2"}, New: []string{"etc/x.recipenew"}}
	if got, want := s.String(), "installed 1 package(s), 42 bytes, 1 already installed in 0s\nnew config file installed as /etc/x.recipenew\n"; got != want {
		t.Errorf("Summary.String() = %q; want %q", got, want)
	}
}
