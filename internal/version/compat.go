package version

// The compatible-release operator "~= V" means ">= V" and "the version
// starts with V's components except the last". Components are the numeric
// and alphabetic segments that rpmvercmp compares, counted up to the first
// '~' or '^' (a pre- or post-release suffix does not move the bound), so
// separators do not matter: "~= 1.4.2" and "~= 1_4_2" agree.

// segment returns the segment of s starting at or after i, its kind ('9' for
// numeric, 'a' for alphabetic, '~' or '^', 0 at the end) and where the next
// search starts.
func segment(s string, i int) (seg string, kind byte, next int) {
	for i < len(s) && isSep(s[i]) {
		i++
	}
	if i == len(s) {
		return "", 0, i
	}
	switch c := s[i]; {
	case c == '~' || c == '^':
		return s[i : i+1], c, i + 1
	case isDigit(c):
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		return s[i:j], '9', j
	default:
		j := i
		for j < len(s) && isAlpha(s[j]) {
			j++
		}
		return s[i:j], 'a', j
	}
}

// compatLen counts the components of v for ~=.
func compatLen(v string) int {
	n := 0
	for i := 0; ; {
		_, kind, next := segment(v, i)
		if kind != '9' && kind != 'a' {
			return n
		}
		n, i = n+1, next
	}
}

// compatPrefixMatch reports whether v begins with all components of the
// ~= version base except its last, each equal as rpmvercmp sees it.
func compatPrefixMatch(base, v string) bool {
	i, j := 0, 0
	for k := compatLen(base) - 1; k > 0; k-- {
		bs, bk, bn := segment(base, i)
		vs, vk, vn := segment(v, j)
		if bk != vk {
			return false
		}
		if bk == '9' {
			bs, vs = trimZeros(bs), trimZeros(vs)
		}
		if bs != vs {
			return false
		}
		i, j = bn, vn
	}
	return true
}
