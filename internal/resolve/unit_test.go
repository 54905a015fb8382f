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
