package profile

import (
	"bufio"
	"bytes"
	"strings"
)

// PackagesFile is the name of the package list in a profile.
const PackagesFile = "packages.txt"

// Package is one name from packages.txt with its position.
type Package struct {
	Name string
	Line int
	Col  int
}

// parsePackages reads packages.txt: one name a line; everything from '#'
// to the end of the line is a comment, as in archiso's packages.x86_64.
func parsePackages(data []byte, d diags) []Package {
	var pkgs []Package
	first := map[string]int{}
	named := false
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		name := strings.TrimSpace(line)
		if name == "" {
			continue
		}
		named = true
		col := strings.Index(line, name) + 1
		if i := badPackageChar(name); i >= 0 {
			d.errorf(n, col+i, "package name %q has invalid character %q; RPM names use A-Z a-z 0-9 . _ + - and start with a letter, digit or _", name, string(name[i]))
			continue
		}
		if prev, dup := first[name]; dup {
			d.errorf(n, col, "duplicate package %q (lines %d and %d)", name, prev, n)
			continue
		}
		first[name] = n
		pkgs = append(pkgs, Package{Name: name, Line: n, Col: col})
	}
	if err := sc.Err(); err != nil {
		d.errorf(0, 0, "read: %v", err)
	}
	if !named {
		d.errorf(0, 0, "no package names; list one per line")
	}
	return pkgs
}

// badPackageChar returns the index of the first character of name that
// an RPM package name may not hold, or -1.
func badPackageChar(name string) int {
	for i := 0; i < len(name); i++ {
		c := name[i]
		alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
		if !alnum && (i == 0 || c != '.' && c != '+' && c != '-') {
			return i
		}
	}
	return -1
}
