package recipe

import (
	"fmt"
	"strings"

	"github.com/levitateos/levitate/internal/sexpr"
	"github.com/levitateos/levitate/internal/suggest"
	"github.com/levitateos/levitate/internal/version"
)

// featureRef is a feature named by an (if ...) condition, checked once all
// features are known.
type featureRef struct {
	name string
	pos  Pos
}

// deps decodes (deps ...) or (build-deps ...). nested allows the
// (build ...) and (runtime ...) groups.
func (d *decoder) deps(s *sexpr.Node, kind DepKind, nested bool) []Dep {
	out := make([]Dep, 0, countValues(s, 3))
	valid := []string{"if"}
	if nested {
		valid = []string{"build", "runtime", "if"}
	}
	for _, a := range s.Children[1:] {
		switch {
		case a.IsValue():
			out = d.appendDep(out, a, kind, "")
		case nested && (a.Head() == "build" || a.Head() == "runtime"):
			k := Runtime
			if a.Head() == "build" {
				k = Build
			}
			out = d.depGroup(out, a, k, "")
		case a.Head() == "if":
			out = d.ifDeps(out, a, kind, nested)
		default:
			d.unknown(a, s.Head(), valid)
		}
	}
	return out
}

// depGroup decodes the values and (if ...) forms of a (build ...) or
// (runtime ...) group.
func (d *decoder) depGroup(out []Dep, g *sexpr.Node, kind DepKind, cond string) []Dep {
	for _, a := range g.Children[1:] {
		switch {
		case a.IsValue():
			out = d.appendDep(out, a, kind, cond)
		case a.Head() == "if" && cond == "":
			out = d.ifDeps(out, a, kind, false)
		case a.Head() == "if":
			d.errorf(a.Pos, "(if ...) cannot be nested in another (if ...)")
		default:
			d.unknown(a, g.Head(), []string{"if"})
		}
	}
	return out
}

// ifDeps decodes (if FEATURE DEP...) and (if !FEATURE DEP...).
func (d *decoder) ifDeps(out []Dep, n *sexpr.Node, kind DepKind, nested bool) []Dep {
	args := n.Children[1:]
	if len(args) < 2 || !args[0].IsValue() {
		d.errorf(n.Pos, "(if) needs a feature and at least one dependency: (if FEATURE \"dep\" ...) or (if !FEATURE ...)")
		return out
	}
	cond := args[0].Text
	name := strings.TrimPrefix(cond, "!")
	if d.checkName(args[0].Pos, name, "feature name") {
		d.featRefs = append(d.featRefs, featureRef{name, args[0].Pos})
	}
	for _, a := range args[1:] {
		switch {
		case a.IsValue():
			out = d.appendDep(out, a, kind, cond)
		case nested && (a.Head() == "build" || a.Head() == "runtime"):
			k := Runtime
			if a.Head() == "build" {
				k = Build
			}
			out = d.depGroup(out, a, k, cond)
		case a.Head() == "if":
			d.errorf(a.Pos, "(if ...) cannot be nested in another (if ...)")
		default:
			valid := []string{}
			if nested {
				valid = []string{"build", "runtime"}
			}
			d.unknown(a, "if", valid)
		}
	}
	return out
}

func (d *decoder) appendDep(out []Dep, a *sexpr.Node, kind DepKind, cond string) []Dep {
	name, c, err := version.ParseDep(a.Text)
	if err != nil {
		d.errorf(a.Pos, "%v", err)
		return out
	}
	for _, o := range out {
		if o.Name == name && o.Kind == kind && o.If == cond {
			d.errorf(a.Pos, "duplicate %s dependency %q; the first is at %s", kind, name, o.Pos)
			return out
		}
	}
	return append(out, Dep{Name: name, Constraint: c, Raw: a.Text, Kind: kind, If: cond, Pos: a.Pos})
}

// countValues counts the atoms and strings in n's list tail and in the
// lists nested in it, depth levels deep: the room that decoding the
// dependencies of n needs, found without growing a slice step by step.
func countValues(n *sexpr.Node, depth int) int {
	c := 0
	for _, a := range n.Children[1:] {
		if a.IsValue() {
			c++
		} else if depth > 1 && len(a.Children) > 0 {
			c += countValues(a, depth-1)
		}
	}
	return c
}

// plainDeps decodes (provides ...) and (conflicts ...).
func (d *decoder) plainDeps(s *sexpr.Node) []Dep {
	var out []Dep
	for _, a := range s.Children[1:] {
		if !a.IsValue() {
			d.errorf(a.Pos, "(%s) takes package names, not %s", s.Head(), describe(a))
			continue
		}
		n := len(out)
		out = d.appendDep(out, a, Runtime, "")
		if s.Head() == "provides" && len(out) > n {
			cl := out[n].Constraint.Clauses
			if len(cl) > 1 || len(cl) == 1 && cl[0].Op != version.OpEQ {
				d.errorf(a.Pos, "provides %q: a provided version must be exact, as in \"%s = 1.0\"", a.Text, out[n].Name)
			}
		}
	}
	return out
}

// features decodes (features (NAME [DESCRIPTION] [default] [(implies F...)])
// ... [(default F...)]).
func (d *decoder) features(s *sexpr.Node) []Feature {
	var out []Feature
	var defaults []*sexpr.Node
	for _, a := range s.Children[1:] {
		switch {
		case a.IsValue():
			out = d.addFeature(out, Feature{Name: a.Text, Pos: a.Pos})
		case a.Head() == "default":
			defaults = append(defaults, a.Children[1:]...)
		case a.Head() != "":
			out = d.addFeature(out, d.feature(a))
		default:
			d.errorf(a.Pos, "unexpected %s in features: expected (NAME ...)", describe(a))
		}
	}
	for _, n := range defaults {
		switch i := featureIndex(out, n.Text); {
		case !n.IsValue():
			d.errorf(n.Pos, "(default) takes feature names, not %s", describe(n))
		case i < 0:
			d.errorf(n.Pos, "(default) names unknown feature %q%s", n.Text, suggest.DidYouMean(n.Text, featureNames(out)))
		default:
			out[i].Default = true
		}
	}
	for _, f := range out {
		for _, imp := range f.Implies {
			switch {
			case imp == f.Name:
				d.errorf(f.Pos, "feature %q implies itself", f.Name)
			case featureIndex(out, imp) < 0:
				d.errorf(f.Pos, "feature %q implies unknown feature %q%s", f.Name, imp, suggest.DidYouMean(imp, featureNames(out)))
			}
		}
	}
	return out
}

func (d *decoder) feature(a *sexpr.Node) Feature {
	f := Feature{Name: a.Head(), Pos: a.Pos}
	for _, o := range a.Children[1:] {
		switch {
		case o.Kind == sexpr.Atom && o.Text == "default":
			f.Default = true
		case o.Kind == sexpr.String && f.Description == "":
			f.Description = o.Text
		case o.Head() == "implies":
			f.Implies = append(f.Implies, d.values(o, 1)...)
		default:
			d.errorf(o.Pos, "unexpected %s in feature %q: expected a description, default or (implies ...)", describe(o), f.Name)
		}
	}
	return f
}

func (d *decoder) addFeature(out []Feature, f Feature) []Feature {
	if !d.checkName(f.Pos, f.Name, "feature name") {
		return out
	}
	if f.Name == "default" {
		d.errorf(f.Pos, "\"default\" cannot name a feature: (default F...) lists the features on by default")
		return out
	}
	if i := featureIndex(out, f.Name); i >= 0 {
		d.errorf(f.Pos, "duplicate feature %q; the first is at %s", f.Name, out[i].Pos)
		return out
	}
	return append(out, f)
}

func featureIndex(fs []Feature, name string) int {
	for i, f := range fs {
		if f.Name == name {
			return i
		}
	}
	return -1
}

func featureNames(fs []Feature) []string {
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.Name
	}
	return names
}

// checkFeatureRefs reports (if ...) conditions naming undeclared features.
func (d *decoder) checkFeatureRefs(r *Recipe) {
	for _, ref := range d.featRefs {
		if featureIndex(r.Features, ref.name) < 0 {
			d.errorf(ref.pos, "condition names unknown feature %q (declare it in (features ...))%s",
				ref.name, suggest.DidYouMean(ref.name, featureNames(r.Features)))
		}
	}
}

// checkName validates a package or feature name; it reports whether the
// name is valid.
func (d *decoder) checkName(p Pos, name, what string) bool {
	if name == "" {
		d.errorf(p, "empty %s", what)
		return false
	}
	if len(name) > 128 {
		d.errorf(p, "%s %q is longer than 128 bytes", what, name[:32]+"...")
		return false
	}
	for _, c := range name {
		if !isNameRune(c) {
			d.errorf(p, "%s %q contains %s: use letters, digits and . _ + - @", what, name, quoteRune(c))
			return false
		}
	}
	if c := name[0]; c == '-' || c == '.' {
		d.errorf(p, "%s %q must start with a letter or digit", what, name)
		return false
	}
	return true
}

func isNameRune(c rune) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.ContainsRune("._+-@", c)
}

func quoteRune(c rune) string {
	if c == ' ' {
		return "a space"
	}
	return fmt.Sprintf("%q", c)
}
