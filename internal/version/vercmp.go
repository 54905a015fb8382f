// Package version compares package versions with rpm's rules and matches
// them against constraints such as ">= 1.2, < 2" or "~= 1.4.2".
//
// A version is an EVR string, "[epoch:]version[-release]". Comparison follows
// rpm's rpmvercmp exactly (checked against rpm itself in the tests), so a
// recipe and an RPM package agree on which version is newer. See
// docs/versions.md for the rules in prose.
package version

import "strings"

// Compare compares two EVR strings ("[E:]V[-R]") with rpm's rules and
// returns -1, 0 or +1. It is lenient like rpm.vercmp: any string is accepted
// and split the way rpm splits it (a missing epoch is 0; a missing release
// sorts before any release). Use ParseEVR to validate input. A NUL byte,
// which rpm would take as the end of the string, is just a separator here.
func Compare(a, b string) int {
	ea, va, ra, hasRA := splitEVR(a)
	eb, vb, rb, hasRB := splitEVR(b)
	if c := Vercmp(ea, eb); c != 0 {
		return c
	}
	if c := Vercmp(va, vb); c != 0 {
		return c
	}
	return compareRelease(ra, hasRA, rb, hasRB)
}

// compareRelease orders an absent release before any present one, as rpm's
// rpmverCmp does; two absent releases are equal.
func compareRelease(ra string, hasRA bool, rb string, hasRB bool) int {
	switch {
	case hasRA && hasRB:
		return Vercmp(ra, rb)
	case hasRA:
		return 1
	case hasRB:
		return -1
	}
	return 0
}

// splitEVR splits s the way rpm's parseEVR does: a run of leading digits
// followed by ':' is the epoch (empty means "0"), and the last '-' after that
// digit run separates the release. A missing epoch is "0".
func splitEVR(s string) (epoch, ver, rel string, hasRel bool) {
	n := 0
	for n < len(s) && isDigit(s[n]) {
		n++
	}
	// rpm searches for the release dash from the end of the digit run, so
	// a '-' inside the leading digits cannot exist and one after ':' counts.
	dash := strings.LastIndexByte(s[n:], '-')
	epoch, start := "0", 0
	if n < len(s) && s[n] == ':' {
		if n > 0 {
			epoch = s[:n]
		}
		start = n + 1
	}
	if dash < 0 {
		return epoch, s[start:], "", false
	}
	return epoch, s[start : n+dash], s[n+dash+1:], true
}

// Vercmp is rpm's rpmvercmp: it compares one version or release string
// (no epoch, no '-' split) segment by segment and returns -1, 0 or +1.
//
// Separators (anything but ASCII letters, digits, '~' and '^') only split
// segments. Numeric segments compare as numbers of any length, alphabetic
// ones as strings, and a numeric segment is newer than an alphabetic one.
// '~' sorts before everything, even the end of the string; '^' sorts after
// the end of the string but before any other segment.
func Vercmp(a, b string) int {
	if a == b {
		return 0
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		for i < len(a) && isSep(a[i]) {
			i++
		}
		for j < len(b) && isSep(b[j]) {
			j++
		}
		ca, cb := byteAt(a, i), byteAt(b, j)
		if ca == '~' || cb == '~' {
			if ca != '~' {
				return 1
			}
			if cb != '~' {
				return -1
			}
			i, j = i+1, j+1
			continue
		}
		if ca == '^' || cb == '^' {
			if i == len(a) {
				return -1
			}
			if j == len(b) {
				return 1
			}
			if ca != '^' {
				return 1
			}
			if cb != '^' {
				return -1
			}
			i, j = i+1, j+1
			continue
		}
		if i == len(a) || j == len(b) {
			break
		}
		si, sj := i, j
		isNum := isDigit(a[i])
		class := isAlpha
		if isNum {
			class = isDigit
		}
		for i < len(a) && class(a[i]) {
			i++
		}
		for j < len(b) && class(b[j]) {
			j++
		}
		sa, sb := a[si:i], b[sj:j]
		if sb == "" {
			// b has a segment of the other kind here: numbers are newer.
			if isNum {
				return 1
			}
			return -1
		}
		if isNum {
			sa, sb = trimZeros(sa), trimZeros(sb)
			if len(sa) != len(sb) {
				if len(sa) > len(sb) {
					return 1
				}
				return -1
			}
		}
		if c := strings.Compare(sa, sb); c != 0 {
			return c
		}
	}
	switch {
	case i >= len(a) && j >= len(b):
		return 0
	case i >= len(a):
		return -1
	}
	return 1
}

// byteAt returns s[i], or 0 past the end (like a C string's terminator;
// a real NUL byte never reaches the callers' checks, being a separator).
func byteAt(s string, i int) byte {
	if i < len(s) {
		return s[i]
	}
	return 0
}

func trimZeros(s string) string {
	for len(s) > 0 && s[0] == '0' {
		s = s[1:]
	}
	return s
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isAlpha(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isSep(c byte) bool { return !isDigit(c) && !isAlpha(c) && c != '~' && c != '^' }
