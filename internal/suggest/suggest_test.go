package suggest

import (
	"slices"
	"testing"
)

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b  string
		limit int
		want  int
	}{
		{"", "", -1, 0},
		{"abc", "", -1, 3},
		{"", "abc", -1, 3},
		{"kitten", "sitting", -1, 3},
		{"flaw", "lawn", -1, 2},
		{"lable", "label", -1, 1}, // a transposition costs 1
		{"ab", "ba", -1, 1},
		{"abcd", "badc", -1, 2},
		{"meson", "meson", -1, 0},
		{"mesno", "meson", -1, 1},
		{"kitten", "sitting", 1, 2},    // cut off: limit+1
		{"a", "abcdefgh", 2, 3},        // length difference alone exceeds the limit
		{"abcdef", "abcdeg", 1, 1},     // within the limit: exact
		{"xxxxxxxx", "yyyyyyyy", 3, 4}, // row minimum exceeds the limit early
	}
	for _, tt := range tests {
		if got := Distance(tt.a, tt.b, tt.limit); got != tt.want {
			t.Errorf("Distance(%q, %q, %d) = %d; want %d", tt.a, tt.b, tt.limit, got, tt.want)
		}
	}
}

func TestDistanceSymmetricAndBounded(t *testing.T) {
	words := []string{"", "a", "ab", "ba", "abc", "kernel", "kernel-core", "kernel-modules", "systemd", "systemd-udev", "grub2-efi-x64", "grub2-pc"}
	for _, a := range words {
		for _, b := range words {
			d := Distance(a, b, -1)
			if d != Distance(b, a, -1) {
				t.Errorf("Distance(%q, %q) = %d but Distance(%q, %q) = %d", a, b, d, b, a, Distance(b, a, -1))
			}
			for limit := 0; limit < 5; limit++ {
				got := Distance(a, b, limit)
				if want := min(d, limit+1); got != want {
					t.Errorf("Distance(%q, %q, %d) = %d; want %d", a, b, limit, got, want)
				}
			}
		}
	}
}

func TestClosest(t *testing.T) {
	known := []string{"libbar", "libbaz", "hostname", "iso-name", "description", "deps", "build-deps", "license", "homepage", "kernel", "kernel-core", "kernel-modules", "Meson", "meson", "ninja"}
	tests := []struct {
		word string
		n    int
		want []string
	}{
		{"dep", 3, []string{"deps"}},
		{"descriptoin", 3, []string{"description"}},
		{"licence", 3, []string{"license"}},
		{"kernal", 3, []string{"kernel"}},
		{"kernel-cor", 2, []string{"kernel-core", "kernel"}},
		{"mesonn", 3, []string{"meson", "Meson"}},
		{"zzzzzz", 3, []string{}},
		{"kernel", 3, []string{"kernel-core", "kernel-modules"}}, // never itself
		{"ab", 3, []string{}},                                    // too short for prefix matches, too far otherwise
		{"libbaar", 3, []string{"libbar", "libbaz"}},             // distances 1 and 2
		{"host-name", 3, []string{"hostname"}},
		{"iso_name", 3, []string{"iso-name"}},
		{"libba", 3, []string{"libbar", "libbaz"}},
		{"lable", 3, []string{}}, // "label" is not in this list
	}
	for _, tt := range tests {
		if got := Closest(tt.word, known, tt.n); !slices.Equal(got, tt.want) {
			t.Errorf("Closest(%q, %d) = %q; want %q", tt.word, tt.n, got, tt.want)
		}
	}
}

func TestClosestPackages(t *testing.T) {
	names := []string{"foot", "sway", "swaybg", "swayidle", "wayland", "wayland-protocols", "ninja"}
	tests := []struct {
		in   string
		want []string
	}{
		{"fot", []string{"foot"}},
		{"swy", []string{"sway"}},
		{"wayland-protocol", []string{"wayland-protocols", "wayland"}},
		{"zzzzzz", []string{}},
	}
	for _, tt := range tests {
		if got := Closest(tt.in, names, 3); !slices.Equal(got, tt.want) {
			t.Errorf("Closest(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestDidYouMean(t *testing.T) {
	known := []string{"to-bin", "to-lib", "to-man", "to-share"}
	if got, want := DidYouMean("to-bni", known), `; did you mean "to-bin"?`; got != want {
		t.Errorf("DidYouMean(to-bni) = %q; want %q", got, want)
	}
	if got := DidYouMean("completely-different", known); got != "" {
		t.Errorf("DidYouMean(completely-different) = %q; want none", got)
	}
}

func FuzzDistance(f *testing.F) {
	f.Add("kitten", "sitting", 2)
	f.Add("", "x", 0)
	f.Fuzz(func(t *testing.T, a, b string, limit int) {
		if len(a) > 200 || len(b) > 200 {
			return
		}
		limit = limit % 10
		d := Distance(a, b, -1)
		if d < 0 || d > max(len(a), len(b)) || d < abs(len(a)-len(b)) {
			t.Fatalf("Distance(%q, %q) = %d out of bounds", a, b, d)
		}
		if (d == 0) != (a == b) {
			t.Fatalf("Distance(%q, %q) = %d", a, b, d)
		}
		if limit >= 0 {
			if got, want := Distance(a, b, limit), min(d, limit+1); got != want {
				t.Fatalf("Distance(%q, %q, %d) = %d; want %d", a, b, limit, got, want)
			}
		}
	})
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
