package profile

import (
	"fmt"
	"sort"
	"strings"
)

// Severity grades a Diagnostic.
type Severity uint8

// The severities. An Error makes the profile unusable; a Warning does not.
const (
	Error Severity = iota
	Warning
)

// String returns "error" or "warning".
func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Diagnostic is one problem found in a profile. File is relative to the
// profile directory; Line and Col are 1-based, 0 when the problem concerns
// a whole file (an airootfs entry, a missing file).
type Diagnostic struct {
	File     string
	Line     int
	Col      int
	Severity Severity
	Msg      string
}

// String formats d as "file:line:col: msg", with "warning: " before msg
// for warnings.
func (d Diagnostic) String() string {
	var b strings.Builder
	b.WriteString(d.File)
	if d.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", d.Line, max(d.Col, 1))
	}
	b.WriteString(": ")
	if d.Severity == Warning {
		b.WriteString("warning: ")
	}
	b.WriteString(d.Msg)
	return b.String()
}

// Diagnostics is a list of diagnostics. As an error it prints one per line.
type Diagnostics []Diagnostic

// Sort orders the list by file, line, column, then message.
func (ds Diagnostics) Sort() {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return a.Msg < b.Msg
	})
}

// HasErrors reports whether any diagnostic is an Error.
func (ds Diagnostics) HasErrors() bool {
	for _, d := range ds {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Errors returns only the Error diagnostics.
func (ds Diagnostics) Errors() Diagnostics {
	var out Diagnostics
	for _, d := range ds {
		if d.Severity == Error {
			out = append(out, d)
		}
	}
	return out
}

// Warnings returns only the Warning diagnostics.
func (ds Diagnostics) Warnings() Diagnostics {
	var out Diagnostics
	for _, d := range ds {
		if d.Severity == Warning {
			out = append(out, d)
		}
	}
	return out
}

// Error prints every diagnostic on its own line.
func (ds Diagnostics) Error() string {
	lines := make([]string, len(ds))
	for i, d := range ds {
		lines[i] = d.String()
	}
	return strings.Join(lines, "\n")
}

// diags collects diagnostics for one file.
type diags struct {
	list *Diagnostics
	file string
}

func (d diags) errorf(line, col int, format string, args ...any) {
	*d.list = append(*d.list, Diagnostic{File: d.file, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)})
}

func (d diags) warnf(line, col int, format string, args ...any) {
	*d.list = append(*d.list, Diagnostic{File: d.file, Line: line, Col: col, Severity: Warning, Msg: fmt.Sprintf(format, args...)})
}
