package vendorset

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/levitateos/levitate/internal/rpm"
)

// nativeRelease is the RPM release given to Debian native packages, which
// have no Debian revision; RPM needs a non-empty release.
const nativeRelease = "0"

// debEVR translates a Debian version "[epoch:]upstream[-revision]" into an
// RPM EVR. RPM allows no hyphen inside a version, so hyphens left in the
// upstream part become underscores; dependencies go through the same
// translation, so comparisons between them stay consistent.
func debEVR(v string, forPackage bool) (rpm.EVR, error) {
	var e rpm.EVR
	// Policy 5.6.12: upstream versions use A-Za-z0-9 . + ~ - :, revisions
	// A-Za-z0-9 + . ~; anything else (spaces, control characters) is not a
	// version and must not reach an RPM header.
	if i := strings.IndexFunc(v, func(c rune) bool {
		return !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.ContainsRune(".+~-:", c))
	}); i >= 0 {
		return rpm.EVR{}, fmt.Errorf("debian version %q: character %q not allowed", v, v[i])
	}
	rest := v
	if i := strings.IndexByte(rest, ':'); i >= 0 {
		n, err := strconv.ParseUint(rest[:i], 10, 32)
		if err != nil {
			return rpm.EVR{}, fmt.Errorf("debian version %q: bad epoch: %w", v, err)
		}
		e.Epoch = uint32(n)
		rest = rest[i+1:]
	}
	if i := strings.LastIndexByte(rest, '-'); i >= 0 {
		e.Version, e.Release = rest[:i], rest[i+1:]
		if strings.ContainsRune(e.Release, ':') {
			return rpm.EVR{}, fmt.Errorf("debian version %q: character ':' not allowed in the revision %q", v, e.Release)
		}
	} else {
		e.Version = rest
	}
	e.Version = strings.NewReplacer("-", "_", ":", "_").Replace(e.Version)
	if e.Version == "" {
		return rpm.EVR{}, fmt.Errorf("debian version %q: empty upstream version", v)
	}
	if forPackage && e.Release == "" {
		e.Release = nativeRelease
	}
	return e, nil
}

// debArch maps a Debian architecture to RPM's.
func debArch(a string) (string, error) {
	switch a {
	case "amd64":
		return "x86_64", nil
	case "all":
		return "noarch", nil
	case "i386":
		return "i686", nil
	case "arm64":
		return "aarch64", nil
	}
	return "", fmt.Errorf("unsupported debian architecture %q", a)
}

// debRelOp maps a Debian relation operator to RPM flags.
func debRelOp(op string) (rpm.Flags, error) {
	switch op {
	case "<<":
		return rpm.FlagLess, nil
	case "<=", "<":
		return rpm.FlagLess | rpm.FlagEqual, nil
	case "=":
		return rpm.FlagEqual, nil
	case ">=", ">":
		return rpm.FlagGreater | rpm.FlagEqual, nil
	case ">>":
		return rpm.FlagGreater, nil
	}
	return 0, fmt.Errorf("unknown debian relation operator %q", op)
}

// debRelation parses one "name[:arch] [(op version)]" term.
func debRelation(s string) (rpm.Dep, error) {
	s = strings.TrimSpace(s)
	// Build profiles and architecture restrictions only occur in source
	// packages; drop them if a binary stanza carries one.
	if i := strings.IndexAny(s, "[<"); i >= 0 && !strings.Contains(s[:i], "(") {
		s = strings.TrimSpace(s[:i])
	}
	name, ver, hasVer := strings.Cut(s, "(")
	name = strings.TrimSpace(name)
	if i := strings.IndexByte(name, ':'); i >= 0 {
		name = name[:i]
	}
	if !debName(name) {
		return rpm.Dep{}, fmt.Errorf("debian relation %q: bad package name %q (Debian names use a-z 0-9 + . -)", s, name)
	}
	d := rpm.Dep{Name: name}
	if !hasVer {
		return d, nil
	}
	ver = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(ver), ")"))
	i := strings.IndexFunc(ver, func(r rune) bool { return !strings.ContainsRune("<=>", r) })
	if i <= 0 {
		return rpm.Dep{}, fmt.Errorf("debian relation %q: want (OP VERSION)", s)
	}
	flags, err := debRelOp(ver[:i])
	if err != nil {
		return rpm.Dep{}, fmt.Errorf("debian relation %q: %w", s, err)
	}
	evr, err := debEVR(strings.TrimSpace(ver[i:]), false)
	if err != nil {
		return rpm.Dep{}, fmt.Errorf("debian relation %q: %w", s, err)
	}
	// Debian: 2.36-9 >> 2.36, because a missing revision sorts lowest.
	// RPM: a missing release in a requirement matches any release, so
	// "> 2.36" would refuse 2.36-9. The lowest release we give any package
	// is nativeRelease, which restores Debian's meaning.
	if flags == rpm.FlagGreater && evr.Release == "" {
		evr.Release = nativeRelease
	}
	d.Flags, d.EVR = flags, evr
	return d, nil
}

// debDepends translates a Depends-style field into RPM requirements:
// "a, b | c (>= 1)" gives "a" and the rich dependency "(b or c >= 1)".
func debDepends(field string) ([]rpm.Dep, error) {
	var out []rpm.Dep
	var errs []string
	for _, group := range splitTrim(field, ",") {
		var alts []rpm.Dep
		for _, term := range splitTrim(group, "|") {
			d, err := debRelation(term)
			if err != nil {
				errs = append(errs, err.Error())
				continue
			}
			alts = append(alts, d)
		}
		switch len(alts) {
		case 0:
		case 1:
			out = append(out, alts[0])
		default:
			parts := make([]string, len(alts))
			for i, a := range alts {
				parts[i] = a.String()
			}
			out = append(out, rpm.Dep{Name: "(" + strings.Join(parts, " or ") + ")"})
		}
	}
	if len(errs) > 0 {
		return out, fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return out, nil
}

// debProvides translates a Provides field; "|" is not allowed there.
func debProvides(field string) ([]rpm.Dep, error) {
	var out []rpm.Dep
	var errs []string
	for _, term := range splitTrim(field, ",") {
		d, err := debRelation(term)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		out = append(out, d)
	}
	if len(errs) > 0 {
		return out, fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return out, nil
}

// debName reports whether name is a Debian package name: letters, digits,
// + . - (Policy 5.6.1; upper case is tolerated), starting with a letter or
// digit.
func debName(name string) bool {
	if name == "" {
		return false
	}
	for i, c := range name {
		alnum := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
		if !alnum && (i == 0 || !strings.ContainsRune("+.-", c)) {
			return false
		}
	}
	return true
}

func splitTrim(s, sep string) []string {
	var out []string
	for _, p := range strings.Split(s, sep) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
