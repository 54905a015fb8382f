package version

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxEpoch is the largest epoch accepted: rpm stores epochs as int32.
const maxEpoch = 1<<31 - 1

// EVR is a parsed epoch:version-release. An empty Release means the EVR has
// none; Epoch 0 is the same as no epoch.
type EVR struct {
	Epoch   int
	Version string
	Release string
}

// ParseEVR parses and validates "[epoch:]version[-release]". The epoch is a
// non-negative integer; version and release are non-empty and made of ASCII
// letters, digits and . _ + ~ ^ (the release follows the last '-').
func ParseEVR(s string) (EVR, error) {
	if err := checkText(s); err != nil {
		return EVR{}, fmt.Errorf("invalid version %q: %w", s, err)
	}
	var e EVR
	rest := s
	if i := strings.IndexByte(s, ':'); i >= 0 {
		n, err := parseEpoch(s[:i])
		if err != nil {
			return EVR{}, fmt.Errorf("invalid version %q: %w", s, err)
		}
		e.Epoch, rest = n, s[i+1:]
	}
	e.Version = rest
	if j := strings.LastIndexByte(rest, '-'); j >= 0 {
		e.Version, e.Release = rest[:j], rest[j+1:]
		if e.Release == "" {
			return EVR{}, fmt.Errorf("invalid version %q: empty release after '-'", s)
		}
	}
	if e.Version == "" {
		return EVR{}, fmt.Errorf("invalid version %q: empty version", s)
	}
	if err := checkPart("version", e.Version); err != nil {
		return EVR{}, fmt.Errorf("invalid version %q: %w", s, err)
	}
	if err := checkPart("release", e.Release); err != nil {
		return EVR{}, fmt.Errorf("invalid version %q: %w", s, err)
	}
	return e, nil
}

// checkText rejects the problems a user is most likely to make by accident
// with a specific message, before the generic character check.
func checkText(s string) error {
	if s == "" {
		return fmt.Errorf("empty")
	}
	for i, r := range s {
		switch {
		case r == utf8.RuneError:
			return fmt.Errorf("invalid UTF-8 at byte %d", i)
		case unicode.IsSpace(r):
			return fmt.Errorf("whitespace %q at byte %d", r, i)
		case unicode.IsControl(r):
			return fmt.Errorf("control character %q at byte %d", r, i)
		}
	}
	return nil
}

func parseEpoch(s string) (int, error) {
	if s == "" {
		return 0, fmt.Errorf("empty epoch before ':'")
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return 0, fmt.Errorf("bad epoch %q: want a non-negative integer before ':'", s)
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n > maxEpoch {
		return 0, fmt.Errorf("bad epoch %q: larger than %d", s, maxEpoch)
	}
	return int(n), nil
}

// checkPart allows what rpmbuild allows in Version and Release, minus
// macro syntax. Commas and operators are excluded so that constraints stay
// unambiguous.
func checkPart(what, s string) error {
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf && (isDigit(byte(r)) || isAlpha(byte(r))):
		case r == '.' || r == '_' || r == '+' || r == '~' || r == '^':
		case r == '-':
			return fmt.Errorf("%s %q contains '-' (only one '-' may separate version and release)", what, s)
		case r == ':':
			return fmt.Errorf("%s %q contains ':' (only one ':' may follow the epoch)", what, s)
		default:
			return fmt.Errorf("character %q not allowed in %s %q (use letters, digits and . _ + ~ ^)", r, what, s)
		}
	}
	return nil
}

// String formats e as "[epoch:]version[-release]", omitting a zero epoch.
func (e EVR) String() string {
	var b strings.Builder
	if e.Epoch != 0 {
		b.WriteString(strconv.Itoa(e.Epoch))
		b.WriteByte(':')
	}
	b.WriteString(e.Version)
	if e.Release != "" {
		b.WriteByte('-')
		b.WriteString(e.Release)
	}
	return b.String()
}

// Compare orders e and o: epoch, then version, then release, where a
// missing release sorts before any release. It is a total order and agrees
// with Compare(e.String(), o.String()). Constraints treat a missing release
// as a wildcard instead; see Constraint.Match.
func (e EVR) Compare(o EVR) int {
	if c := e.compareEV(o); c != 0 {
		return c
	}
	return compareRelease(e.Release, e.Release != "", o.Release, o.Release != "")
}

// compareEV compares epoch and version only.
func (e EVR) compareEV(o EVR) int {
	switch {
	case e.Epoch < o.Epoch:
		return -1
	case e.Epoch > o.Epoch:
		return 1
	}
	return Vercmp(e.Version, o.Version)
}

// compareWild compares like rpm's dependency matching: the releases count
// only when both sides have one.
func (e EVR) compareWild(o EVR) int {
	if c := e.compareEV(o); c != 0 || e.Release == "" || o.Release == "" {
		return c
	}
	return Vercmp(e.Release, o.Release)
}
