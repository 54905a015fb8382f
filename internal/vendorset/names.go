package vendorset

import (
	"bufio"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"

	"github.com/levitateos/levitate/internal/rpm"
)

// nameRule is one line of the Rocky name table: the Rocky name and the
// Debian packages (globs allowed) that stand behind it.
type nameRule struct {
	Rocky string
	Debs  []string
	Pos   string // file:line for errors
}

// parseNameTable reads lines "ROCKY-NAME DEBIAN-GLOB..." with # comments.
func parseNameTable(r io.Reader, file string) ([]nameRule, error) {
	var out []nameRule
	var errs []string
	seen := map[string]string{}
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		text, _, _ := strings.Cut(sc.Text(), "#")
		f := strings.Fields(text)
		if len(f) == 0 {
			continue
		}
		pos := fmt.Sprintf("%s:%d", file, line)
		if len(f) < 2 {
			errs = append(errs, fmt.Sprintf("%s:1: %q names no Debian package", pos, f[0]))
			continue
		}
		if prev, dup := seen[f[0]]; dup {
			errs = append(errs, fmt.Sprintf("%s:1: %q already mapped at %s", pos, f[0], prev))
			continue
		}
		for _, g := range f[1:] {
			if _, err := path.Match(g, ""); err != nil {
				errs = append(errs, fmt.Sprintf("%s:1: bad pattern %q: %v", pos, g, err))
			}
		}
		seen[f[0]] = pos
		out = append(out, nameRule{Rocky: f[0], Debs: f[1:], Pos: pos})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if len(errs) > 0 {
		sort.Strings(errs)
		return nil, fmt.Errorf("name table: %s", strings.Join(errs, "\n"))
	}
	return out, nil
}

// converted is a package cut from the Debian tree, before and after
// renaming.
type converted struct {
	Deb string // the Debian package name
	Pkg *rpm.Package
}

// applyNames gives packages their Rocky names. The first Debian package of
// a rule takes the Rocky name (keeping a Provides of its Debian name) and
// requires the others; when that package already carries another Rocky
// name, a small meta package with the Rocky name requires them all. It
// returns the meta packages.
func applyNames(rules []nameRule, pkgs []converted) ([]*rpm.Package, error) {
	byDeb := map[string]*rpm.Package{}
	var debNames []string
	for _, c := range pkgs {
		byDeb[c.Deb] = c.Pkg
		debNames = append(debNames, c.Deb)
	}
	sort.Strings(debNames)

	type decision struct {
		rule    nameRule
		matched []string
		rename  bool
	}
	var (
		errs      []string
		decisions []decision
		renamed   = map[string]string{} // deb name -> rocky name
		taken     = map[string]bool{}
	)
	for _, d := range debNames {
		taken[d] = true
	}
	for _, r := range rules {
		var matched []string
		for _, g := range r.Debs {
			n := 0
			for _, d := range debNames {
				if ok, _ := path.Match(g, d); ok && !contains(matched, d) {
					matched = append(matched, d)
					n++
				}
			}
			if n == 0 {
				errs = append(errs, fmt.Sprintf("%s:1: %s: no installed Debian package matches %q", r.Pos, r.Rocky, g))
			}
		}
		if len(matched) == 0 {
			continue
		}
		first := matched[0]
		_, already := renamed[first]
		rename := !already && (first == r.Rocky || !taken[r.Rocky])
		if !rename && taken[r.Rocky] && first != r.Rocky {
			if _, isDeb := byDeb[r.Rocky]; isDeb {
				errs = append(errs, fmt.Sprintf("%s:1: %s is also the name of another Debian package", r.Pos, r.Rocky))
				continue
			}
		}
		if rename {
			renamed[first] = r.Rocky
			delete(taken, first)
		}
		taken[r.Rocky] = true
		decisions = append(decisions, decision{r, matched, rename})
	}
	if len(errs) > 0 {
		sort.Strings(errs)
		return nil, fmt.Errorf("apply rocky names: %s", strings.Join(errs, "\n"))
	}

	finalName := func(deb string) string {
		if n, ok := renamed[deb]; ok {
			return n
		}
		return deb
	}
	for deb, rocky := range renamed {
		p := byDeb[deb]
		if rocky != deb {
			p.Provides = append(p.Provides, rpm.Dep{Name: deb, Flags: rpm.FlagEqual, EVR: p.EVR})
			p.Name = rocky
		}
	}
	var metas []*rpm.Package
	for _, d := range decisions {
		first := byDeb[d.matched[0]]
		if d.rename {
			for _, other := range d.matched[1:] {
				op := byDeb[other]
				first.Requires = append(first.Requires, rpm.Dep{Name: finalName(other), Flags: rpm.FlagEqual, EVR: op.EVR})
			}
			continue
		}
		m := &rpm.Package{
			NEVRA:       rpm.NEVRA{Name: d.rule.Rocky, EVR: first.EVR, Arch: first.Arch},
			Summary:     fmt.Sprintf("Rocky name %s for Debian %s", d.rule.Rocky, strings.Join(d.matched, ", ")),
			Description: "Meta package of the Rocky-shaped test set: the Debian packages that stand behind this Rocky name.",
			License:     "MIT",
			BuildTime:   first.BuildTime,
			Vendor:      first.Vendor,
		}
		for _, deb := range d.matched {
			m.Requires = append(m.Requires, rpm.Dep{Name: finalName(deb), Flags: rpm.FlagEqual, EVR: byDeb[deb].EVR})
		}
		metas = append(metas, m)
	}
	return metas, nil
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
