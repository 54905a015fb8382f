package store

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestKillChild runs the upgrade transaction of the scenario in a child
// process, SIGKILLs it while it waits at chosen steps, and checks that
// recovery in the parent leaves the old or the new state, consistent.
func TestKillChild(t *testing.T) {
	steps := scenario(30)
	prefix, st := steps[:1], steps[1]
	names := stepNames(t, prefix, st)
	// Before, at and after the commit point, in each phase.
	var points []int
	for _, want := range []string{"journal", "stage opt/a/f10", "sync", "commit", "swap opt/a/new", "delete opt/c/f02", "record e", "end"} {
		i := slices.Index(names, want)
		if i < 0 {
			t.Fatalf("step %q not among %q", want, names)
		}
		points = append(points, i)
	}
	commit := slices.Index(names, "commit")
	for _, k := range points {
		t.Run(strconv.Itoa(k)+"/"+names[k], func(t *testing.T) {
			root := prepareRoot(t, prefix)
			planFile := filepath.Join(t.TempDir(), "plan.json")
			data, err := json.Marshal(st.plan(t, root))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(planFile, data, 0o644); err != nil {
				t.Fatal(err)
			}
			cmd, line := startChild(t, envChild+"=crash", envRoot+"="+root, envPlan+"="+planFile, envStop+"="+strconv.Itoa(k))
			if want := "AT " + names[k]; line != want {
				t.Fatalf("child said %q; want %q", line, want)
			}
			kill(t, cmd)

			rec, err := openDB(t, root, Options{}).Recover(context.Background())
			if err != nil {
				t.Fatalf("Recover = %v", err)
			}
			// The commit mark is written after the hook of step "commit"
			// returns, so a kill there is still before the commit point.
			if wantDone := k > commit; rec.Completed != wantDone {
				t.Errorf("Recover = %+v; want Completed %v", rec, wantDone)
			}
			want := expectSet(prefix)
			if rec.Completed {
				want = expectSet(steps[:2])
			}
			if got := checkConsistent(t, root); !slices.Equal(got, want) {
				t.Errorf("installed = %v; want %v", got, want)
			}
			if strings.HasPrefix(names[k], "journal") && rec.ID != "" {
				t.Errorf("Recover after a kill before the journal = %+v; want nothing to do", rec)
			}
		})
	}
}
