package sexpr

import (
	"strings"
	"testing"
)

func TestParsePositions(t *testing.T) {
	src := "; header\n(package \"a\"\n  (deps \"b\" x)) ; tail\n\n\t(second \"é\" y)\n"
	nodes, err := Parse("f.recipe", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(nodes) != 2 {
		t.Fatalf("Parse: %d top-level nodes; want 2", len(nodes))
	}
	p, s := nodes[0], nodes[1]
	tests := []struct {
		name string
		n    *Node
		want string
	}{
		{"package list", p, "f.recipe:2:1"},
		{"package head", p.Children[0], "f.recipe:2:2"},
		{"name string", p.Children[1], "f.recipe:2:10"},
		{"deps list", p.Children[2], "f.recipe:3:3"},
		{"deps string", p.Children[2].Children[1], "f.recipe:3:9"},
		{"deps atom", p.Children[2].Children[2], "f.recipe:3:13"},
		{"tab-indented list", s, "f.recipe:5:2"},
		{"atom after multi-byte rune (byte columns)", s.Children[2], "f.recipe:5:15"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.n.Pos.String(); got != tt.want {
				t.Errorf("Pos = %s; want %s", got, tt.want)
			}
		})
	}
	if c := p.Comments; c == nil || len(c.Before) != 1 || c.Before[0].Text != "; header" || c.Trailing == nil || c.Trailing.Text != "; tail" {
		t.Errorf("package comments = %+v; want Before [; header] and Trailing ; tail", p.Comments)
	}
	if !s.Blank || p.Blank {
		t.Errorf("Blank = %v, %v; want false, true", p.Blank, s.Blank)
	}
}

func TestParseValues(t *testing.T) {
	tests := []struct {
		in   string
		kind Kind
		want string
	}{
		{`abc`, Atom, "abc"},
		{`$@`, Atom, "$@"},
		{`tar-gz`, Atom, "tar-gz"},
		{`""`, String, ""},
		{`"plain"`, String, "plain"},
		{`"q\"b\\s"`, String, `q"b\s`},
		{`"a\nb\tc"`, String, "a\nb\tc"},
		{`"\x41\x7a\xff"`, String, "Az\xff"},
		{"\"multi\nline\"", String, "multi\nline"},
		{`"ünïcode"`, String, "ünïcode"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			nodes, err := Parse("t", []byte(tt.in))
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if len(nodes) != 1 || nodes[0].Kind != tt.kind || nodes[0].Text != tt.want {
				t.Errorf("Parse(%q) = %+v; want one %v %q", tt.in, nodes[0], tt.kind, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"unterminated string", `(a "bc`, `t:1:4: unterminated string`},
		{"unterminated string after escape", `"ab\`, `t:1:1: unterminated string`},
		{"unterminated list", "(a\n  (b c)", `t:1:1: unterminated list: missing ')' (1 list(s) open at end of file)`},
		{"unterminated nested", "(a\n  (b c", `t:2:3: unterminated list: missing ')' (2 list(s) open at end of file)`},
		{"stray paren", "(a))", `t:1:4: unexpected ')' with no list open`},
		{"two stray parens", ")\n)", "t:1:1: unexpected ')' with no list open\nt:2:1: unexpected ')' with no list open"},
		{"unknown escape", `"a\qb"`, `t:1:3: unknown escape sequence \q (use \" \\ \n \t or \xHH)`},
		{"bad hex escape", `"\xZ1"`, `t:1:2: escape \x needs two hexadecimal digits`},
		{"short hex escape", `"\x4"`, `t:1:2: escape \x needs two hexadecimal digits`},
		{"NUL in atom", "(a\x00b)", `t:1:3: NUL byte`},
		{"NUL in string", "\"a\x00\"", `t:1:3: NUL byte in string`},
		{"NUL in comment", "; x\x00\n(a)", `t:1:4: NUL byte`},
		{"invalid UTF-8 atom", "(a \xff)", `t:1:4: invalid UTF-8 byte 0xff`},
		{"invalid UTF-8 string", "\"\xc3\"", `t:1:2: invalid UTF-8 byte 0xc3 in string`},
		{"control character", "(a \x01)", `t:1:4: unexpected control character U+0001`},
		{"too deep", strings.Repeat("(", MaxDepth+1) + strings.Repeat(")", MaxDepth+1), `t:1:65: lists nested deeper than 64`},
		{"several errors sorted", "\"\\q\" \"\\w\"\n)", "t:1:2: unknown escape sequence \\q (use \\\" \\\\ \\n \\t or \\xHH)\nt:1:7: unknown escape sequence \\w (use \\\" \\\\ \\n \\t or \\xHH)\nt:2:1: unexpected ')' with no list open"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nodes, err := Parse("t", []byte(tt.in))
			if err == nil {
				t.Fatalf("Parse(%q) = %d nodes, nil error; want %q", tt.in, len(nodes), tt.want)
			}
			if nodes != nil {
				t.Errorf("Parse(%q) returned nodes with an error", tt.in)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("Parse(%q) error =\n%s\nwant\n%s", tt.in, got, tt.want)
			}
			if _, ok := err.(ErrorList); !ok {
				t.Errorf("Parse(%q) error type %T; want ErrorList", tt.in, err)
			}
		})
	}
}

func TestParseDepthLimit(t *testing.T) {
	ok := strings.Repeat("(", MaxDepth) + strings.Repeat(")", MaxDepth)
	if _, err := Parse("t", []byte(ok)); err != nil {
		t.Errorf("Parse(depth %d) = %v; want nil", MaxDepth, err)
	}
	huge := strings.Repeat("(", 1_000_000)
	if _, err := Parse("t", []byte(huge)); err == nil {
		t.Errorf("Parse(depth 1e6) = nil error; want depth error")
	}
}

func TestParseTooManyErrors(t *testing.T) {
	_, err := Parse("t", []byte(strings.Repeat(")", 100)))
	el, ok := err.(ErrorList)
	if !ok || len(el) != maxErrors+1 || el[maxErrors].Msg != "too many errors" {
		t.Errorf("Parse(100 stray parens) = %d errors; want %d ending in \"too many errors\"", len(el), maxErrors+1)
	}
}

func TestComments(t *testing.T) {
	src := "(a ; after a\n  ; before b\n\n  ; also before b\n  b\n  ; inner\n) ; trailing list\n; at end\n"
	nodes, err := Parse("t", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	l := nodes[0]
	a, b := l.Children[0], l.Children[1]
	if a.Comments == nil || a.Comments.Trailing == nil || a.Comments.Trailing.Text != "; after a" {
		t.Errorf("a trailing = %+v; want ; after a", a.Comments)
	}
	if b.Comments == nil || len(b.Comments.Before) != 2 || !b.Comments.Before[1].Blank || b.Comments.Before[0].Blank {
		t.Errorf("b before = %+v; want two comments, the second after a blank line", b.Comments)
	}
	c := l.Comments
	if c == nil || len(c.Inner) != 1 || c.Trailing == nil || len(c.After) != 1 || c.After[0].Text != "; at end" {
		t.Errorf("list comments = %+v; want inner, trailing and after", c)
	}
}
