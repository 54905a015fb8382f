package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestMain lets the test binary act as the recipe program when re-executed
// with RECIPE_TEST_AS_MAIN set, so the tests see real exit codes.
func TestMain(m *testing.M) {
	if os.Getenv("RECIPE_TEST_AS_MAIN") != "" {
		main()
	}
	os.Exit(m.Run())
}

func TestRun(t *testing.T) {
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"--recipes", "../../internal/recipe/testdata/compat", "search", "wayland terminal"}, strings.NewReader(""), &out, &errb)
	if code != 0 || !strings.HasPrefix(out.String(), "foot ") {
		t.Errorf("run(search \"wayland terminal\") = %d, %q, %q; want 0 and foot", code, out.String(), errb.String())
	}
}

// TestProcess runs the program as a process: exit codes and streams.
func TestProcess(t *testing.T) {
	tests := []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{[]string{"--recipes", "../../internal/recipe/testdata/compat", "info", "foot"}, 0, "Name:        foot\n", ""},
		{[]string{"--recipes", "../../internal/recipe/testdata/compat", "info", "fot"}, 1, "", `did you mean "foot"?`},
		{[]string{"--no-such-flag"}, 2, "", "unknown flag"},
		{[]string{"--version"}, 0, "recipe version ", ""},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			cmd := exec.Command(os.Args[0], tt.args...)
			cmd.Env = append(os.Environ(), "RECIPE_TEST_AS_MAIN=1")
			var out, errb bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errb
			err := cmd.Run()
			code := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != tt.code || !strings.HasPrefix(out.String(), tt.stdout) || !strings.Contains(errb.String(), tt.stderr) {
				t.Errorf("recipe %q = exit %d, stdout %q, stderr %q; want exit %d, stdout starting %q, stderr containing %q",
					tt.args, code, out.String(), errb.String(), tt.code, tt.stdout, tt.stderr)
			}
		})
	}
}
