package resolve

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/levitateos/levitate/internal/version"
)

var update = flag.Bool("update", false, "rewrite the expectations of testdata/scenarios")

// archive is a txtar-like file: a comment, then sections "-- name --".
type archive struct {
	comment  string
	sections []section
}

type section struct{ name, body string }

func parseArchive(data string) archive {
	var a archive
	cur := &a.comment
	for line := range strings.SplitAfterSeq(data, "\n") {
		t := strings.TrimRight(line, "\n")
		if strings.HasPrefix(t, "-- ") && strings.HasSuffix(t, " --") && len(t) >= 6 {
			a.sections = append(a.sections, section{name: t[3 : len(t)-3]})
			cur = &a.sections[len(a.sections)-1].body
			continue
		}
		*cur += line
	}
	return a
}

func (a archive) format() string {
	var b strings.Builder
	b.WriteString(a.comment)
	for _, s := range a.sections {
		fmt.Fprintf(&b, "-- %s --\n%s", s.name, s.body)
		if s.body != "" && !strings.HasSuffix(s.body, "\n") {
			b.WriteString("\n")
		}
	}
	return b.String()
}

func (a archive) get(name string) string {
	for _, s := range a.sections {
		if s.name == name {
			return s.body
		}
	}
	return ""
}

// block is one package or installed entry: a header line and indented
// attribute lines.
type block struct {
	fields []string
	attrs  []attr
}

type attr struct {
	key, rest string
	line, col int // position of rest within the block (header is line 1)
}

func parseBlocks(text string) ([]block, error) {
	var bs []block
	sc := bufio.NewScanner(strings.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		if line[0] != ' ' {
			bs = append(bs, block{fields: strings.Fields(line)})
			continue
		}
		if len(bs) == 0 {
			return nil, fmt.Errorf("line %d: attribute before any package", n)
		}
		b := &bs[len(bs)-1]
		trimmed := strings.TrimLeft(line, " ")
		key, rest, _ := strings.Cut(trimmed, " ")
		col := len(line) - len(trimmed) + len(key) + 2
		b.attrs = append(b.attrs, attr{key: key, rest: strings.TrimSpace(rest), line: len(b.attrs) + 2, col: col})
	}
	return bs, sc.Err()
}

func parseDepLine(rest string, kind DepKind, from string) (Dep, error) {
	text, cond, _ := strings.Cut(rest, " if ")
	name, c, err := version.ParseDep(strings.TrimSpace(text))
	if err != nil {
		return Dep{}, err
	}
	return Dep{Name: name, Constraint: c, Kind: kind, If: strings.TrimSpace(cond), From: from}, nil
}

func parseProvide(rest string) Provide {
	name, ver, _ := strings.Cut(rest, "=")
	return Provide{Name: strings.TrimSpace(name), Version: strings.TrimSpace(ver)}
}

func parseUniverse(text string) ([]Package, error) {
	bs, err := parseBlocks(text)
	if err != nil {
		return nil, err
	}
	var pkgs []Package
	for _, b := range bs {
		if len(b.fields) != 2 {
			return nil, fmt.Errorf("package header %q: want NAME VERSION", strings.Join(b.fields, " "))
		}
		p := Package{Name: b.fields[0], Version: b.fields[1], Source: "recipes/" + b.fields[0] + ".recipe"}
		for _, a := range b.attrs {
			from := fmt.Sprintf("%s:%d:%d", p.Source, a.line, a.col)
			switch a.key {
			case "dep", "build":
				kind := Runtime
				if a.key == "build" {
					kind = Build
				}
				d, err := parseDepLine(a.rest, kind, from)
				if err != nil {
					return nil, err
				}
				p.Deps = append(p.Deps, d)
			case "conflicts":
				d, err := parseDepLine(a.rest, Runtime, from)
				if err != nil {
					return nil, err
				}
				p.Conflicts = append(p.Conflicts, d)
			case "provides":
				p.Provides = append(p.Provides, parseProvide(a.rest))
			case "feature":
				fs := strings.Fields(a.rest)
				f := Feature{Name: fs[0]}
				for i := 1; i < len(fs); i++ {
					switch fs[i] {
					case "default":
						f.Default = true
					case "implies":
						f.Implies = append(f.Implies, fs[i+1:]...)
						i = len(fs)
					default:
						return nil, fmt.Errorf("feature %q: unknown word %q", f.Name, fs[i])
					}
				}
				p.Features = append(p.Features, f)
			default:
				return nil, fmt.Errorf("%s: unknown attribute %q", from, a.key)
			}
		}
		pkgs = append(pkgs, p)
	}
	return pkgs, nil
}

func parseInstalled(text string) ([]Installed, error) {
	bs, err := parseBlocks(text)
	if err != nil {
		return nil, err
	}
	var out []Installed
	for _, b := range bs {
		if len(b.fields) != 2 {
			return nil, fmt.Errorf("installed header %q: want NAME VERSION", strings.Join(b.fields, " "))
		}
		in := Installed{Name: b.fields[0], Version: b.fields[1]}
		for _, a := range b.attrs {
			switch a.key {
			case "provides":
				in.Provides = append(in.Provides, parseProvide(a.rest))
			case "conflicts":
				d, err := parseDepLine(a.rest, Runtime, "")
				if err != nil {
					return nil, err
				}
				in.Conflicts = append(in.Conflicts, d)
			case "features":
				in.Features = strings.Fields(a.rest)
			default:
				return nil, fmt.Errorf("installed %s: unknown attribute %q", in.Name, a.key)
			}
		}
		out = append(out, in)
	}
	return out, nil
}

// parseRequests reads one request a line: "name [constraint] [+x] [-y]".
func parseRequests(text string) ([]Request, error) {
	var out []Request
	for line := range strings.Lines(text) {
		if strings.TrimSpace(line) == "" {
			continue
		}
		var spec, feats []string
		for _, f := range strings.Fields(line) {
			if len(f) > 1 && (f[0] == '+' || f[0] == '-') && isLetter(f[1]) {
				feats = append(feats, strings.TrimPrefix(f, "+"))
			} else {
				spec = append(spec, f)
			}
		}
		name, c, err := version.ParseDep(strings.Join(spec, " "))
		if err != nil {
			return nil, err
		}
		out = append(out, Request{Name: name, Constraint: c, Features: feats})
	}
	return out, nil
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func parseOptions(text string) (Options, error) {
	var o Options
	for line := range strings.Lines(text) {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if len(f) != 2 || f[0] != "max-attempts" {
			return o, fmt.Errorf("unknown option line %q", line)
		}
		n, err := strconv.Atoi(f[1])
		if err != nil {
			return o, err
		}
		o.MaxAttempts = n
	}
	return o, nil
}

// outcome renders what Resolve returned, as the "want" section holds it.
func outcome(p *Plan, err error) string {
	if err != nil {
		return fmt.Sprintf("error %T:\n%s\n", err, err)
	}
	return p.String()
}

// runScenario computes every expectation section of a; it returns the
// archive with the computed bodies.
func runScenario(t *testing.T, a archive) archive {
	t.Helper()
	pkgs, err := parseUniverse(a.get("universe"))
	if err != nil {
		t.Fatalf("universe: %v", err)
	}
	reqs, err := parseRequests(a.get("request"))
	if err != nil {
		t.Fatalf("request: %v", err)
	}
	inst, err := parseInstalled(a.get("installed"))
	if err != nil {
		t.Fatalf("installed: %v", err)
	}
	opts, err := parseOptions(a.get("options"))
	if err != nil {
		t.Fatalf("options: %v", err)
	}
	u := NewUniverse(pkgs)
	got := archive{comment: a.comment}
	for _, s := range a.sections {
		switch name, arg, _ := strings.Cut(s.name, " "); name {
		case "want":
			p, err := u.Resolve(reqs, inst, opts)
			if err == nil {
				checkPlan(t, u, reqs, inst, p)
			}
			s.body = outcome(p, err)
			p2, err2 := u.Resolve(reqs, inst, opts)
			if again := outcome(p2, err2); again != s.body {
				t.Errorf("second Resolve differs:\n%s\nfirst:\n%s", again, s.body)
			}
		case "tree":
			fields := strings.Fields(arg)
			n, err := u.Tree(fields[0], fields[1:])
			if err != nil {
				s.body = fmt.Sprintf("error %T:\n%s\n", err, err)
			} else {
				s.body = n.String()
			}
		case "reverse":
			s.body = strings.Join(u.ReverseDeps(arg), "\n") + "\n"
		}
		got.sections = append(got.sections, s)
	}
	return got
}

func TestScenarios(t *testing.T) {
	files, err := filepath.Glob("testdata/scenarios/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 40 {
		t.Errorf("found %d scenarios; want at least 40", len(files))
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			a := parseArchive(string(data))
			if a.get("want") == "" && a.get("universe") == "" {
				t.Fatalf("%s: no universe or want section", file)
			}
			got := runScenario(t, a)
			if *update {
				if err := os.WriteFile(file, []byte(got.format()), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			for i, s := range got.sections {
				if want := a.sections[i].body; s.body != want {
					t.Errorf("%s: section %q:\ngot:\n%s\nwant:\n%s", file, s.name, s.body, want)
				}
			}
		})
	}
}
