package vendorset

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// stanza is one paragraph of a Debian control file: field name -> value.
// Continuation lines are kept, joined with "\n", leading space removed.
type stanza map[string]string

// parseControl reads RFC 822-style Debian control paragraphs (dpkg's status
// file, a package's control file). name is used in error positions.
func parseControl(r io.Reader, name string) ([]stanza, error) {
	var (
		out  []stanza
		cur  stanza
		last string
		errs []string
	)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		switch {
		case strings.TrimSpace(text) == "":
			if cur != nil {
				out = append(out, cur)
			}
			cur, last = nil, ""
		case text[0] == ' ' || text[0] == '\t':
			if last == "" {
				errs = append(errs, fmt.Sprintf("%s:%d:1: continuation line without a field", name, line))
				continue
			}
			cur[last] += "\n" + strings.TrimSpace(text)
		default:
			k, v, ok := strings.Cut(text, ":")
			if !ok {
				errs = append(errs, fmt.Sprintf("%s:%d:1: want \"Field: value\", got %q", name, line, text))
				continue
			}
			if cur == nil {
				cur = stanza{}
			}
			last = k
			cur[k] = strings.TrimSpace(v)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if cur != nil {
		out = append(out, cur)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("parse control: %s", strings.Join(errs, "; "))
	}
	return out, nil
}

// debPackage is an installed Debian package as dpkg's status file
// describes it.
type debPackage struct {
	Name, Version, Arch, Source, Homepage, Maintainer string
	Summary, Description                              string
	MultiArchSame                                     bool
	Depends, PreDepends, Provides                     string
	// Conffiles are the package's configuration files (obsolete ones
	// left out).
	Conffiles []string
}

// installedPackages returns the packages that the status file marks as
// installed, in file order.
func installedPackages(st []stanza) []debPackage {
	var out []debPackage
	for _, s := range st {
		if !strings.HasSuffix(s["Status"], " installed") {
			continue
		}
		p := debPackage{
			Name: s["Package"], Version: s["Version"], Arch: s["Architecture"],
			Source: s["Source"], Homepage: s["Homepage"], Maintainer: s["Maintainer"],
			MultiArchSame: s["Multi-Arch"] == "same",
			Depends:       s["Depends"], PreDepends: s["Pre-Depends"], Provides: s["Provides"],
		}
		desc := s["Description"]
		p.Summary, p.Description, _ = strings.Cut(desc, "\n")
		p.Description = strings.ReplaceAll(p.Description, "\n.\n", "\n\n")
		if p.Description == "" {
			p.Description = p.Summary
		}
		for _, l := range strings.Split(s["Conffiles"], "\n") {
			f := strings.Fields(l)
			if len(f) >= 2 && (len(f) == 2 || f[2] != "obsolete") {
				p.Conffiles = append(p.Conffiles, f[0])
			}
		}
		out = append(out, p)
	}
	return out
}
