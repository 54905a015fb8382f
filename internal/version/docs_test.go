package version

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the generated table in docs/versions.md")

const (
	docsPath   = "../../docs/versions.md"
	tableBegin = "<!-- BEGIN vercmp table: generated from internal/version/testdata/vercmp.txt by `go test ./internal/version -update`; do not edit -->\n"
	tableEnd   = "<!-- END vercmp table -->\n"
)

// docsTable renders the comparison cases as Markdown, one table per group.
func docsTable(cases []vercmpCase) string {
	var b strings.Builder
	group := "\x00"
	for _, c := range cases {
		if c.Group != group {
			group = c.Group
			fmt.Fprintf(&b, "\n#### %s\n\n", strings.ToUpper(group[:1])+group[1:])
			b.WriteString("| a | | b | note |\n|---|:-:|---|---|\n")
		}
		rel := map[int]string{-1: "<", 0: "=", 1: ">"}[c.Want]
		fmt.Fprintf(&b, "| `%s` | %s | `%s` | %s |\n", c.A, rel, c.B, c.Note)
	}
	b.WriteString("\n")
	return b.String()
}

// TestDocsTable checks that docs/versions.md shows exactly the tested cases.
func TestDocsTable(t *testing.T) {
	cases := loadVercmp(t)
	want := docsTable(cases)
	raw, err := os.ReadFile(docsPath)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	i := strings.Index(doc, tableBegin)
	j := strings.Index(doc, tableEnd)
	if i < 0 || j < i {
		t.Fatalf("%s: markers %q and %q not found in order", filepath.Clean(docsPath), tableBegin, tableEnd)
	}
	got := doc[i+len(tableBegin) : j]
	if got == want {
		return
	}
	if *update {
		doc = doc[:i+len(tableBegin)] + want + doc[j:]
		if err := os.WriteFile(docsPath, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s: the generated table differs from testdata/vercmp.txt; run go test ./internal/version -update", filepath.Clean(docsPath))
}
