package fstab

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func readFixture(t *testing.T) []Mount {
	t.Helper()
	f, err := os.Open("testdata/mountinfo.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ms, err := ParseMountinfo(f, "testdata/mountinfo.txt")
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// fakeLookup knows UUIDs and labels of some devices, as blkid would.
func fakeLookup(ctx context.Context, dev, tag string) (string, error) {
	tags := map[string]map[string]string{
		"/dev/nvme0n1p1": {TagUUID: "ABCD-1234", TagLabel: "ESP", TagPartUUID: "p-1"},
		"/dev/nvme0n1p2": {TagUUID: "1111-root", TagLabel: "root", TagPartUUID: "p-2"},
		"/dev/nvme0n1p3": {TagUUID: "3333-home"},
		"/dev/nvme0n1p6": {TagUUID: "6666-var"},
	}
	return tags[dev][tag], nil
}

func TestParseMountinfo(t *testing.T) {
	ms := readFixture(t)
	if len(ms) != 12 {
		t.Fatalf("ParseMountinfo = %d mounts; want 12", len(ms))
	}
	home := ms[7]
	if home.Point != "/mnt/home dir" || home.FSType != "xfs" || home.Source != "/dev/nvme0n1p3" || home.Options != "rw,noatime" || home.SuperOpts != "rw,attr2" {
		t.Errorf("ParseMountinfo line 8 = %+v; want /mnt/home dir xfs /dev/nvme0n1p3", home)
	}
	if _, err := ParseMountinfo(strings.NewReader("1 2 3\n"), "bad"); err == nil || !strings.Contains(err.Error(), "bad:1:") {
		t.Errorf("ParseMountinfo(malformed) = %v; want an error at bad:1", err)
	}
}

func TestEntriesGolden(t *testing.T) {
	ms := readFixture(t)
	for _, tag := range Tags() {
		t.Run(tag, func(t *testing.T) {
			es, warns, err := Entries(context.Background(), ms, "/mnt/", Options{Tag: tag, Lookup: fakeLookup})
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := Write(&b, es); err != nil {
				t.Fatal(err)
			}
			for _, w := range warns {
				b.WriteString("warning: " + w + "\n")
			}
			golden := filepath.Join("testdata", "fstab-"+strings.ToLower(tag)+".golden")
			if *update {
				if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if b.String() != string(want) {
				t.Errorf("Entries(%s) =\n%s\nwant\n%s", tag, b.String(), want)
			}
		})
	}
}

func TestEntriesSelection(t *testing.T) {
	es, _, err := Entries(context.Background(), readFixture(t), "/mnt", Options{Lookup: fakeLookup})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range es {
		got = append(got, e.File+":"+e.Spec)
	}
	// tmpfs, the bind mount of /srv, the hidden /mnt/var and /mntx are out.
	want := "/:UUID=1111-root /boot:UUID=ABCD-1234 /home dir:UUID=3333-home /var:UUID=6666-var"
	if strings.Join(got, " ") != want {
		t.Errorf("Entries(/mnt) = %q; want %q", strings.Join(got, " "), want)
	}
	if es[0].Pass != 1 || es[1].Pass != 2 || es[2].Pass != 0 {
		t.Errorf("passes = %d %d %d; want 1 2 0", es[0].Pass, es[1].Pass, es[2].Pass)
	}
	if strings.Contains(es[0].Options, "seclabel") || strings.Count(es[0].Options, "rw") != 1 {
		t.Errorf("root options = %q; want rw once and no seclabel", es[0].Options)
	}
}

func TestUnescape(t *testing.T) {
	tests := []struct{ in, want string }{
		{`/a\040b`, "/a b"}, {`/a\011b`, "/a\tb"}, {`/a\134b`, `/a\b`}, {`/plain`, "/plain"}, {`/end\04`, `/end\04`}, {`/x\999`, `/x\999`},
	}
	for _, tt := range tests {
		if got := unescape(tt.in); got != tt.want {
			t.Errorf("unescape(%q) = %q; want %q", tt.in, got, tt.want)
		}
		if got := unescape(escape(tt.want)); got != tt.want {
			t.Errorf("unescape(escape(%q)) = %q", tt.want, got)
		}
	}
}

// TestRealMountTable reads a real mount table with a tmpfs mounted under
// a temporary directory in a private mount namespace, and names the
// host's root device with the real blkid.
func TestRealMountTable(t *testing.T) {
	for _, tool := range []string{"unshare", "blkid"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "" {
				t.Skipf("%s not installed", tool)
			}
			t.Fatal(err)
		}
	}
	if os.Geteuid() != 0 {
		if os.Getenv("CI") == "" {
			t.Skip("needs root")
		}
		t.Fatal("needs root in CI")
	}
	dir := t.TempDir()
	sub := filepath.Join(dir, "a b")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("unshare", "--mount", "--propagation", "private", "--",
		"sh", "-c", `mount -t tmpfs -o size=1m tmpfs "$1" && cat /proc/self/mountinfo`, "sh", sub).Output()
	if err != nil {
		t.Fatal(err)
	}
	ms, err := ParseMountinfo(bytes.NewReader(out), "mountinfo")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, m := range ms {
		if m.Point == sub && m.FSType == "tmpfs" {
			found = true
		}
	}
	if !found {
		t.Fatalf("tmpfs at %q not in the namespace's mount table", sub)
	}
	es, _, err := Entries(context.Background(), ms, dir, Options{})
	if err != nil || len(es) != 0 {
		t.Errorf("Entries(%s) = %v, %v; want none (tmpfs is not a block device)", dir, es, err)
	}
	// The root file system, when it is a block device with a UUID, is
	// named by the UUID blkid reports.
	es, _, err = Entries(context.Background(), ms, "/", Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if e.File != "/" {
			continue
		}
		uuid, _ := exec.Command("blkid", "-p", "-s", "UUID", "-o", "value", e.Source).Output()
		want := e.Source
		if u := strings.TrimSpace(string(uuid)); u != "" {
			want = "UUID=" + u
		}
		if e.Spec != want {
			t.Errorf("root entry spec = %q; want %q", e.Spec, want)
		}
	}
}
