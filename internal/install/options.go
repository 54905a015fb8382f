package install

import (
	"crypto/x509"
	"io"
	"path/filepath"
	"runtime"
	"time"

	"github.com/levitateos/levitate/internal/recipe"
	"github.com/levitateos/levitate/internal/store"
)

// Prefix is the installation prefix of every package: $PREFIX in build
// scripts and the base of the install forms' destinations.
const Prefix = "/usr"

// cacheRel is the ROOT-relative directory of the default download cache and
// of the build and stage directories.
const cacheRel = "var/cache/recipe"

// Package is one package to install, in install order.
type Package struct {
	Recipe *recipe.Recipe
	// Features are the enabled features, sorted.
	Features []string
	// Reason is why it is installed; empty means store.Explicit.
	Reason store.Reason
	// Dir is the directory of the recipe, against which (acquire (file ...))
	// and patches are resolved; empty means the directory of Recipe.File.
	Dir string
}

// Options tunes Install, Upgrade and Remove.
type Options struct {
	// Root is the system to change; empty means "/".
	Root string
	// CacheDir holds downloads; empty means ROOT/var/cache/recipe.
	CacheDir string
	// Jobs bounds parallel downloads and builds; zero means 2 x the number
	// of CPUs.
	Jobs int
	// InsecureSkipHash accepts sources without a sha256.
	InsecureSkipHash bool
	// DryRun computes the plan and changes nothing.
	DryRun bool
	// Reinstall rebuilds packages already installed in the same version.
	Reinstall bool
	// Progress, if set, receives one Event per step and download progress.
	// Calls may come from several goroutines.
	Progress func(Event)
	// BuildOutput receives the output of build and configure commands;
	// nil discards it (the last lines still come back in a failure).
	BuildOutput io.Writer
	// FailAt is passed to store.Options.FailAt (fault injection).
	FailAt func(step string) error
	// NoSync is passed to store.Options.NoSync.
	NoSync bool
	// Wait makes a second writer wait for the database lock.
	Wait bool
	// RootCAs, if set, replaces the system roots for HTTPS downloads.
	RootCAs *x509.CertPool
}

// Event is one progress report.
type Event struct {
	Package string // "name version"; empty for transaction-wide steps
	Step    string // "fetch", "extract", "configure", "stage", "commit", ...
	Detail  string
	// Done and Total count bytes for "fetch" events; Total is -1 when
	// unknown. Zero otherwise.
	Done, Total int64
}

// Summary reports what a run did.
type Summary struct {
	Installed []string // "name version", in order
	Removed   []string
	Skipped   []string // already installed
	// Bytes is the size of the files installed; Fetched what was downloaded.
	Bytes, Fetched int64
	Duration       time.Duration
	// Saved lists the modified config files of removed or replaced
	// packages, kept under their new name (ROOT-relative, "etc/x.recipesave");
	// New the new config files installed beside a modified one
	// ("etc/x.recipenew").
	Saved, New []string
	// Plan is set by a dry run.
	Plan *DryPlan
}

func (o *Options) root() string {
	if o.Root == "" {
		return "/"
	}
	return o.Root
}

func (o *Options) cacheDir() string {
	if o.CacheDir != "" {
		return o.CacheDir
	}
	return filepath.Join(o.root(), cacheRel)
}

func (o *Options) jobs() int {
	if o.Jobs > 0 {
		return o.Jobs
	}
	return 2 * runtime.NumCPU()
}

func (o *Options) emit(e Event) {
	if o.Progress != nil {
		o.Progress(e)
	}
}

func (o *Options) storeOptions() store.Options {
	return store.Options{FailAt: o.FailAt, NoSync: o.NoSync, Wait: o.Wait}
}
