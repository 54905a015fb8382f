package sexpr

import (
	"sort"
	"strings"
)

// Error is one positioned syntax error.
type Error struct {
	Pos Pos
	Msg string
}

// Error formats the error as file:line:col: msg.
func (e *Error) Error() string {
	if p := e.Pos.String(); p != "" {
		return p + ": " + e.Msg
	}
	return e.Msg
}

// ErrorList is a list of errors sorted by position, in the manner of
// go/scanner.ErrorList.
type ErrorList []*Error

// Add appends an error at pos.
func (l *ErrorList) Add(pos Pos, msg string) { *l = append(*l, &Error{Pos: pos, Msg: msg}) }

// Len, Less and Swap implement sort.Interface.
func (l ErrorList) Len() int { return len(l) }

// Less orders errors by position, then message.
func (l ErrorList) Less(i, j int) bool {
	if l[i].Pos != l[j].Pos {
		return l[i].Pos.Before(l[j].Pos)
	}
	return l[i].Msg < l[j].Msg
}

// Swap swaps two errors.
func (l ErrorList) Swap(i, j int) { l[i], l[j] = l[j], l[i] }

// Sort sorts the list by position.
func (l ErrorList) Sort() { sort.Stable(l) }

// Error prints every error on its own line.
func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Err returns l as an error, or nil when it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}
