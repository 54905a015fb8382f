package build

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/levitateos/levitate/internal/run"
	"github.com/levitateos/levitate/internal/testutil"
)

// busyboxRoot makes a root holding only a static busybox and the mount
// points.
func busyboxRoot(t *testing.T) string {
	t.Helper()
	needRoot(t)
	bb := testutil.NeedTool(t, "busybox")
	testutil.NeedTool(t, "unshare")
	root := t.TempDir()
	for _, d := range []string{"bin", "proc", "sys", "dev", "run"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := copyFile(filepath.Join(root, "bin/busybox"), bb, 0o755); err != nil {
		t.Fatal(err)
	}
	return root
}

func hostMountsUnder(t *testing.T, dir string) []string {
	t.Helper()
	data, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		t.Fatal(err)
	}
	var hits []string
	for _, l := range strings.Split(string(data), "\n") {
		if strings.Contains(l, dir) {
			hits = append(hits, l)
		}
	}
	return hits
}

// TestInChrootMounts runs a command through InChrootArgv: inside, /proc
// and /dev are mounted; outside, nothing ever is, even when the command
// is killed.
func TestInChrootMounts(t *testing.T) {
	root := busyboxRoot(t)
	out, err := run.Output(t.Context(), run.Cmd{Argv: InChrootArgv(root, "/bin/busybox", "sh", "-c", "test -e /proc/self/stat && test -e /dev/null && busybox grep -c ' /run ' /proc/mounts")})
	if err != nil || strings.TrimSpace(string(out)) != "1" {
		t.Errorf("in chroot: %q, %v; want /proc, /dev and /run mounted", out, err)
	}
	if m := hostMountsUnder(t, root); len(m) > 0 {
		t.Errorf("host mounts under the root after the command: %q", m)
	}

	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- run.Run(ctx, run.Cmd{Argv: InChrootArgv(root, "/bin/busybox", "sleep", "60"), WaitDelay: time.Second})
	}()
	time.Sleep(time.Second)
	if m := hostMountsUnder(t, root); len(m) > 0 {
		t.Errorf("host sees mounts of the private namespace: %q", m)
	}
	err = <-done
	var re *run.Error
	if !errors.As(err, &re) {
		t.Errorf("killed chroot = %v; want a *run.Error", err)
	}
	if m := hostMountsUnder(t, root); len(m) > 0 {
		t.Errorf("host mounts under the root after a kill: %q", m)
	}
}
