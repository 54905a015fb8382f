// Command recipe is the LevitateOS package manager: it installs, removes,
// upgrades, verifies and queries packages described by S-expression
// recipes. See docs/recipe-cli.md; the work is done by internal/recipecmd.
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/levitateos/levitate/internal/recipecmd"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the whole program minus the process: it returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return recipecmd.Run(ctx, args, stdin, stdout, stderr)
}
