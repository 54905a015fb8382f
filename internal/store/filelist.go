package store

import (
	"bytes"
	"fmt"
	"strconv"
)

// The file list of a record is text, one line per file, because decoding
// 100,000 JSON objects (200 packages of 500 files) for the owner index or
// the conflict check of every transaction took about 0.4 s of CPU; these
// lines parse about ten times faster and read like an mtree spec:
//
//	TYPE MODE SIZE SHA256 FLAGS PATH [TARGET]
//
// MODE is octal, SHA256 and FLAGS are "-" when empty, FLAGS is "c" for a
// config file. PATH and TARGET are written raw unless they are empty,
// start with a double quote or hold a space, control or DEL byte; then
// they are Go-quoted.

func appendFileLine(b []byte, f File) []byte {
	b = append(b, f.Type...)
	b = append(b, ' ')
	b = strconv.AppendUint(b, uint64(f.Mode), 8)
	b = append(b, ' ')
	b = strconv.AppendInt(b, f.Size, 10)
	b = append(b, ' ')
	b = appendDash(b, f.SHA256)
	if f.Config {
		b = append(b, " c "...)
	} else {
		b = append(b, " - "...)
	}
	b = appendField(b, f.Path)
	if f.Type == TypeSymlink {
		b = append(b, ' ')
		b = appendField(b, f.Target)
	}
	return append(b, '\n')
}

func appendDash(b []byte, s string) []byte {
	if s == "" {
		return append(b, '-')
	}
	return append(b, s...)
}

func appendField(b []byte, s string) []byte {
	if needsQuote(s) {
		return strconv.AppendQuote(b, s)
	}
	return append(b, s...)
}

func needsQuote(s string) bool {
	if s == "" || s[0] == '"' || s == "-" {
		return true
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] == 0x7f {
			return true
		}
	}
	return false
}

// parseFileLines decodes the file list; errors carry the line number.
func parseFileLines(data []byte) ([]File, error) {
	files := make([]File, 0, bytes.Count(data, []byte{'\n'}))
	for n := 1; len(data) > 0; n++ {
		nl := bytes.IndexByte(data, '\n')
		if nl < 0 {
			return nil, fmt.Errorf("file line %d: no newline", n)
		}
		f, err := parseFileLine(string(data[:nl]))
		if err != nil {
			return nil, fmt.Errorf("file line %d: %w", n, err)
		}
		files = append(files, f)
		data = data[nl+1:]
	}
	return files, nil
}

func parseFileLine(line string) (File, error) {
	var f File
	var fields [5]string
	for i := range fields {
		var ok bool
		fields[i], line, ok = cutSpace(line)
		if !ok {
			return f, fmt.Errorf("%d fields; want at least 6", i+1)
		}
	}
	f.Type = FileType(fields[0])
	switch f.Type {
	case TypeFile, TypeDir, TypeSymlink:
	default:
		return f, fmt.Errorf("unknown type %q", fields[0])
	}
	mode, err := strconv.ParseUint(fields[1], 8, 32)
	if err != nil {
		return f, fmt.Errorf("mode %q: %w", fields[1], err)
	}
	f.Mode = uint32(mode)
	if f.Size, err = strconv.ParseInt(fields[2], 10, 64); err != nil {
		return f, fmt.Errorf("size %q: %w", fields[2], err)
	}
	if fields[3] != "-" {
		f.SHA256 = fields[3]
	}
	switch fields[4] {
	case "c":
		f.Config = true
	case "-":
	default:
		return f, fmt.Errorf("flags %q", fields[4])
	}
	if f.Path, line, err = parseField(line); err != nil {
		return f, fmt.Errorf("path: %w", err)
	}
	if f.Type == TypeSymlink {
		rest, ok := cutPrefix(line, " ")
		if !ok {
			return f, fmt.Errorf("symlink %q without target", f.Path)
		}
		if f.Target, line, err = parseField(rest); err != nil {
			return f, fmt.Errorf("target: %w", err)
		}
	}
	if line != "" {
		return f, fmt.Errorf("trailing %q", line)
	}
	return f, nil
}

func cutSpace(s string) (before, after string, ok bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

func cutPrefix(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && s[:len(prefix)] == prefix {
		return s[len(prefix):], true
	}
	return s, false
}

// parseField reads a raw or quoted field and returns the rest of the line.
func parseField(s string) (field, rest string, err error) {
	if s != "" && s[0] == '"' {
		q, err := strconv.QuotedPrefix(s)
		if err != nil {
			return "", "", err
		}
		field, err = strconv.Unquote(q)
		return field, s[len(q):], err
	}
	field, rest, ok := cutSpace(s)
	if ok {
		rest = " " + rest
	}
	if field == "" {
		return "", "", fmt.Errorf("empty field")
	}
	return field, rest, nil
}
