package install

import (
	"os"
	"sync"

	"golang.org/x/sys/unix"
)

// flushEvery is how much compressed input an extraction reads between two
// early flushes, and the extracted size from which a package's build
// starts one more after its extraction: below it the data is too little
// to be worth a syncfs.
const flushEvery = 8 << 20

// flusher runs syncfs(2) of one filesystem on a background goroutine, at
// most one at a time, while a build extracts and stages: the disk writes
// the extracted data while the CPU decompresses, so that the store's own
// syncfs before its commit mark finds little left to write. It guarantees
// nothing by itself (errors are the store's sync's to report): durability
// stays the store's business.
type flusher struct {
	dir     string
	sync    func(dir string) // syncfsDir but in tests
	mu      sync.Mutex
	running bool
	wg      sync.WaitGroup
}

func newFlusher(dir string) *flusher { return &flusher{dir: dir, sync: syncfsDir} }

// syncfsDir runs syncfs(2) on the filesystem of dir, ignoring errors: an
// early flush is only a head start for the store's own sync.
func syncfsDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	defer d.Close()
	_ = unix.Syncfs(int(d.Fd()))
}

// kick starts a syncfs unless one is running.
func (f *flusher) kick() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.running {
		return
	}
	f.running = true
	f.wg.Add(1)
	go func() {
		defer f.wg.Done()
		f.sync(f.dir)
		f.mu.Lock()
		f.running = false
		f.mu.Unlock()
	}()
}

// progress returns an archive progress callback that kicks a flush every
// flushEvery bytes of input.
func (f *flusher) progress() func(done, total int64) {
	var mu sync.Mutex
	next := int64(flushEvery)
	return func(done, _ int64) {
		mu.Lock()
		due := done >= next
		if due {
			next = done + flushEvery
		}
		mu.Unlock()
		if due {
			f.kick()
		}
	}
}

// wait returns when no flush is running.
func (f *flusher) wait() { f.wg.Wait() }
