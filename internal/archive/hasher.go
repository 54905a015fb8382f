package archive

import (
	"crypto/sha256"
)

// hashBufs is the number of copy buffers in flight between the writer and
// the hasher: enough that neither waits for the other on a large file.
const hashBufs = 4

// hasher computes the digests of Options.Sums on its own goroutine, so
// that sha256 runs beside decompression and writing instead of after
// them. The writer sends each chunk of a file as it writes it, then a
// message that ends the file; chunks come back through free for reuse.
type hasher struct {
	work chan hashMsg
	free chan []byte
	done chan struct{}
	sums map[string]Sum // owned by the goroutine until done is closed
}

// hashMsg is a chunk of the current file (data), the end of the current
// file (end; an empty name discards it), or a hard link name to link.
type hashMsg struct {
	data []byte
	end  bool
	name string
	link string
}

func newHasher() *hasher {
	hs := &hasher{
		work: make(chan hashMsg, 2*hashBufs),
		free: make(chan []byte, hashBufs),
		done: make(chan struct{}),
		sums: map[string]Sum{},
	}
	for range hashBufs {
		hs.free <- make([]byte, copyBufSize)
	}
	go hs.run()
	return hs
}

func (hs *hasher) run() {
	defer close(hs.done)
	h := sha256.New()
	var n int64
	for m := range hs.work {
		switch {
		case m.data != nil:
			h.Write(m.data)
			n += int64(len(m.data))
			hs.free <- m.data[:cap(m.data)]
		case m.link != "":
			if s, ok := hs.sums[m.link]; ok {
				hs.sums[m.name] = s
			}
		case m.end:
			if m.name != "" {
				s := Sum{Size: n}
				h.Sum(s.SHA256[:0])
				hs.sums[m.name] = s
			}
			h.Reset()
			n = 0
		}
	}
}

// chunk hands over p, which must come from free.
func (hs *hasher) chunk(p []byte) { hs.work <- hashMsg{data: p} }

// end closes the current file as name; an empty name drops it.
func (hs *hasher) end(name string) { hs.work <- hashMsg{end: true, name: name} }

// link records name as a hard link to the file target.
func (hs *hasher) link(name, target string) { hs.work <- hashMsg{name: name, link: target} }

// wait stops the goroutine and returns the digests. Call it once.
func (hs *hasher) wait() map[string]Sum {
	close(hs.work)
	<-hs.done
	return hs.sums
}
