package profile

import (
	"bufio"
	"bytes"
	"strings"

	"github.com/levitateos/levitate/internal/suggest"
)

// ConfFile is the name of the optional settings file in a profile.
const ConfFile = "profile.conf"

// value is the right-hand side of one profile.conf line.
type value struct {
	text string
	line int
	col  int // column of the first character of text
}

// setter applies one key's value to the settings, reporting problems.
type setter func(s *Settings, v value, d diags)

// repeatable keys may appear on several lines; each line adds.
func repeatable(key string) bool {
	return key == "file-permissions" || key == "kernel-cmdline" || key == "source"
}

// setters returns the handler of every key profile.conf accepts, except
// the os-release.KEY family which parseConf handles itself.
func setters(dir string) map[string]setter {
	return map[string]setter{
		"label":              setLabel,
		"iso-name":           setFileWord(func(s *Settings) *string { return &s.ISOName }, "iso-name"),
		"iso-version":        setFileWord(func(s *Settings) *string { return &s.ISOVersion }, "iso-version"),
		"publisher":          setID(func(s *Settings) *string { return &s.Publisher }, "publisher"),
		"application":        setID(func(s *Settings) *string { return &s.Application }, "application"),
		"boot-modes":         setBootModes,
		"compression":        setCompression,
		"kernel-cmdline":     setCmdline,
		"file-permissions":   setPermission,
		"verify-signatures":  setVerify,
		"package-repository": setRepository,
		"recipes":            func(s *Settings, v value, d diags) { setRecipes(dir, s, v, d) },
		"hostname":           setHostname,
		"source":             func(s *Settings, v value, d diags) { setSource(dir, s, v, d) },
	}
}

// osReleasePrefix introduces an os-release field: os-release.NAME = ...
const osReleasePrefix = "os-release."

// parseConf reads profile.conf from data into s. dir is the profile
// directory, for relative paths in values.
func parseConf(dir string, data []byte, s *Settings, d diags) {
	handlers := setters(dir)
	first := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		raw := sc.Text()
		text := strings.TrimSpace(raw)
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		indent := len(raw) - len(strings.TrimLeft(raw, " \t"))
		eq := strings.IndexByte(raw, '=')
		if eq < 0 {
			d.errorf(n, indent+1, "expected \"key = value\", got %q", text)
			continue
		}
		key := strings.TrimSpace(raw[:eq])
		rest := raw[eq+1:]
		v := value{
			text: strings.TrimSpace(rest),
			line: n,
			col:  eq + 2 + len(rest) - len(strings.TrimLeft(rest, " \t")),
		}
		if key == "" {
			d.errorf(n, indent+1, "missing key before '='")
			continue
		}
		if prev, dup := first[key]; dup && !repeatable(key) {
			d.errorf(n, indent+1, "duplicate key %q (first set on line %d)", key, prev)
			continue
		}
		if _, dup := first[key]; !dup {
			first[key] = n
			s.Lines[key] = n
		}
		if rel, ok := strings.CutPrefix(key, osReleasePrefix); ok {
			if _, seen := s.Lines["os-release"]; !seen {
				s.Lines["os-release"] = n
			}
			setOSRelease(s, rel, v, indent+1, d)
			continue
		}
		h, ok := handlers[key]
		if !ok {
			known := make([]string, 0, len(handlers)+1)
			for k := range handlers {
				known = append(known, k)
			}
			known = append(known, osReleasePrefix+"NAME")
			d.errorf(n, indent+1, "unknown key %q%s", key, suggest.DidYouMean(key, known))
			continue
		}
		if v.text == "" && key != "kernel-cmdline" {
			d.errorf(n, v.col, "empty value for %q", key)
			continue
		}
		h(s, v, d)
	}
	if err := sc.Err(); err != nil {
		d.errorf(0, 0, "read: %v", err)
	}
}
