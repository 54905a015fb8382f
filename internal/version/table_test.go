package version

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
)

// vercmpCase is one line of testdata/vercmp.txt.
type vercmpCase struct {
	A, B  string
	Want  int
	Note  string
	Group string // the comment heading the block the case is in
	Line  int
}

// loadVercmp reads testdata/vercmp.txt: "A B RESULT [# note]" per line,
// blank lines and lines starting with '#' ignored.
func loadVercmp(tb testing.TB) []vercmpCase {
	tb.Helper()
	f, err := os.Open("testdata/vercmp.txt")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var cases []vercmpCase
	var group, heading string
	prevBlank := true
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "":
			heading, prevBlank = "", true
			continue
		case line[0] == '#':
			// A comment after a blank line that directly precedes cases
			// heads a group; the file's opening comment block does not.
			if prevBlank {
				heading = strings.TrimSpace(line[1:])
			}
			prevBlank = false
			continue
		}
		prevBlank = false
		if heading != "" {
			group, heading = heading, ""
		}
		var note string
		if i := strings.Index(line, "#"); i >= 0 {
			line, note = strings.TrimSpace(line[:i]), strings.TrimSpace(line[i+1:])
		}
		f := strings.Fields(line)
		if len(f) != 3 {
			tb.Fatalf("testdata/vercmp.txt:%d: want 3 fields, got %d: %q", n, len(f), line)
		}
		want, err := strconv.Atoi(f[2])
		if err != nil || want < -1 || want > 1 {
			tb.Fatalf("testdata/vercmp.txt:%d: result %q is not -1, 0 or 1", n, f[2])
		}
		cases = append(cases, vercmpCase{A: f[0], B: f[1], Want: want, Note: note, Group: group, Line: n})
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return cases
}

func TestCompareTable(t *testing.T) {
	cases := loadVercmp(t)
	if len(cases) < 150 {
		t.Errorf("testdata/vercmp.txt has %d cases; want at least 150", len(cases))
	}
	for _, c := range cases {
		t.Run(c.A+"_vs_"+c.B, func(t *testing.T) {
			if got := Compare(c.A, c.B); got != c.Want {
				t.Errorf("line %d: Compare(%q, %q) = %d; want %d", c.Line, c.A, c.B, got, c.Want)
			}
			if got := Compare(c.B, c.A); got != -c.Want {
				t.Errorf("line %d: Compare(%q, %q) = %d; want %d", c.Line, c.B, c.A, got, -c.Want)
			}
			ea, errA := ParseEVR(c.A)
			eb, errB := ParseEVR(c.B)
			if errA != nil || errB != nil {
				return // lenient-only inputs such as ":1.0" or "1.0-1-2"
			}
			if got := ea.Compare(eb); got != c.Want {
				t.Errorf("line %d: ParseEVR(%q).Compare(ParseEVR(%q)) = %d; want %d", c.Line, c.A, c.B, got, c.Want)
			}
		})
	}
}

// TestCompareTotalOrder checks transitivity over every version in the table:
// if a <= b and b <= c then a <= c, and equality is consistent.
func TestCompareTotalOrder(t *testing.T) {
	seen := map[string]bool{}
	var vs []string
	for _, c := range loadVercmp(t) {
		for _, v := range []string{c.A, c.B} {
			if !seen[v] {
				seen[v] = true
				vs = append(vs, v)
			}
		}
	}
	for _, a := range vs {
		for _, b := range vs {
			ab := Compare(a, b)
			for _, c := range vs {
				bc, ac := Compare(b, c), Compare(a, c)
				if ab <= 0 && bc <= 0 && ac > 0 {
					t.Fatalf("Compare(%q, %q) = %d, Compare(%q, %q) = %d, but Compare(%q, %q) = %d; want <= 0", a, b, ab, b, c, bc, a, c, ac)
				}
				if ab == 0 && bc == 0 && ac != 0 {
					t.Fatalf("%q = %q = %q but Compare(%q, %q) = %d; want 0", a, b, c, a, c, ac)
				}
			}
		}
	}
}
