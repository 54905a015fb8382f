package recipe

import (
	"path"
	"strings"

	"github.com/levitateos/levitate/internal/sexpr"
	"github.com/levitateos/levitate/internal/suggest"
)

func desktopForms() []string {
	return []string{"name", "exec", "icon", "categories", "comment", "terminal"}
}

// desktop decodes (desktop (name N) (exec E) ...).
func (d *decoder) desktop(s *sexpr.Node) *Desktop {
	dt := &Desktop{Pos: s.Pos}
	var seen sections
	for _, a := range s.Children[1:] {
		h := a.Head()
		if a.Kind != sexpr.List || !contains(desktopForms(), h) {
			d.unknown(a, "desktop", desktopForms())
			continue
		}
		seen = seen.check(d, a, h)
		v, p := d.one(a)
		switch h {
		case "name":
			dt.Name = v
		case "exec":
			dt.Exec = v
		case "icon":
			dt.Icon = v
		case "categories":
			dt.Categories = v
		case "comment":
			dt.Comment = v
		case "terminal":
			if v != "true" && v != "false" {
				d.errorf(p, "(terminal) takes true or false, not %q", v)
			}
			dt.Terminal = v == "true"
		}
	}
	if dt.Name == "" {
		d.errorf(s.Pos, "(desktop) needs a (name ...)")
	}
	if dt.Exec == "" {
		d.errorf(s.Pos, "(desktop) needs an (exec ...)")
	}
	return dt
}

func configureForms() []string { return []string{"create-user", "create-dir", "template", "run"} }

// configure decodes (configure STEP...).
func (d *decoder) configure(s *sexpr.Node) []ConfigureStep {
	var out []ConfigureStep
	for _, a := range s.Children[1:] {
		st := ConfigureStep{Kind: ConfigureKind(a.Head()), Pos: a.Pos}
		args := a.Children
		if a.Kind != sexpr.List || !contains(configureForms(), a.Head()) {
			d.unknown(a, "configure", configureForms())
			continue
		}
		if len(args) < 2 || !args[1].IsValue() {
			what := "path"
			if st.Kind == CreateUser {
				what = "user name"
			}
			d.errorf(a.Pos, "(%s) needs a %s first", st.Kind, what)
			continue
		}
		first := args[1]
		switch st.Kind {
		case CreateUser:
			st.Name = first.Text
			d.checkUser(first.Pos, st.Name)
			for _, o := range args[2:] {
				switch {
				case o.IsValue() && o.Text == "system":
					st.System = true
				case o.IsValue() && o.Text == "no-login":
					st.NoLogin = true
				default:
					d.unknown(o, "create-user", []string{"system", "no-login"})
				}
			}
		case CreateDir:
			st.Path = first.Text
			d.absPath(first.Pos, st.Path)
			if len(args) > 3 || len(args) == 3 && !args[2].IsValue() {
				d.errorf(a.Pos, "(create-dir) takes a path and an optional owner")
			} else if len(args) == 3 {
				st.Owner = args[2].Text
				d.checkUser(args[2].Pos, st.Owner)
			}
		case Template:
			st.Path = first.Text
			d.absPath(first.Pos, st.Path)
			for _, o := range args[2:] {
				if o.Kind != sexpr.List || o.Head() == "" || len(o.Children) != 2 || !o.Children[1].IsValue() {
					d.errorf(o.Pos, "unexpected %s in template: expected (KEY \"value\")", describe(o))
					continue
				}
				st.Vars = append(st.Vars, TemplateVar{Key: o.Head(), Value: o.Children[1].Text})
			}
		case ConfRun:
			st.Cmd, _ = d.one(a)
		}
		out = append(out, st)
	}
	return out
}

// checkUser validates a user name as useradd does by default.
func (d *decoder) checkUser(p Pos, u string) {
	ok := u != "" && len(u) <= 32 && (u[0] == '_' || 'a' <= u[0] && u[0] <= 'z')
	for i := 0; ok && i < len(u); i++ {
		c := u[i]
		ok = 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '-'
	}
	if !ok {
		d.errorf(p, "invalid user name %q: want lower-case letters, digits, _ and -, starting with a letter or _, at most 32", u)
	}
}

// start decodes (start (exec CMD ARG...)) or (start (service MANAGER NAME)).
func (d *decoder) start(s *sexpr.Node) *Start {
	args := s.Children[1:]
	if len(args) != 1 {
		d.errorf(s.Pos, "(start) takes exactly one of (exec ...) or (service ...)")
		return nil
	}
	a := args[0]
	st := &Start{Kind: a.Head(), Pos: a.Pos}
	switch a.Head() {
	case "exec":
		st.Argv = d.values(a, 1)
	case "service":
		v := d.values(a, 0)
		if len(v) != 2 {
			d.errorf(a.Pos, "(service) takes a manager and a name: (service systemd \"NAME\")")
			return nil
		}
		st.Manager, st.Service = v[0], v[1]
		if st.Manager != "systemd" && st.Manager != "openrc" {
			d.errorf(a.Children[1].Pos, "unknown service manager %q: want systemd or openrc%s",
				st.Manager, suggest.DidYouMean(st.Manager, []string{"systemd", "openrc"}))
		}
	default:
		d.unknown(a, "start", []string{"exec", "service"})
		return nil
	}
	return st
}

// stop decodes (stop (service-stop NAME)), (stop (pkill NAME)) or
// (stop (signal NAME SIGNAL)).
func (d *decoder) stop(s *sexpr.Node) *Stop {
	args := s.Children[1:]
	if len(args) != 1 {
		d.errorf(s.Pos, "(stop) takes exactly one of (service-stop ...), (pkill ...) or (signal ...)")
		return nil
	}
	a := args[0]
	st := &Stop{Kind: a.Head(), Pos: a.Pos}
	switch a.Head() {
	case "service-stop", "pkill":
		st.Name, _ = d.one(a)
	case "signal":
		v := d.values(a, 0)
		if len(v) != 2 {
			d.errorf(a.Pos, "(signal) takes a process name and a signal: (signal \"NAME\" TERM)")
			return nil
		}
		st.Name, st.Signal = v[0], v[1]
	default:
		d.unknown(a, "stop", []string{"service-stop", "pkill", "signal"})
		return nil
	}
	return st
}

func removeForms() []string { return []string{"rm-config", "rm-data", "rm-user", "rm-prefix"} }

// remove decodes (remove [stop-first] STEP...).
func (d *decoder) remove(s *sexpr.Node) *Remove {
	rm := &Remove{Pos: s.Pos}
	for _, a := range s.Children[1:] {
		if a.IsValue() {
			if a.Text == "stop-first" {
				rm.StopFirst = true
			} else {
				d.unknown(a, "remove", []string{"stop-first"})
			}
			continue
		}
		switch h := a.Head(); h {
		case "rm-prefix":
			d.warnf(a.Pos, "(rm-prefix) is a legacy form and has no effect: removal deletes the files recorded at install time")
		case "rm-config", "rm-data":
			st := RemoveStep{Kind: h, Policy: "remove", Pos: a.Pos}
			v := d.values(a, 1)
			if len(v) == 0 || len(v) > 2 {
				d.errorf(a.Pos, "(%s) takes an absolute path and optionally prompt or keep", h)
				continue
			}
			st.Arg = v[0]
			if d.absPath(a.Children[1].Pos, st.Arg) && strings.Count(path.Clean(st.Arg), "/") < 2 {
				d.errorf(a.Children[1].Pos, "refusing to remove top-level directory %q", st.Arg)
			}
			if len(v) == 2 {
				st.Policy = v[1]
				if st.Policy != "prompt" && st.Policy != "keep" {
					d.errorf(a.Children[2].Pos, "unknown policy %q in %s: want prompt or keep%s",
						st.Policy, h, suggest.DidYouMean(st.Policy, []string{"prompt", "keep"}))
				}
			}
			rm.Steps = append(rm.Steps, st)
		case "rm-user":
			v, p := d.one(a)
			d.checkUser(p, v)
			rm.Steps = append(rm.Steps, RemoveStep{Kind: h, Arg: v, Policy: "remove", Pos: a.Pos})
		default:
			d.unknown(a, "remove", removeForms())
		}
	}
	return rm
}

// cleanup decodes (cleanup [all|downloads|sources|artifacts] (keep PATH)...).
func (d *decoder) cleanup(s *sexpr.Node) *Cleanup {
	c := &Cleanup{What: "all", Pos: s.Pos}
	what := []string{"all", "downloads", "sources", "artifacts"}
	seenWhat := false
	for _, a := range s.Children[1:] {
		switch {
		case a.IsValue() && !seenWhat:
			seenWhat = true
			c.What = a.Text
			if !contains(what, a.Text) {
				d.unknown(a, "cleanup", what)
			}
		case a.Head() == "keep":
			for _, n := range d.valueNodes(a, 1) {
				if d.relPath(n.Pos, n.Text, "the build directory") {
					c.Keep = append(c.Keep, n.Text)
				}
			}
		case a.IsValue():
			d.errorf(a.Pos, "(cleanup) takes one of all, downloads, sources or artifacts")
		default:
			d.unknown(a, "cleanup", []string{"keep"})
		}
	}
	return c
}

func subpackageForms() []string {
	return []string{"description", "deps", "provides", "conflicts", "install"}
}

// subpackages decodes (subpackages (package NAME SECTION...)...).
func (d *decoder) subpackages(s *sexpr.Node, r *Recipe) []Subpackage {
	var out []Subpackage
	for _, a := range s.Children[1:] {
		if a.Head() != "package" || len(a.Children) < 2 || !a.Children[1].IsValue() {
			d.errorf(a.Pos, "unexpected %s in subpackages: expected (package NAME ...)", describe(a))
			continue
		}
		sp := Subpackage{Name: a.Children[1].Text, Pos: a.Pos}
		if !d.checkName(a.Children[1].Pos, sp.Name, "subpackage name") {
			continue
		}
		if sp.Name == r.Name {
			d.errorf(a.Children[1].Pos, "subpackage %q has the name of its package", sp.Name)
		}
		for _, o := range out {
			if o.Name == sp.Name {
				d.errorf(a.Children[1].Pos, "duplicate subpackage %q; the first is at %s", sp.Name, o.Pos)
			}
		}
		var seen sections
		for _, sec := range a.Children[2:] {
			h := sec.Head()
			if sec.Kind != sexpr.List || !contains(subpackageForms(), h) {
				d.unknown(sec, "subpackage", subpackageForms())
				continue
			}
			seen = seen.check(d, sec, h)
			switch h {
			case "description":
				sp.Description, _ = d.one(sec)
			case "deps":
				sp.Deps = d.deps(sec, Runtime, true)
			case "provides":
				sp.Provides = d.plainDeps(sec)
			case "conflicts":
				sp.Conflicts = d.plainDeps(sec)
			case "install":
				sp.Install = d.install(sec)
			}
		}
		out = append(out, sp)
	}
	return out
}
