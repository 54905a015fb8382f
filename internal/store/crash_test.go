package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// errCrash is what the FailAt hook returns to simulate a crash.
var errCrash = errors.New("injected crash")

// failAt returns a FailAt hook that crashes at its n-th call (0-based) and
// records every step name it sees.
func failAt(n int, seen *[]string) func(string) error {
	return func(step string) error {
		if seen != nil {
			*seen = append(*seen, step)
		}
		if n == 0 {
			return errCrash
		}
		n--
		return nil
	}
}

// prepareRoot makes a root in the state after steps, without syncs.
func prepareRoot(t *testing.T, steps []step) string {
	t.Helper()
	root := fastTempDir(t)
	for _, st := range steps {
		db := openDB(t, root, Options{NoSync: true})
		tx, err := db.Begin(context.Background(), st.plan(t, root))
		if err != nil {
			t.Fatalf("prefix Begin = %v", err)
		}
		if _, err := tx.Commit(context.Background()); err != nil {
			t.Fatalf("prefix Commit = %v", err)
		}
		tx.Close()
	}
	return root
}

// fastTempDir is a temp dir on tmpfs when there is one: the crash tests
// make and delete thousands of small trees, which on a busy disk spends
// most of its time waiting for the filesystem journal. What they test,
// the order of operations against a killed process, does not depend on the
// filesystem.
func fastTempDir(t *testing.T) string {
	t.Helper()
	if st, err := os.Stat("/dev/shm"); err != nil || !st.IsDir() {
		return t.TempDir()
	}
	dir, err := os.MkdirTemp("/dev/shm", "store-test-")
	if err != nil {
		return t.TempDir()
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// copyRoot copies the tree at template to a new root with cp -a, which is
// much faster than building it again through transactions.
func copyRoot(t *testing.T, template string) string {
	t.Helper()
	root := fastTempDir(t)
	if out, err := exec.Command("cp", "-a", template+"/.", root).CombinedOutput(); err != nil {
		t.Fatalf("cp -a %s %s: %v\n%s", template, root, err, out)
	}
	return root
}

// stepNames runs st after prefix without faults and returns its steps.
func stepNames(t *testing.T, prefix []step, st step) []string {
	root := prepareRoot(t, prefix)
	var seen []string
	db := openDB(t, root, Options{NoSync: true, FailAt: failAt(-1, &seen)})
	tx, err := db.Begin(context.Background(), st.plan(t, root))
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Close()
	if _, err := tx.Commit(context.Background()); err != nil {
		t.Fatal(err)
	}
	return seen
}

// TestCrashAtEveryStep stops each transaction of the scenario at every one
// of its steps, runs recovery (itself interrupted at a varying step and run
// again), and checks that the root and database agree, that the
// transaction happened entirely or not at all, and that running it again
// finishes the job. NoSync is right here: a crash of the process, unlike a
// power loss, keeps everything written.
func TestCrashAtEveryStep(t *testing.T) {
	steps := scenario(30)
	points := 0
	for i := range steps {
		names := stepNames(t, steps[:i], steps[i])
		template := prepareRoot(t, steps[:i])
		for k, name := range names {
			if testing.Short() && k%7 != 0 {
				continue
			}
			points++
			t.Run(fmt.Sprintf("tx%d/%03d/%s", i, k, name), func(t *testing.T) {
				crashAndRecover(t, template, steps[:i], steps[i], k)
			})
		}
	}
	if min := 100; !testing.Short() && points < min {
		t.Errorf("crash points = %d; want at least %d", points, min)
	}
	t.Logf("%d crash points", points)
}

func crashAndRecover(t *testing.T, template string, prefix []step, st step, k int) {
	ctx := context.Background()
	root := copyRoot(t, template)
	plan := st.plan(t, root)
	db := openDB(t, root, Options{NoSync: true, FailAt: failAt(k, nil)})
	tx, err := db.Begin(ctx, plan)
	if err == nil {
		_, err = tx.Commit(ctx)
		if cerr := tx.Close(); cerr != nil {
			t.Errorf("Close after crash = %v; want nil", cerr)
		}
	}
	if !errors.Is(err, errCrash) {
		t.Fatalf("transaction = %v; want the injected crash at step %d", err, k)
	}

	// Recovery is interrupted too, at a step that varies with k, then rerun.
	rec, err := openDB(t, root, Options{NoSync: true, FailAt: failAt(k%5, nil)}).Recover(ctx)
	if err != nil {
		if !errors.Is(err, errCrash) {
			t.Fatalf("interrupted Recover = %v; want the injected crash", err)
		}
		if rec, err = openDB(t, root, Options{NoSync: true}).Recover(ctx); err != nil {
			t.Fatalf("Recover = %v", err)
		}
	}
	before, after := expectSet(prefix), expectSet(append(slices.Clone(prefix), st))
	want := before
	if rec.Completed {
		want = after
	}
	if got := checkConsistent(t, root); !slices.Equal(got, want) {
		t.Fatalf("after recovery (%+v): installed = %v; want %v", rec, got, want)
	}

	// Run the transaction again: after a rollback with the very same
	// stage (the rollback put the files back), after completion with what
	// is still to do.
	if rec.Completed {
		again := st
		again.remove = nil
		plan = again.plan(t, root)
	}
	runTxNoSync(t, root, plan)
	if got := checkConsistent(t, root); !slices.Equal(got, after) {
		t.Fatalf("after rerun: installed = %v; want %v", got, after)
	}
}

func runTxNoSync(t *testing.T, root string, p Plan) {
	t.Helper()
	db := openDB(t, root, Options{NoSync: true})
	tx, err := db.Begin(context.Background(), p)
	if err != nil {
		t.Fatalf("rerun Begin = %v", err)
	}
	defer tx.Close()
	if _, err := tx.Commit(context.Background()); err != nil {
		t.Fatalf("rerun Commit = %v", err)
	}
}

// TestCrashStepNames pins the shape of the state machine: the names the
// crash tests walk through, in order, for a small transaction.
func TestCrashStepNames(t *testing.T) {
	one := spec{name: "s", version: "1", files: []sfile{
		{path: "d", typ: TypeDir, mode: 0o755},
		{path: "d/f", typ: TypeFile, content: "x", mode: 0o644},
		{path: "d/l", typ: TypeSymlink, target: "f"},
	}}
	prefix := []step{{install: []spec{genPkg("old", "1", 3)}}}
	got := strings.Join(stepNames(t, prefix, step{install: []spec{one}, remove: []string{"old"}}), "\n")
	want := strings.Join([]string{
		"journal", "mkdir d", "stage d/f", "stage d/l", "sync", "commit",
		"swap d/f", "swap d/l", "delete etc/old.conf", "delete opt/old/link", "delete opt/old/sub/g00",
		"record s", "drop old", "rmdir opt/old/sub", "rmdir opt/old", "rmdir opt",
		"remove-stage var/cache/recipe/stage/s", "sync-end", "end",
	}, "\n")
	if got != want {
		t.Errorf("steps =\n%s\nwant\n%s", got, want)
	}
}
