package vmtest

import (
	"bytes"
	"io"
	"strings"
	"sync"
	"time"
)

// maxPartial bounds how much of an unterminated line is examined, so a
// guest that prints megabytes without a newline costs linear time.
const maxPartial = 4096

// StageEvent records when the console first proved a stage.
type StageEvent struct {
	Stage Stage
	// At is the time since the VM started.
	At time.Duration
	// Line is the cleaned console line that proved the stage.
	Line string
}

// FailureMatch is a failure text seen on the console.
type FailureMatch struct {
	Failure Failure
	Stage   Stage
	At      time.Duration
	Line    string
}

// consoleState is a snapshot of what the console has shown so far.
type consoleState struct {
	stage   Stage
	stageAt time.Duration // when stage was entered
	failure *FailureMatch
	watched bool // the watched text has appeared
}

// Console receives a VM's serial output. It keeps the whole log, copies
// it to an optional writer (the console log file), follows the boot stages
// and records the first failure text. It is safe for concurrent use.
type Console struct {
	mu        sync.Mutex
	det       *detector
	start     time.Time
	now       func() time.Time
	tee       io.Writer
	log       []byte
	lineStart int // offset in log where the unterminated line begins
	events    []StageEvent
	failure   *FailureMatch
	watch     string // see Watch
	watched   bool
	changed   chan struct{} // closed and replaced on every write
}

// Watch makes the console look for text in every line, partial lines
// included, from now on. The harness watches for a boot menu before
// typing into it (Options.Expect).
func (c *Console) Watch(text string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.watch, c.watched = text, false
}

// NewConsole returns a console that recognises ready as the shell prompt
// and fails on failures. Output is also written to tee when it is not nil.
func NewConsole(ready string, failures []Failure, tee io.Writer) *Console {
	return &Console{
		det:     newDetector(ready, failures),
		start:   time.Now(),
		now:     time.Now,
		tee:     tee,
		events:  []StageEvent{{Stage: StageFirmware}},
		changed: make(chan struct{}),
	}
}

// Write implements io.Writer. It never fails: a broken tee must not stop
// QEMU's output from being read.
func (c *Console) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tee != nil {
		if _, err := c.tee.Write(p); err != nil {
			c.tee = nil
		}
	}
	c.log = append(c.log, p...)
	for {
		i := bytes.IndexByte(c.log[c.lineStart:], '\n')
		if i < 0 {
			break
		}
		c.examine(c.log[c.lineStart:c.lineStart+i], false)
		c.lineStart += i + 1
	}
	// Prompts and "Shell> " end without a newline.
	part := c.log[c.lineStart:]
	if len(part) > maxPartial {
		part = part[len(part)-maxPartial:]
	}
	if len(part) > 0 {
		c.examine(part, true)
	}
	close(c.changed)
	c.changed = make(chan struct{})
	return len(p), nil
}

// examine looks at one line. An unterminated (partial) line is only
// checked for the prompt and for failures: a stage marker may still grow
// into something else ("Welcome to " into "Welcome to GRUB!").
func (c *Console) examine(raw []byte, partial bool) {
	line := cleanLine(raw)
	if line == "" {
		return
	}
	if c.watch != "" && !c.watched && strings.Contains(line, c.watch) {
		c.watched = true
	}
	at := c.now().Sub(c.start)
	cur := c.events[len(c.events)-1].Stage
	s := cur
	if !partial {
		s = c.det.classify(line, cur)
	} else if c.det.isReady(line) {
		s = StageShell
	}
	if s > cur {
		c.events = append(c.events, StageEvent{Stage: s, At: at, Line: line})
		cur = s
	}
	if c.failure != nil {
		return
	}
	if f, ok := c.det.failure(line, cur); ok {
		c.failure = &FailureMatch{Failure: f, Stage: cur, At: at, Line: line}
	}
}

// changes returns a channel that is closed at the next write.
func (c *Console) changes() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.changed
}

func (c *Console) state() consoleState {
	c.mu.Lock()
	defer c.mu.Unlock()
	last := c.events[len(c.events)-1]
	return consoleState{stage: last.Stage, stageAt: last.At, failure: c.failure, watched: c.watched}
}

// Stage returns the latest stage reached.
func (c *Console) Stage() Stage { return c.state().stage }

// Failure returns the first failure seen, or nil.
func (c *Console) Failure() *FailureMatch {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.failure == nil {
		return nil
	}
	f := *c.failure
	return &f
}

// Events returns the stage changes so far, starting with the firmware.
func (c *Console) Events() []StageEvent {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]StageEvent(nil), c.events...)
}

// Len returns the number of bytes received.
func (c *Console) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.log)
}

// Since returns the raw output from byte offset off on.
func (c *Console) Since(off int) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	off = min(max(off, 0), len(c.log))
	return string(c.log[off:])
}

// String returns the whole raw log.
func (c *Console) String() string { return c.Since(0) }

// Tail returns the last n non-empty cleaned lines, for error messages.
func (c *Console) Tail(n int) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	rest := c.log
	for len(rest) > 0 && len(out) < n {
		i := bytes.LastIndexByte(rest, '\n')
		if l := cleanLine(rest[i+1:]); l != "" {
			out = append(out, l)
		}
		if i < 0 {
			break
		}
		rest = rest[:i]
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}
