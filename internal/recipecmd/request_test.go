package recipecmd

import (
	"slices"
	"testing"
)

func TestParseRequest(t *testing.T) {
	tests := []struct {
		in         string
		name       string
		constraint string
		feats      []string
		wantErr    bool
	}{
		{in: "foo", name: "foo"},
		{in: "foo[gui]", name: "foo", feats: []string{"gui"}},
		{in: "foo[gui, -x11]", name: "foo", feats: []string{"gui", "-x11"}},
		{in: "foo>=1.2", name: "foo", constraint: ">= 1.2"},
		{in: "foo[gui] >= 1.2, < 2", name: "foo", constraint: ">= 1.2, < 2", feats: []string{"gui"}},
		{in: "foo[gui", wantErr: true},
		{in: "foo[]", wantErr: true},
		{in: "foo[a,,b]", wantErr: true},
		{in: "", wantErr: true},
		{in: "foo >= ", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseRequest(tt.in)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("parseRequest(%q) = %+v; want error", tt.in, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseRequest(%q) error: %v", tt.in, err)
			}
			if got.Name != tt.name || got.Constraint.String() != tt.constraint || !slices.Equal(got.Features, tt.feats) {
				t.Errorf("parseRequest(%q) = %s %q %v; want %s %q %v", tt.in, got.Name, got.Constraint.String(), got.Features, tt.name, tt.constraint, tt.feats)
			}
		})
	}
}
