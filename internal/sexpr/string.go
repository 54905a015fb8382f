package sexpr

import (
	"unicode/utf8"
)

// str reads a quoted string. Strings without escapes share the source's
// memory; only escaped strings allocate.
func (r *reader) str() {
	p := r.pos(r.i)
	n := r.newNode(String, p)
	j := r.i + 1
	start := j
	var buf []byte // nil until the first escape
	for {
		if j >= len(r.src) {
			r.errorf(p, "unterminated string")
			r.i = j
			r.eofInString = true
			return
		}
		c := r.src[j]
		switch {
		case c == '"':
			if buf == nil {
				n.Text = r.src[start:j]
			} else {
				n.Text = string(buf)
			}
			r.i = j + 1
			r.finish(n)
			return
		case c == '\\':
			if buf == nil {
				buf = append(make([]byte, 0, j-start+16), r.src[start:j]...)
			}
			j = r.escape(j, &buf)
			continue
		case c == '\n':
			r.line++
			r.bol = j + 1
		case c == 0:
			r.errorf(r.pos(j), "NUL byte in string")
		case c >= utf8.RuneSelf:
			ru, size := utf8.DecodeRuneInString(r.src[j:])
			if ru == utf8.RuneError && size == 1 {
				r.errorf(r.pos(j), "invalid UTF-8 byte 0x%02x in string", c)
			}
			if buf != nil {
				buf = append(buf, r.src[j:j+size]...)
			}
			j += size
			continue
		}
		if buf != nil {
			buf = append(buf, c)
		}
		j++
	}
}

// escape decodes the escape sequence at src[j] (a backslash) into buf and
// returns the offset after it.
func (r *reader) escape(j int, buf *[]byte) int {
	if j+1 >= len(r.src) {
		return j + 1 // the caller reports the unterminated string
	}
	switch e := r.src[j+1]; e {
	case '"', '\\':
		*buf = append(*buf, e)
	case 'n':
		*buf = append(*buf, '\n')
	case 't':
		*buf = append(*buf, '\t')
	case 'x':
		if j+3 < len(r.src) {
			hi, ok1 := unhex(r.src[j+2])
			lo, ok2 := unhex(r.src[j+3])
			if ok1 && ok2 {
				*buf = append(*buf, hi<<4|lo)
				return j + 4
			}
		}
		r.errorf(r.pos(j), `escape \x needs two hexadecimal digits`)
		return j + 2
	default:
		if e < 0x20 || e >= utf8.RuneSelf {
			r.errorf(r.pos(j), `unknown escape sequence \ followed by %U (use \" \\ \n \t or \xHH)`, rune(e))
			return j + 1
		}
		r.errorf(r.pos(j), `unknown escape sequence \%c (use \" \\ \n \t or \xHH)`, e)
	}
	return j + 2
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
