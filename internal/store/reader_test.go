package store

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
)

// TestReadersDuringWrites reads records without the lock while a writer
// upgrades them back and forth: a reader must always see a whole record,
// old or new.
func TestReadersDuringWrites(t *testing.T) {
	root := fastTempDir(t)
	runTx(t, root, step{install: []spec{genPkg("a", "1", 30), genPkg("b", "1", 30)}}.plan(t, root))

	var stop atomic.Bool
	var reads atomic.Int64
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db, err := Open(root, Options{})
			if err != nil {
				t.Error(err)
				return
			}
			defer db.Close()
			for !stop.Load() {
				r, err := db.Get("a")
				if err != nil {
					t.Errorf("Get(a) during writes = %v; want a record", err)
					return
				}
				if r.Version != "1" && r.Version != "2" || len(r.Files) != 33 {
					t.Errorf("Get(a) = version %q with %d files; want version 1 or 2 with 33", r.Version, len(r.Files))
					return
				}
				if metas, err := db.List(); err != nil || len(metas) != 2 {
					t.Errorf("List() during writes = %d packages, %v; want 2", len(metas), err)
					return
				}
				reads.Add(1)
			}
		}()
	}
	db := openDB(t, root, Options{Wait: true, NoSync: true})
	for i := range 10 {
		v := []string{"2", "1"}[i%2]
		tx, err := db.Begin(context.Background(), step{install: []spec{genPkg("a", v, 30), genPkg("b", v, 30)}}.plan(t, root))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Commit(context.Background()); err != nil {
			t.Fatal(err)
		}
		tx.Close()
	}
	stop.Store(true)
	wg.Wait()
	if reads.Load() == 0 {
		t.Errorf("readers completed 0 reads; want some")
	}
	checkConsistent(t, root)
}
