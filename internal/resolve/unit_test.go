package resolve

import (
	"errors"
	"os"
	"slices"
	"testing"
)

// scenario loads a scenario file's universe and requests.
func scenario(t *testing.T, name string) (*Universe, []Request) {
	t.Helper()
	data, err := os.ReadFile("testdata/scenarios/" + name + ".txt")
	if err != nil {
		t.Fatal(err)
	}
	a := parseArchive(string(data))
	pkgs, err := parseUniverse(a.get("universe"))
	if err != nil {
		t.Fatal(err)
	}
	reqs, err := parseRequests(a.get("request"))
	if err != nil {
		t.Fatal(err)
	}
	return NewUniverse(pkgs), reqs
}

// TestBackjumpSkipsUnrelatedChoice checks the dead end on z goes straight
// back to x's choice point: m 3.0 is never replaced by m 2.0.
func TestBackjumpSkipsUnrelatedChoice(t *testing.T) {
	u, reqs := scenario(t, "68-backjump")
	p, err := u.Resolve(reqs, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// app, x 2.0, m 3.0, c, z (rejected), then x 1.0, m 3.0, c, z.
	if p.Attempts != 9 {
		t.Errorf("Resolve(68-backjump).Attempts = %d; want 9", p.Attempts)
	}
}

// TestLookaheadAvoidsBacktracking checks that queued constraints pick
// lib 1.0 at once.
func TestLookaheadAvoidsBacktracking(t *testing.T) {
	u, reqs := scenario(t, "67-lookahead")
	p, err := u.Resolve(reqs, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Attempts != 3 {
		t.Errorf("Resolve(67-lookahead).Attempts = %d; want 3 (app, tool, lib 1.0)", p.Attempts)
	}
}

func TestErrorTypes(t *testing.T) {
	tests := []struct {
		scenario string
		budget   int
		want     any
	}{
		{"29-constraint-clash", 0, new(*UnsatisfiableError)},
		{"42-missing-suggestion", 0, new(*UnsatisfiableError)},
		{"08-cycle-3", 0, new(*CycleError)},
		{"34-feature-unknown", 0, new(*FeatureError)},
		{"53-budget", 2, new(*AbandonedError)},
		{"53-budget", 2, new(*UnsatisfiableError)}, // through AbandonedError.Unwrap
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			u, reqs := scenario(t, tt.scenario)
			_, err := u.Resolve(reqs, nil, Options{MaxAttempts: tt.budget})
			if !errors.As(err, tt.want) {
				t.Errorf("Resolve(%s) = %T %v; want %T", tt.scenario, err, err, tt.want)
			}
		})
	}
}

func TestLevenshtein(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "abc", 0}, {"libbar", "libbaar", 1}, {"kitten", "sitting", 3},
		{"wlroot", "wlroots", 1}, {"a", "xyz", 3},
	}
	for _, tt := range tests {
		if got := levenshtein(tt.a, tt.b, 10); got != tt.want {
			t.Errorf("levenshtein(%q, %q) = %d; want %d", tt.a, tt.b, got, tt.want)
		}
	}
	if got := levenshtein("aaaaaaaa", "bbbbbbbb", 2); got != 3 {
		t.Errorf("levenshtein with limit 2 = %d; want 3 (limit+1)", got)
	}
}

func TestSuggest(t *testing.T) {
	known := []string{"libbar", "libbaz", "openssl", "zlib"}
	tests := []struct {
		name string
		want []string
	}{
		{"libbaar", []string{"libbar", "libbaz"}}, // distances 1 and 2
		{"libba", []string{"libbar", "libbaz"}},
		{"opensll", []string{"openssl"}},
		{"qqqqqq", nil},
	}
	for _, tt := range tests {
		if got := suggest(tt.name, known); !slices.Equal(got, tt.want) {
			t.Errorf("suggest(%q) = %q; want %q", tt.name, got, tt.want)
		}
	}
}

func TestFindCycles(t *testing.T) {
	adj := map[string][]string{
		"a": {"b"}, "b": {"c", "a"}, "c": {"a"}, // a-b-a is shorter than a-b-c-a
		"x": {"x"},
		"p": {"q"}, // no cycle
	}
	got := findCycles(adj)
	want := [][]string{{"a", "b"}, {"x"}}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("findCycles = %q; want %q", got, want)
	}
}
