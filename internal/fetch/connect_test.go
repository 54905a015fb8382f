package fetch

import (
	"context"
	"fmt"
	"net"
	"syscall"
	"testing"
	"time"
)

// fullListener returns the address of a loopback socket whose accept queue
// is full, so a new connection attempt hangs in the SYN stage.
func fullListener(t *testing.T) string {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	must(t, err)
	t.Cleanup(func() { syscall.Close(fd) })
	must(t, syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}))
	must(t, syscall.Listen(fd, 0))
	sa, err := syscall.Getsockname(fd)
	must(t, err)
	addr := fmt.Sprintf("127.0.0.1:%d", sa.(*syscall.SockaddrInet4).Port)
	// Fill the queue; these connections are never accepted.
	for range 3 {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err != nil {
			break
		}
		t.Cleanup(func() { c.Close() })
	}
	return addr
}

func TestConnectTimeout(t *testing.T) {
	addr := fullListener(t)
	opts := fastOpts(t)
	opts.ConnectTimeout = 300 * time.Millisecond
	start := time.Now()
	_, err := Fetch(context.Background(), Item{URL: "http://" + addr + "/x.tar", SHA256: sum(nil)}, opts)
	wantErr(t, "Fetch(full backlog)", err, "dial tcp "+addr, "i/o timeout")
	if el := time.Since(start); el > 4*time.Second {
		t.Errorf("Fetch took %v; want about the 300ms connect timeout", el)
	}
}
