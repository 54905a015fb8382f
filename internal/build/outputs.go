package build

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/levitateos/levitate/internal/closure"
)

// OutputPaths are the files written next to the ISO.
type OutputPaths struct {
	SHA256SUMS string // "HASH  NAME.iso"
	Manifest   string // name, version-release.arch, size: one package a line
	Report     string // time and size of every stage
}

// Outputs returns the paths of the files written next to iso.
func Outputs(iso string) OutputPaths {
	dir, stem := filepath.Dir(iso), strings.TrimSuffix(filepath.Base(iso), ".iso")
	return OutputPaths{
		SHA256SUMS: filepath.Join(dir, "SHA256SUMS"),
		Manifest:   filepath.Join(dir, stem+".packages.txt"),
		Report:     filepath.Join(dir, stem+".report.txt"),
	}
}

func outputsStage(o Options) Stage {
	p := Outputs(o.Out)
	return Stage{
		Name:    StageOutputs,
		Doc:     "SHA256SUMS, the package manifest and the build report",
		Inputs:  []string{o.Out},
		Outputs: []string{p.SHA256SUMS, p.Manifest, p.Report},
		run:     (*builder).outputs,
	}
}

func (b *builder) outputs(_ context.Context) error {
	o := b.opts
	p := Outputs(o.Out)
	sum, err := fileSHA256(o.Out)
	if err != nil {
		return err
	}
	line := fmt.Sprintf("%s  %s\n", sum, filepath.Base(o.Out))
	if err := writeAtomic(p.SHA256SUMS, []byte(line), 0o644); err != nil {
		return err
	}
	fmt.Fprint(b.log, line)
	return writeAtomic(p.Manifest, Manifest(b.closure), 0o644)
}

// Manifest lists the closure's packages: name, version-release.arch
// and package size in bytes, tab-separated, sorted by name.
func Manifest(c *closure.Closure) []byte {
	var buf bytes.Buffer
	for _, e := range c.Entries {
		n := e.Pkg.NEVRA
		fmt.Fprintf(&buf, "%s\t%s.%s\t%d\n", n.Name, n.EVR, n.Arch, e.Pkg.Size)
	}
	return buf.Bytes()
}

// Report renders the time, compression time and output size of each
// stage, marks the stages served from the cache, and sums up the time
// spent outside compression.
func Report(r *Result) []byte {
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "%-10s %9s %9s %12s\n", "stage", "seconds", "compress", "bytes")
	var spans []Span
	for _, s := range r.Stages {
		spans = append(spans, s.Spans...)
		fmt.Fprintf(&buf, "%-10s %9.1f %9.1f %12d", s.Name, s.Duration.Seconds(), s.Compress.Seconds(), s.Size)
		if s.Cached {
			buf.WriteString("  cached")
		}
		buf.WriteByte('\n')
	}
	comp := unionLength(spans)
	fmt.Fprintf(&buf, "%-10s %9.1f %9.1f\n", "total", r.Total.Seconds(), comp.Seconds())
	if r.Total > 0 {
		out := r.Total - comp
		fmt.Fprintf(&buf, "outside compression %.1f s (%.0f%%)\n", out.Seconds(), 100*out.Seconds()/r.Total.Seconds())
	}
	return buf.Bytes()
}

// unionLength is the time covered by at least one of spans: stages
// that run side by side may compress at the same time.
func unionLength(spans []Span) time.Duration {
	spans = slices.Clone(spans)
	slices.SortFunc(spans, func(a, b Span) int { return a.Start.Compare(b.Start) })
	var total time.Duration
	var end time.Time
	for _, sp := range spans {
		if sp.Start.After(end) {
			end = sp.Start
		}
		if sp.End.After(end) {
			total += sp.End.Sub(end)
			end = sp.End
		}
	}
	return total
}

func writeReport(o Options, r *Result) error {
	return writeAtomic(Outputs(o.Out).Report, Report(r), 0o644)
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return fmt.Sprintf("%x", h.Sum(nil)), nil
}
