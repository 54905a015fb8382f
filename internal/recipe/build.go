package recipe

import (
	"github.com/levitateos/levitate/internal/sexpr"
	"github.com/levitateos/levitate/internal/suggest"
)

func buildForms() []string {
	return []string{"extract", "configure", "compile", "test", "cargo", "meson", "ninja", "run"}
}

// extractFormat maps the spellings of an archive format to its canonical
// name; it returns "" for an unknown format.
func extractFormat(s string) string {
	switch s {
	case "tar-gz", "tar.gz", "tgz":
		return "tar-gz"
	case "tar-xz", "tar.xz", "txz":
		return "tar-xz"
	case "tar-bz2", "tar.bz2", "tbz2":
		return "tar-bz2"
	case "tar-zst", "tar.zst", "tzst":
		return "tar-zst"
	case "tar", "zip":
		return s
	}
	return ""
}

// build decodes (build skip) or (build STEP...). Every step is kept, in
// order: an (extract ...) step is followed by the steps after it.
func (d *decoder) build(s *sexpr.Node) []BuildStep {
	args := s.Children[1:]
	if len(args) == 0 {
		d.warnf(s.Pos, "empty (build); write (build skip) when nothing is built")
		return []BuildStep{}
	}
	out := make([]BuildStep, 0, len(args))
	var skip *sexpr.Node
	for _, a := range args {
		if a.IsValue() {
			if a.Text != "skip" {
				d.unknown(a, "build", []string{"skip"})
				continue
			}
			skip = a
			out = append(out, BuildStep{Kind: BuildSkip, Pos: a.Pos})
			continue
		}
		if st, ok := d.buildStep(a); ok {
			out = append(out, st)
		}
	}
	if skip != nil && len(args) > 1 {
		d.errorf(skip.Pos, "skip cannot be combined with other build steps")
	}
	return out
}

func (d *decoder) buildStep(a *sexpr.Node) (BuildStep, bool) {
	h := a.Head()
	st := BuildStep{Kind: BuildKind(h), Pos: a.Pos}
	switch h {
	case "extract":
		v, p := d.one(a)
		if v == "" && len(a.Children) != 2 {
			return st, false
		}
		st.Arg = extractFormat(v)
		if st.Arg == "" {
			d.errorf(p, "unknown archive format %q%s (known: tar-gz, tar-xz, tar-bz2, tar-zst, tar, zip)",
				v, suggest.DidYouMean(v, []string{"tar-gz", "tar-xz", "tar-bz2", "tar-zst", "tar", "zip", "tar.gz", "tar.xz", "tgz"}))
			return st, false
		}
	case "configure", "compile", "test", "cargo", "meson", "ninja":
		st.Arg = d.optOne(a)
	case "run":
		v, p := d.one(a)
		if v == "" {
			if len(a.Children) == 2 {
				d.errorf(p, "empty command in (run)")
			}
			return st, false
		}
		st.Arg = v
	default:
		d.unknown(a, "build", buildForms())
		return st, false
	}
	return st, true
}

// Script returns the shell script a build step runs, with the defaults of
// the original recipe tool for a step written without an argument. The
// script refers to $PREFIX, $NPROC and the other variables, which the
// executor passes in the environment. Every step runs in $BUILD_DIR, where
// the source was unpacked (as makepkg's $srcdir: the original recipes say
// `cd foot && ...`); the structured steps (configure, compile, test, cargo,
// meson, ninja) first change to $SOURCE_DIR, the unpacked tree's single
// top-level directory, where ./configure and Makefiles live. Extract and
// skip steps have no script.
func (s BuildStep) Script() string {
	const inSource = `cd "$SOURCE_DIR" && `
	switch s.Kind {
	case BuildConfigure:
		return inSource + orDefault(s.Arg, `./configure --prefix="$PREFIX"`)
	case BuildCompile:
		return inSource + orDefault(s.Arg, `make -j"$NPROC"`)
	case BuildTest:
		return inSource + orDefault(s.Arg, "make test")
	case BuildCargo:
		return inSource + "cargo " + orDefault(s.Arg, "build --release")
	case BuildMeson:
		return inSource + "meson " + orDefault(s.Arg, `setup build --prefix="$PREFIX"`)
	case BuildNinja:
		return inSource + "ninja " + orDefault(s.Arg, `-C build -j"$NPROC"`)
	case BuildRun:
		return s.Arg
	}
	return ""
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
