package testutil

import (
	"os/exec"
	"testing"
)

func TestNeedToolFindsSh(t *testing.T) {
	want, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh on PATH")
	}
	if got := NeedTool(t, "sh"); got != want {
		t.Errorf("NeedTool(sh) = %q; want %q", got, want)
	}
}

func TestNeedToolMissing(t *testing.T) {
	// Run in a subtest whose outcome is inspected: outside CI a missing
	// tool skips, inside CI it fails.
	t.Setenv("CI", "")
	ok := t.Run("missing", func(t *testing.T) {
		NeedTool(t, "levitate-no-such-tool")
		t.Error("NeedTool returned for a missing tool")
	})
	if !ok {
		t.Error("a missing tool outside CI failed the test; want a skip")
	}
}
