package closure

import (
	"strings"
	"testing"

	"github.com/levitateos/levitate/internal/repo"
)

func TestSearchedSources(t *testing.T) {
	in := twoSources(t)
	_, err := Resolve(in, []Request{{Name: "nosuch", Pos: "packages.txt:4:1"}, {Name: "app"}})
	want := `packages.txt:4:1: unknown package "nosuch"`
	searched := "; searched: rocky.iso (priority 10), https://repo.example/AppStream"
	if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), searched) {
		t.Errorf("Resolve(nosuch) = %v; want %q naming the sources (%q)", err, want, searched)
	}
	onlyApp := repo.NewIndex([]*repo.Package{pkg(t, "app-1.0-1.x86_64", "R:lib >= 1")})
	_, err = Resolve([]Input{{ID: "only-app", Index: onlyApp}}, reqs("app"))
	want = `app-1.0-1.x86_64 requires "lib >= 1": nothing provides it; searched: only-app`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Resolve(app without lib) = %v; want %q", err, want)
	}
	if _, err := Resolve(nil, reqs("app")); err == nil || !strings.Contains(err.Error(), "no sources searched") {
		t.Errorf("Resolve(no inputs) = %v; want 'no sources searched'", err)
	}
}

func TestDiffSourcelessLock(t *testing.T) {
	in := twoSources(t)
	c, err := Resolve(in, reqs("app", "tool", "dracut-live"))
	if err != nil {
		t.Fatal(err)
	}
	l, _ := LockOf(c)
	for i := range l.Entries {
		l.Entries[i].Source = ""
	}
	if d, _ := Diff(l, c); !d.Empty() {
		t.Errorf("Diff(lock without sources) = %+v; want no drift", d)
	}
	l.Entries[0].Source = "elsewhere"
	d, _ := Diff(l, c)
	if len(d.Changed) != 1 || !strings.Contains(d.Changed[0], "elsewhere -> resolved") {
		t.Errorf("Diff(source changed) = %+v; want one change naming the old source", d)
	}
	if _, err := FromLock(in, l); err == nil || !strings.Contains(err.Error(), "locked from source elsewhere, which is not among the sources given (rocky.iso, https://repo.example/AppStream)") {
		t.Errorf("FromLock(unknown source) = %v; want it to name the recorded and the given sources", err)
	}
}
