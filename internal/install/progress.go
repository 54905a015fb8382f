package install

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// LineProgress returns a Progress function that writes one line per step to
// w, for output that is not a terminal. Download byte counts are left out
// but for the end of each download.
func LineProgress(w io.Writer) func(Event) {
	var mu sync.Mutex
	return func(e Event) {
		if e.Step == "fetch" && (e.Total < 0 || e.Done != e.Total) {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		var parts []string
		if e.Package != "" {
			parts = append(parts, e.Package+":")
		}
		parts = append(parts, e.Step)
		if e.Detail != "" {
			parts = append(parts, e.Detail)
		}
		if e.Step == "fetch" {
			parts = append(parts, fmt.Sprintf("(%d bytes)", e.Total))
		}
		fmt.Fprintln(w, strings.Join(parts, " "))
	}
}

// String is the summary printed at the end of a run.
func (s *Summary) String() string {
	var b strings.Builder
	switch {
	case len(s.Installed) > 0:
		fmt.Fprintf(&b, "installed %d package(s), %d bytes", len(s.Installed), s.Bytes)
		if s.Fetched > 0 {
			fmt.Fprintf(&b, ", downloaded %d bytes", s.Fetched)
		}
	case len(s.Removed) > 0:
		fmt.Fprintf(&b, "removed %d package(s)", len(s.Removed))
	default:
		b.WriteString("nothing to do")
	}
	if len(s.Skipped) > 0 {
		fmt.Fprintf(&b, ", %d already installed", len(s.Skipped))
	}
	fmt.Fprintf(&b, " in %s\n", s.Duration.Round(time.Millisecond))
	for _, p := range s.Saved {
		fmt.Fprintf(&b, "modified config file kept as /%s\n", p)
	}
	for _, p := range s.New {
		fmt.Fprintf(&b, "new config file installed as /%s\n", p)
	}
	return b.String()
}
