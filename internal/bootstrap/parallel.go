package bootstrap

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// forEach calls fn(i) for every i in [0, n) on all CPUs, handing out
// indexes in batches of batch so that workers take more while others are
// held up (by a slow disk or a busy machine). fn must only write to what
// belongs to i.
func forEach(n, batch int, fn func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	workers := min(runtime.NumCPU(), (n+batch-1)/batch)
	for range workers {
		wg.Go(func() {
			for {
				start := int(next.Add(int64(batch))) - batch
				if start >= n {
					return
				}
				for i := start; i < min(start+batch, n); i++ {
					fn(i)
				}
			}
		})
	}
	wg.Wait()
}
