package store

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Environment of a child process started by the tests.
const (
	envChild = "STORE_TEST_CHILD" // child mode: hold-lock or crash
	envRoot  = "STORE_TEST_ROOT"
	envPlan  = "STORE_TEST_PLAN" // JSON file with the Plan
	envStop  = "STORE_TEST_STOP" // index of the step to stop at
)

func TestMain(m *testing.M) {
	if mode := os.Getenv(envChild); mode != "" {
		if err := child(mode); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// child is the test binary re-executed as a writer that the parent kills.
func child(mode string) error {
	root := os.Getenv(envRoot)
	ctx := context.Background()
	switch mode {
	case "hold-lock":
		db, err := Open(root, Options{})
		if err != nil {
			return err
		}
		if _, err := db.Begin(ctx, Plan{}); err != nil {
			return err
		}
		fmt.Println("LOCKED")
		time.Sleep(time.Hour)
	case "crash":
		stop, err := strconv.Atoi(os.Getenv(envStop))
		if err != nil {
			return err
		}
		data, err := os.ReadFile(os.Getenv(envPlan))
		if err != nil {
			return err
		}
		var plan Plan
		if err := json.Unmarshal(data, &plan); err != nil {
			return err
		}
		n := 0
		db, err := Open(root, Options{FailAt: func(step string) error {
			if n == stop {
				// Wait here for SIGKILL from the parent.
				fmt.Println("AT " + step)
				time.Sleep(time.Hour)
			}
			n++
			return nil
		}})
		if err != nil {
			return err
		}
		tx, err := db.Begin(ctx, plan)
		if err != nil {
			return err
		}
		if _, err := tx.Commit(ctx); err != nil {
			return err
		}
		fmt.Println("DONE")
	default:
		return fmt.Errorf("unknown mode %q", mode)
	}
	return nil
}

// startChild re-executes the test binary in a child mode and returns it
// with the first line it printed.
func startChild(t *testing.T, env ...string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("child %v: read first line: %v", env, err)
	}
	return cmd, strings.TrimSpace(line)
}

// kill sends SIGKILL and reaps the child.
func kill(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	var ee *exec.ExitError
	if err := cmd.Wait(); !errors.As(err, &ee) {
		t.Fatalf("child after SIGKILL: Wait = %v; want a killed process", err)
	}
}
