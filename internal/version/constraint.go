package version

import (
	"fmt"
	"strings"
)

// Op is a comparison operator in a constraint clause.
type Op int

// The operators. The zero Op is invalid.
const (
	OpEQ     Op = iota + 1 // =
	OpGE                   // >=
	OpLE                   // <=
	OpGT                   // >
	OpLT                   // <
	OpCompat               // ~= (compatible release)
)

// opHint lists the operators for error messages.
const opHint = "(use one of = >= <= > < ~=)"

// String returns the operator as written in a constraint.
func (o Op) String() string {
	switch o {
	case OpEQ:
		return "="
	case OpGE:
		return ">="
	case OpLE:
		return "<="
	case OpGT:
		return ">"
	case OpLT:
		return "<"
	case OpCompat:
		return "~="
	}
	return fmt.Sprintf("Op(%d)", int(o))
}

func parseOp(s string) (Op, bool) {
	for o := OpEQ; o <= OpCompat; o++ {
		if o.String() == s {
			return o, true
		}
	}
	return 0, false
}

func isOpChar(c byte) bool { return strings.IndexByte("=<>~!", c) >= 0 }

// Clause is one comparison, such as ">= 1.2".
type Clause struct {
	Op  Op
	EVR EVR
}

// String formats the clause as "OP EVR".
func (c Clause) String() string { return c.Op.String() + " " + c.EVR.String() }

// Match reports whether v satisfies the clause. As in rpm, releases are
// compared only when both v and the clause have one, so "= 1.2" matches
// "1.2-3".
func (c Clause) Match(v EVR) bool {
	r := v.compareWild(c.EVR)
	switch c.Op {
	case OpEQ:
		return r == 0
	case OpGE:
		return r >= 0
	case OpLE:
		return r <= 0
	case OpGT:
		return r > 0
	case OpLT:
		return r < 0
	case OpCompat:
		return r >= 0 && v.Epoch == c.EVR.Epoch && compatPrefixMatch(c.EVR.Version, v.Version)
	}
	return false
}

// Constraint is a conjunction of clauses; the zero Constraint matches
// everything.
type Constraint struct {
	Clauses []Clause
}

// ParseConstraint parses a comma-separated list of clauses, each an
// operator and an EVR: "", ">= 1.2", ">=1.2,<2", "~= 1.4.2", "= 1:2.0-3".
// Every bad clause is reported, not only the first.
func ParseConstraint(s string) (Constraint, error) {
	if strings.TrimSpace(s) == "" {
		return Constraint{}, nil
	}
	var c Constraint
	var errs []error
	for part := range strings.SplitSeq(s, ",") {
		cl, err := parseClause(part)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		c.Clauses = append(c.Clauses, cl)
	}
	if len(errs) > 0 {
		return Constraint{}, &listError{prefix: fmt.Sprintf("invalid constraint %q", s), errs: errs}
	}
	return c, nil
}

func parseClause(s string) (Clause, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Clause{}, fmt.Errorf("empty clause (a ',' must separate two clauses)")
	}
	n := 0
	for n < len(s) && isOpChar(s[n]) {
		n++
	}
	opText, verText := s[:n], strings.TrimSpace(s[n:])
	if opText == "" {
		return Clause{}, fmt.Errorf("missing operator before %q %s", s, opHint)
	}
	op, ok := parseOp(opText)
	if !ok {
		return Clause{}, fmt.Errorf("unknown operator %q %s", opText, opHint)
	}
	if verText == "" {
		return Clause{}, fmt.Errorf("missing version after %q", opText)
	}
	if isOpChar(verText[0]) {
		return Clause{}, fmt.Errorf("operator %q followed by %q: write an operator without spaces inside, as in \">=\"", opText, verText)
	}
	e, err := ParseEVR(verText)
	if err != nil {
		return Clause{}, err
	}
	if op == OpCompat && compatLen(e.Version) < 2 {
		return Clause{}, fmt.Errorf("%q needs a version with at least two components, as in \"~= %s.0\": "+
			"~= drops the last component to find the upper bound, and %q has only one", s, e.Version, e.Version)
	}
	return Clause{Op: op, EVR: e}, nil
}

// Match reports whether the EVR string v satisfies every clause. An invalid
// v never matches.
func (c Constraint) Match(v string) bool {
	e, err := ParseEVR(v)
	return err == nil && c.MatchEVR(e)
}

// MatchEVR reports whether v satisfies every clause.
func (c Constraint) MatchEVR(v EVR) bool {
	for _, cl := range c.Clauses {
		if !cl.Match(v) {
			return false
		}
	}
	return true
}

// Any reports whether c has no clauses and so matches every version.
func (c Constraint) Any() bool { return len(c.Clauses) == 0 }

// String formats c canonically, as ">= 1.2, < 2"; the zero Constraint is "".
func (c Constraint) String() string {
	parts := make([]string, len(c.Clauses))
	for i, cl := range c.Clauses {
		parts[i] = cl.String()
	}
	return strings.Join(parts, ", ")
}

// listError is an error made of several, shown on one line.
type listError struct {
	prefix string
	errs   []error
}

func (e *listError) Error() string {
	msgs := make([]string, len(e.errs))
	for i, err := range e.errs {
		msgs[i] = err.Error()
	}
	return e.prefix + ": " + strings.Join(msgs, "; ")
}

func (e *listError) Unwrap() []error { return e.errs }
