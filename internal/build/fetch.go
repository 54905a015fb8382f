package build

import (
	"context"
	"fmt"
	"os"
)

func fetchStage(o Options) Stage {
	return Stage{
		Name:    StageFetch,
		Doc:     "copy every package of the closure, checking size and sha256",
		Inputs:  []string{o.Source},
		Outputs: []string{o.path(rpmsDir)},
		run:     (*builder).fetch,
	}
}

func (b *builder) fetch(ctx context.Context) error {
	dir := b.opts.path(rpmsDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	b.rpms = b.rpms[:0]
	for _, e := range b.closure.Entries {
		p, err := b.src.Fetch(ctx, e.Pkg, dir)
		if err != nil {
			return fmt.Errorf("fetch %s: %w", e.Pkg.NEVRA, err)
		}
		fmt.Fprintln(b.log, p)
		b.rpms = append(b.rpms, p)
		b.size += e.Pkg.Size
	}
	return nil
}
