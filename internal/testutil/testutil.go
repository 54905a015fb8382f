// Package testutil holds the few helpers that tests in many packages share.
// It is imported only from _test.go files.
package testutil

import (
	"os"
	"os/exec"
	"testing"
)

// NeedTool returns the path of a tool a test runs. A missing tool skips the
// test on a developer's machine and fails it in CI (CI set), where every
// tool of .ci/packages.txt must be installed: a real-tool test is never
// skipped silently there.
func NeedTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skipf("%s not installed (see .ci/packages.txt)", name)
		}
		t.Fatalf("%s not installed, and CI needs it: %v", name, err)
	}
	return p
}

// NeedTools is NeedTool for several tools.
func NeedTools(t testing.TB, names ...string) {
	t.Helper()
	for _, n := range names {
		NeedTool(t, n)
	}
}
