package sexpr

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// formatInputs lists the formatter's own tricky inputs and the compat
// recipes of the recipe package.
func formatInputs(t testing.TB) []string {
	own, _ := filepath.Glob("testdata/format/*.in")
	compat, _ := filepath.Glob("../recipe/testdata/compat/*.recipe")
	if len(own) == 0 || len(compat) == 0 {
		t.Fatalf("no format inputs: %d own, %d compat", len(own), len(compat))
	}
	return append(own, compat...)
}

func TestFormatGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/format/*.in")
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			nodes, err := Parse(f, src)
			if err != nil {
				t.Fatal(err)
			}
			got := Format(nodes)
			golden := strings.TrimSuffix(f, ".in") + ".golden"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Format(%s) =\n%s\nwant\n%s", f, got, want)
			}
		})
	}
}

// TestFormatIdempotent checks Format(Parse(Format(x))) == Format(x), that
// formatting keeps every comment and that it keeps the tree.
func TestFormatIdempotent(t *testing.T) {
	for _, f := range formatInputs(t) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			checkRoundTrip(t, src)
			if got, want := countComments(t, src), bytes.Count(src, []byte(";")); got > want || got == 0 && want > 0 {
				t.Errorf("comments after formatting = %d; want about %d", got, want)
			}
		})
	}
}

func countComments(t testing.TB, src []byte) int {
	nodes, err := Parse("t", src)
	if err != nil {
		t.Fatal(err)
	}
	out, err := Parse("t", Format(nodes))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	var walk func(*Node)
	walk = func(x *Node) {
		if c := x.Comments; c != nil {
			n += len(c.Before) + len(c.Inner) + len(c.After)
			if c.Trailing != nil {
				n++
			}
		}
		for _, ch := range x.Children {
			walk(ch)
		}
	}
	for _, x := range out {
		walk(x)
	}
	return n
}

// checkRoundTrip fails unless formatting src is idempotent and preserves
// the tree (kinds, texts, comment texts).
func checkRoundTrip(t testing.TB, src []byte) {
	t.Helper()
	nodes, err := Parse("in", src)
	if err != nil {
		return
	}
	once := Format(nodes)
	again, err := Parse("once", once)
	if err != nil {
		t.Fatalf("formatted output does not parse: %v\n%s", err, once)
	}
	if a, b := dump(nodes), dump(again); a != b {
		t.Fatalf("formatting changed the tree:\n%s\nto\n%s\noutput:\n%s", a, b, once)
	}
	twice := Format(again)
	if !bytes.Equal(once, twice) {
		t.Fatalf("Format not idempotent:\nonce:\n%s\ntwice:\n%s", once, twice)
	}
}

// dump prints a tree with its comments, without positions or blank lines.
func dump(nodes []*Node) string {
	var b strings.Builder
	var walk func(*Node, int)
	comments := func(label string, cs []Comment, depth int) {
		for _, c := range cs {
			b.WriteString(strings.Repeat(" ", depth) + label + " " + c.Text + "\n")
		}
	}
	walk = func(n *Node, depth int) {
		pad := strings.Repeat(" ", depth)
		if c := n.Comments; c != nil {
			comments("before", c.Before, depth)
		}
		b.WriteString(pad + n.Kind.String() + " " + n.Text + "\n")
		for _, ch := range n.Children {
			walk(ch, depth+1)
		}
		if c := n.Comments; c != nil {
			comments("inner", c.Inner, depth)
			if c.Trailing != nil {
				comments("trailing", []Comment{*c.Trailing}, depth)
			}
			comments("after", c.After, depth)
		}
	}
	for _, n := range nodes {
		walk(n, 0)
	}
	return b.String()
}

func TestFormatLineWidth(t *testing.T) {
	src := []byte(`(deps (build "meson" "ninja" "pkg-config") (runtime "wayland" "wayland-protocols"))`)
	nodes, err := Parse("t", src)
	if err != nil {
		t.Fatal(err)
	}
	got := string(Format(nodes))
	want := "(deps\n  (build \"meson\" \"ninja\" \"pkg-config\")\n  (runtime \"wayland\" \"wayland-protocols\"))\n"
	if got != want {
		t.Errorf("Format(%s) =\n%s\nwant\n%s", src, got, want)
	}
}

func FuzzParse(f *testing.F) {
	for _, file := range formatInputs(f) {
		src, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Add([]byte("(a \"\\x\" ; c\n)"))
	f.Add([]byte("(( ; x\n))"))
	f.Fuzz(func(t *testing.T, src []byte) {
		checkRoundTrip(t, src)
	})
}
