package recipecmd

import (
	"strings"
	"testing"

	"github.com/levitateos/levitate/internal/guide"
)

// TestGuideBlocks checks that the blocks of the installation guide that
// run use only commands of this program that exist.
func TestGuideBlocks(t *testing.T) {
	blocks, err := guide.Read("../../docs/install.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range blocks {
		if b.Kind == guide.Example {
			continue
		}
		for _, line := range strings.Split(b.Text, "\n") {
			f := strings.Fields(line)
			if len(f) < 2 || f[0] != "recipe" {
				continue
			}
			r := runCLI(t, "", f[1], "-h")
			if r.code != ExitOK {
				t.Errorf("install.md:%d: recipe %s is not a command (exit %d)", b.Line, f[1], r.code)
			}
		}
	}
}
