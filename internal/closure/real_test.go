package closure

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/levitateos/levitate/internal/repo"
	"github.com/levitateos/levitate/internal/testutil"
	"github.com/levitateos/levitate/internal/vendorset"
)

// dnfPlan asks dnf which packages `install NAMES` would add to an empty
// root (weak dependencies off, as in our resolver), as sorted NEVRAs.
func dnfPlan(t *testing.T, repoDir string, names []string) ([]string, string, error) {
	t.Helper()
	dnf := testutil.NeedTool(t, "dnf")
	tmp := t.TempDir()
	conf := filepath.Join(tmp, "dnf.conf")
	os.WriteFile(conf, nil, 0o644)
	argv := append([]string{"--installroot=" + filepath.Join(tmp, "root"), "--config=" + conf,
		"--setopt=reposdir=" + filepath.Join(tmp, "none"), "--setopt=cachedir=" + filepath.Join(tmp, "cache"),
		"--releasever=10", "--setopt=install_weak_deps=False", "--repofrompath=t," + repoDir, "--repo=t",
		"--assumeno", "install"}, names...)
	out, err := exec.Command(dnf, argv...).CombinedOutput()
	// --assumeno makes a good plan exit 1 too, with "Operation aborted".
	if err != nil && strings.Contains(string(out), "Operation aborted.") {
		err = nil
	}
	return parseDNFTable(string(out)), string(out), err
}

// parseDNFTable reads the "Installing:" sections of dnf's transaction
// table; long names wrap onto a line of their own.
func parseDNFTable(out string) []string {
	var res []string
	in := false
	var carry string
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "Installing"):
			in = true
			continue
		case strings.HasPrefix(line, "Transaction Summary"), strings.HasPrefix(line, "====="):
			in = false
			continue
		}
		if !in || !strings.HasPrefix(line, " ") {
			continue
		}
		f := strings.Fields(carry + " " + line)
		if len(f) == 1 {
			carry = f[0]
			continue
		}
		carry = ""
		if len(f) >= 4 {
			res = append(res, f[0]+"-"+f[2]+"."+f[1])
		}
	}
	sort.Strings(res)
	return res
}

func TestSmallSetAgainstDNF(t *testing.T) {
	dir := t.TempDir()
	if _, err := vendorset.WriteSmallTree(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	repoDir := filepath.Join(dir, vendorset.RepoDir)
	ix, err := repo.Load(context.Background(), os.DirFS(repoDir), repo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, names := range [][]string{
		{"tiny-app"}, {"tiny-app", "tiny-gui"}, {"tiny-new"},
		{"tiny-base", "tiny-caret", "tiny-tilde"}, {"tiny-clash-a"}, {"tiny-unsat"},
	} {
		t.Run(strings.Join(names, "+"), func(t *testing.T) {
			c, err := Resolve([]Input{{ID: "small", Index: ix}}, reqs(names...))
			want, out, dnfErr := dnfPlan(t, repoDir, names)
			if (err != nil) != (dnfErr != nil) {
				t.Fatalf("Resolve(%v) error = %v; dnf error = %v\n%s", names, err, dnfErr, out)
			}
			if err != nil {
				if !strings.Contains(err.Error(), `tiny-unsat-1.0-1.noarch requires "tiny-does-not-exist >= 1": nothing provides it`) {
					t.Errorf("Resolve(%v) = %v; want the unsatisfied requirement named", names, err)
				}
				return
			}
			if got := c.Names(); strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("Resolve(%v) = %v; dnf installs %v", names, got, want)
			}
		})
	}
	// The one deliberate difference: dnf replaces a requested package by
	// the package that obsoletes it; we take exactly the NAME asked for.
	c, err := Resolve([]Input{{ID: "small", Index: ix}}, reqs("tiny-old"))
	want, out, dnfErr := dnfPlan(t, repoDir, []string{"tiny-old"})
	if err != nil || dnfErr != nil {
		t.Fatalf("Resolve(tiny-old) = %v; dnf: %v\n%s", err, dnfErr, out)
	}
	if got := strings.Join(c.Names(), " "); got != "tiny-old-0.9-1.noarch" || strings.Join(want, " ") != "tiny-new-1.0-1.noarch" {
		t.Errorf("Resolve(tiny-old) = %s (want tiny-old-0.9-1.noarch); dnf installs %v (want tiny-new-1.0-1.noarch)", got, want)
	}
}
