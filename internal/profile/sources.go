package profile

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/levitateos/levitate/internal/suggest"
)

// Source is one package source: a `source =` line of profile.conf or a
// --source flag. Its syntax is
//
//	LOCATION [priority=N] [key=FILE]
//
// where LOCATION is an ISO file, a directory of RPMs, a repository path or
// an http(s) repository URL. Relative paths are relative to the profile
// directory (the working directory for --source).
type Source struct {
	// ID is LOCATION as written; lock files record it, so it should not
	// depend on the machine (a relative path or a URL).
	ID string
	// Location is the path made absolute, or the URL.
	Location string
	// Priority ranks sources offering the same package name: the higher
	// number wins before versions are compared. The default is 0.
	Priority int
	// Key is the absolute path of the GPG public key that signs this
	// source's packages; empty for none.
	Key string
	// Line and Col locate the value in profile.conf; 0 for --source.
	Line, Col int
}

// String formats s as it is written.
func (s Source) String() string {
	out := s.ID
	if out == "" {
		out = s.Location
	}
	if s.Priority != 0 {
		out += " priority=" + strconv.Itoa(s.Priority)
	}
	if s.Key != "" {
		out += " key=" + s.Key
	}
	return out
}

// SourceError is a bad source value; Col is 1-based within the value.
type SourceError struct {
	Col int
	Msg string
}

func (e *SourceError) Error() string { return e.Msg }

// sourceOptions lists the option names a source accepts.
func sourceOptions() []string { return []string{"priority", "key"} }

// ParseSource parses one source value; relative paths (of the location
// and of key=) are taken relative to dir. It checks that a key file
// exists but not the location: an ISO may be downloaded after the profile
// is written, and opening it reports a missing one clearly.
func ParseSource(text, dir string) (Source, error) {
	for i, c := range text {
		if c < 0x20 && c != '\t' || c == 0x7f {
			return Source{}, &SourceError{i + 1, fmt.Sprintf("source has control character %q", c)}
		}
	}
	ws := words(value{text: text, col: 1})
	if len(ws) == 0 {
		return Source{}, &SourceError{1, "empty source"}
	}
	// The options are the trailing NAME=VALUE words; everything before
	// them is the location, which may contain spaces (an ISO file name).
	first := len(ws)
	for i := 1; i < len(ws); i++ {
		if isOption(ws[i].text) {
			first = i
			break
		}
	}
	end := len(text)
	if first < len(ws) {
		end = ws[first].col - 1
	}
	src := Source{ID: strings.Trim(text[:end], " \t")}
	loc, err := location(src.ID, dir)
	if err != nil {
		return Source{}, &SourceError{ws[0].col, err.Error()}
	}
	src.Location = loc
	seen := map[string]bool{}
	for _, w := range ws[first:] {
		if !isOption(w.text) {
			return Source{}, &SourceError{w.col, fmt.Sprintf("unexpected %q after the source options; write LOCATION [priority=N] [key=FILE]", w.text)}
		}
		name, val, _ := strings.Cut(w.text, "=")
		vcol := w.col + len(name) + 1
		if seen[name] {
			return Source{}, &SourceError{w.col, fmt.Sprintf("source option %q given twice", name)}
		}
		seen[name] = true
		switch name {
		case "priority":
			n, err := strconv.Atoi(val)
			if err != nil || n < -1000 || n > 1000 {
				return Source{}, &SourceError{vcol, fmt.Sprintf("priority %q: want an integer from -1000 to 1000 (higher wins)", val)}
			}
			src.Priority = n
		case "key":
			k, err := keyFile(val, dir)
			if err != nil {
				return Source{}, &SourceError{vcol, err.Error()}
			}
			src.Key = k
		default:
			return Source{}, &SourceError{w.col, fmt.Sprintf("unknown source option %q (allowed: %s)%s", name, strings.Join(sourceOptions(), ", "), suggest.DidYouMean(name, sourceOptions()))}
		}
	}
	return src, nil
}

// isOption reports whether w looks like NAME=VALUE with a lower-case
// name; a URL's query (?a=b) does not, since it follows "://".
func isOption(w string) bool {
	name, _, ok := strings.Cut(w, "=")
	if !ok || name == "" {
		return false
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c == '-') {
			return false
		}
	}
	return true
}

func location(id, dir string) (string, error) {
	if i := strings.Index(id, "://"); i >= 0 {
		switch scheme := id[:i]; scheme {
		case "http", "https":
			return id, nil
		case "file":
			return location(id[i+3:], dir)
		default:
			return "", fmt.Errorf("source %q: unsupported scheme %q (allowed: http, https, file, or a path)", id, scheme)
		}
	}
	if filepath.IsAbs(id) {
		return filepath.Clean(id), nil
	}
	return filepath.Join(dir, id), nil
}

func keyFile(name, dir string) (string, error) {
	if name == "" {
		return "", fmt.Errorf("key= needs a file")
	}
	p := name
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, p)
	}
	fi, err := os.Stat(p)
	switch {
	case err != nil:
		return "", fmt.Errorf("key file %q: %w", name, unwrapPath(err))
	case !fi.Mode().IsRegular():
		return "", fmt.Errorf("key file %q is not a regular file", name)
	}
	return p, nil
}

func setSource(dir string, s *Settings, v value, d diags) {
	src, err := ParseSource(v.text, dir)
	if err != nil {
		se := err.(*SourceError)
		d.errorf(v.line, v.col+se.Col-1, "%s", se.Msg)
		return
	}
	for _, o := range s.Sources {
		if o.Location == src.Location {
			d.errorf(v.line, v.col, "source %s listed twice (first on line %d)", src.ID, o.Line)
			return
		}
	}
	src.Line, src.Col = v.line, v.col
	s.Sources = append(s.Sources, src)
}

// MergeSources returns the sources of a build: the profile's, then those
// of the command line. A command-line source at the same location as a
// profile source replaces it (its priority and key win); with
// onlyCommandLine the profile's sources are dropped.
func MergeSources(fromProfile, fromCommandLine []Source, onlyCommandLine bool) []Source {
	var out []Source
	if !onlyCommandLine {
		for _, p := range fromProfile {
			replaced := false
			for _, c := range fromCommandLine {
				replaced = replaced || c.Location == p.Location
			}
			if !replaced {
				out = append(out, p)
			}
		}
	}
	seen := map[string]bool{}
	for _, c := range fromCommandLine {
		if !seen[c.Location] {
			seen[c.Location] = true
			out = append(out, c)
		}
	}
	return out
}
