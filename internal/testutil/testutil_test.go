package testutil

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"os/exec"
	"strings"
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

func TestTarballRoundTrip(t *testing.T) {
	files := map[string]string{"d/": "", "d/run.sh": "#!/bin/sh\n", "d/a.txt": "hello"}
	for _, comp := range []string{"", "gz", "zst"} {
		a, b := Tarball(t, files, comp), Tarball(t, files, comp)
		if !bytes.Equal(a, b) {
			t.Errorf("Tarball(%q) differs between two calls", comp)
		}
		if comp != "" {
			continue
		}
		tr := tar.NewReader(bytes.NewReader(a))
		var got []string
		for {
			h, err := tr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, fmt.Sprintf("%s %o", h.Name, h.Mode))
		}
		if want := "d/ 755,d/a.txt 644,d/run.sh 755"; strings.Join(got, ",") != want {
			t.Errorf("Tarball entries = %q; want %q", strings.Join(got, ","), want)
		}
	}
}
