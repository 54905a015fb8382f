package recipecmd

import (
	"encoding/json"
	"slices"
	"testing"
)

// decodeJSON runs the program and parses its stdout into v.
func decodeJSON(t *testing.T, v any, wantCode int, args ...string) {
	t.Helper()
	r := runCLI(t, "", args...)
	if r.code != wantCode {
		t.Fatalf("recipe %q exit = %d; want %d\nstderr:\n%s", args, r.code, wantCode, r.stderr)
	}
	if err := json.Unmarshal([]byte(r.stdout), v); err != nil {
		t.Fatalf("recipe %q: stdout is not JSON: %v\n%s", args, err, r.stdout)
	}
}

func TestListJSON(t *testing.T) {
	var got []summaryJSON
	decodeJSON(t, &got, ExitOK, "--recipes", recipesDir, "--json", "list")
	var names []string
	for _, s := range got {
		names = append(names, s.Name)
	}
	want := []string{"app", "gtk", "libfoo", "make", "minissl", "oldapp", "pkgconf", "zlib"}
	if !slices.Equal(names, want) {
		t.Errorf("list --json names = %v; want %v", names, want)
	}
	if got[0].Version != "1.0" || got[0].Description == "" || got[0].File != "testdata/recipes/app.recipe" {
		t.Errorf("list --json first = %+v; want app 1.0 with description and file", got[0])
	}
}

func TestSearchJSON(t *testing.T) {
	var got []summaryJSON
	decodeJSON(t, &got, ExitOK, "--recipes", recipesDir, "--json", "search", "LIBRARY")
	var names []string
	for _, s := range got {
		names = append(names, s.Name)
	}
	if want := []string{"libfoo", "minissl", "zlib"}; !slices.Equal(names, want) {
		t.Errorf("search --json LIBRARY = %v; want %v", names, want)
	}
}

func TestInfoJSON(t *testing.T) {
	var got infoJSON
	decodeJSON(t, &got, ExitOK, "--recipes", recipesDir, "--json", "info", "app")
	wantBuild := []depJSON{{Name: "pkg-config"}, {Name: "make", Constraint: ">= 4"}}
	wantRuntime := []depJSON{{Name: "libfoo", Constraint: ">= 2"}, {Name: "zlib"}, {Name: "gtk", If: "gui"}, {Name: "minissl", If: "!tls"}}
	if !slices.Equal(got.BuildDeps, wantBuild) || !slices.Equal(got.RuntimeDeps, wantRuntime) {
		t.Errorf("info --json app deps = %+v / %+v; want %+v / %+v", got.BuildDeps, got.RuntimeDeps, wantBuild, wantRuntime)
	}
	if got.Acquire == nil || got.Acquire.Kind != "source" || got.Acquire.HashStatus != "sha256" {
		t.Errorf("info --json app acquire = %+v; want a source with hash_status sha256", got.Acquire)
	}
	if len(got.Features) != 3 || !got.Features[0].Default || !slices.Equal(got.Features[0].Implies, []string{"x11"}) {
		t.Errorf("info --json app features = %+v; want gui (default, implies x11), x11, tls", got.Features)
	}
	if len(got.Build) != 4 || got.Build[3] != (buildStepJSON{Step: "test", Arg: "make check"}) {
		t.Errorf("info --json app build = %+v; want 4 steps ending in test \"make check\"", got.Build)
	}
	if len(got.Install) != 3 || got.Install[2].Mode != "0600" || got.Install[2].Dest != "/etc/app/app.conf" {
		t.Errorf("info --json app install = %+v; want 3 steps, the last to /etc/app/app.conf mode 0600", got.Install)
	}

	var mk infoJSON
	decodeJSON(t, &mk, ExitOK, "--recipes", recipesDir, "--json", "info", "make")
	if mk.Acquire == nil || mk.Acquire.HashStatus != "missing" || len(mk.Acquire.Binaries) != 2 || mk.Acquire.Binaries[0].HashStatus != "sha256" {
		t.Errorf("info --json make acquire = %+v; want two binaries, x86_64 pinned, overall missing", mk.Acquire)
	}
}

func TestDepsJSON(t *testing.T) {
	var got treeJSON
	decodeJSON(t, &got, ExitOK, "--recipes", recipesDir, "--json", "deps", "app")
	if got.Name != "app" || !slices.Equal(got.Features, []string{"gui", "x11"}) {
		t.Errorf("deps --json app root = %s %v; want app [gui x11]", got.Name, got.Features)
	}
	var kinds []string
	for _, d := range got.Deps {
		kinds = append(kinds, d.Name+":"+d.Kind)
	}
	want := []string{"pkgconf:build", "make:build", "libfoo:runtime", "zlib:runtime", "gtk:runtime", "minissl:runtime"}
	if !slices.Equal(kinds, want) {
		t.Errorf("deps --json app children = %v; want %v", kinds, want)
	}
	if !got.Deps[3].Repeated || len(got.Deps[2].Deps) != 1 || got.Deps[2].Deps[0].Name != "zlib" {
		t.Errorf("deps --json app: libfoo -> zlib expanded once, then zlib repeated; got %+v", got.Deps)
	}

	var rev treeJSON
	decodeJSON(t, &rev, ExitOK, "--recipes", recipesDir, "--json", "deps", "--reverse", "zlib")
	var who []string
	for _, d := range rev.Dependents {
		who = append(who, d.Name)
	}
	if want := []string{"app", "gtk", "libfoo"}; rev.Name != "zlib" || !slices.Equal(who, want) {
		t.Errorf("deps --reverse --json zlib = %s <- %v; want zlib <- %v", rev.Name, who, want)
	}
}

func TestInstallJSON(t *testing.T) {
	var got installJSON
	decodeJSON(t, &got, ExitOK, "--recipes", recipesDir, "--json", "install", "-n", "app")
	pos := map[string]int{}
	for i, s := range got.Plan {
		pos[s.Name] = i
	}
	// Install order: everything a package needs comes before it.
	for _, edge := range [][2]string{{"zlib", "libfoo"}, {"libfoo", "app"}, {"pkgconf", "gtk"}, {"gtk", "app"}, {"make", "app"}, {"minissl", "app"}} {
		if pos[edge[0]] >= pos[edge[1]] {
			t.Errorf("install -n app plan: %s at %d, after %s at %d; want it before", edge[0], pos[edge[0]], edge[1], pos[edge[1]])
		}
	}
	last := got.Plan[len(got.Plan)-1]
	if !got.OK || len(got.Plan) != 7 || last.Name != "app" || !last.Explicit || last.Action != "install" {
		t.Errorf("install -n app = ok %v, %d steps, last %+v; want ok, 7 steps, app explicit last", got.OK, len(got.Plan), last)
	}

	var bad installJSON
	decodeJSON(t, &bad, ExitFailure, "--recipes", recipesDir, "--json", "install", "-n", "app", "oldapp")
	if bad.OK || bad.Unsatisfiable == nil || bad.Unsatisfiable.Name != "libfoo" || len(bad.Unsatisfiable.Requirements) != 2 {
		t.Errorf("install -n app oldapp --json = %+v; want not ok, libfoo unsatisfiable with two requirements", bad)
	}

	var cyc installJSON
	decodeJSON(t, &cyc, ExitFailure, "--recipes", cycleDir, "--json", "install", "-n", "c")
	if cyc.OK || len(cyc.Cycles) != 1 || !slices.Equal(cyc.Cycles[0], []string{"a", "b", "c"}) {
		t.Errorf("install -n c --json (cycle) = %+v; want cycles [[a b c]]", cyc)
	}
}

func TestCheckJSON(t *testing.T) {
	var got checkJSON
	decodeJSON(t, &got, ExitInvalid, "--json", "check", brokenDir)
	if got.Files != 4 || got.Errors != 3 || got.Warnings != 1 || len(got.Diagnostics) != 4 {
		t.Errorf("check --json %s = %+v; want 4 files, 3 errors, 1 warning", brokenDir, got)
	}
	for _, d := range got.Diagnostics {
		if d.File == "" || d.Line == 0 || d.Col == 0 || d.Msg == "" {
			t.Errorf("check --json diagnostic %+v; want file, line, col and message", d)
		}
	}
}
