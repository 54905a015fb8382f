package build

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/levitateos/levitate/internal/profile"
	"github.com/levitateos/levitate/internal/run"
	"github.com/levitateos/levitate/internal/source"
	"github.com/levitateos/levitate/internal/testutil"
	"github.com/levitateos/levitate/internal/vendorset"
)

func needSlow(t *testing.T) {
	t.Helper()
	if os.Getenv("LEVITATE_SLOW_TESTS") != "1" {
		t.Skip("set LEVITATE_SLOW_TESTS=1 for real builds")
	}
}

// writeProfile writes a profile directory with these packages and
// settings, and an airootfs with /etc/motd.
func writeProfile(t *testing.T, packages []string, conf string) *profile.Profile {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"packages.txt":         strings.Join(packages, "\n") + "\n",
		"profile.conf":         conf,
		"airootfs/etc/motd":    "small motd\n",
		"recipes/hello.recipe": "(package \"hello\" \"1.0\")\n",
		"recipes/tilde.recipe": "(package \"tilde\" \"1.0\" (acquire (rpm \"tiny-tilde\")))\n",
		"recipes/self.recipe":  "(package \"recipe\" \"1.0\" (acquire (rpm \"recipe\")))\n",
	}
	for name, data := range files {
		touch(t, filepath.Join(dir, name))
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p, err := profile.Load(dir)
	if err != nil {
		t.Fatalf("profile.Load: %v", err)
	}
	return p
}

// smallBuild runs a build of the small vendor set up to the overlay
// stage.
func smallBuild(t *testing.T, packages []string) (Options, error) {
	t.Helper()
	return smallBuildTo(t, packages, StageOverlay)
}

// smallBuildTo runs a build of the small vendor set up to stage stop.
func smallBuildTo(t *testing.T, packages []string, stop string) (Options, error) {
	t.Helper()
	needRoot(t)
	testutil.NeedTool(t, "rpm")
	src := t.TempDir()
	if _, err := vendorset.WriteSmallTree(context.Background(), src); err != nil {
		t.Fatalf("WriteSmallTree: %v", err)
	}
	p := writeProfile(t, packages, "verify-signatures = no\nboot-modes = bios-grub\nrecipes = recipes\nfile-permissions = /etc/motd 0:0:600\n")
	work := t.TempDir()
	recipe := filepath.Join(work, "fake-recipe")
	if err := os.WriteFile(recipe, []byte("#!/bin/true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	o := Options{
		Profile: p, Settings: p.Settings, Sources: []profile.Source{{Location: src}}, Out: filepath.Join(work, "out", "small.iso"),
		Work: filepath.Join(work, "w"), Lock: filepath.Join(work, "out", "small.lock"),
		Recipe: recipe, StopAfter: stop, Epoch: -1, Console: &bytes.Buffer{},
	}
	plan, err := NewPlan(o)
	if err != nil {
		t.Fatal(err)
	}
	_, err = plan.Execute(context.Background())
	return o, err
}

func TestSmallRootfsOverlay(t *testing.T) {
	needSlow(t)
	o, err := smallBuild(t, []string{"tiny-lib", "tiny-tilde", "tiny-caret"})
	if err != nil {
		t.Fatalf("small build: %v", err)
	}
	root := o.path(rootDir)
	out, err := exec.Command("rpm", "--root", root, "--dbpath", DBPath, "-qa", "--qf", "%{NAME}\n").CombinedOutput()
	if err != nil {
		t.Fatalf("rpm -qa: %v\n%s", err, out)
	}
	for _, want := range []string{"tiny-lib", "tiny-tilde", "tiny-caret"} {
		if !strings.Contains(string(out), want+"\n") {
			t.Errorf("rpm --root -qa = %q; want %s", out, want)
		}
	}
	checks := []struct{ path, want string }{
		{"etc/motd", "small motd\n"},
		{RecipeBin, "#!/bin/true\n"},
		{RecipesDst + "/hello.recipe", "(package \"hello\" \"1.0\")\n"},
	}
	for _, c := range checks {
		got, err := os.ReadFile(filepath.Join(root, c.path))
		if err != nil || string(got) != c.want {
			t.Errorf("root %s = %q, %v; want %q", c.path, got, err, c.want)
		}
	}
	if fi, err := os.Stat(filepath.Join(root, RecipeBin)); err != nil || fi.Mode().Perm() != 0o755 {
		t.Errorf("root %s mode = %v, %v; want 0755", RecipeBin, fi, err)
	}
	if fi, err := os.Stat(filepath.Join(root, "etc/motd")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("root etc/motd mode = %v, %v; want 0600 (file-permissions)", fi, err)
	}
	for _, st := range []string{StageResolve, StageFetch, StageRootfs, StageOverlay} {
		if _, err := os.Stat(o.path(logsDir, st+".log")); err != nil {
			t.Errorf("stage log: %v", err)
		}
	}
	lock, err := os.ReadFile(o.Lock)
	if err != nil || !bytes.Contains(lock, []byte("tiny-lib-2:1.5-3.noarch")) {
		t.Errorf("lock = %q, %v; want tiny-lib-2:1.5-3.noarch", lock, err)
	}
}

// TestSmallScriptletFailure installs packages whose scriptlets need a
// shell the root does not have: rpm fails and so must the build.
func TestSmallScriptletFailure(t *testing.T) {
	needSlow(t)
	_, err := smallBuild(t, []string{"tiny-app"})
	var re *run.Error
	if !errors.As(err, &re) {
		t.Fatalf("small build of tiny-app = %v; want a *run.Error from rpm", err)
	}
	if re.Argv[0] != "rpm" || re.ExitCode == 0 || !strings.Contains(re.Tail, "scriptlet") {
		t.Errorf("rpm error = argv %q exit %d tail %q; want rpm's scriptlet failure", re.Argv[:4], re.ExitCode, re.Tail)
	}
	if !strings.Contains(err.Error(), "build: rootfs:") {
		t.Errorf("error = %q; want it to name the rootfs stage", err)
	}
}

func TestSmallUnsatisfiable(t *testing.T) {
	needSlow(t)
	_, err := smallBuild(t, []string{"tiny-unsat"})
	if err == nil || !strings.Contains(err.Error(), "tiny-does-not-exist") || !strings.Contains(err.Error(), "build: resolve:") {
		t.Errorf("small build of tiny-unsat = %v; want a resolve error naming tiny-does-not-exist", err)
	}
}

// TestSmallMediumRepo builds up to the medium's repository: it holds the
// closure, including the package a recipe acquires but packages.txt does
// not name, and the recipe binary as an installable RPM.
func TestSmallMediumRepo(t *testing.T) {
	needSlow(t)
	o, err := smallBuildTo(t, []string{"tiny-lib"}, StageRepo)
	if err != nil {
		t.Fatalf("small build: %v", err)
	}
	dir := o.path(treeDir, MediumRepo)
	src, err := source.Open(t.Context(), dir, "")
	if err != nil {
		t.Fatalf("source.Open(%s): %v", dir, err)
	}
	defer src.Close()
	idx, err := src.Index(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range idx.Packages() {
		names = append(names, p.Name)
	}
	for _, want := range []string{"tiny-lib", "tiny-tilde", RecipeRPM} {
		if !slices.Contains(names, want) {
			t.Errorf("medium repository packages = %v; want %s", names, want)
		}
	}
	rpms, _ := filepath.Glob(filepath.Join(dir, "Packages", RecipeRPM+"-*.rpm"))
	if len(rpms) != 1 {
		t.Fatalf("recipe rpm files = %v; want one", rpms)
	}
	root := t.TempDir()
	if out, err := exec.Command("rpm", "--root", root, "--dbpath", DBPath, "-i", "--nosignature", "--nodeps", rpms[0]).CombinedOutput(); err != nil {
		t.Fatalf("rpm -i %s: %v\n%s", rpms[0], err, out)
	}
	if got, err := os.ReadFile(filepath.Join(root, RecipeBin)); err != nil || string(got) != "#!/bin/true\n" {
		t.Errorf("installed %s = %q, %v; want the recipe binary", RecipeBin, got, err)
	}
	conf, err := os.ReadFile(o.path(rootDir, RecipeConf))
	if err != nil || !strings.Contains(string(conf), "repo = "+LiveRepo+"\n") {
		t.Errorf("%s = %q, %v; want repo = %s", RecipeConf, conf, err, LiveRepo)
	}
}
