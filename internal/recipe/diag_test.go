package recipe

import (
	"testing"

	"github.com/levitateos/levitate/internal/suggest"
)

func TestDiagnostics(t *testing.T) {
	ds := Diagnostics{
		{Pos: Pos{File: "b.recipe", Line: 1, Col: 1}, Severity: Warning, Msg: "w"},
		{Pos: Pos{File: "a.recipe", Line: 2, Col: 5}, Severity: Error, Msg: "late"},
		{Pos: Pos{File: "a.recipe", Line: 2, Col: 1}, Severity: Warning, Msg: "warn"},
		{Pos: Pos{File: "a.recipe", Line: 2, Col: 1}, Severity: Error, Msg: "err"},
		{Pos: Pos{File: "dir"}, Severity: Error, Msg: "no position"},
	}
	ds.Sort()
	want := "a.recipe:2:1: error: err\n" +
		"a.recipe:2:1: warning: warn\n" +
		"a.recipe:2:5: error: late\n" +
		"b.recipe:1:1: warning: w\n" +
		"dir: error: no position"
	if got := ds.Error(); got != want {
		t.Errorf("sorted diagnostics =\n%s\nwant\n%s", got, want)
	}
	if !ds.HasErrors() || ds.Err() == nil {
		t.Errorf("HasErrors = false; want true")
	}
	warnings := Diagnostics{{Severity: Warning, Msg: "w"}}
	if warnings.HasErrors() || warnings.Err() != nil {
		t.Errorf("warnings only: HasErrors = true or Err != nil; want false and nil")
	}
}

func TestSuggest(t *testing.T) {
	tests := []struct {
		in    string
		valid []string
		want  string
	}{
		{"descripton", packageForms(), `; did you mean "description"?`},
		{"homepag", packageForms(), `; did you mean "homepage"?`},
		{"to-bni", installForms(), `; did you mean "to-bin"?`},
		{"nologin", []string{"system", "no-login"}, `; did you mean "no-login"?`},
		{"xyzzy", packageForms(), ""},
		{"", packageForms(), ""},
	}
	for _, tt := range tests {
		if got := suggest.DidYouMean(tt.in, tt.valid); got != tt.want {
			t.Errorf("suggest(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestBuildStepScriptDefaults(t *testing.T) {
	tests := []struct {
		step BuildStep
		want string
	}{
		{BuildStep{Kind: BuildConfigure}, `cd "$SOURCE_DIR" && ./configure --prefix="$PREFIX"`},
		{BuildStep{Kind: BuildCompile}, `cd "$SOURCE_DIR" && make -j"$NPROC"`},
		{BuildStep{Kind: BuildTest}, `cd "$SOURCE_DIR" && make test`},
		{BuildStep{Kind: BuildCargo}, `cd "$SOURCE_DIR" && cargo build --release`},
		{BuildStep{Kind: BuildMeson}, `cd "$SOURCE_DIR" && meson setup build --prefix="$PREFIX"`},
		{BuildStep{Kind: BuildNinja}, `cd "$SOURCE_DIR" && ninja -C build -j"$NPROC"`},
		{BuildStep{Kind: BuildCargo, Arg: "test"}, `cd "$SOURCE_DIR" && cargo test`},
		{BuildStep{Kind: BuildCompile, Arg: "gmake"}, `cd "$SOURCE_DIR" && gmake`},
		{BuildStep{Kind: BuildRun, Arg: "echo $PREFIX"}, "echo $PREFIX"},
		{BuildStep{Kind: BuildExtract, Arg: "tar-gz"}, ""},
		{BuildStep{Kind: BuildSkip}, ""},
	}
	for _, tt := range tests {
		if got := tt.step.Script(); got != tt.want {
			t.Errorf("%s %q .Script() = %q; want %q", tt.step.Kind, tt.step.Arg, got, tt.want)
		}
	}
}
