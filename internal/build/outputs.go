package build

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

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

// Report renders the time and output size of each stage.
func Report(r *Result) []byte {
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "%-10s %9s %12s\n", "stage", "seconds", "bytes")
	for _, s := range r.Stages {
		fmt.Fprintf(&buf, "%-10s %9.1f %12d\n", s.Name, s.Duration.Seconds(), s.Size)
	}
	fmt.Fprintf(&buf, "%-10s %9.1f\n", "total", r.Total.Seconds())
	return buf.Bytes()
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
