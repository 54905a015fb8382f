package build

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/levitateos/levitate/internal/profile"
	"github.com/levitateos/levitate/internal/run"
)

// Options configure a build. Profile, Sources, Out and Work are required.
type Options struct {
	Profile *profile.Profile
	// Settings are the profile's settings with command-line overrides
	// (compression, signature checking) applied.
	Settings profile.Settings
	// Sources are where packages come from (ISO, RPM directory,
	// repository path or URL, each with a priority and a key): the
	// profile's merged with --source (profile.MergeSources).
	Sources  []profile.Source
	Out      string // the ISO file
	Work     string // work directory: root, ISO tree, logs
	CacheDir string // source index and download cache; empty for none
	Lock     string // lock file: written, or read with Locked
	Locked   bool   // install exactly Lock; fail on drift
	// Keys are vendor RPM signing keys imported into the root before the
	// install when Settings.VerifySignatures is on; AllKeys adds each
	// source's own key to the --key ones.
	Keys []string
	// Recipe is a prebuilt static recipe binary; empty builds one from
	// ModuleDir with `go build`.
	Recipe    string
	ModuleDir string
	// StopAfter ends the build after the named stage (tests of roots
	// without a kernel stop after "overlay"); empty runs every stage.
	StopAfter string
	// Epoch is SOURCE_DATE_EPOCH, negative for none.
	Epoch int64
	// Console receives one line per stage.
	Console io.Writer
}

// Stage is one step of a build, with what it reads, writes and runs.
type Stage struct {
	Name    string
	Doc     string
	Inputs  []string
	Outputs []string
	Tools   []string
	// Beside runs the stage at the same time as the one before it (they
	// read the same inputs and write different outputs).
	Beside bool
	run    func(b *builder, ctx context.Context) error
}

// Plan is the ordered list of stages of one build.
type Plan struct {
	Opts   Options
	Stages []Stage
}

// Stage names, in build order.
const (
	StageResolve   = "resolve"
	StageFetch     = "fetch"
	StageRootfs    = "rootfs"
	StageOverlay   = "overlay"
	StageRepo      = "repo"
	StageInitramfs = "initramfs"
	StageSquashfs  = "squashfs"
	StageISO       = "iso"
	StageOutputs   = "outputs"
)

// Work directory layout.
const (
	logsDir  = "logs"
	rpmsDir  = "rpms"
	rootDir  = "root"
	treeDir  = "tree"
	bootWork = "boot"
)

// NewPlan returns the plan for o. It checks the options but touches
// nothing on disk.
func NewPlan(o Options) (*Plan, error) {
	var errs []error
	if o.Profile == nil {
		errs = append(errs, errors.New("build: no profile"))
	}
	if len(o.Sources) == 0 {
		errs = append(errs, errors.New("build: no source (--source)"))
	}
	if o.Out == "" {
		errs = append(errs, errors.New("build: no output file (-o)"))
	}
	if o.Work == "" {
		errs = append(errs, errors.New("build: no work directory"))
	}
	if o.Locked && o.Lock == "" {
		errs = append(errs, errors.New("build: --locked needs a lock file"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	p := &Plan{Opts: o}
	all := []Stage{
		resolveStage(o), fetchStage(o), rootfsStage(o), overlayStage(o),
	}
	if o.Settings.Repository {
		all = append(all, mediumRepoStage(o))
	}
	all = append(all, initramfsStage(o), squashfsStage(o), isoStage(o), outputsStage(o))
	for _, s := range all {
		p.Stages = append(p.Stages, s)
		if s.Name == o.StopAfter {
			return p, nil
		}
	}
	if o.StopAfter != "" {
		return nil, fmt.Errorf("build: unknown stage %q to stop after", o.StopAfter)
	}
	return p, nil
}

// Print writes the plan for humans: the settings that matter, then each
// stage with its inputs, outputs and tools.
func (p *Plan) Print(w io.Writer) error {
	o := p.Opts
	s := o.Settings
	var b strings.Builder
	fmt.Fprintf(&b, "profile      %s\n", o.Profile.Dir)
	for _, src := range o.Sources {
		fmt.Fprintf(&b, "source       %s\n", src)
	}
	fmt.Fprintf(&b, "output       %s\n", o.Out)
	fmt.Fprintf(&b, "work         %s\n", o.Work)
	fmt.Fprintf(&b, "label        %s\n", s.Label)
	modes := make([]string, len(s.BootModes))
	for i, m := range s.BootModes {
		modes[i] = string(m)
	}
	fmt.Fprintf(&b, "boot modes   %s\n", strings.Join(modes, " "))
	fmt.Fprintf(&b, "compression  %s\n", s.Compression)
	fmt.Fprintf(&b, "signatures   %s\n", map[bool]string{true: "verified", false: "NOT verified"}[s.VerifySignatures])
	fmt.Fprintf(&b, "packages     %d names in %s\n", len(o.Profile.Packages), profile.PackagesFile)
	for i, st := range p.Stages {
		beside := ""
		if st.Beside && i > 0 {
			beside = " (at the same time as " + p.Stages[i-1].Name + ")"
		}
		fmt.Fprintf(&b, "\n%d. %s%s: %s\n", i+1, st.Name, beside, st.Doc)
		list := func(k string, v []string) {
			if len(v) > 0 {
				fmt.Fprintf(&b, "   %-8s %s\n", k, strings.Join(v, " "))
			}
		}
		list("in", st.Inputs)
		list("out", st.Outputs)
		list("tools", st.Tools)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Tools returns the host tools the plan needs.
func (p *Plan) Tools() []profile.HostTool {
	s := p.Opts.Settings
	tools := profile.HostTools(s.BootModes, s.Compression)
	if p.Opts.Recipe == "" {
		tools = append(tools, profile.HostTool{Names: []string{"go"}, Debian: "golang", Rocky: "golang", Why: "builds the static recipe binary"})
	}
	return tools
}

// Preflight reports every host tool the plan needs that lookPath does
// not find (run.LookPath outside tests).
func (p *Plan) Preflight(lookPath func(string) (string, error)) error {
	missing := profile.MissingTools(p.Tools(), lookPath)
	if len(missing) == 0 {
		return nil
	}
	lines := make([]string, len(missing))
	for i, t := range missing {
		lines[i] = "  " + t.String()
	}
	return fmt.Errorf("build: missing host tools:\n%s", strings.Join(lines, "\n"))
}

// DefaultPreflight is Preflight with the real PATH.
func (p *Plan) DefaultPreflight() error { return p.Preflight(run.LookPath) }

func (o Options) path(parts ...string) string {
	return filepath.Join(append([]string{o.Work}, parts...)...)
}
