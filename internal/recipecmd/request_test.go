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

func TestSuggest(t *testing.T) {
	names := []string{"foot", "sway", "swaybg", "swayidle", "wayland", "wayland-protocols", "ninja"}
	tests := []struct {
		in   string
		want []string
	}{
		{"fot", []string{"foot"}},
		{"swy", []string{"sway"}},
		{"ninja", []string{"ninja"}},
		{"wayland-protocol", []string{"wayland-protocols", "wayland"}},
		{"zzzzzz", nil},
	}
	for _, tt := range tests {
		if got := suggest(tt.in, names, 3); !slices.Equal(got, tt.want) {
			t.Errorf("suggest(%q) = %v; want %v", tt.in, got, tt.want)
		}
	}
}
