package recipe

import (
	"github.com/levitateos/levitate/internal/sexpr"
	"github.com/levitateos/levitate/internal/suggest"
)

// Atoms and quoted strings mean the same to the decoder: (extract tar-gz)
// and (extract "tar-gz") are one step. These helpers read the arguments of
// a form (the elements after its head).

// one reads the single value of (head VALUE).
func (d *decoder) one(s *sexpr.Node) (string, Pos) {
	args := s.Children[1:]
	if len(args) != 1 {
		d.errorf(s.Pos, "(%s) takes exactly one value, got %d", s.Head(), len(args))
		if len(args) == 0 {
			return "", s.Pos
		}
	}
	if !args[0].IsValue() {
		d.errorf(args[0].Pos, "(%s) takes a value, not %s", s.Head(), describe(args[0]))
		return "", args[0].Pos
	}
	return args[0].Text, args[0].Pos
}

// values reads (head VALUE...), requiring at least min values.
func (d *decoder) values(s *sexpr.Node, min int) []string {
	args := s.Children[1:]
	if len(args) < min {
		d.errorf(s.Pos, "(%s) needs at least %d value(s)", s.Head(), min)
	}
	out := make([]string, 0, len(args))
	for _, a := range args {
		if !a.IsValue() {
			d.errorf(a.Pos, "(%s) takes values, not %s", s.Head(), describe(a))
			continue
		}
		out = append(out, a.Text)
	}
	return out
}

// valueNodes returns the value arguments of (head VALUE...), requiring at
// least min of them.
func (d *decoder) valueNodes(s *sexpr.Node, min int) []*sexpr.Node {
	args := s.Children[1:]
	if len(args) < min {
		d.errorf(s.Pos, "(%s) needs at least %d value(s)", s.Head(), min)
	}
	out := make([]*sexpr.Node, 0, len(args))
	for _, a := range args {
		if !a.IsValue() {
			d.errorf(a.Pos, "(%s) takes values, not %s", s.Head(), describe(a))
			continue
		}
		out = append(out, a)
	}
	return out
}

// optOne reads (head [VALUE]).
func (d *decoder) optOne(s *sexpr.Node) string {
	args := s.Children[1:]
	switch {
	case len(args) == 0:
		return ""
	case len(args) > 1:
		d.errorf(args[1].Pos, "(%s) takes at most one value, got %d", s.Head(), len(args))
	}
	if !args[0].IsValue() {
		d.errorf(args[0].Pos, "(%s) takes a value, not %s", s.Head(), describe(args[0]))
		return ""
	}
	return args[0].Text
}

// unknown reports an unknown form or keyword, suggesting the closest valid
// one.
func (d *decoder) unknown(n *sexpr.Node, where string, valid []string) {
	name := n.Text
	if n.Kind == sexpr.List {
		name = n.Head()
		if name == "" {
			d.errorf(n.Pos, "unexpected %s in %s", describe(n), where)
			return
		}
		d.errorf(n.Children[0].Pos, "unknown form %q in %s%s", name, where, suggest.DidYouMean(name, valid))
		return
	}
	d.errorf(n.Pos, "unknown keyword %q in %s%s", name, where, suggest.DidYouMean(name, valid))
}
