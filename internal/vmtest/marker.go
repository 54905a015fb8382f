package vmtest

import (
	"fmt"
	"strconv"
	"strings"
)

// markedCommand returns the line typed into the guest shell for command n.
// The shell prints __BEGIN_n__ and __END_n__ STATUS; the typed line holds
// only $((n+0)), so its echo never looks like an answer.
func markedCommand(n int, cmd string) (string, error) {
	if strings.ContainsAny(cmd, "\r\n") {
		return "", fmt.Errorf("command %q: a newline would split the marker protocol; join the lines with ';'", cmd)
	}
	if strings.TrimSpace(cmd) == "" {
		return "", fmt.Errorf("command %q: empty", cmd)
	}
	m := "$((" + strconv.Itoa(n) + "+0))"
	return "echo __BEGIN_" + m + "__; " + cmd + "; echo __END_" + m + "__ $?\n", nil
}

// parseMarked looks for the answer to command n in console output text. It
// reports done once the end marker and its status are complete. The output
// is what the command printed, with the serial line's \r\n turned into \n.
// An end marker not followed by a number is output, not the end.
func parseMarked(text string, n int) (out string, status int, done bool) {
	text = strings.ReplaceAll(text, "\r", "")
	begin := "__BEGIN_" + strconv.Itoa(n) + "__\n"
	end := "__END_" + strconv.Itoa(n) + "__ "
	b := strings.Index(text, begin)
	if b < 0 {
		return "", 0, false
	}
	rest := text[b+len(begin):]
	// The end marker starts a line unless the output lacked a final
	// newline, so search for the text anywhere after the begin marker.
	for from := 0; ; {
		e := strings.Index(rest[from:], end)
		if e < 0 {
			return "", 0, false
		}
		e += from
		tail := rest[e+len(end):]
		nl := strings.IndexByte(tail, '\n')
		if nl < 0 {
			return "", 0, false
		}
		if status, err := strconv.Atoi(tail[:nl]); err == nil {
			return rest[:e], status, true
		}
		from = e + len(end)
	}
}
