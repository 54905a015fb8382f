// Package vendorset generates the project's test vendor ISO: a
// Rocky-shaped medium (Minimal/Packages/{a-z}/*.rpm, Minimal/repodata,
// .treeinfo) whose RPMs are made from Debian bookworm packages, because
// Rocky's packages cannot be downloaded where the project is built and
// tested.
//
// Debian's maintainer scripts do real work (accounts, ldconfig, alternatives,
// hwdb), so a plain payload conversion would not give a bootable root.
// Instead the pinned package list is installed once with debootstrap
// (minbase, then apt-get inside the chroot for the kernel and dracut), and
// the finished tree is cut into RPMs along dpkg's file lists. What the
// scripts created belongs to no Debian package and goes to a `setup`
// package, as on Rocky. The converted packages therefore carry no
// scriptlets: installing all of them with `rpm --root` in one transaction
// reproduces the installed tree.
//
// The package names the default profile uses are Rocky's: a table
// (testdata/rocky-names.txt) says which Debian packages stand behind each
// Rocky name. A small hand-made set (SmallPackages) serves fast tests.
package vendorset

import (
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/levitateos/levitate/internal/rpm"
)

// GeneratorVersion is part of the cache key: bump it whenever the output
// for the same inputs changes.
const GeneratorVersion = "3"

// Defaults for Options.
const (
	DefaultMirror = "http://deb.debian.org/debian"
	DefaultSuite  = "bookworm"
	// ISOName is the file name of the finished ISO in its cache directory.
	ISOName = "vendor.iso"
)

// DebianPackages is the pinned list of Debian packages installed on top of
// minbase (one per line, # comments).
//
//go:embed testdata/debian-packages.txt
var DebianPackages []byte

// RockyNames is the table of Rocky names and the Debian packages behind
// each.
//
//go:embed testdata/rocky-names.txt
var RockyNames []byte

// Options configure Build.
type Options struct {
	// CacheDir is the cache root ($LEVITATE_CACHE); the set lives in
	// CacheDir/vendor-iso/.
	CacheDir string
	// Mirror and Suite are Debian's; empty means the defaults.
	Mirror, Suite string
	// Packages and Names override the embedded lists.
	Packages, Names []byte
	// Epoch is SOURCE_DATE_EPOCH; zero derives it from the .deb files.
	Epoch int64
	// Force rebuilds even when the ISO is cached (the .deb cache stays).
	Force bool
	// Progress receives one line per phase; Log the tools' output.
	Progress, Log io.Writer
}

// Result is a finished set.
type Result struct {
	ISO string // absolute path
	Key string
	// Phases are the phase timings of a build; empty when cached.
	Phases []Phase
	Cached bool
}

// Phase is the time one phase of the build took.
type Phase struct {
	Name     string
	Duration time.Duration
}

func (o *Options) defaults() {
	if o.Mirror == "" {
		o.Mirror = DefaultMirror
	}
	if o.Suite == "" {
		o.Suite = DefaultSuite
	}
	if o.Packages == nil {
		o.Packages = DebianPackages
	}
	if o.Names == nil {
		o.Names = RockyNames
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
}

// inputsKey hashes what is known before anything is downloaded.
func inputsKey(o *Options) string {
	h := sha256.New()
	fmt.Fprintf(h, "levitate vendorset %s\nsuite %s\n", GeneratorVersion, o.Suite)
	fmt.Fprintf(h, "packages %d\n%s\nnames %d\n%s\n", len(o.Packages), o.Packages, len(o.Names), o.Names)
	return hex.EncodeToString(h.Sum(nil))
}

// Build returns the test vendor ISO, building it when the cache has none
// for these inputs.
func Build(ctx context.Context, o Options) (*Result, error) {
	o.defaults()
	if o.CacheDir == "" || !filepath.IsAbs(o.CacheDir) {
		return nil, fmt.Errorf("vendor set: cache dir %q is not absolute", o.CacheDir)
	}
	pkgs, err := parseList(o.Packages, "debian-packages.txt")
	if err != nil {
		return nil, err
	}
	rules, err := parseNameTable(strings.NewReader(string(o.Names)), "rocky-names.txt")
	if err != nil {
		return nil, err
	}
	base := filepath.Join(o.CacheDir, "vendor-iso")
	debs := filepath.Join(base, "debs")
	if err := os.MkdirAll(debs, 0o755); err != nil {
		return nil, fmt.Errorf("vendor set: %w", err)
	}
	k1 := inputsKey(&o)
	pointer := filepath.Join(base, "inputs-"+k1[:16])
	if !o.Force {
		if key, err := os.ReadFile(pointer); err == nil {
			iso := filepath.Join(base, strings.TrimSpace(string(key)), ISOName)
			if _, err := os.Stat(iso); err == nil {
				fmt.Fprintf(o.Progress, "vendorset: cached %s\n", iso)
				return &Result{ISO: iso, Key: strings.TrimSpace(string(key)), Cached: true}, nil
			}
		}
	}

	work, err := os.MkdirTemp(base, "work-")
	if err != nil {
		return nil, fmt.Errorf("vendor set: %w", err)
	}
	defer func() {
		if err := removeWork(work); err != nil {
			fmt.Fprintf(o.Progress, "vendorset: %v\n", err)
		}
	}()
	res := &Result{}
	phase := func(name string, f func() error) error {
		fmt.Fprintf(o.Progress, "vendorset: %s ...\n", name)
		start := time.Now()
		err := f()
		d := time.Since(start).Round(time.Millisecond)
		res.Phases = append(res.Phases, Phase{name, d})
		if err != nil {
			fmt.Fprintf(o.Progress, "vendorset: %s failed after %s\n", name, d)
			return err
		}
		fmt.Fprintf(o.Progress, "vendorset: %s done in %s\n", name, d)
		return nil
	}

	inst := installOptions{
		Root: filepath.Join(work, "root"), Debs: debs, Mirror: o.Mirror, Suite: o.Suite,
		Packages: pkgs, Log: o.Log,
	}
	if err := phase("debootstrap minbase (download + install)", func() error { return debootstrapMinbase(ctx, inst) }); err != nil {
		return nil, err
	}
	if err := phase("apt-get install (download + install)", func() error { return aptInstall(ctx, inst) }); err != nil {
		return nil, err
	}
	var debSet []debFile
	if err := phase("hash .deb set", func() error {
		var err error
		debSet, err = usedDebs(inst.Root, debs)
		return err
	}); err != nil {
		return nil, err
	}
	key := finalKey(k1, debSet)
	epoch := o.Epoch
	if epoch == 0 {
		epoch = debsEpoch(debSet)
	}
	fmt.Fprintf(o.Progress, "vendorset: %d .deb files, key %s, SOURCE_DATE_EPOCH %d\n", len(debSet), key[:16], epoch)
	final := filepath.Join(base, key)
	iso := filepath.Join(final, ISOName)
	if _, err := os.Stat(iso); err == nil && !o.Force {
		res.ISO, res.Key, res.Cached = iso, key, true
		return res, writeAtomic(pointer, []byte(key+"\n"))
	}

	medium := filepath.Join(work, "medium")
	entries, debOf, err := buildMedium(ctx, inst.Root, epoch, rules, medium, phase)
	if err != nil {
		return nil, err
	}
	out := filepath.Join(work, "out")
	if err := phase("iso (xorriso)", func() error {
		if err := os.Mkdir(out, 0o755); err != nil {
			return err
		}
		if err := makeISO(ctx, medium, filepath.Join(out, ISOName), epoch, o.Log); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(out, "manifest.txt"), manifest(entries, debOf), 0o644)
	}); err != nil {
		return nil, err
	}
	if err := os.RemoveAll(final); err != nil {
		return nil, fmt.Errorf("vendor set: %w", err)
	}
	if err := os.Rename(out, final); err != nil {
		return nil, fmt.Errorf("vendor set: %w", err)
	}
	if err := writeAtomic(pointer, []byte(key+"\n")); err != nil {
		return nil, err
	}
	res.ISO, res.Key = iso, key
	return res, nil
}

// phaseFunc runs one timed phase of a build.
type phaseFunc func(name string, f func() error) error

// buildMedium cuts the installed tree at root into packages and writes the
// medium tree (packages, repodata, .treeinfo) at medium.
func buildMedium(ctx context.Context, root string, epoch int64, rules []nameRule, medium string, phase phaseFunc) ([]rpm.RepoPackage, map[string]string, error) {
	repo := filepath.Join(medium, RepoDir)
	var all []*rpm.Package
	var debOf map[string]string
	if err := phase("convert to rpm", func() error {
		var err error
		all, debOf, err = convert(root, epoch, rules)
		return err
	}); err != nil {
		return nil, nil, err
	}
	var entries []rpm.RepoPackage
	if err := phase("write rpm files", func() error {
		t, err := openTree(root, epoch)
		if err != nil {
			return err
		}
		entries, err = writePackages(ctx, repo, all, runtime.NumCPU(),
			func(p *rpm.Package) error { return t.loadBodies(p, normalizer(epoch)) }, dropBodies)
		return err
	}); err != nil {
		return nil, nil, err
	}
	if err := phase("repodata", func() error {
		if err := rpm.WriteRepodata(repo, entries, rpm.RepoOptions{Revision: epoch}); err != nil {
			return err
		}
		return writeMediumFiles(medium, epoch)
	}); err != nil {
		return nil, nil, err
	}
	return entries, debOf, nil
}

// convert cuts the tree and names the packages; the result has no file
// contents yet (writePackages loads them one package at a time).
func convert(root string, epoch int64, rules []nameRule) ([]*rpm.Package, map[string]string, error) {
	t, err := openTree(root, epoch)
	if err != nil {
		return nil, nil, err
	}
	cut, err := cutTree(t)
	if err != nil {
		return nil, nil, err
	}
	metas, err := applyNames(rules, cut.Packages)
	if err != nil {
		return nil, nil, err
	}
	debOf := map[string]string{}
	var all []*rpm.Package
	for _, c := range cut.Packages {
		all = append(all, c.Pkg)
		debOf[c.Pkg.Name] = c.Deb
	}
	for _, m := range metas {
		debOf[m.Name] = "(meta)"
	}
	all = append(all, metas...)
	all = append(all, cut.Setup)
	cut.Setup.Scripts.Posttrans = ownershipScript(all)
	if cut.Setup.Scripts.Posttrans != "" {
		cut.Setup.Requires = append(cut.Setup.Requires, rpm.Dep{Name: "/bin/sh"})
	}
	addUsrMoveProvides(all)
	debOf[setupName] = "(maintainer scripts)"
	sort.Slice(all, func(i, j int) bool { return all[i].Name < all[j].Name })
	return all, debOf, nil
}

// addUsrMoveProvides adds the pre-merge paths that Rocky's packages
// provide explicitly (bash provides /bin/sh), because scripts and
// requirements still name them.
func addUsrMoveProvides(pkgs []*rpm.Package) {
	for _, p := range pkgs {
		for _, f := range p.Files {
			switch f.Path {
			case "/usr/bin/sh", "/usr/bin/bash":
				p.Provides = append(p.Provides, rpm.Dep{Name: strings.TrimPrefix(f.Path, "/usr")})
			}
		}
	}
}

// manifest lists NEVRA, Debian origin and size of every package.
func manifest(entries []rpm.RepoPackage, debOf map[string]string) []byte {
	var b strings.Builder
	es := append([]rpm.RepoPackage(nil), entries...)
	sort.Slice(es, func(i, j int) bool { return es[i].Href < es[j].Href })
	for _, e := range es {
		fmt.Fprintf(&b, "%s\t%s\t%d\n", e.Header.NEVRA, debOf[e.Header.Name], e.Size)
	}
	return []byte(b.String())
}

// parseList reads one name per line with # comments.
func parseList(b []byte, name string) ([]string, error) {
	var out []string
	for i, l := range strings.Split(string(b), "\n") {
		l, _, _ = strings.Cut(l, "#")
		f := strings.Fields(l)
		switch len(f) {
		case 0:
		case 1:
			out = append(out, f[0])
		default:
			return nil, fmt.Errorf("%s:%d:1: want one package name per line, got %q", name, i+1, l)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no packages", name)
	}
	return out, nil
}

func writeAtomic(path string, b []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
