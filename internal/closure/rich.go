package closure

import (
	"fmt"
	"strings"

	"github.com/levitateos/levitate/internal/rpm"
)

// expr is a parsed requirement: a plain dependency (op == "") or a rich
// dependency operator with its operands.
type expr struct {
	op   string // "", and, or, if, unless, with, without
	dep  rpm.Dep
	args []*expr
	// otherwise is the else branch of if/unless.
	otherwise *expr
}

func (e *expr) String() string {
	if e.op == "" {
		return e.dep.String()
	}
	parts := make([]string, len(e.args))
	for i, a := range e.args {
		parts[i] = a.String()
	}
	s := "(" + strings.Join(parts, " "+e.op+" ")
	if e.otherwise != nil {
		s += " else " + e.otherwise.String()
	}
	return s + ")"
}

// parseRequire parses a dependency as rpm spells it in repodata: plain
// ones come pre-split; rich ones carry their whole text in Name.
func parseRequire(d rpm.Dep) (*expr, error) {
	if !d.IsRich() {
		return &expr{dep: d}, nil
	}
	p := &richParser{s: d.Name}
	e, err := p.expr()
	if err != nil {
		return nil, fmt.Errorf("rich dependency %q: %w", d.Name, err)
	}
	p.space()
	if p.i != len(p.s) {
		return nil, fmt.Errorf("rich dependency %q: trailing text at offset %d", d.Name, p.i)
	}
	return e, nil
}

type richParser struct {
	s string
	i int
}

func (p *richParser) space() {
	for p.i < len(p.s) && p.s[p.i] == ' ' {
		p.i++
	}
}

// word returns the next space- or parenthesis-delimited token.
func (p *richParser) word() string {
	p.space()
	start := p.i
	depth := 0
	for p.i < len(p.s) {
		c := p.s[p.i]
		if c == '(' {
			depth++
		} else if c == ')' {
			if depth == 0 {
				break
			}
			depth--
		} else if c == ' ' && depth == 0 {
			break
		}
		p.i++
	}
	return p.s[start:p.i]
}

// expr parses "(" operand (OP operand)* [else operand] ")" or a plain
// "name [op evr]" operand.
func (p *richParser) expr() (*expr, error) {
	p.space()
	if p.i >= len(p.s) {
		return nil, fmt.Errorf("unexpected end")
	}
	if p.s[p.i] != '(' {
		return p.plain()
	}
	p.i++
	first, err := p.expr()
	if err != nil {
		return nil, err
	}
	e := &expr{args: []*expr{first}}
	for {
		p.space()
		if p.i >= len(p.s) {
			return nil, fmt.Errorf("missing )")
		}
		if p.s[p.i] == ')' {
			p.i++
			if e.op == "" {
				return first, nil // "(a)"
			}
			return e, nil
		}
		op := p.word()
		switch op {
		case "and", "or", "if", "unless", "with", "without":
			if e.op != "" && (e.op != op || op == "if" || op == "unless" || op == "without") {
				return nil, fmt.Errorf("operator %q after %q needs parentheses", op, e.op)
			}
			e.op = op
			a, err := p.expr()
			if err != nil {
				return nil, err
			}
			e.args = append(e.args, a)
		case "else":
			if (e.op != "if" && e.op != "unless") || e.otherwise != nil {
				return nil, fmt.Errorf("else without if or unless")
			}
			if e.otherwise, err = p.expr(); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("unknown operator %q at offset %d", op, p.i-len(op))
		}
	}
}

// plain reads "name" or "name OP evr" inside a rich dependency.
func (p *richParser) plain() (*expr, error) {
	name := p.word()
	if name == "" {
		return nil, fmt.Errorf("empty operand at offset %d", p.i)
	}
	save := p.i
	op := p.word()
	flags, err := rpm.ParseOp(op)
	if err != nil {
		p.i = save
		return &expr{dep: rpm.Dep{Name: name}}, nil
	}
	v := p.word()
	evr, err := rpm.ParseEVR(v)
	if err != nil {
		return nil, err
	}
	return &expr{dep: rpm.Dep{Name: name, Flags: flags, EVR: evr}}, nil
}
