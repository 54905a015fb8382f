package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// lockPoll is how often a waiting writer retries the lock. flock(2) cannot
// be interrupted by a context, so waiting is a non-blocking poll.
const lockPoll = 20 * time.Millisecond

// LockedError says that another writer holds the database lock.
type LockedError struct {
	Path string // host path of the lock file
	PID  int    // the holder's PID, 0 when it could not be read
}

func (e *LockedError) Error() string {
	if e.PID == 0 {
		return fmt.Sprintf("%s: database is locked by another process", e.Path)
	}
	return fmt.Sprintf("%s: database is locked by process %d", e.Path, e.PID)
}

// writeLock is a held flock on ROOT/var/lib/recipe/lock. The kernel drops it
// when the process dies, so a crashed writer never leaves a stale lock.
type writeLock struct {
	f *os.File
}

// acquireLock takes the writer lock; with wait it polls until ctx is done,
// otherwise it fails at once with a *LockedError naming the holder.
func acquireLock(ctx context.Context, r *os.Root, name, hostPath string, wait bool) (*writeLock, error) {
	f, err := r.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open lock: %w", err)
	}
	for {
		err := flock(f, syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", hostPath, err)
		}
		if !wait {
			locked := &LockedError{Path: hostPath, PID: holderPID(f)}
			f.Close()
			return nil, locked
		}
		select {
		case <-ctx.Done():
			locked := &LockedError{Path: hostPath, PID: holderPID(f)}
			f.Close()
			return nil, fmt.Errorf("waiting for lock: %w: %w", ctx.Err(), locked)
		case <-time.After(lockPoll):
		}
	}
	// The PID is advisory, for the message of the next writer; the flock is
	// the lock.
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &writeLock{f: f}, nil
}

// holderPID reads the holder's PID; the holder writes it just after it
// locks, so an empty file is retried briefly.
func holderPID(f *os.File) int {
	for range 5 {
		buf := make([]byte, 32)
		n, _ := f.ReadAt(buf, 0)
		if pid, err := strconv.Atoi(strings.TrimSpace(string(buf[:n]))); err == nil && pid > 0 {
			return pid
		}
		time.Sleep(2 * time.Millisecond)
	}
	return 0
}

func flock(f *os.File, how int) error {
	sc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var ferr error
	if err := sc.Control(func(fd uintptr) {
		for {
			ferr = syscall.Flock(int(fd), how)
			if !errors.Is(ferr, syscall.EINTR) {
				return
			}
		}
	}); err != nil {
		return err
	}
	return ferr
}

// release clears the PID and drops the lock.
func (l *writeLock) release() error {
	if l == nil || l.f == nil {
		return nil
	}
	_ = l.f.Truncate(0)
	err := flock(l.f, syscall.LOCK_UN)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	return err
}
