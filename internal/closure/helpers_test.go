package closure

import (
	"crypto/sha256"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/levitateos/levitate/internal/repo"
	"github.com/levitateos/levitate/internal/rpm"
)

// pkg builds an index entry from "name-[E:]V-R.arch" and dependency
// specs: "R:dep" requires, "P:" provides, "C:" conflicts, "O:" obsoletes,
// "F:/path" a file, "pre:dep" a Requires(pre).
func pkg(t testing.TB, nevra string, specs ...string) *repo.Package {
	t.Helper()
	n, err := ParseNEVRA(nevra)
	if err != nil {
		t.Fatal(err)
	}
	p := &repo.Package{
		NEVRA: n, Href: "Packages/" + n.FileName(), Size: 1,
		Checksum: repo.Checksum{Type: "sha256", Value: fmt.Sprintf("%x", sha256.Sum256([]byte(nevra)))},
	}
	for _, s := range specs {
		kind, text, _ := strings.Cut(s, ":")
		if kind == "F" {
			p.Files = append(p.Files, text)
			continue
		}
		d, err := rpm.ParseDep(text)
		if err != nil {
			t.Fatal(err)
		}
		switch kind {
		case "R":
			p.Requires = append(p.Requires, d)
		case "pre":
			d.Flags |= rpm.FlagPrereq
			p.Requires = append(p.Requires, d)
		case "P":
			p.Provides = append(p.Provides, d)
		case "C":
			p.Conflicts = append(p.Conflicts, d)
		case "O":
			p.Obsoletes = append(p.Obsoletes, d)
		default:
			t.Fatalf("bad spec %q", s)
		}
	}
	return p
}

func reqs(names ...string) []Request {
	out := make([]Request, len(names))
	for i, n := range names {
		out[i] = Request{Name: n, Pos: "packages.txt:" + strconv.Itoa(i+1)}
	}
	return out
}
