package boot

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

// fakeTool puts an executable script named name first on PATH.
func fakeTool(t *testing.T, name, script string) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"+script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
}

// TestBuildISOFailure: a failing xorriso that has half-written its output
// leaves neither the ISO nor the temporary file, and the error carries
// the exit code and the tool's last words.
func TestBuildISOFailure(t *testing.T) {
	// The script finds the -o argument and writes into it before failing.
	fakeTool(t, "xorriso", `while [ $# -gt 0 ]; do [ "$1" = -o ] && echo partial > "$2"; shift; done
echo "libisofs: FAILURE : out of space" >&2
exit 5
`)
	dir := t.TempDir()
	out := filepath.Join(dir, "x.iso")
	err := BuildISO(context.Background(), ISO{Tree: dir, Out: out, Label: "X", Epoch: -1}, run.Cmd{})
	var re *run.Error
	if !errors.As(err, &re) || re.ExitCode != 5 || !strings.Contains(re.Tail, "out of space") {
		t.Fatalf("BuildISO with failing xorriso = %v; want *run.Error with exit 5 and the stderr tail", err)
	}
	for _, p := range []string{out, out + ".tmp"} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s exists after a failed build", filepath.Base(p))
		}
	}
}

// TestBuildISOImplantFailure: xorriso succeeds, implantisomd5 fails: no
// ISO without its MD5 is left behind, and the error names the tool.
func TestBuildISOImplantFailure(t *testing.T) {
	fakeTool(t, "xorriso", `while [ $# -gt 0 ]; do [ "$1" = -o ] && echo image > "$2"; shift; done
`)
	fakeTool(t, ImplantTool, "echo 'implantisomd5: cannot open' >&2; exit 3\n")
	dir := t.TempDir()
	out := filepath.Join(dir, "x.iso")
	err := BuildISO(context.Background(), ISO{Tree: dir, Out: out, Label: "X", Epoch: -1, ImplantMD5: true}, run.Cmd{})
	var re *run.Error
	if !errors.As(err, &re) || re.ExitCode != 3 || re.Argv[0] != ImplantTool || !strings.HasSuffix(re.Argv[len(re.Argv)-1], "x.iso.tmp") {
		t.Fatalf("BuildISO with failing implantisomd5 = %v; want *run.Error from %s on x.iso.tmp with exit 3", err, ImplantTool)
	}
	for _, p := range []string{out, out + ".tmp"} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s exists after a failed implant", filepath.Base(p))
		}
	}
}

// TestBuildISOCancel: cancelling the context kills xorriso and leaves no
// output.
func TestBuildISOCancel(t *testing.T) {
	fakeTool(t, "xorriso", `while [ $# -gt 0 ]; do [ "$1" = -o ] && echo partial > "$2"; shift; done
exec sleep 30
`)
	dir := t.TempDir()
	out := filepath.Join(dir, "x.iso")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- BuildISO(ctx, ISO{Tree: dir, Out: out, Label: "X", Epoch: -1}, run.Cmd{}) }()
	// Wait until the fake has started writing, then cancel.
	for i := 0; i < 500; i++ {
		if _, err := os.Stat(out + ".tmp"); err == nil {
			break
		}
		waitABit()
	}
	cancel()
	if err := <-done; err == nil {
		t.Fatalf("BuildISO after cancel = nil; want an error")
	}
	for _, p := range []string{out, out + ".tmp"} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s exists after a cancelled build", filepath.Base(p))
		}
	}
}

// TestEFIBootToolFailure: mcopy failing leaves no image.
func TestEFIBootToolFailure(t *testing.T) {
	testutil.NeedTool(t, "mkfs.fat")
	testutil.NeedTool(t, "mmd")
	fakeTool(t, "mcopy", "echo 'mcopy: disk full' >&2; exit 1\n")
	dir := t.TempDir()
	src := writeTemp(t, dir, "a.efi", []byte("MZ"))
	out := filepath.Join(dir, "efiboot.img")
	err := EFIBoot(context.Background(), out, []ESPFile{{Src: src, Dst: "EFI/BOOT/BOOTX64.EFI"}}, -1)
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("EFIBoot with failing mcopy = %v; want the mcopy error", err)
	}
	for _, p := range []string{out, out + ".tmp"} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s exists after a failed EFIBoot", filepath.Base(p))
		}
	}
}

func waitABit() { <-time.After(10 * time.Millisecond) }
