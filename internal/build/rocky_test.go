package build

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/levitateos/levitate/internal/closure"
	"github.com/levitateos/levitate/internal/rpm"
	"github.com/levitateos/levitate/internal/source"
)

// TestRPMDBPathRocky checks the rpm database location on repositories
// shaped like Rocky 10's (rpm owns a %ghost
// /usr/lib/sysimage/rpm/rpmdb.sqlite, listed only in filelists.xml) and
// Rocky 9's (/var/lib/rpm/rpmdb.sqlite).
func TestRPMDBPathRocky(t *testing.T) {
	tests := []struct {
		name, ghost, want string
	}{
		{"rocky 10", "/usr/lib/sysimage/rpm/rpmdb.sqlite", SysimageDBPath},
		{"rocky 9", "/var/lib/rpm/rpmdb.sqlite", DBPath},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			r := tinyPkg("rpm", 0, "4.19.1.1")
			r.Files = []rpm.File{
				{Path: "/usr/bin/rpm", Mode: rpm.ModeRegular | 0o755, Body: []byte("x")},
				{Path: tt.ghost, Mode: rpm.ModeRegular | 0o644, Ghost: true},
			}
			writeRepo(t, dir, r, tinyPkg("bash", 0, "5.2.26", "/usr/bin/bash"))
			set, err := source.OpenSet(context.Background(), []source.Spec{{ID: "BaseOS", Location: dir}}, filepath.Join(t.TempDir(), "cache"))
			if err != nil {
				t.Fatal(err)
			}
			defer set.Close()
			in := Inputs(set)
			for _, names := range [][]string{{"rpm", "bash"}, {"bash"}} {
				var reqs []closure.Request
				for _, n := range names {
					reqs = append(reqs, closure.Request{Name: n})
				}
				c, err := closure.Resolve(in, reqs)
				if err != nil {
					t.Fatal(err)
				}
				want := tt.want
				if len(names) == 1 {
					want = DBPath // no rpm in the closure: the old default
				}
				if got, err := RPMDBPath(in, c); got != want || err != nil {
					t.Errorf("RPMDBPath(%v) = %s, %v; want %s", names, got, err, want)
				}
			}
		})
	}
}
