package bootstrap

import (
	"context"
	"fmt"

	"github.com/levitateos/levitate/internal/store"
)

// adopt records the files rpm installed where they are: one store.Adopt,
// which checks them against the records and writes the records through
// the store's journal, without moving a file.
func adopt(ctx context.Context, target string, recs []store.Record) error {
	// NoSync: the target is a system being built, thrown away if
	// bootstrap fails; unmounting it syncs.
	db, err := store.Open(target, store.Options{NoSync: true})
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Adopt(ctx, recs); err != nil {
		return fmt.Errorf("record the installed files: %w", err)
	}
	return nil
}
