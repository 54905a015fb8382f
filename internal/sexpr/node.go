// Package sexpr reads and prints the S-expressions that recipe files are
// made of.
//
// The syntax is small: atoms (runs of characters other than white space,
// parentheses, '"' and ';'), double-quoted strings with the escapes \" \\ \n
// \t and \xHH, ';' comments to the end of the line, and lists in
// parentheses. Every node carries its position; columns count bytes, not
// runes, from 1. Comments are attached to nodes (see Comments) so that
// Format can print them back.
//
// The reader never recurses and never panics: nesting deeper than MaxDepth,
// NUL bytes, invalid UTF-8, unknown escapes and unbalanced parentheses are
// errors with a position.
package sexpr

import "strconv"

// MaxDepth is the deepest list nesting the reader accepts.
const MaxDepth = 64

// Pos is a position in a source file. Line and Col count from 1; Col counts
// bytes. The zero Line means "the file as a whole".
type Pos struct {
	File string
	Line int
	Col  int
}

// String formats p as file:line:col, leaving out what is unknown.
func (p Pos) String() string {
	s := p.File
	if p.Line > 0 {
		if s != "" {
			s += ":"
		}
		s += strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Col)
	}
	return s
}

// Before reports whether p sorts before q (by file, line, column).
func (p Pos) Before(q Pos) bool {
	if p.File != q.File {
		return p.File < q.File
	}
	if p.Line != q.Line {
		return p.Line < q.Line
	}
	return p.Col < q.Col
}

// Kind tells atoms, strings and lists apart.
type Kind uint8

// The node kinds.
const (
	Atom   Kind = iota + 1 // a bare word: package, tar-gz, 755, $@
	String                 // a double-quoted string; Text is its decoded value
	List                   // a parenthesised list; Children holds its elements
)

// String names the kind for messages.
func (k Kind) String() string {
	switch k {
	case Atom:
		return "atom"
	case String:
		return "string"
	case List:
		return "list"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Node is one S-expression.
type Node struct {
	Kind Kind
	// Blank is set when an empty line separates this node (or its first
	// leading comment) from what precedes it; Format keeps one such line.
	Blank bool
	// Pos is where the node starts: the '(' of a list, the opening quote
	// of a string, the first byte of an atom.
	Pos Pos
	// Text is an atom's text or a string's decoded value.
	Text string
	// Children are a list's elements.
	Children []*Node
	// Comments holds the comments attached to the node; nil when there are
	// none, which is the common case.
	Comments *Comments
}

// Comments are the comments attached to a node.
type Comments struct {
	// Before are the comment lines directly above the node.
	Before []Comment
	// Trailing is the comment on the line where the node ends, if any.
	Trailing *Comment
	// Inner are the comments after a list's last element, before its ')'.
	Inner []Comment
	// After are the comments at the end of the file, attached to the last
	// top-level node.
	After []Comment
}

// Comment is one ';' comment line.
type Comment struct {
	Pos Pos
	// Text is the comment including its leading ';', without the newline
	// and trailing white space.
	Text string
	// Blank is set when an empty line precedes the comment.
	Blank bool
}

// Head returns the text of a list's first element when that is an atom or
// string, and "" otherwise.
func (n *Node) Head() string {
	if n.Kind != List || len(n.Children) == 0 || n.Children[0].Kind == List {
		return ""
	}
	return n.Children[0].Text
}

// IsValue reports whether n is an atom or a string.
func (n *Node) IsValue() bool { return n.Kind == Atom || n.Kind == String }

func (n *Node) comments() *Comments {
	if n.Comments == nil {
		n.Comments = &Comments{}
	}
	return n.Comments
}

// hasComments reports whether n or anything inside it carries a comment.
func (n *Node) hasComments() bool {
	if c := n.Comments; c != nil && (len(c.Before) > 0 || c.Trailing != nil || len(c.Inner) > 0) {
		return true
	}
	for _, ch := range n.Children {
		if ch.hasComments() {
			return true
		}
	}
	return false
}
