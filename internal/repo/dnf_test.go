package repo

import (
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/levitateos/levitate/internal/testutil"
)

// TestAgreesWithDNF compares our provides, requires and file owners with
// dnf repoquery on the same repository.
func TestAgreesWithDNF(t *testing.T) {
	dnf := testutil.NeedTool(t, "dnf")
	repo := smallRepo(t)
	ix := load(t, repo, "")
	tmp := t.TempDir()
	conf := filepath.Join(tmp, "dnf.conf")
	if err := os.WriteFile(conf, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	query := func(args ...string) []string {
		argv := append([]string{"-q", "repoquery", "--config=" + conf, "--releasever=10",
			"--setopt=cachedir=" + filepath.Join(tmp, "cache"), "--setopt=reposdir=" + filepath.Join(tmp, "none"),
			"--repofrompath=t," + repo, "--repo=t"}, args...)
		out, err := exec.Command(dnf, argv...).Output()
		if err != nil {
			t.Fatalf("dnf %s: %v", strings.Join(argv, " "), err)
		}
		var res []string
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if l != "" {
				res = append(res, l)
			}
		}
		sort.Strings(res)
		return res
	}
	for _, name := range []string{"tiny-app", "tiny-base", "tiny-lib", "tiny-new", "tiny-unsat"} {
		p := ix.ByName(name)[0]
		var prov []string
		for _, pr := range ix.WhatProvides(name) {
			if pr.Pkg == p {
				prov = append(prov, pr.Dep.String())
			}
		}
		for _, d := range p.Provides {
			if d.Name != name {
				prov = append(prov, d.String())
			}
		}
		sort.Strings(prov)
		if want := query("--provides", name); strings.Join(prov, "\n") != strings.Join(want, "\n") {
			t.Errorf("provides of %s = %q; dnf says %q", name, prov, want)
		}
		if got, want := depStrings(p.Requires), query("--requires", name); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("requires of %s = %q; dnf says %q", name, got, want)
		}
		if got, want := depStrings(p.Obsoletes), query("--obsoletes", name); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("obsoletes of %s = %q; dnf says %q", name, got, want)
		}
	}
	for _, f := range []string{"/usr/lib64/libtiny.so.1", "/usr/bin/tiny-base", "/usr/share/tiny/clash"} {
		ps, err := ix.WhatProvidesFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range ps {
			got = append(got, p.NEVRA.String())
		}
		sort.Strings(got)
		if want := query("--qf", "%{name}-%{evr}.%{arch}", "--whatprovides", f); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("WhatProvidesFile(%s) = %q; dnf says %q", f, got, want)
		}
	}
}
