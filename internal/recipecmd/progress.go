package recipecmd

import (
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/levitateos/levitate/internal/install"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
	"golang.org/x/sys/unix"
)

// progress returns the engine's progress function: bars on a terminal,
// one line per step otherwise (logs, pipes, tests); and the function that
// ends the drawing when the engine returns.
func (a *app) progress(packages int) (func(install.Event), func()) {
	if useBars(a.stderr, packages) {
		b := newBars(a.stderr, packages)
		return b.event, b.finish
	}
	return install.LineProgress(a.stderr), func() {}
}

// useBars reports whether progress to w is drawn as bars: on a terminal,
// for a transaction that builds packages. One that builds none (a
// remove) would show two empty bars; its steps are lines.
func useBars(w io.Writer, packages int) bool {
	return packages > 0 && isTerminal(w)
}

// isTerminal reports whether w is a terminal. A character device is not
// enough: /dev/null is one too.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	_, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	return err == nil
}

// bars draws two bars, the bytes of all downloads together and the
// packages built and staged, with a line per step above them. One bar per
// download would not fit a transaction of hundreds of packages. Events
// come from several goroutines.
type bars struct {
	mu       sync.Mutex
	p        *mpb.Progress
	w        io.Writer
	download *mpb.Bar
	build    *mpb.Bar
	fetched  map[string][2]int64 // URL -> done, total
	done     bool                // the bars are finished; later lines go to w
}

func newBars(w io.Writer, packages int) *bars {
	p := mpb.New(mpb.WithOutput(w), mpb.WithWidth(40), mpb.WithAutoRefresh())
	b := &bars{p: p, w: w, fetched: map[string][2]int64{}}
	b.download = p.AddBar(0,
		mpb.PrependDecorators(decor.Name("download ")),
		mpb.AppendDecorators(decor.Counters(decor.SizeB1024(0), "% .1f / % .1f")),
	)
	b.build = p.AddBar(int64(packages),
		mpb.PrependDecorators(decor.Name("build    ")),
		mpb.AppendDecorators(decor.CountersNoUnit("%d / %d packages")),
	)
	return b
}

func (b *bars) event(e install.Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch e.Step {
	case "fetch":
		if b.done {
			return
		}
		b.fetched[e.Detail] = [2]int64{e.Done, max(e.Total, e.Done)}
		var done, total int64
		for _, f := range b.fetched {
			done, total = done+f[0], total+f[1]
		}
		b.download.SetTotal(total, false)
		b.download.SetCurrent(done)
	case "commit":
		// The downloads and builds are over: let the bars finish drawing
		// before the lines of the transaction.
		b.stop()
		fmt.Fprintf(b.w, "commit %s\n", e.Detail)
	default:
		line := e.Step
		if e.Package != "" {
			line = e.Package + ": " + line
		}
		if e.Step == "extract" && e.Detail != "" {
			line += " " + e.Detail
		}
		if b.done {
			fmt.Fprintln(b.w, line)
			return
		}
		if e.Step == "stage" {
			b.build.Increment()
		}
		// Printed above the bars while they are drawn.
		fmt.Fprintln(b.p, line)
	}
}

// stop completes both bars and waits for the last drawing; b.mu is held.
func (b *bars) stop() {
	if b.done {
		return
	}
	b.done = true
	b.download.SetTotal(-1, true)
	b.build.SetTotal(-1, true)
	b.p.Wait()
}

// finish ends the drawing once the engine has returned.
func (b *bars) finish() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.stop()
}
