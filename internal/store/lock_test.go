package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestLockSecondWriterFails(t *testing.T) {
	root := t.TempDir()
	tx, err := openDB(t, root, Options{}).Begin(context.Background(), Plan{})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Close()
	_, err = openDB(t, root, Options{}).Begin(context.Background(), Plan{})
	var le *LockedError
	if !errors.As(err, &le) || le.PID != os.Getpid() || !strings.Contains(err.Error(), "process "+strconv.Itoa(os.Getpid())) {
		t.Fatalf("second Begin = %v; want *LockedError naming PID %d", err, os.Getpid())
	}
	if want := filepath.Join(root, dbDir, lockFile); le.Path != want {
		t.Errorf("LockedError.Path = %s; want %s", le.Path, want)
	}
	// Readers do not block on the lock.
	if _, err := openDB(t, root, Options{}).List(); err != nil {
		t.Errorf("List() while locked = %v; want nil", err)
	}
}

func TestLockWait(t *testing.T) {
	root := t.TempDir()
	tx, err := openDB(t, root, Options{}).Begin(context.Background(), Plan{})
	if err != nil {
		t.Fatal(err)
	}
	const hold = 150 * time.Millisecond
	go func() {
		time.Sleep(hold)
		tx.Close()
	}()
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tx2, err := openDB(t, root, Options{Wait: true}).Begin(ctx, Plan{})
	if err != nil {
		t.Fatalf("waiting Begin = %v; want success once the holder closes", err)
	}
	tx2.Close()
	if d := time.Since(start); d < hold-20*time.Millisecond {
		t.Errorf("waiting Begin returned after %v; want at least %v", d, hold)
	}
}

func TestLockWaitTimeout(t *testing.T) {
	root := t.TempDir()
	tx, err := openDB(t, root, Options{}).Begin(context.Background(), Plan{})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err = openDB(t, root, Options{Wait: true}).Begin(ctx, Plan{})
	var le *LockedError
	if !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &le) || le.PID != os.Getpid() {
		t.Errorf("Begin with expiring context = %v; want deadline exceeded and the holder's PID", err)
	}
}

func TestLockReleasedOnDeath(t *testing.T) {
	root := t.TempDir()
	cmd, line := startChild(t, envChild+"=hold-lock", envRoot+"="+root)
	if line != "LOCKED" {
		t.Fatalf("child said %q; want LOCKED", line)
	}
	_, err := openDB(t, root, Options{}).Begin(context.Background(), Plan{})
	var le *LockedError
	if !errors.As(err, &le) || le.PID != cmd.Process.Pid {
		t.Fatalf("Begin while the child holds the lock = %v; want *LockedError with PID %d", err, cmd.Process.Pid)
	}
	kill(t, cmd)
	tx, err := openDB(t, root, Options{}).Begin(context.Background(), Plan{})
	if err != nil {
		t.Fatalf("Begin after the holder died = %v; want success", err)
	}
	tx.Close()
	checkConsistent(t, root)
}
