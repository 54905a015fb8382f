// Package testrepo writes the package repository and recipes that the
// bootstrap tests install with the real rpm: the project's small RPM set
// (internal/vendorset) plus tiny-sh, a static busybox that gives the
// scriptlets a /bin/sh inside the target, tiny-probe, whose scriptlet
// records whether /proc was mounted while it ran, and a recipe RPM. It is
// a package of its own so that the tests of internal/bootstrap and of the
// recipe command share one fixture.
package testrepo

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/levitateos/levitate/internal/rpm"
	"github.com/levitateos/levitate/internal/vendorset"
)

// OSRelease is the /etc/os-release that tiny-sh installs.
const OSRelease = "NAME=\"LevitateOS test root\"\nID=levitate-test\n"

// ProbeFile is where tiny-probe's %post writes "proc" when /proc was
// mounted in the target during the transaction.
const ProbeFile = "/var/lib/tiny/probe"

// BootFile is a file tiny-probe installs under /boot.
const BootFile = "/boot/tiny-vmlinuz"

// Applets are the busybox commands tiny-sh links into /usr/bin.
func Applets() []string {
	return []string{"sh", "cat", "mkdir", "true", "false", "echo", "test", "ls", "mount"}
}

// Packages returns the RPMs of the test repository. busybox is the path
// of a statically linked busybox on the host.
func Packages(busybox string) ([]*rpm.Package, error) {
	bin, err := os.ReadFile(busybox)
	if err != nil {
		return nil, fmt.Errorf("testrepo: %w", err)
	}
	pkgs := vendorset.SmallPackages()
	preSh := rpm.Dep{Name: "/bin/sh", Flags: rpm.FlagScriptPre}
	for _, p := range pkgs {
		if p.Scripts != (rpm.Scripts{}) {
			p.Requires = append(p.Requires, preSh)
		}
	}
	mt := uint32(vendorset.SmallEpoch)
	pkg := func(name string) *rpm.Package {
		return &rpm.Package{
			NEVRA:   rpm.NEVRA{Name: name, EVR: rpm.EVR{Version: "1.0", Release: "1"}, Arch: "noarch"},
			Summary: name + " (bootstrap test set)", License: "MIT",
			BuildTime: time.Unix(vendorset.SmallEpoch, 0), Compressor: "gzip",
		}
	}
	sh := pkg("tiny-sh")
	sh.Provides = []rpm.Dep{{Name: "/bin/sh"}}
	sh.Files = []rpm.File{
		{Path: "/usr/bin/busybox", Mode: rpm.ModeRegular | 0o755, Body: bin, MTime: mt},
		{Path: "/etc/os-release", Mode: rpm.ModeRegular | 0o644, Body: []byte(OSRelease), MTime: mt},
		{Path: "/bin", Mode: rpm.ModeSymlink | 0o777, LinkTarget: "usr/bin", MTime: mt},
	}
	for _, a := range Applets() {
		sh.Files = append(sh.Files, rpm.File{Path: "/usr/bin/" + a, Mode: rpm.ModeSymlink | 0o777, LinkTarget: "busybox", MTime: mt})
	}
	probe := pkg("tiny-probe")
	probe.Requires = []rpm.Dep{preSh}
	probe.Files = []rpm.File{
		{Path: "/usr/share/tiny-probe/readme", Mode: rpm.ModeRegular | 0o644, Body: []byte("probe\n"), MTime: mt},
		// A file under /boot, which tests mount as a file system of its
		// own, as a separate /boot or an ESP would be.
		{Path: BootFile, Mode: rpm.ModeRegular | 0o644, Body: []byte("not a kernel\n"), MTime: mt},
	}
	probe.Scripts.Post = "mkdir -p /var/lib/tiny && if test -r /proc/self/status; then echo proc > " + ProbeFile + "; else echo none > " + ProbeFile + "; fi\n"
	self := pkg("recipe")
	self.Files = []rpm.File{{Path: "/usr/bin/recipe", Mode: rpm.ModeRegular | 0o755, Body: []byte("#!/bin/sh\necho recipe\n"), MTime: mt}}
	return append(pkgs, sh, probe, self), nil
}

// WriteRepo writes the packages and their repodata into dir.
func WriteRepo(dir, busybox string) error {
	pkgs, err := Packages(busybox)
	if err != nil {
		return err
	}
	return write(dir, pkgs)
}

// WriteRecipeRepo writes a repository holding only a recipe RPM that
// installs the file self as /usr/bin/recipe: what the ISO builder adds to
// a vendor package set so that the recipe recipe resolves.
func WriteRecipeRepo(dir, self string) error {
	bin, err := os.ReadFile(self)
	if err != nil {
		return fmt.Errorf("testrepo: %w", err)
	}
	p := &rpm.Package{
		NEVRA:   rpm.NEVRA{Name: "recipe", EVR: rpm.EVR{Version: "1.0", Release: "1"}, Arch: "x86_64"},
		Summary: "recipe (bootstrap test set)", License: "MIT",
		BuildTime: time.Unix(vendorset.SmallEpoch, 0), Compressor: "gzip",
		Files: []rpm.File{{Path: "/usr/bin/recipe", Mode: rpm.ModeRegular | 0o755, Body: bin, MTime: uint32(vendorset.SmallEpoch)}},
	}
	return write(dir, []*rpm.Package{p})
}

func write(dir string, pkgs []*rpm.Package) error {
	var entries []rpm.RepoPackage
	for _, p := range pkgs {
		href := "Packages/" + p.FileName()
		file := filepath.Join(dir, filepath.FromSlash(href))
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			return err
		}
		var b bytes.Buffer
		if err := p.Write(&b); err != nil {
			return fmt.Errorf("testrepo: %s: %w", p.Name, err)
		}
		if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
			return err
		}
		e, err := rpm.ScanPackage(file, href, vendorset.SmallEpoch)
		if err != nil {
			return err
		}
		entries = append(entries, e)
	}
	return rpm.WriteRepodata(dir, entries, rpm.RepoOptions{Revision: vendorset.SmallEpoch})
}

// Recipes maps the base set's names onto the test packages, so that the
// default `recipe bootstrap TARGET` works against the test repository.
// tiny-unsat and tiny-clash are there for failure tests.
func Recipes() map[string]string {
	r := func(name, body string) string {
		return fmt.Sprintf("(package %q \"1.0\"\n  (description \"test\")\n  (license \"MIT\")\n%s)\n", name, body)
	}
	return map[string]string{
		"base":           r("base", `  (deps "bash")`+"\n"+`  (acquire (rpm "tiny-base" "tiny-probe"))`),
		"linux":          r("linux", `  (acquire (rpm "tiny-lib"))`),
		"linux-firmware": r("linux-firmware", ""),
		"systemd":        r("systemd", `  (acquire (rpm "tiny-app"))`),
		"networkmanager": r("networkmanager", `  (acquire (rpm "tiny-cli"))`),
		"bash":           r("bash", `  (acquire (rpm "tiny-sh"))`),
		"coreutils":      r("coreutils", `  (acquire (rpm "tiny-new"))`),
		"util-linux":     r("util-linux", `  (acquire (rpm "tiny-caret"))`),
		"recipe":         r("recipe", `  (acquire (rpm "recipe"))`),
		"unsat":          r("unsat", `  (acquire (rpm "tiny-unsat" "tiny-missing"))`),
		"tarball":        r("tarball", `  (acquire (source "https://example.org/x.tar.gz" (sha256 "`+zeros+`")))`+"\n  (build skip)"),
	}
}

const zeros = "0000000000000000000000000000000000000000000000000000000000000000"

// WriteRecipes writes Recipes into dir as NAME.recipe files.
func WriteRecipes(dir string) error {
	var errs []error
	for name, body := range Recipes() {
		errs = append(errs, os.WriteFile(filepath.Join(dir, name+".recipe"), []byte(body), 0o644))
	}
	return errors.Join(errs...)
}
