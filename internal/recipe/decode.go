package recipe

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/levitateos/levitate/internal/sexpr"
	"github.com/levitateos/levitate/internal/suggest"
	"github.com/levitateos/levitate/internal/version"
)

// Decode parses and validates one recipe file. It reports every problem it
// finds, sorted by position. The Recipe is nil when the file is not
// syntactically a single (package ...) form; otherwise it holds whatever
// could be decoded, and must not be used when the Diagnostics hold an
// Error. Decode never panics.
func Decode(file string, src []byte) (*Recipe, Diagnostics) {
	var d Decoder
	return d.Decode(file, src)
}

// A Decoder decodes one recipe file after another like Decode, reusing the
// syntax tree's memory from file to file; the recipes it returns share
// nothing with it. The zero Decoder is ready to use; a Decoder must not be
// used by two goroutines at once.
type Decoder struct {
	p sexpr.Parser
}

// Decode is the package's Decode.
func (dec *Decoder) Decode(file string, src []byte) (*Recipe, Diagnostics) {
	d := decoder{file: file}
	nodes, err := dec.p.Parse(file, src)
	if err != nil {
		var el sexpr.ErrorList
		if errors.As(err, &el) {
			for _, e := range el {
				d.errorf(e.Pos, "%s", e.Msg)
			}
		} else {
			d.errorf(sexpr.Pos{File: file}, "%v", err)
		}
		d.diags.Sort()
		return nil, d.diags
	}
	r := d.top(nodes)
	d.diags.Sort()
	return r, d.diags
}

type decoder struct {
	file     string
	diags    Diagnostics
	featRefs []featureRef
	nameOK   bool
}

func (d *decoder) errorf(p Pos, format string, args ...any) {
	d.diags = append(d.diags, Diagnostic{Pos: p, Severity: Error, Msg: fmt.Sprintf(format, args...)})
}

func (d *decoder) warnf(p Pos, format string, args ...any) {
	d.diags = append(d.diags, Diagnostic{Pos: p, Severity: Warning, Msg: fmt.Sprintf(format, args...)})
}

func (d *decoder) top(nodes []*sexpr.Node) *Recipe {
	if len(nodes) == 0 {
		d.errorf(Pos{File: d.file, Line: 1, Col: 1}, "no (package NAME VERSION ...) form in file")
		return nil
	}
	for _, n := range nodes[1:] {
		d.errorf(n.Pos, "more than one top-level form: a recipe holds exactly one (package ...)")
	}
	n := nodes[0]
	if n.Kind != sexpr.List || n.Head() != "package" {
		msg := "a recipe must be a (package NAME VERSION ...) form"
		if h := n.Head(); h != "" {
			msg += fmt.Sprintf(", not (%s ...)", h) + suggest.DidYouMean(h, []string{"package"})
		}
		d.errorf(n.Pos, "%s", msg)
		return nil
	}
	r := &Recipe{File: d.file, Pos: n.Pos}
	d.packageForm(r, n)
	d.checkFileName(r)
	return r
}

func (d *decoder) checkFileName(r *Recipe) {
	base := filepath.Base(d.file)
	stem, ok := strings.CutSuffix(base, ".recipe")
	if !ok || !d.nameOK || stem == r.Name {
		return
	}
	d.warnf(r.NamePos, "file name %q does not match package name %q (expected %q)", base, r.Name, r.Name+".recipe")
}

// packageForm decodes (package NAME VERSION SECTION...).
func (d *decoder) packageForm(r *Recipe, n *sexpr.Node) {
	args := n.Children[1:]
	if len(args) < 2 || !args[0].IsValue() || !args[1].IsValue() {
		d.errorf(n.Pos, "(package) needs a name and a version: (package NAME VERSION ...)")
	}
	i := 0
	if len(args) > 0 && args[0].IsValue() {
		r.Name, r.NamePos = args[0].Text, args[0].Pos
		d.nameOK = d.checkName(r.NamePos, r.Name, "package name")
		i++
		if len(args) > 1 && args[1].IsValue() {
			r.Version, r.VersionPos = args[1].Text, args[1].Pos
			d.checkVersion(r)
			i++
		}
	}
	var room [24]*sexpr.Node // a package has about 15 sections
	seen := sections(room[:0])
	for _, s := range args[i:] {
		if s.Kind != sexpr.List || s.Head() == "" {
			d.errorf(s.Pos, "unexpected %s in package: expected a (section ...)", describe(s))
			continue
		}
		name := s.Head()
		if !d.packageSection(r, s, name) {
			d.errorf(s.Children[0].Pos, "unknown form %q in package%s", name, suggest.DidYouMean(name, packageForms()))
			continue
		}
		seen = seen.check(d, s, name)
	}
	d.checkRequired(r, n)
	d.checkFeatureRefs(r)
	d.checkArchPaths(r)
}

func packageForms() []string {
	return []string{"description", "license", "homepage", "maintainer", "deps", "build-deps",
		"provides", "conflicts", "features", "acquire", "patches", "build", "install", "desktop",
		"configure", "start", "stop", "remove", "cleanup", "subpackages"}
}

// packageSection decodes one section; it returns false for an unknown one.
func (d *decoder) packageSection(r *Recipe, s *sexpr.Node, name string) bool {
	switch name {
	case "description":
		r.Description, _ = d.one(s)
	case "license":
		r.Licenses = d.values(s, 1)
	case "homepage":
		r.Homepage, _ = d.one(s)
	case "maintainer":
		r.Maintainer, _ = d.one(s)
	case "deps":
		r.Deps = append(r.Deps, d.deps(s, Runtime, true)...)
	case "build-deps":
		r.Deps = append(r.Deps, d.deps(s, Build, false)...)
	case "provides":
		r.Provides = d.plainDeps(s)
	case "conflicts":
		r.Conflicts = d.plainDeps(s)
	case "features":
		r.Features = d.features(s)
	case "acquire":
		r.Acquire = d.acquire(s)
	case "patches":
		r.Patches = d.patches(s)
	case "build":
		r.Build = d.build(s)
	case "install":
		r.Install = d.install(s)
	case "desktop":
		r.Desktop = d.desktop(s)
	case "configure":
		r.Configure = d.configure(s)
	case "start":
		r.Start = d.start(s)
	case "stop":
		r.Stop = d.stop(s)
	case "remove":
		r.Remove = d.remove(s)
	case "cleanup":
		r.Cleanup = d.cleanup(s)
	case "subpackages":
		r.Subpackages = d.subpackages(s, r)
	default:
		return false
	}
	return true
}

func (d *decoder) checkRequired(r *Recipe, n *sexpr.Node) {
	if r.Description == "" {
		d.warnf(n.Pos, "package %q has no (description ...)", r.Name)
	}
	if len(r.Licenses) == 0 {
		d.warnf(n.Pos, "package %q has no (license ...)", r.Name)
	}
	if r.Acquire == nil && (len(r.Install) > 0 || hasWork(r.Build)) {
		d.errorf(n.Pos, "package %q builds or installs files but has no (acquire ...) section", r.Name)
	}
}

func hasWork(steps []BuildStep) bool {
	for _, s := range steps {
		if s.Kind != BuildSkip {
			return true
		}
	}
	return false
}

func (d *decoder) checkVersion(r *Recipe) {
	if r.Version == "" {
		d.errorf(r.VersionPos, "empty version")
		return
	}
	evr, err := version.ParseEVR(r.Version)
	if err != nil {
		d.errorf(r.VersionPos, "%v", err)
		return
	}
	r.EVR = evr
}

// sections remembers the sections seen so far, to report duplicates.
type sections []*sexpr.Node

// check reports s when a section of the same name was seen, and returns
// ss with s added otherwise.
func (ss sections) check(d *decoder, s *sexpr.Node, name string) sections {
	for _, x := range ss {
		if x.Head() == name {
			d.errorf(s.Pos, "duplicate (%s) section; the first is at %s", name, x.Pos)
			return ss
		}
	}
	return append(ss, s)
}

// describe names a node's kind for messages.
func describe(n *sexpr.Node) string {
	switch n.Kind {
	case sexpr.List:
		if h := n.Head(); h != "" {
			return fmt.Sprintf("(%s ...)", h)
		}
		return "list"
	case sexpr.String:
		return fmt.Sprintf("string %q", n.Text)
	}
	return fmt.Sprintf("atom %s", n.Text)
}
