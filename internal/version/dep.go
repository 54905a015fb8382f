package version

import (
	"fmt"
	"strings"
)

// ParseDep splits a dependency string "name", "name >= 1.2" or
// "name>=1.2, <2" into the package name and its constraint. A name is made
// of ASCII letters, digits and . _ + - @ and does not start with '-' or '.'.
func ParseDep(s string) (name string, c Constraint, err error) {
	t := strings.TrimSpace(s)
	n := 0
	for n < len(t) && isNameChar(t[n]) {
		n++
	}
	name, rest := t[:n], t[n:]
	switch {
	case name == "" && t == "":
		return "", Constraint{}, fmt.Errorf("invalid dependency %q: empty", s)
	case name == "":
		return "", Constraint{}, fmt.Errorf("invalid dependency %q: missing package name before %q", s, t)
	case name[0] == '-' || name[0] == '.':
		return "", Constraint{}, fmt.Errorf("invalid dependency %q: package name %q starts with %q", s, name, name[:1])
	}
	trimmed := strings.TrimSpace(rest)
	if trimmed == "" {
		return name, Constraint{}, nil
	}
	if rest == trimmed && !isOpChar(rest[0]) {
		// The name runs straight into a character that can start neither
		// the name nor an operator: report it as part of the name.
		end := strings.IndexFunc(rest, func(r rune) bool { return r == ' ' || r == '\t' || r < 128 && isOpChar(byte(r)) })
		if end < 0 {
			end = len(rest)
		}
		return "", Constraint{}, fmt.Errorf("invalid dependency %q: invalid character %q in package name %q (use letters, digits and . _ + - @)",
			s, firstRune(rest), name+rest[:end])
	}
	c, err = ParseConstraint(trimmed)
	if err != nil {
		return "", Constraint{}, fmt.Errorf("invalid dependency %q: %w", s, err)
	}
	return name, c, nil
}

func isNameChar(c byte) bool {
	return isDigit(c) || isAlpha(c) || strings.IndexByte("._+-@", c) >= 0
}

func firstRune(s string) rune {
	for _, r := range s {
		return r
	}
	return 0
}
