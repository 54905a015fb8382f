package boot

import (
	"context"
	"errors"
	"fmt"
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

// noOutput fails t if the ISO or its temporary file exists, or if the
// FIFO's directory was left in tmp (TMPDIR of the test).
func noOutput(t *testing.T, out, tmp string) {
	t.Helper()
	for _, p := range []string{out, out + ".tmp"} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s exists after a failed build", filepath.Base(p))
		}
	}
	if ents, _ := os.ReadDir(tmp); len(ents) != 0 {
		t.Errorf("%d entries left in TMPDIR after a failed build; want none", len(ents))
	}
}

// isolated gives the test its own TMPDIR, where BuildISO puts its FIFO,
// and returns it.
func isolated(t *testing.T) string {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	return tmp
}

// TestBuildISOFailure: a failing xorriso that has half-written its output
// (the file, or the FIFO when the MD5 is implanted) leaves neither the
// ISO nor the temporary file, and the error carries the exit code and the
// tool's last words.
func TestBuildISOFailure(t *testing.T) {
	for _, implant := range []bool{false, true} {
		t.Run(fmt.Sprintf("ImplantMD5=%v", implant), func(t *testing.T) {
			// The script finds the -o argument and writes into it before failing.
			fakeTool(t, "xorriso", `while [ $# -gt 0 ]; do [ "$1" = -o ] && echo partial > "$2"; shift; done
echo "libisofs: FAILURE : out of space" >&2
exit 5
`)
			tmp := isolated(t)
			dir := t.TempDir()
			out := filepath.Join(dir, "x.iso")
			err := BuildISO(context.Background(), ISO{Tree: dir, Out: out, Label: "X", Epoch: -1, ImplantMD5: implant}, run.Cmd{})
			var re *run.Error
			if !errors.As(err, &re) || re.ExitCode != 5 || !strings.Contains(re.Tail, "out of space") {
				t.Fatalf("BuildISO with failing xorriso = %v; want *run.Error with exit 5 and the stderr tail", err)
			}
			noOutput(t, out, tmp)
		})
	}
}

// TestBuildISOBadImage: xorriso succeeds but its image has no volume
// for implantisomd5's sum: no ISO without its MD5 is left behind, and the
// error says what is wrong.
func TestBuildISOBadImage(t *testing.T) {
	for _, tt := range []struct{ name, write, want string }{
		{"short", "echo image", "image of 6 bytes ends before its primary volume descriptor"},
		{"no descriptor", "head -c 65536 /dev/zero", "no primary volume descriptor at sector 16"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fakeTool(t, "xorriso", `while [ $# -gt 0 ]; do [ "$1" = -o ] && `+tt.write+` > "$2"; shift; done
`)
			tmp := isolated(t)
			dir := t.TempDir()
			out := filepath.Join(dir, "x.iso")
			err := BuildISO(context.Background(), ISO{Tree: dir, Out: out, Label: "X", Epoch: -1, ImplantMD5: true}, run.Cmd{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("BuildISO(%s image) = %v; want an error with %q", tt.name, err, tt.want)
			}
			noOutput(t, out, tmp)
		})
	}
}

// TestBuildISOCopyFailure: when the image cannot be written, xorriso
// (which would block on the full FIFO) is stopped and the write error
// reported.
func TestBuildISOCopyFailure(t *testing.T) {
	fakeTool(t, "xorriso", "exec sleep 30\n")
	dir := t.TempDir()
	out := filepath.Join(dir, "x.iso")
	// A non-empty directory where the temporary file goes cannot be
	// removed or created.
	if err := writeFile(filepath.Join(out+".tmp", "keep"), nil); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	err := BuildISO(context.Background(), ISO{Tree: dir, Out: out, Label: "X", Epoch: -1, ImplantMD5: true}, run.Cmd{})
	if err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("BuildISO onto a directory = %v; want the write error", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("BuildISO took %v after the write failed; want xorriso stopped at once", d)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("x.iso exists after a failed build")
	}
}

// TestBuildISOCancel: cancelling the context kills xorriso and leaves no
// output.
func TestBuildISOCancel(t *testing.T) {
	for _, implant := range []bool{false, true} {
		t.Run(fmt.Sprintf("ImplantMD5=%v", implant), func(t *testing.T) {
			fakeTool(t, "xorriso", `while [ $# -gt 0 ]; do [ "$1" = -o ] && echo partial > "$2"; shift; done
exec sleep 30
`)
			tmp := isolated(t)
			dir := t.TempDir()
			out := filepath.Join(dir, "x.iso")
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error)
			go func() {
				done <- BuildISO(ctx, ISO{Tree: dir, Out: out, Label: "X", Epoch: -1, ImplantMD5: implant}, run.Cmd{})
			}()
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
			noOutput(t, out, tmp)
		})
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
