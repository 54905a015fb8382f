package sexpr

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// dumpTree renders nodes with every field that Format leaves out (kinds,
// positions, blank-line flags), so that two parses can be compared.
func dumpTree(b *strings.Builder, nodes []*Node, depth int) {
	for _, n := range nodes {
		fmt.Fprintf(b, "%*s%v %v blank=%v %q", 2*depth, "", n.Kind, n.Pos, n.Blank, n.Text)
		if c := n.Comments; c != nil {
			fmt.Fprintf(b, " comments=%v/%v/%v/%v", c.Before, c.Trailing, c.Inner, c.After)
		}
		b.WriteByte('\n')
		dumpTree(b, n.Children, depth+1)
	}
}

func parseResult(nodes []*Node, err error) string {
	var b strings.Builder
	dumpTree(&b, nodes, 0)
	if err != nil {
		b.WriteString("error: " + err.Error())
	}
	return b.String()
}

// TestParserReuse parses a sequence of files with one Parser and checks
// that each result equals that of a fresh Parse: nothing of an earlier
// file (nodes, comments, errors, a slab that had to grow) leaks into a
// later one, and the text of earlier nodes survives later calls.
func TestParserReuse(t *testing.T) {
	srcs := []string{
		"; lead\n(package \"a\" \"1.0\" ; trailing\n  (deps \"x\" y)\n\n  ; inner\n)\n; after\n",
		"(a (b (c \"d\\x41\")))",
		"(unterminated (list",
		"; only a comment\n",
		"(x)\n\n(y \"two\" top-level)",
		"(big " + strings.Repeat("(n 1 \"s\") ", 500) + ")", // outgrows the first slab
		"(a \"bad\\q escape\" \x00)",
		"(small)",
	}
	for _, f := range formatInputs(t)[:3] {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, string(src))
	}
	var p Parser
	var first []*Node
	var firstText string
	for round := range 2 {
		for i, src := range srcs {
			name := fmt.Sprintf("f%d.recipe", i)
			got := parseResult(p.Parse(name, []byte(src)))
			want := parseResult(Parse(name, []byte(src)))
			if got != want {
				t.Errorf("round %d: Parser.Parse(%s) =\n%s\nwant (as Parse)\n%s", round, name, got, want)
			}
			if round == 0 && i == 0 {
				first, _ = Parse(name, []byte(src))
				nodes, _ := p.Parse(name, []byte(src))
				firstText = nodes[0].Children[1].Text
			}
		}
	}
	if want := first[0].Children[1].Text; firstText != want {
		t.Errorf("text of an earlier parse = %q after later parses; want %q", firstText, want)
	}
}

func BenchmarkParser(b *testing.B) {
	var srcs [][]byte
	for _, f := range formatInputs(b) {
		src, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		srcs = append(srcs, src)
	}
	b.Run("fresh", func(b *testing.B) {
		for b.Loop() {
			for _, src := range srcs {
				if _, err := Parse("x", src); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("reused", func(b *testing.B) {
		var p Parser
		for b.Loop() {
			for _, src := range srcs {
				if _, err := p.Parse("x", src); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// FuzzParserReuse checks that a Parser that has read one file parses the
// next exactly as a fresh Parse does.
func FuzzParserReuse(f *testing.F) {
	inputs := formatInputs(f)
	for i, file := range inputs {
		a, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		b, err := os.ReadFile(inputs[(i+1)%len(inputs)])
		if err != nil {
			f.Fatal(err)
		}
		f.Add(a, b)
	}
	f.Add([]byte("(a (b ; c\n"), []byte("(x)"))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		var p Parser
		first := parseResult(p.Parse("a", a))
		if want := parseResult(Parse("a", a)); first != want {
			t.Fatalf("Parser.Parse(a) =\n%s\nwant\n%s", first, want)
		}
		if got, want := parseResult(p.Parse("b", b)), parseResult(Parse("b", b)); got != want {
			t.Errorf("Parser.Parse(b) after a =\n%s\nwant\n%s", got, want)
		}
	})
}
