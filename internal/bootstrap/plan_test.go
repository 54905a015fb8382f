package bootstrap

import (
	"slices"
	"strings"
	"testing"
)

func TestNewPlanOwnership(t *testing.T) {
	f := newFixture(t)
	// bash (tiny-sh) first: base's tiny-base needs /bin/sh, which bash
	// already owns; systemd's tiny-app pulls tiny-lib, owned by linux
	// only because linux comes first.
	p, err := NewPlan(f.groups(t, "bash", "base", "linux", "linux-firmware", "systemd"), f.inputs)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, g := range p.Groups {
		for _, e := range g.Packages {
			got[g.Recipe.Name] = append(got[g.Recipe.Name], e.Pkg.Name)
		}
	}
	want := map[string][]string{
		"bash":    {"tiny-sh"},
		"base":    {"tiny-base", "tiny-probe"},
		"linux":   {"tiny-lib"},
		"systemd": {"tiny-app", "tiny-cli"},
	}
	for name, w := range want {
		g := got[name]
		slices.Sort(g)
		if !slices.Equal(g, w) {
			t.Errorf("packages of %s = %v; want %v", name, g, w)
		}
	}
	if n := len(got["linux-firmware"]); n != 0 {
		t.Errorf("meta recipe linux-firmware owns %d packages; want 0", n)
	}
	if n := len(p.Closure.Entries); n != 6 {
		t.Errorf("closure has %d packages; want 6", n)
	}
}

func TestNewPlanErrors(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name  string
		names []string
		want  []string
	}{
		{"unsatisfiable", []string{"bash", "unsat"}, []string{"tiny-does-not-exist", "tiny-missing", "unsat.recipe"}},
		{"not rpm", []string{"bash", "tarball"}, []string{`recipe "tarball" acquires source`, "tarball.recipe:"}},
		{"nothing", []string{"linux-firmware"}, []string{"nothing to install"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewPlan(f.groups(t, tt.names...), f.inputs)
			if err == nil {
				t.Fatalf("NewPlan(%v) = nil error; want one", tt.names)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("NewPlan(%v) error = %q; want it to contain %q", tt.names, err, w)
				}
			}
		})
	}
}
