package sexpr

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// maxErrors bounds the errors reported for one file, so that a binary file
// fed to the reader yields a short report.
const maxErrors = 20

// Parse reads every top-level form in src. file names the source in
// positions. On error it returns nil nodes and an ErrorList holding every
// problem found (up to a bound), sorted by position.
//
// Comments at the end of the file are attached to the last top-level node;
// a file holding comments and no form yields no nodes.
func Parse(file string, src []byte) ([]*Node, error) {
	var p Parser
	return p.Parse(file, src)
}

// A Parser parses one file after another and reuses its memory from call
// to call, which matters when thousands of files are read only to be
// converted into something else: most of the cost of reading a small file
// is allocating its nodes. The zero Parser is ready to use; a Parser must
// not be used by two goroutines at once.
type Parser struct {
	r reader
}

// Parse is like the package's Parse, but the nodes it returns (and their
// Children and top-level slice) are valid only until the next call to
// Parse: a later call overwrites them. The Text of nodes and comments
// stays valid, since it lives in a copy of src made for each file.
func (p *Parser) Parse(file string, src []byte) ([]*Node, error) {
	r := &p.r
	r.reset(file, src)
	r.run()
	if len(r.errs) > 0 {
		r.errs.Sort()
		errs := r.errs
		r.errs = nil // returned to the caller: not reused
		return nil, errs
	}
	return r.top, nil
}

type frame struct {
	node  *Node
	first int // index in reader.kids of the list's first child
}

type reader struct {
	file string
	src  string
	i    int
	line int
	bol  int // offset of the current line's first byte

	stack   []frame
	kids    []*Node // children of the open lists, innermost last
	top     []*Node
	pending []Comment // comments waiting for the node they precede
	last    *Node     // node that ended most recently, for trailing comments
	endLine int       // line where the last token ended

	slab []Node
	ptrs []*Node
	errs ErrorList
	// eofInString is set when the file ends inside a string, which also
	// leaves lists open: one error says it all.
	eofInString bool
}

// reset prepares r for a new file, keeping the memory of earlier ones.
// The node slab is reused from the start; when a file needed more than one
// chunk, the largest chunk is kept so that the next file fits in one.
func (r *reader) reset(file string, src []byte) {
	*r = reader{
		file:    file,
		src:     string(src),
		stack:   r.stack[:0],
		kids:    r.kids[:0],
		top:     r.top[:0],
		slab:    r.slab[:0],
		ptrs:    r.ptrs[:0],
		pending: r.pending[:0],
	}
	if cap(r.slab) == 0 {
		// Generated and hand-written recipes hold a node per 10 to 12
		// bytes; a slightly generous first chunk avoids a second one.
		r.slab = make([]Node, 0, len(src)/10+16)
		r.ptrs = make([]*Node, 0, len(src)/10+16)
	}
}

func (r *reader) pos(off int) Pos { return Pos{File: r.file, Line: r.line, Col: off - r.bol + 1} }

func (r *reader) errorf(p Pos, format string, args ...any) {
	if len(r.errs) == maxErrors {
		r.errs.Add(p, "too many errors")
	}
	if len(r.errs) > maxErrors {
		return
	}
	r.errs.Add(p, fmt.Sprintf(format, args...))
}

func (r *reader) newNode(k Kind, p Pos) *Node {
	if len(r.slab) == cap(r.slab) {
		// Nodes already handed out stay in the old chunk.
		r.slab = make([]Node, 0, max(64, 2*cap(r.slab)))
	}
	r.slab = r.slab[:len(r.slab)+1]
	n := &r.slab[len(r.slab)-1]
	// Field by field: while the collector runs, which is most of the time
	// during a large load, copying a whole Node costs a bulk write barrier
	// (twice the time of the per-field ones, in profiles of LoadDir).
	n.Kind, n.Pos, n.Text, n.Children, n.Comments = k, p, "", nil, nil
	n.Blank = p.Line > r.endLine+1 && r.endLine > 0
	if len(r.pending) > 0 {
		n.comments().Before = r.takePending()
	}
	return n
}

func (r *reader) takePending() []Comment {
	c := make([]Comment, len(r.pending))
	copy(c, r.pending)
	r.pending = r.pending[:0]
	return c
}

// finish records a completed node in the innermost open list (or at top
// level) and remembers it for a trailing comment.
func (r *reader) finish(n *Node) {
	if len(r.stack) > 0 {
		r.kids = append(r.kids, n)
	} else {
		r.top = append(r.top, n)
	}
	r.last = n
	r.endLine = r.line
}

func (r *reader) run() {
	r.line = 1
	for r.i < len(r.src) && len(r.errs) <= maxErrors {
		c := r.src[r.i]
		switch {
		case c == '\n':
			r.i++
			r.line++
			r.bol = r.i
		case c == ' ' || c == '\t' || c == '\r':
			r.i++
		case c == ';':
			r.comment()
		case c == '(':
			if !r.open() {
				return
			}
		case c == ')':
			r.close()
		case c == '"':
			r.str()
		case c == 0:
			r.errorf(r.pos(r.i), "NUL byte")
			r.i++
		case c < 0x20 || c == 0x7f:
			r.errorf(r.pos(r.i), "unexpected control character %U", rune(c))
			r.i++
		default:
			r.atom()
		}
	}
	if n := len(r.stack); n > 0 && !r.eofInString {
		r.errorf(r.stack[n-1].node.Pos, "unterminated list: missing ')' (%d list(s) open at end of file)", n)
		return
	}
	if len(r.pending) > 0 && len(r.top) > 0 {
		last := r.top[len(r.top)-1]
		last.comments().After = r.takePending()
	}
}

func (r *reader) comment() {
	start := r.i
	end := strings.IndexByte(r.src[start:], '\n')
	if end < 0 {
		end = len(r.src)
	} else {
		end += start
	}
	r.checkText(start, end)
	c := Comment{Pos: r.pos(start), Text: strings.TrimRight(r.src[start:end], " \t\r")}
	r.i = end
	if r.last != nil && r.endLine == r.line {
		r.last.comments().Trailing = &c
	} else {
		c.Blank = r.line > r.endLine+1 && r.endLine > 0
		r.pending = append(r.pending, c)
	}
	r.last = nil
	r.endLine = r.line
}

// checkText reports NUL bytes, stray control characters and invalid UTF-8
// in src[start:end], which holds no newline.
func (r *reader) checkText(start, end int) {
	for j := start; j < end; {
		c := r.src[j]
		switch {
		case c == 0:
			r.errorf(r.pos(j), "NUL byte")
		case c < utf8.RuneSelf:
		default:
			ru, size := utf8.DecodeRuneInString(r.src[j:end])
			if ru == utf8.RuneError && size == 1 {
				r.errorf(r.pos(j), "invalid UTF-8 byte 0x%02x", c)
			}
			j += size
			continue
		}
		j++
	}
}

func (r *reader) open() bool {
	p := r.pos(r.i)
	if len(r.stack) >= MaxDepth {
		r.errorf(p, "lists nested deeper than %d", MaxDepth)
		return false
	}
	n := r.newNode(List, p)
	r.stack = append(r.stack, frame{node: n, first: len(r.kids)})
	r.i++
	r.last = nil
	r.endLine = r.line
	return true
}

func (r *reader) close() {
	if len(r.stack) == 0 {
		r.errorf(r.pos(r.i), "unexpected ')' with no list open")
		r.i++
		return
	}
	f := r.stack[len(r.stack)-1]
	r.stack = r.stack[:len(r.stack)-1]
	kids := r.kids[f.first:]
	if len(kids) > 0 {
		f.node.Children = r.children(kids)
	}
	r.kids = r.kids[:f.first]
	if len(r.pending) > 0 {
		f.node.comments().Inner = r.takePending()
	}
	r.i++
	r.finish(f.node)
}

// children copies kids into a shared backing array, so that a file costs a
// few allocations rather than one per list.
func (r *reader) children(kids []*Node) []*Node {
	n := len(kids)
	if cap(r.ptrs)-len(r.ptrs) < n {
		r.ptrs = make([]*Node, 0, max(64, n, 2*cap(r.ptrs)))
	}
	s := r.ptrs[len(r.ptrs) : len(r.ptrs)+n : len(r.ptrs)+n]
	copy(s, kids)
	r.ptrs = r.ptrs[:len(r.ptrs)+n]
	return s
}

func isDelim(c byte) bool {
	return c <= ' ' || c == '(' || c == ')' || c == '"' || c == ';' || c == 0x7f
}

func (r *reader) atom() {
	start := r.i
	j := start
	for j < len(r.src) && !isDelim(r.src[j]) {
		j++
	}
	r.checkText(start, j)
	n := r.newNode(Atom, r.pos(start))
	n.Text = r.src[start:j]
	r.i = j
	r.finish(n)
}
