package recipe

import (
	"path"
	"strings"

	"github.com/levitateos/levitate/internal/sexpr"
	"github.com/levitateos/levitate/internal/suggest"
)

func installForms() []string {
	return []string{"to-bin", "to-lib", "to-man", "to-share", "to-config", "to-include",
		"to-pkgconfig", "to-systemd", "to-completions", "link"}
}

// installArity gives the least and most values an install step takes,
// not counting (mode ...); ok is false for an unknown step.
func installArity(k InstallKind) (lo, hi int, ok bool) {
	switch k {
	case ToBin, ToLib, ToShare, ToInclude:
		return 1, 2, true
	case ToMan, ToPkgconfig, ToSystemd:
		return 1, 1, true
	case ToConfig, ToCompletions, Link:
		return 2, 2, true
	}
	return 0, 0, false
}

// installRoot names the directory a step's destination is relative to, for
// messages.
func installRoot(k InstallKind) string {
	switch k {
	case ToBin:
		return "$PREFIX/bin"
	case ToLib:
		return "$PREFIX/lib"
	case ToShare:
		return "$PREFIX/share"
	case ToInclude:
		return "$PREFIX/include"
	}
	return "$PREFIX"
}

// install decodes (install STEP...).
func (d *decoder) install(s *sexpr.Node) []InstallStep {
	out := make([]InstallStep, 0, len(s.Children)-1)
	for _, a := range s.Children[1:] {
		if st, ok := d.installStep(a); ok {
			out = append(out, st)
		}
	}
	return out
}

func (d *decoder) installStep(a *sexpr.Node) (InstallStep, bool) {
	k := InstallKind(a.Head())
	lo, hi, ok := installArity(k)
	if !ok || a.Kind != sexpr.List {
		d.unknown(a, "install", installForms())
		return InstallStep{}, false
	}
	st := InstallStep{Kind: k, Pos: a.Pos, Mode: 0o644}
	if k == ToBin {
		st.Mode = 0o755
	}
	var vals []*sexpr.Node
	good := true
	for _, o := range a.Children[1:] {
		switch {
		case o.IsValue():
			vals = append(vals, o)
		case o.Head() == "mode" && k != Link:
			st.Mode, ok = d.mode(o)
			good = good && ok
		default:
			valid := []string{"mode"}
			if k == Link {
				valid = nil
			}
			d.unknown(o, string(k), valid)
			good = false
		}
	}
	if len(vals) < lo || len(vals) > hi {
		d.errorf(a.Pos, "(%s) %s", k, installUsage(k))
		return st, false
	}
	st.Src = vals[0].Text
	if len(vals) > 1 {
		st.Dest = vals[1].Text
	}
	switch k {
	case Link:
		st.Mode = 0
		return st, good && d.link(vals[0], vals[1])
	case ToConfig:
		good = d.absPath(vals[1].Pos, st.Dest) && good
	case ToCompletions:
		st.Dest, st.Shell = "", st.Dest
		if !contains([]string{"bash", "zsh", "fish"}, st.Shell) {
			d.errorf(vals[1].Pos, "unknown shell %q for completions: want bash, zsh or fish%s",
				st.Shell, suggest.DidYouMean(st.Shell, []string{"bash", "zsh", "fish"}))
			good = false
		}
	default:
		if len(vals) > 1 {
			good = d.relPath(vals[1].Pos, st.Dest, installRoot(k)) && good
		}
	}
	good = d.relPath(vals[0].Pos, st.Src, "the build directory") && good
	return st, good
}

func installUsage(k InstallKind) string {
	switch k {
	case ToBin, ToLib, ToShare:
		return "takes a source path and an optional destination name"
	case ToInclude:
		return "takes a source path and an optional subdirectory"
	case ToConfig:
		return "takes a source path and an absolute destination path"
	case ToCompletions:
		return "takes a source path and a shell (bash, zsh or fish)"
	case Link:
		return "takes a target and a link name: (link TARGET NAME)"
	}
	return "takes exactly one source path"
}

// mode reads (mode 755).
func (d *decoder) mode(o *sexpr.Node) (uint32, bool) {
	v, p := d.one(o)
	if (len(v) != 3 && len(v) != 4) || strings.Trim(v, "01234567") != "" {
		d.errorf(p, "invalid mode %q: want 3 or 4 octal digits, as in 755", v)
		return 0o644, false
	}
	var m uint32
	for _, c := range v {
		m = m<<3 | uint32(c-'0')
	}
	if m&0o002 != 0 {
		d.warnf(p, "mode %s makes the file writable by every user", v)
	}
	return m, true
}

// link checks (link TARGET NAME): NAME lies under $PREFIX; a relative
// TARGET, resolved from NAME's directory, must stay under $PREFIX too.
func (d *decoder) link(target, name *sexpr.Node) bool {
	n := strings.TrimPrefix(name.Text, "$PREFIX/")
	if !d.relPath(name.Pos, n, "$PREFIX") {
		return false
	}
	t := target.Text
	switch {
	case t == "":
		d.errorf(target.Pos, "empty link target")
		return false
	case strings.HasPrefix(t, "/") || strings.HasPrefix(t, "$PREFIX/"):
		return true
	}
	if j := path.Clean(path.Join(path.Dir(n), t)); j == ".." || strings.HasPrefix(j, "../") {
		d.errorf(target.Pos, "link target %q climbs out of $PREFIX from %q", t, name.Text)
		return false
	}
	return true
}

// relPath checks a path that must stay inside root; it reports whether the
// path is good.
func (d *decoder) relPath(p Pos, s, root string) bool {
	switch c := path.Clean(s); {
	case s == "":
		d.errorf(p, "empty path")
	case strings.IndexByte(s, 0) >= 0:
		d.errorf(p, "path %q contains a NUL byte", s)
	case strings.HasPrefix(s, "/"):
		d.errorf(p, "path %q must be relative to %s", s, root)
	case c == ".." || strings.HasPrefix(c, "../"):
		d.errorf(p, "path %q climbs out of %s", s, root)
	default:
		return true
	}
	return false
}

// absPath checks a path on the installed system, which must be absolute
// and must not climb with "..".
func (d *decoder) absPath(p Pos, s string) bool {
	switch {
	case s == "":
		d.errorf(p, "empty path")
	case strings.IndexByte(s, 0) >= 0:
		d.errorf(p, "path %q contains a NUL byte", s)
	case !strings.HasPrefix(s, "/"):
		d.errorf(p, "path %q must be absolute", s)
	case contains(strings.Split(s, "/"), ".."):
		d.errorf(p, "path %q climbs with \"..\"", s)
	default:
		return true
	}
	return false
}
