package install

import (
	"sync/atomic"
	"testing"
	"time"
)

// TestFlusherProgress checks when the progress callback starts flushes:
// one per flushEvery bytes of input, none while one is running, and wait
// returns only when the running one is done.
func TestFlusherProgress(t *testing.T) {
	tests := []struct {
		name  string
		steps []int64 // successive "done" values
		block bool    // the first flush blocks until after the steps
		want  int64
	}{
		{"below the step", []int64{1, flushEvery / 2, flushEvery - 1}, false, 0},
		{"one per step", []int64{flushEvery, flushEvery + 1, 2*flushEvery + 1, 3*flushEvery + 2}, false, 3},
		{"big jump counts once", []int64{10 * flushEvery}, false, 1},
		{"none while running", []int64{flushEvery, 2*flushEvery + 1, 3*flushEvery + 2}, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var runs atomic.Int64
			release := make(chan struct{})
			f := newFlusher(t.TempDir())
			f.sync = func(string) {
				runs.Add(1)
				if tt.block {
					<-release
				}
			}
			progress := f.progress()
			for _, d := range tt.steps {
				progress(d, -1)
				if !tt.block {
					f.wait() // let each flush finish before the next step
				}
			}
			done := make(chan struct{})
			go func() { f.wait(); close(done) }()
			if tt.block {
				select {
				case <-done:
					t.Fatal("wait returned while a flush was running")
				case <-time.After(20 * time.Millisecond):
				}
				close(release)
			}
			<-done
			if got := runs.Load(); got != tt.want {
				t.Errorf("flushes = %d; want %d", got, tt.want)
			}
		})
	}
}

// TestFlusherRealSyncfs runs the real syncfs on a temp dir and a missing
// one: neither may fail or hang.
func TestFlusherRealSyncfs(t *testing.T) {
	for _, dir := range []string{t.TempDir(), "/nonexistent/levitate"} {
		f := newFlusher(dir)
		f.kick()
		f.kick()
		f.wait()
		if f.running {
			t.Errorf("flusher(%s) still running after wait", dir)
		}
	}
}
