package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/levitateos/levitate/internal/build"
	"github.com/levitateos/levitate/internal/profile"
	"github.com/spf13/cobra"
)

// defaultProfile is the profile built when none is named.
const defaultProfile = "profiles/levitate"

// buildOptions are the flags of levitateiso build.
type buildOptions struct {
	out, work, lock, compression, recipe                 string
	sources, keys                                        []string
	dryRun, locked, keepWork, noVerify, noProfileSources bool
}

func newBuildCmd(a *app) *cobra.Command {
	var o buildOptions
	cmd := &cobra.Command{
		Use:   "build [PROFILE] --source SRC...",
		Short: "Build a live ISO from a profile and vendor packages",
		Long: `build makes a hybrid BIOS+UEFI live ISO from PROFILE (default
profiles/levitate) and the packages of its sources: each a Rocky ISO file
(read without mounting), a directory of RPMs, or a repository path or
http(s) URL with repodata, written as

  LOCATION [priority=N] [key=FILE]

The profile's "source =" lines come first; each --source adds one (quote
it when it has options), replacing a profile source at the same location;
--no-profile-sources drops the profile's. Relative paths of --source are
relative to the working directory. The closure is resolved across all
sources: the same package name is taken from the highest priority (default
0), then the newest version. A source with key=FILE must have every package
it supplies signed by that key.

The stages are resolve (lock file), fetch, rootfs (rpm --root, one
transaction), overlay, initramfs (dracut in the root), squashfs, iso and
outputs (SHA256SUMS, OUT.packages.txt, OUT.report.txt beside the ISO).
--dry-run prints the plan. Logs go to WORK/logs/STAGE.log.

The lock (default OUT.lock) records every package's NEVRA, sha256 and
source; --locked installs exactly the lock, each package from its recorded
source, and fails when the sources have drifted.

Signatures: with verify-signatures = yes (the default profile), give the
vendor's key with a source's key=FILE or with --key (then it is trusted for
every source). --no-verify-signatures turns the check off, for the
project's unsigned test package set only.

SOURCE_DATE_EPOCH, when set, fixes the dates in the squashfs and the ISO.`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usagef("build: expected at most one PROFILE, got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := defaultProfile
			if len(args) == 1 {
				dir = args[0]
			}
			return a.build(cmd, dir, o)
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&o.sources, "source", nil, "package source \"LOCATION [priority=N] [key=FILE]\" (repeatable; adds to the profile's)")
	f.BoolVar(&o.noProfileSources, "no-profile-sources", false, "ignore the profile's source lines; use only --source")
	f.StringVarP(&o.out, "output", "o", "", "the ISO to write (default out/ISO-NAME-ISO-VERSION.iso)")
	f.StringVar(&o.work, "work", "", "work directory (default a new one under $LEVITATE_CACHE/work, removed after success)")
	f.StringVar(&o.lock, "lock", "", "lock file (default OUT.lock)")
	f.BoolVar(&o.locked, "locked", false, "install exactly the lock file; fail on drift")
	f.BoolVar(&o.dryRun, "dry-run", false, "print the plan and exit")
	f.BoolVar(&o.keepWork, "keep-work", false, "keep the work directory after a successful build")
	f.StringVar(&o.compression, "compression", "", "squashfs compression ALGO[:LEVEL|:OPTION], e.g. zstd:3, xz:x86 (overrides the profile)")
	f.BoolVar(&o.noVerify, "no-verify-signatures", false, "do not check RPM signatures (unsigned test package set only)")
	f.StringArrayVar(&o.keys, "key", nil, "vendor RPM signing key to import (repeatable)")
	f.StringVar(&o.recipe, "recipe", "", "prebuilt static recipe binary (default: go build ./cmd/recipe)")
	return cmd
}

func (a *app) build(cmd *cobra.Command, dir string, o buildOptions) error {
	prof, srcs, err := loadWithSources(dir, o.sources, o.noProfileSources)
	if err != nil {
		return err
	}
	if len(srcs) == 0 {
		return usagef("build: --source is required (a Rocky ISO, an RPM directory or a repository), or source lines in %s; see README", profile.ConfFile)
	}
	for _, w := range prof.Warnings {
		fmt.Fprintln(a.stderr, w)
	}
	s := prof.Settings
	if o.compression != "" {
		if s.Compression, err = build.ParseCompression(o.compression); err != nil {
			return usagef("build: --compression: %v", err)
		}
	}
	if o.noVerify {
		s.VerifySignatures = false
		fmt.Fprintln(a.stderr, "levitateiso: WARNING: --no-verify-signatures: RPM signatures are NOT checked")
	}
	bo, cleanup, err := buildPaths(prof, s, srcs, o)
	if err != nil {
		return err
	}
	bo.Console = a.stdout
	plan, err := build.NewPlan(bo)
	if err != nil {
		return err
	}
	if o.dryRun {
		return plan.Print(a.stdout)
	}
	if err := plan.DefaultPreflight(); err != nil {
		return err
	}
	res, err := plan.Execute(cmd.Context())
	if err != nil {
		return fmt.Errorf("%w\nwork directory kept: %s", err, bo.Work)
	}
	if !o.keepWork && cleanup {
		if err := os.RemoveAll(bo.Work); err != nil {
			return err
		}
	}
	fmt.Fprintf(a.stdout, "total %.1fs\n%s\n", res.Total.Seconds(), res.ISO)
	return nil
}

// buildPaths fills the build options' paths; cleanup reports whether the
// work directory is ours to remove.
func buildPaths(prof *profile.Profile, s profile.Settings, srcs []profile.Source, o buildOptions) (build.Options, bool, error) {
	out := o.out
	if out == "" {
		out = filepath.Join("out", s.ISOName+"-"+s.ISOVersion+".iso")
	}
	out, err := filepath.Abs(out)
	if err != nil {
		return build.Options{}, false, err
	}
	lock := o.lock
	if lock == "" {
		lock = out + ".lock"
	}
	cache := cacheDir()
	bo := build.Options{
		Profile: prof, Settings: s, Sources: srcs, Out: out, CacheDir: cache,
		Lock: lock, Locked: o.locked, Keys: build.AllKeys(o.keys, srcs), Recipe: o.recipe, Epoch: -1,
	}
	if v, ok := os.LookupEnv("SOURCE_DATE_EPOCH"); ok {
		if bo.Epoch, err = strconv.ParseInt(v, 10, 64); err != nil || bo.Epoch < 0 {
			return bo, false, fmt.Errorf("SOURCE_DATE_EPOCH=%q: not a non-negative integer", v)
		}
	}
	if bo.Recipe == "" {
		if bo.ModuleDir, err = moduleDir(); err != nil {
			return bo, false, err
		}
	}
	cleanup := false
	switch {
	case o.work != "":
		bo.Work, err = filepath.Abs(o.work)
	case o.dryRun:
		bo.Work = filepath.Join(cache, "work", s.ISOName+"-XXXX")
	default:
		if err = os.MkdirAll(filepath.Join(cache, "work"), 0o755); err == nil {
			bo.Work, err = os.MkdirTemp(filepath.Join(cache, "work"), s.ISOName+"-")
			cleanup = true
		}
	}
	return bo, cleanup, err
}

func cacheDir() string {
	if d := os.Getenv("LEVITATE_CACHE"); d != "" {
		return d
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "levitate")
	}
	return filepath.Join(os.TempDir(), "levitate-cache")
}

// moduleDir finds this repository's root from the working directory, to
// build the recipe binary from it.
func moduleDir() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && bytes.Contains(data, []byte("module github.com/levitateos/levitate\n")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("build: not inside the levitate repository, so the recipe binary cannot be built; pass --recipe")
		}
		dir = parent
	}
}

// parseSources parses --source values, relative to the working directory.
// loadWithSources loads the profile in dir and merges its source lines
// with the --source flags (see profile.MergeSources).
func loadWithSources(dir string, flags []string, noProfileSources bool) (*profile.Profile, []profile.Source, error) {
	cli, err := parseSources(flags)
	if err != nil {
		return nil, nil, err
	}
	prof, err := profile.Load(dir)
	if err != nil {
		return nil, nil, err
	}
	return prof, profile.MergeSources(prof.Settings.Sources, cli, noProfileSources), nil
}

func parseSources(vals []string) ([]profile.Source, error) {
	wd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	var out []profile.Source
	for _, v := range vals {
		src, err := profile.ParseSource(v, wd)
		if err != nil {
			return nil, usagef("--source %q: %v", v, err)
		}
		out = append(out, src)
	}
	return out, nil
}
