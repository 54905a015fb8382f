package recipecmd

import (
	"bytes"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/levitateos/levitate/internal/install"
)

func TestBars(t *testing.T) {
	var buf syncBuffer
	b := newBars(&buf, 2)
	events := []install.Event{
		{Step: "fetch", Detail: "http://x/a-1.0.tar.zst", Done: 0, Total: 100},
		{Step: "fetch", Detail: "http://x/b-1.0.tar.gz", Done: 10, Total: -1},
		{Step: "fetch", Detail: "http://x/a-1.0.tar.zst", Done: 100, Total: 100},
		{Package: "a 1.0", Step: "extract", Detail: "a-1.0.tar.zst"},
		{Package: "a 1.0", Step: "stage"},
		{Step: "commit", Detail: "2 package(s)"},
		{Package: "a 1.0", Step: "configure", Detail: "create-user"},
	}
	var wg sync.WaitGroup
	for _, e := range events[:2] {
		wg.Add(1)
		go func() { defer wg.Done(); b.event(e) }()
	}
	wg.Wait()
	for _, e := range events[2:] {
		b.event(e)
	}
	b.finish()
	out := buf.String()
	for _, want := range []string{"download", "build", "a 1.0: extract a-1.0.tar.zst", "commit 2 package(s)", "a 1.0: configure"} {
		if !strings.Contains(out, want) {
			t.Errorf("bars output = %q; want %q in it", out, want)
		}
	}
}

func TestIsTerminal(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "x")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tests := []struct {
		name string
		w    any
		want bool
	}{
		{"buffer", &bytes.Buffer{}, false},
		{"regular file", f, false},
		{"/dev/null", devNull(t), false},
	}
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		defer tty.Close()
		tests = append(tests, struct {
			name string
			w    any
			want bool
		}{"/dev/tty", tty, true})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := tt.w.(interface{ Write([]byte) (int, error) })
			if got := isTerminal(w); got != tt.want {
				t.Errorf("isTerminal(%s) = %v; want %v", tt.name, got, tt.want)
			}
		})
	}
}

// syncBuffer is a bytes.Buffer safe for the bar renderer's goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func devNull(t *testing.T) *os.File {
	f, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// TestUseBars draws bars on a terminal (a pseudo-terminal here) for a
// transaction that builds packages, and lines for one that builds none.
func TestUseBars(t *testing.T) {
	pts := openPTS(t)
	for _, tt := range []struct {
		name     string
		w        io.Writer
		packages int
		want     bool
	}{
		{"terminal, install", pts, 3, true},
		{"terminal, remove", pts, 0, false},
		{"buffer, install", &bytes.Buffer{}, 3, false},
	} {
		if got := useBars(tt.w, tt.packages); got != tt.want {
			t.Errorf("useBars(%s) = %v; want %v", tt.name, got, tt.want)
		}
	}
}

// openPTS opens the terminal side of a new pseudo-terminal.
func openPTS(t *testing.T) *os.File {
	t.Helper()
	ptmx, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ptmx.Close() })
	fd := int(ptmx.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	pts, err := os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pts.Close() })
	return pts
}
