// Package guide reads the shell blocks of the installation guide
// (docs/install.md), which the tests run so that the guide cannot drift
// from the product.
//
// Every ```sh block starts with a "# guide: KIND" line: live blocks run in
// the live system's shell, chroot blocks inside the new system (as
// `recipe chroot /mnt bash -e -c BLOCK`), installed blocks in the installed
// system after the reboot, as the user the guide creates; example blocks
// are never run.
package guide

import (
	"fmt"
	"os"
	"strings"
)

// The kinds of block.
const (
	Live      = "live"
	Chroot    = "chroot"
	Installed = "installed"
	Example   = "example"
)

// Block is one ```sh block of the guide.
type Block struct {
	// Kind is Live, Chroot, Installed or Example.
	Kind string
	// Text is the block's shell text without its "# guide:" line, each
	// line ending in a newline.
	Text string
	// Line is the line of the opening ```sh, counted from 1.
	Line int
}

// Read returns the sh blocks of the guide at path, in order. A block
// without a known kind, or one left open, is an error naming its line.
func Read(path string) ([]Block, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("installation guide: %w", err)
	}
	return Parse(path, string(src))
}

// Parse is Read on the text src of the file name.
func Parse(name, src string) ([]Block, error) {
	var out []Block
	var cur *Block
	var errs []string
	for i, line := range strings.Split(src, "\n") {
		switch {
		case cur == nil && line == "```sh":
			cur = &Block{Line: i + 1}
		case cur != nil && line == "```":
			if cur.Kind == "" {
				errs = append(errs, fmt.Sprintf("%s:%d: sh block without a \"# guide: live|chroot|installed|example\" first line", name, cur.Line))
			}
			out = append(out, *cur)
			cur = nil
		case cur != nil && cur.Kind == "" && cur.Text == "":
			kind, ok := strings.CutPrefix(line, "# guide: ")
			if !ok || (kind != Live && kind != Chroot && kind != Installed && kind != Example) {
				errs = append(errs, fmt.Sprintf("%s:%d: sh block starts with %q; want \"# guide: live\", \"chroot\", \"installed\" or \"example\"", name, i+1, line))
				kind = "?"
			}
			cur.Kind = kind
		case cur != nil:
			cur.Text += line + "\n"
		}
	}
	if cur != nil {
		errs = append(errs, fmt.Sprintf("%s:%d: sh block not closed with ```", name, cur.Line))
	}
	if len(errs) > 0 {
		return out, fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return out, nil
}
