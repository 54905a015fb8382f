package recipe

import (
	"fmt"
	"strings"
)

// summarize prints a decoded recipe, field by field, for golden files.
// Positions are line:col only, so that goldens do not depend on paths.
func summarize(r *Recipe, diags Diagnostics) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	at := func(pos Pos) string { return fmt.Sprintf("%d:%d", pos.Line, pos.Col) }
	if r != nil {
		p("package %s %s (%s) evr=%s", r.Name, r.Version, at(r.Pos), r.EVR)
		p("description %q", r.Description)
		p("licenses %q", r.Licenses)
		p("homepage %q", r.Homepage)
		if r.Maintainer != "" {
			p("maintainer %q", r.Maintainer)
		}
		deps := func(label string, ds []Dep) {
			for _, d := range ds {
				cond := ""
				if d.If != "" {
					cond = " if " + d.If
				}
				p("%s %s %s %q constraint=%q%s (%s)", label, d.Kind, d.Name, d.Raw, d.Constraint.String(), cond, at(d.Pos))
			}
		}
		deps("dep", r.Deps)
		deps("provides", r.Provides)
		deps("conflicts", r.Conflicts)
		for _, f := range r.Features {
			p("feature %s default=%v implies=%q %q (%s)", f.Name, f.Default, f.Implies, f.Description, at(f.Pos))
		}
		if a := r.Acquire; a != nil {
			p("acquire %s (%s) url=%q path=%q sha256=%q ref=%s:%s rpms=%q", a.Kind, at(a.Pos), a.URL, a.Path, a.SHA256, a.Ref.Kind, a.Ref.Name, a.RPMs)
			for _, bin := range a.Binaries {
				p("  binary %s %q sha256=%q (%s)", bin.Arch, bin.URL, bin.SHA256, at(bin.Pos))
			}
		}
		for _, pt := range r.Patches {
			p("patch %q (%s)", pt.Path, at(pt.Pos))
		}
		if r.Build != nil {
			p("build: %d step(s)", len(r.Build))
		}
		for _, s := range r.Build {
			p("  %s %q script=%q (%s)", s.Kind, s.Arg, s.Script(), at(s.Pos))
		}
		for _, s := range r.Install {
			p("install %s src=%q dest=%q shell=%q mode=%04o (%s)", s.Kind, s.Src, s.Dest, s.Shell, s.Mode, at(s.Pos))
		}
		if dt := r.Desktop; dt != nil {
			p("desktop name=%q exec=%q icon=%q categories=%q comment=%q terminal=%v (%s)", dt.Name, dt.Exec, dt.Icon, dt.Categories, dt.Comment, dt.Terminal, at(dt.Pos))
		}
		for _, c := range r.Configure {
			p("configure %s name=%q system=%v no-login=%v path=%q owner=%q vars=%v cmd=%q (%s)", c.Kind, c.Name, c.System, c.NoLogin, c.Path, c.Owner, c.Vars, c.Cmd, at(c.Pos))
		}
		if s := r.Start; s != nil {
			p("start %s argv=%q manager=%q service=%q (%s)", s.Kind, s.Argv, s.Manager, s.Service, at(s.Pos))
		}
		if s := r.Stop; s != nil {
			p("stop %s name=%q signal=%q (%s)", s.Kind, s.Name, s.Signal, at(s.Pos))
		}
		if rm := r.Remove; rm != nil {
			p("remove stop-first=%v (%s)", rm.StopFirst, at(rm.Pos))
			for _, s := range rm.Steps {
				p("  %s %q policy=%s (%s)", s.Kind, s.Arg, s.Policy, at(s.Pos))
			}
		}
		if c := r.Cleanup; c != nil {
			p("cleanup %s keep=%q (%s)", c.What, c.Keep, at(c.Pos))
		}
		for _, sp := range r.Subpackages {
			p("subpackage %s %q (%s)", sp.Name, sp.Description, at(sp.Pos))
			deps("  dep", sp.Deps)
			deps("  provides", sp.Provides)
			deps("  conflicts", sp.Conflicts)
			for _, s := range sp.Install {
				p("  install %s src=%q dest=%q mode=%04o (%s)", s.Kind, s.Src, s.Dest, s.Mode, at(s.Pos))
			}
		}
	}
	for _, d := range diags {
		p("%s: %s: %s", at(d.Pos), d.Severity, d.Msg)
	}
	return b.String()
}
