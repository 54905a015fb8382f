package recipecmd

import (
	"fmt"
	"io"
	"strings"

	"github.com/levitateos/levitate/internal/recipe"
	"github.com/spf13/cobra"
)

func newInfoCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "info NAME",
		Short: "Show everything a recipe says about a package",
		Long: `Show a package's recipe: description, licenses, dependencies split into build
and runtime (with constraints and feature conditions), provides, conflicts,
features, where its input comes from and whether that is pinned by a hash,
patches, build steps, install steps and the other sections. When several
versions exist, the newest is shown.`,
		Example: `  recipe info foot
  recipe --json info redis`,
		Args: exactArgs(1, "one package name"),
		RunE: func(_ *cobra.Command, args []string) error {
			cat, err := a.loadCatalog()
			if err != nil {
				return err
			}
			r, err := cat.lookup(args[0])
			if err != nil {
				return err
			}
			if a.opts.json {
				return a.writeJSON(newInfoJSON(r))
			}
			if err := writeInfo(a.stdout, r); err != nil {
				return fail(err)
			}
			return nil
		},
	}
}

// writeInfo prints a recipe for people: "Field: value" lines, then one
// indented line per list entry.
func writeInfo(w io.Writer, r *recipe.Recipe) error {
	var b strings.Builder
	field := func(k, v string) {
		if v != "" {
			fmt.Fprintf(&b, "%-12s %s\n", k+":", v)
		}
	}
	list := func(k string, lines []string) {
		if len(lines) == 0 {
			return
		}
		b.WriteString(k + ":\n")
		for _, l := range lines {
			b.WriteString("  " + l + "\n")
		}
	}
	field("Name", r.Name)
	field("Version", r.Version)
	field("Description", r.Description)
	field("License", strings.Join(r.Licenses, ", "))
	field("Homepage", r.Homepage)
	field("Maintainer", r.Maintainer)
	field("File", r.File)
	build, runtime := splitDeps(r.Deps)
	list("Build deps", orNone(depLines(build)))
	list("Runtime deps", orNone(depLines(runtime)))
	list("Provides", raws(r.Provides))
	list("Conflicts", raws(r.Conflicts))
	list("Features", featureLines(r.Features))
	list("Acquire", acquireLines(r.Acquire))
	var patches []string
	for _, p := range r.Patches {
		patches = append(patches, p.Path)
	}
	list("Patches", patches)
	list("Build", buildLines(r.Build))
	list("Install", installLines(r.Install))
	list("Desktop", desktopLines(r.Desktop))
	list("Configure", configureLines(r.Configure))
	field("Start", startLine(r.Start))
	field("Stop", stopLine(r.Stop))
	list("Remove", removeLines(r.Remove))
	field("Cleanup", cleanupLine(r.Cleanup))
	for _, sp := range r.Subpackages {
		b.WriteString("Subpackage " + sp.Name + ":\n")
		if sp.Description != "" {
			b.WriteString("  " + sp.Description + "\n")
		}
		build, runtime := splitDeps(sp.Deps)
		for _, l := range depLines(build) {
			b.WriteString("  build dep: " + l + "\n")
		}
		for _, l := range depLines(runtime) {
			b.WriteString("  runtime dep: " + l + "\n")
		}
		for _, l := range installLines(sp.Install) {
			b.WriteString("  install: " + l + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func depLines(ds []depJSON) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		s := d.Name
		if d.Constraint != "" {
			s += " " + d.Constraint
		}
		if d.If != "" {
			s += " (if " + d.If + ")"
		}
		out[i] = s
	}
	return out
}

// orNone keeps an empty dependency list visible: "no dependencies" is
// information, unlike an absent homepage.
func orNone(lines []string) []string {
	if len(lines) == 0 {
		return []string{"(none)"}
	}
	return lines
}

func featureLines(fs []recipe.Feature) []string {
	var out []string
	for _, f := range fs {
		s := f.Name
		if f.Default {
			s += " (default)"
		}
		if len(f.Implies) > 0 {
			s += " implies " + strings.Join(f.Implies, ", ")
		}
		if f.Description != "" {
			s += ": " + f.Description
		}
		out = append(out, s)
	}
	return out
}

// acquireLines describes the input and its hash status: a download
// without sha256 is flagged "(no sha256: not verified)".
func acquireLines(ac *recipe.Acquire) []string {
	if ac == nil {
		return nil
	}
	switch ac.Kind {
	case recipe.AcquireBinary:
		var out []string
		for _, b := range ac.Binaries {
			out = append(out, "binary "+b.Arch+" "+b.URL+" "+hashNote(b.SHA256))
		}
		return out
	case recipe.AcquireGit:
		pin := "(not pinned: " + gitRef(ac.Ref) + ")"
		if ac.Ref.Kind == "commit" {
			pin = "(pinned: commit " + ac.Ref.Name + ")"
		}
		return []string{"git " + ac.URL + " " + pin}
	case recipe.AcquireRPM:
		return []string{"rpm " + strings.Join(ac.RPMs, " ") + " (from the configured RPM repositories)"}
	case recipe.AcquireFile:
		return []string{"file " + ac.Path + " " + hashNote(ac.SHA256)}
	default:
		return []string{string(ac.Kind) + " " + ac.URL + " " + hashNote(ac.SHA256)}
	}
}

func hashNote(sum string) string {
	if sum == "" {
		return "(no sha256: not verified)"
	}
	return "(sha256 " + sum + ")"
}

func buildLines(steps []recipe.BuildStep) []string {
	var out []string
	for i, s := range steps {
		l := fmt.Sprintf("%d. %s", i+1, s.Kind)
		if s.Arg != "" {
			l += " " + s.Arg
		}
		out = append(out, l)
	}
	return out
}

func installLines(steps []recipe.InstallStep) []string {
	var out []string
	for _, s := range steps {
		l := string(s.Kind)
		if s.Shell != "" {
			l += " " + s.Shell
		}
		l += " " + s.Src
		if s.Dest != "" {
			l += " -> " + s.Dest
		}
		if s.Mode != 0 {
			l += fmt.Sprintf(" (mode %04o)", s.Mode)
		}
		out = append(out, l)
	}
	return out
}
