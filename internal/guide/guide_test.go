package guide

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	src := "# Guide\n\n```sh\n# guide: live\nls /\necho a\n```\n\ntext\n\n```sh\n# guide: chroot\nhostname\n```\n```\nnot sh\n```\n```sh\n# guide: example\nreboot\n```\n```sh\n# guide: installed\nid\n```\n"
	got, err := Parse("g.md", src)
	if err != nil {
		t.Fatal(err)
	}
	want := []Block{
		{Kind: Live, Text: "ls /\necho a\n", Line: 3},
		{Kind: Chroot, Text: "hostname\n", Line: 11},
		{Kind: Example, Text: "reboot\n", Line: 18},
		{Kind: Installed, Text: "id\n", Line: 22},
	}
	if len(got) != len(want) {
		t.Fatalf("Parse = %+v; want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("block %d = %+v; want %+v", i, got[i], want[i])
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"no kind", "```sh\nls\n```\n", "g.md:2: sh block starts with \"ls\""},
		{"bad kind", "```sh\n# guide: host\nls\n```\n", "g.md:2:"},
		{"empty", "```sh\n```\n", "g.md:1: sh block without"},
		{"open", "x\n```sh\n# guide: live\nls\n", "g.md:2: sh block not closed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("g.md", tt.src)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse(%q) = %v; want an error containing %q", tt.src, err, tt.want)
			}
		})
	}
}

// TestInstallGuide checks the real guide: it parses, and has the blocks
// the end-to-end test runs.
func TestInstallGuide(t *testing.T) {
	blocks, err := Read("../../docs/install.md")
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, b := range blocks {
		kinds[b.Kind]++
	}
	if kinds[Live] < 4 || kinds[Chroot] < 6 || kinds[Installed] < 1 {
		t.Errorf("guide blocks by kind = %v; want at least 4 live, 6 chroot and 1 installed", kinds)
	}
}
