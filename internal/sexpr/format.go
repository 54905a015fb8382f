package sexpr

import (
	"strings"
	"unicode/utf8"
)

// Width is the line width Format aims for.
const Width = 80

// Format prints nodes in the canonical layout, one top-level form after
// another, ending with a newline.
//
// A list goes on one line when it fits within Width columns, holds no
// comments and nests at most one level of lists (such as
// (source "URL" (sha256 "HEX"))). Otherwise its head and, while they fit,
// the plain values that follow the head stay on the first line (the first
// value always does), and every other element goes on a line of its own,
// indented two columns past the list's '('. Comments are kept where they
// were attached; a run of empty lines before a node or comment on a line of
// its own becomes one empty line. Format(Parse(Format(x))) == Format(x).
func Format(nodes []*Node) []byte {
	p := printer{buf: make([]byte, 0, 1024)}
	for i, n := range nodes {
		first := i == 0
		if c := n.Comments; c != nil {
			for j, cm := range c.Before {
				if cm.Blank && !(first && j == 0) {
					p.buf = append(p.buf, '\n')
				}
				p.text(cm.Text)
				p.nl(0)
			}
			if len(c.Before) > 0 {
				first = false
			}
		}
		if n.Blank && !first {
			p.buf = append(p.buf, '\n')
		}
		p.node(n)
		p.nl(0)
		if c := n.Comments; c != nil {
			for _, cm := range c.After {
				if cm.Blank {
					p.buf = append(p.buf, '\n')
				}
				p.text(cm.Text)
				p.nl(0)
			}
		}
	}
	return p.buf
}

type printer struct {
	buf []byte
	col int // runes since the last newline
}

func (p *printer) text(s string) {
	p.buf = append(p.buf, s...)
	p.col += utf8.RuneCountInString(s)
}

func (p *printer) nl(indent int) {
	p.buf = append(p.buf, '\n')
	for range indent {
		p.buf = append(p.buf, ' ')
	}
	p.col = indent
}

// node prints n and its trailing comment; it reports whether the output now
// ends in a comment, so that nothing may follow on the same line.
func (p *printer) node(n *Node) bool {
	switch n.Kind {
	case List:
		if flatOK(n) && p.col+flatWidth(n, Width+1) <= Width {
			p.flat(n)
		} else {
			p.multi(n)
		}
	default:
		p.value(n)
	}
	if c := n.Comments; c != nil && c.Trailing != nil {
		p.text(" ")
		p.text(c.Trailing.Text)
		return true
	}
	return false
}

func (p *printer) value(n *Node) {
	if n.Kind == Atom && validAtom(n.Text) {
		p.text(n.Text)
		return
	}
	start := len(p.buf)
	p.buf = appendQuoted(p.buf, n.Text)
	p.col += utf8.RuneCount(p.buf[start:])
}

func (p *printer) flat(n *Node) {
	p.text("(")
	for i, ch := range n.Children {
		if i > 0 {
			p.text(" ")
		}
		if ch.Kind == List {
			p.flat(ch)
		} else {
			p.value(ch)
		}
	}
	p.text(")")
}

func (p *printer) multi(n *Node) {
	open := p.col
	indent := open + 2
	p.text("(")
	kids := n.Children
	k := 0
	endsInComment := false
	if len(kids) > 0 && (kids[0].Comments == nil || len(kids[0].Comments.Before) == 0) {
		endsInComment = p.node(kids[0])
		k = 1
		if kids[0].IsValue() && !endsInComment {
			for k < len(kids) && kids[k].IsValue() && !hasBefore(kids[k]) &&
				(k == 1 || p.col+1+valueWidth(kids[k]) <= Width) {
				p.text(" ")
				endsInComment = p.node(kids[k])
				k++
				if endsInComment {
					break
				}
			}
		}
	}
	for _, ch := range kids[k:] {
		p.comments(ch, indent)
		if ch.Blank {
			p.buf = append(p.buf, '\n')
		}
		p.nl(indent)
		endsInComment = p.node(ch)
	}
	if c := n.Comments; c != nil && len(c.Inner) > 0 {
		for _, cm := range c.Inner {
			if cm.Blank {
				p.buf = append(p.buf, '\n')
			}
			p.nl(indent)
			p.text(cm.Text)
		}
		endsInComment = true
	}
	if endsInComment {
		p.nl(open)
	}
	p.text(")")
}

// comments prints the comment lines above n, each on a line of its own.
func (p *printer) comments(n *Node, indent int) {
	if n.Comments == nil {
		return
	}
	for _, cm := range n.Comments.Before {
		if cm.Blank {
			p.buf = append(p.buf, '\n')
		}
		p.nl(indent)
		p.text(cm.Text)
	}
}

func hasBefore(n *Node) bool { return n.Comments != nil && len(n.Comments.Before) > 0 }

// flatOK reports whether n may be printed on one line: no comments inside
// it and at most one level of nested lists.
func flatOK(n *Node) bool {
	if c := n.Comments; c != nil && len(c.Inner) > 0 {
		return false
	}
	for _, ch := range n.Children {
		if ch.hasComments() {
			return false
		}
		if ch.Kind == List {
			for _, g := range ch.Children {
				if g.Kind == List {
					return false
				}
			}
		}
	}
	return true
}

// flatWidth is the width of n printed on one line, or some value >= limit
// when it is at least that wide.
func flatWidth(n *Node, limit int) int {
	if n.Kind != List {
		return valueWidth(n)
	}
	w := 2
	for i, ch := range n.Children {
		if i > 0 {
			w++
		}
		w += flatWidth(ch, limit-w)
		if w >= limit {
			return w
		}
	}
	return w
}

func valueWidth(n *Node) int {
	if n.Kind == Atom && validAtom(n.Text) {
		return utf8.RuneCountInString(n.Text)
	}
	return utf8.RuneCount(appendQuoted(nil, n.Text))
}

// validAtom reports whether s reads back as the same atom.
func validAtom(s string) bool {
	if s == "" || !utf8.ValidString(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if isDelim(s[i]) {
			return false
		}
	}
	return true
}

const hexDigits = "0123456789abcdef"

// appendQuoted appends s as a quoted string using the reader's escapes.
func appendQuoted(b []byte, s string) []byte {
	b = append(b, '"')
	if !strings.ContainsAny(s, "\"\\\n\t") && isPlain(s) {
		b = append(b, s...)
		return append(b, '"')
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\t':
			b = append(b, '\\', 't')
		case c < 0x20 || c == 0x7f:
			b = append(b, '\\', 'x', hexDigits[c>>4], hexDigits[c&15])
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				b = append(b, '\\', 'x', hexDigits[c>>4], hexDigits[c&15])
			} else {
				b = append(b, s[i:i+size]...)
			}
			i += size
			continue
		default:
			b = append(b, c)
		}
		i++
	}
	return append(b, '"')
}

// isPlain reports whether s needs no escapes beyond " \ newline and tab.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}
