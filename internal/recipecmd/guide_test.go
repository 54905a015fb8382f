package recipecmd

import (
	"strings"
	"testing"
)

// TestGuideBlocks checks the installation guide's convention: every sh
// block is marked live, chroot or example, and the blocks that run use
// only the commands of this program that exist.
func TestGuideBlocks(t *testing.T) {
	blocks, err := guideBlocks("../../docs/install.md")
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, b := range blocks {
		kinds[b.kind]++
		switch b.kind {
		case "live", "chroot", "example":
		default:
			t.Errorf("install.md:%d: block marked %q; want # guide: live, chroot or example", b.line, b.kind)
		}
		for _, line := range strings.Split(b.text, "\n") {
			f := strings.Fields(line)
			if len(f) < 2 || f[0] != "recipe" || b.kind == "example" {
				continue
			}
			r := runCLI(t, "", f[1], "-h")
			if r.code != ExitOK {
				t.Errorf("install.md:%d: recipe %s is not a command (exit %d)", b.line, f[1], r.code)
			}
		}
	}
	if kinds["live"] < 4 || kinds["chroot"] < 6 {
		t.Errorf("guide blocks by kind = %v; want at least 4 live and 6 chroot", kinds)
	}
}
