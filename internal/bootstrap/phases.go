package bootstrap

import (
	"fmt"
	"strings"
	"time"
)

// phases times the steps of Execute for its last progress line, which
// tells bootstrap's own work from rpm's (bench/bootstrap.sh, issue 6).
type phases struct {
	last  time.Time
	names []string
	times []time.Duration
}

func newPhases() *phases { return &phases{last: time.Now()} }

// end closes the step that began when the previous one ended.
func (p *phases) end(name string) {
	now := time.Now()
	p.names = append(p.names, name)
	p.times = append(p.times, now.Sub(p.last))
	p.last = now
}

// String lists the steps as "fetch 0.31 s, rpm 9.02 s".
func (p *phases) String() string {
	parts := make([]string, len(p.names))
	for i, n := range p.names {
		parts[i] = fmt.Sprintf("%s %.2f s", n, p.times[i].Seconds())
	}
	return strings.Join(parts, ", ")
}
