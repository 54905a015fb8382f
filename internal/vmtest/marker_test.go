package vmtest

import (
	"os/exec"
	"strings"
	"testing"
)

func TestMarkedCommand(t *testing.T) {
	line, err := markedCommand(7, "uname -r")
	if err != nil {
		t.Fatal(err)
	}
	if want := "echo __BEGIN_$((7+0))__; uname -r; echo __END_$((7+0))__ $?\n"; line != want {
		t.Errorf("markedCommand(7, uname -r) = %q; want %q", line, want)
	}
	// The typed line, echoed back, must never parse as an answer.
	if _, _, done := parseMarked(line+line, 7); done {
		t.Errorf("parseMarked(echo of %q) = done; want the echo ignored", line)
	}
	for _, bad := range []string{"a\nb", "a\rb", "  "} {
		if _, err := markedCommand(1, bad); err == nil {
			t.Errorf("markedCommand(%q) = nil error; want an error", bad)
		}
	}
}

// TestMarkedCommandShell runs the typed line through a real shell and
// parses what it prints, as the guest would.
func TestMarkedCommandShell(t *testing.T) {
	for _, tc := range []struct {
		cmd    string
		out    string
		status int
	}{
		{"echo hello", "hello\n", 0},
		{"false", "", 1},
		{"(exit 42)", "", 42},
		{"printf 'no newline'", "no newline", 0},
		{"echo __END_3__ fake; echo __BEGIN_3__", "__END_3__ fake\n__BEGIN_3__\n", 0},
	} {
		line, err := markedCommand(3, tc.cmd)
		if err != nil {
			t.Fatal(err)
		}
		printed, err := exec.Command("sh", "-c", line).Output()
		if err != nil {
			t.Fatalf("sh -c %q: %v", line, err)
		}
		// The serial line turns \n into \r\n; an echo of the command
		// line comes first.
		text := line + strings.ReplaceAll(string(printed), "\n", "\r\n") + "vmtest-42# "
		out, status, done := parseMarked(text, 3)
		if !done || out != tc.out || status != tc.status {
			t.Errorf("parseMarked(run of %q) = %q, %d, %v; want %q, %d, true", tc.cmd, out, status, done, tc.out, tc.status)
		}
	}
}

func TestParseMarked(t *testing.T) {
	for _, tc := range []struct {
		name   string
		text   string
		out    string
		status int
		done   bool
	}{
		{"empty", "", "", 0, false},
		{"begin only", "__BEGIN_5__\r\nhalf", "", 0, false},
		{"end without newline", "__BEGIN_5__\r\nx\r\n__END_5__ 0", "", 0, false},
		{"complete", "junk\r\n__BEGIN_5__\r\nx\r\ny\r\n__END_5__ 3\r\n# ", "x\ny\n", 3, true},
		{"other command", "__BEGIN_15__\r\nx\r\n__END_15__ 0\r\n", "", 0, false},
		{"marker text in output", "__BEGIN_5__\r\n__END_5__ zz\r\n", "", 0, false},
		{"marker text then end", "__BEGIN_5__\r\n__END_5__ zz\r\n__END_5__ 2\r\n", "__END_5__ zz\n", 2, true},
		{"negative status", "__BEGIN_5__\n__END_5__ -1\n", "", -1, true},
		{"kernel timestamp before begin", "[ 9.1] __BEGIN_5__\r\nok\r\n__END_5__ 0\r\n", "ok\n", 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, status, done := parseMarked(tc.text, 5)
			if out != tc.out || status != tc.status || done != tc.done {
				t.Errorf("parseMarked(%q, 5) = %q, %d, %v; want %q, %d, %v", tc.text, out, status, done, tc.out, tc.status, tc.done)
			}
		})
	}
}

func FuzzParseMarked(f *testing.F) {
	f.Add("__BEGIN_1__\r\nx\r\n__END_1__ 0\r\n", 1)
	f.Add("echo __BEGIN_$((1+0))__; x; echo __END_$((1+0))__ $?\r\n", 1)
	f.Add("__BEGIN_2__\n__END_2__ -1\n", 2)
	f.Fuzz(func(t *testing.T, text string, n int) {
		out, _, done := parseMarked(text, n)
		if !done && out != "" {
			t.Errorf("parseMarked(%q, %d) = %q while not done", text, n, out)
		}
		if done && !strings.Contains(strings.ReplaceAll(text, "\r", ""), out) {
			t.Errorf("parseMarked(%q, %d) output %q is not part of the text", text, n, out)
		}
	})
}
