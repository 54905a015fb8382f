package vendorset

import (
	"fmt"
	"sort"
	"strings"

	"github.com/levitateos/levitate/internal/rpm"
)

// ownershipScript is setup's %posttrans. rpm resolves owner and group
// names when it lays a file down, and the accounts only exist once
// setup's /etc/passwd and /etc/group are committed, so in a first install
// into an empty root rpm falls back to root for every other account
// ("group shadow does not exist - using root"). Rocky's packages create
// their accounts in %pre scriptlets; ours replay the Debian tree's
// ownership after the transaction instead. chown clears setuid and setgid
// bits, so the mode is set again after it.
func ownershipScript(pkgs []*rpm.Package) string {
	type own struct {
		path, owner, group string
		mode               uint32
		link               bool
	}
	seen := map[string]bool{}
	var owns []own
	for _, p := range pkgs {
		for _, f := range p.Files {
			if (f.Owner == "root" || f.Owner == "") && (f.Group == "root" || f.Group == "") || seen[f.Path] {
				continue
			}
			seen[f.Path] = true
			owns = append(owns, own{f.Path, orRoot(f.Owner), orRoot(f.Group), f.Mode &^ rpm.ModeTypeMask, f.IsSymlink()})
		}
	}
	if len(owns) == 0 {
		return ""
	}
	sort.Slice(owns, func(i, j int) bool { return owns[i].path < owns[j].path })
	var b strings.Builder
	b.WriteString("# Owners rpm could not name before setup's accounts existed (see the package description).\n")
	for _, o := range owns {
		fmt.Fprintf(&b, "chown -h %s:%s %s 2>/dev/null || :\n", o.owner, o.group, shQuote(o.path))
		if !o.link {
			fmt.Fprintf(&b, "chmod %04o %s 2>/dev/null || :\n", o.mode, shQuote(o.path))
		}
	}
	b.WriteString("exit 0\n")
	return b.String()
}

func orRoot(s string) string {
	if s == "" {
		return "root"
	}
	return s
}

// shQuote quotes s for /bin/sh.
func shQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
