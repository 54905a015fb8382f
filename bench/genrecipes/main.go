// Command genrecipes writes a directory of generated recipes for the
// benchmarks (see bench/search.sh and bench/issue2.sh): genrecipes DIR N
// [SEED] writes N recipes and the base tools they depend on
// (recipegen.BaseNames), so that deps and install --dry-run work on it.
package main

import (
	"fmt"
	"os"
	"strconv"

	"github.com/levitateos/levitate/internal/recipe/recipegen"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "genrecipes:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) < 2 || len(args) > 3 {
		return fmt.Errorf("usage: genrecipes DIR N [SEED]")
	}
	n, err := strconv.Atoi(args[1])
	if err != nil || n < 0 {
		return fmt.Errorf("count %q: want a non-negative integer", args[1])
	}
	seed := int64(1)
	if len(args) == 3 {
		if seed, err = strconv.ParseInt(args[2], 10, 64); err != nil {
			return fmt.Errorf("seed %q: %w", args[2], err)
		}
	}
	if err := os.MkdirAll(args[0], 0o755); err != nil {
		return err
	}
	return recipegen.WriteDir(args[0], n, seed)
}
