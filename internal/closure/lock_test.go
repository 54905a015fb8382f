package closure

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/levitateos/levitate/internal/repo"
)

var update = flag.Bool("update", false, "rewrite golden files")

func twoSources(t testing.TB) []Input {
	base := repo.NewIndex([]*repo.Package{
		pkg(t, "app-1.0-1.x86_64", "R:lib >= 1"),
		pkg(t, "lib-1.0-1.x86_64"),
		pkg(t, "tool-2.0-1.noarch"),
	})
	extra := repo.NewIndex([]*repo.Package{
		pkg(t, "lib-1.5-1.x86_64"),
		pkg(t, "tool-3.0-1.noarch"),
		pkg(t, "dracut-live-105-1.el10.x86_64"),
	})
	return []Input{{ID: "rocky.iso", Priority: 10, Index: base}, {ID: "https://repo.example/AppStream", Priority: 0, Index: extra}}
}

func TestMultiSourcePriority(t *testing.T) {
	c, err := Resolve(twoSources(t), reqs("app", "tool", "dracut-live"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range c.Entries {
		got = append(got, e.Pkg.NEVRA.String()+"@"+e.Source)
	}
	want := "app-1.0-1.x86_64@rocky.iso dracut-live-105-1.el10.x86_64@https://repo.example/AppStream lib-1.0-1.x86_64@rocky.iso tool-2.0-1.noarch@rocky.iso"
	if strings.Join(got, " ") != want {
		t.Errorf("Resolve(two sources) = %s; want %s", strings.Join(got, " "), want)
	}
}

func TestLockGolden(t *testing.T) {
	c, err := Resolve(twoSources(t), reqs("app", "tool", "dracut-live"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteLock(&buf, c); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "lock.golden")
	if *update {
		os.WriteFile(golden, buf.Bytes(), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if buf.String() != string(want) {
		t.Errorf("WriteLock = \n%s; want\n%s", buf.String(), want)
	}
	l, err := ReadLock(bytes.NewReader(buf.Bytes()), "levitate.lock")
	if err != nil {
		t.Fatalf("ReadLock(WriteLock) = %v", err)
	}
	var again bytes.Buffer
	l.Write(&again)
	if again.String() != buf.String() {
		t.Errorf("Write(ReadLock(x)) = \n%s; want x =\n%s", again.String(), buf.String())
	}
	d, err := Diff(l, c)
	if err != nil || !d.Empty() || d.Err() != nil {
		t.Errorf("Diff(own lock) = %+v, %v; want no drift", d, err)
	}
}

func TestDrift(t *testing.T) {
	in := twoSources(t)
	old, _ := Resolve(in, reqs("app", "tool"))
	lock, _ := LockOf(old)
	// Resolve again with the priorities swapped and one package more.
	in[0].Priority, in[1].Priority = 0, 10
	now, err := Resolve(in, reqs("app", "dracut-live"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := Diff(lock, now)
	if err != nil {
		t.Fatal(err)
	}
	err = d.Err()
	want := []string{
		"added: dracut-live-105-1.el10.x86_64 sha256:",
		"removed: tool-2.0-1.noarch sha256:",
		"changed: lib.x86_64: locked lib-1.0-1.x86_64 sha256:",
		"-> resolved lib-1.5-1.x86_64 sha256:",
	}
	if err == nil {
		t.Fatalf("Diff.Err() = nil; want drift")
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("drift error = %q; want it to contain %q", err, w)
		}
	}
	if len(d.Added) != 1 || len(d.Removed) != 1 || len(d.Changed) != 1 {
		t.Errorf("Diff = %+v; want 1 added, 1 removed, 1 changed", d)
	}
}

func TestReadLockErrors(t *testing.T) {
	sum := strings.Repeat("ab", 32)
	in := "# comment\n" +
		"bash-5.2-1.x86_64 sha256:" + sum + " rocky.iso\n" +
		"nonevra sha256:" + sum + "\n" +
		"bash-5.3-1.x86_64 sha256:" + sum + "\n" +
		"zsh-5.9-1.x86_64 md5:1234\n"
	_, err := ReadLock(strings.NewReader(in), "x.lock")
	if err == nil {
		t.Fatal("ReadLock(bad) = nil error")
	}
	for _, w := range []string{
		`x.lock:3:1: bad NEVRA "nonevra": no architecture`,
		"x.lock:4:1: bash.x86_64 already locked on line 2",
		`x.lock:5:18: bad checksum "md5:1234"`,
	} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("ReadLock error = %q; want it to contain %q", err, w)
		}
	}
}

func TestParseNEVRA(t *testing.T) {
	tests := []struct{ in, want string }{
		{"bash-5.2.26-4.el10.x86_64", "bash|0|5.2.26|4.el10|x86_64"},
		{"kernel-core-6.12.0-55.el10.x86_64", "kernel-core|0|6.12.0|55.el10|x86_64"},
		{"tiny-lib-2:1.5-3.noarch", "tiny-lib|2|1.5|3|noarch"},
		{"a-b-c-1-1.i686", "a-b-c|0|1|1|i686"},
	}
	for _, tt := range tests {
		n, err := ParseNEVRA(tt.in)
		if err != nil {
			t.Errorf("ParseNEVRA(%q) = %v", tt.in, err)
			continue
		}
		got := strings.Join([]string{n.Name, string(rune('0' + n.Epoch)), n.Version, n.Release, n.Arch}, "|")
		if got != tt.want {
			t.Errorf("ParseNEVRA(%q) = %s; want %s", tt.in, got, tt.want)
		}
		if n.String() != tt.in {
			t.Errorf("ParseNEVRA(%q).String() = %s; want the input", tt.in, n)
		}
	}
	for _, bad := range []string{"", "noarch", "a.x86_64", "a-1.x86_64", "a-1-1."} {
		if _, err := ParseNEVRA(bad); err == nil {
			t.Errorf("ParseNEVRA(%q) = nil error; want one", bad)
		}
	}
}

func TestFromLock(t *testing.T) {
	in := twoSources(t)
	c, err := Resolve(in, reqs("app", "tool", "dracut-live"))
	if err != nil {
		t.Fatal(err)
	}
	l, _ := LockOf(c)
	got, err := FromLock(in, l)
	if err != nil {
		t.Fatalf("FromLock(own lock) = %v", err)
	}
	if strings.Join(got.Names(), " ") != strings.Join(c.Names(), " ") {
		t.Errorf("FromLock = %v; want %v", got.Names(), c.Names())
	}
	l.Entries[0].SHA256 = strings.Repeat("f", 64)
	l.Entries[1].NEVRA.Release = "2"
	_, err = FromLock(in, l)
	for _, w := range []string{
		"app-1.0-1.x86_64: locked sha256 ffff",
		"dracut-live-105-2.x86_64: locked, but not in source https://repo.example/AppStream",
	} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("FromLock(drifted) = %v; want it to contain %q", err, w)
		}
	}
}
