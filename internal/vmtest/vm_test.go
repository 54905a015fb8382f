package vmtest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fakeQEMUEnv makes the test binary act as QEMU: it plays a boot
// transcript on stdout and, for the "ok" scenario, then acts as a serial
// shell that echoes each typed line and runs it with sh.
const fakeQEMUEnv = "VMTEST_FAKE_QEMU"

func TestMain(m *testing.M) {
	if s := os.Getenv(fakeQEMUEnv); s != "" {
		os.Exit(fakeQEMU(s))
	}
	os.Exit(m.Run())
}

func fakeQEMU(scenario string) int {
	boot := "\x1b[H\x1b[J  Booting `vmtest'\r\n[    0.0] Linux version 6.1.0-fake\r\n"
	switch scenario {
	case "ok":
		fmt.Print(boot + "[    1.0] Run /init as init process\r\n" + testPrompt)
		in := bufio.NewScanner(os.Stdin)
		for in.Scan() {
			fmt.Print(in.Text() + "\r\n")
			if in.Text() == "poweroff" {
				return 0
			}
			out, _ := exec.Command("sh", "-c", in.Text()).Output()
			fmt.Print(strings.ReplaceAll(string(out), "\n", "\r\n") + testPrompt)
		}
		return 0
	case "panic":
		fmt.Print(boot + "[    1.0] Run /init as init process\r\n[    1.1] Kernel panic - not syncing: Attempted to kill init!\r\n")
	case "menu":
		// A GRUB-like menu: the countdown line has no newline, and
		// typing before it shows is lost, as in a real UART.
		keys := make(chan byte, 64)
		go func() {
			var b [1]byte
			for {
				if n, _ := os.Stdin.Read(b[:]); n != 1 {
					return
				}
				keys <- b[0]
			}
		}()
		fmt.Print("\x1b[H\x1b[J  GNU GRUB  version 2.06\r\n")
		time.Sleep(300 * time.Millisecond)
		for len(keys) > 0 {
			<-keys
		}
		fmt.Print("\x1b[24;1H   The highlighted entry will be executed automatically in 5s.\x1b[K")
		entry := "default"
		select {
		case k := <-keys:
			entry = string(k)
		case <-time.After(3 * time.Second):
		}
		fmt.Print("\r\n  Booting `entry=" + entry + "'\r\n[    0.0] Linux version 6.1.0-fake\r\n[    1.0] Run /init as init process\r\n" + testPrompt)
	case "login":
		// A getty: what was typed before a prompt shows is flushed, as
		// agetty and login do; the password is not echoed; a wrong one
		// is refused.
		lines := make(chan string, 16)
		go func() {
			in := bufio.NewScanner(os.Stdin)
			for in.Scan() {
				lines <- in.Text()
			}
		}()
		ask := func(prompt string) string {
			time.Sleep(100 * time.Millisecond)
			for len(lines) > 0 {
				<-lines
			}
			fmt.Print(prompt)
			return <-lines
		}
		fmt.Print(boot + "[    1.0] Run /init as init process\r\nWelcome to Fake!\r\n")
		user := ask("\r\nfake login: ")
		fmt.Print(user)
		if pass := ask("\r\nPassword: "); user != "alice" || pass != "secret" {
			fmt.Print("\r\nLogin incorrect\r\n")
			break
		}
		if ps1 := ask("\r\nLast login: never\r\nalice@fake:~$ "); strings.HasPrefix(ps1, "PS1=") {
			fmt.Print(ps1 + "\r\n" + testPrompt)
		}
	case "stall":
		fmt.Print(boot)
	case "exit":
		fmt.Print(boot)
		fmt.Fprintln(os.Stderr, "qemu-system-x86_64: fake failure")
		return 1
	}
	time.Sleep(time.Minute)
	return 0
}

func fakeOptions(t *testing.T, scenario string) Options {
	t.Setenv(fakeQEMUEnv, scenario)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	iso := filepath.Join(t.TempDir(), "fake.iso")
	must(t, os.WriteFile(iso, []byte("not really an iso"), 0o644))
	return Options{
		Config:   Config{QEMU: exe, ISO: iso},
		Ready:    testPrompt,
		Timeouts: Timeouts{Kernel: 2 * time.Second, Hard: 20 * time.Second},
		Dir:      filepath.Join(t.TempDir(), "vm"),
	}
}

// TestVMFakeMenu types a hotkey into a fake boot menu once its countdown
// shows, and boots the default entry when nothing is expected.
func TestVMFakeMenu(t *testing.T) {
	for _, tt := range []struct {
		name   string
		expect []Expect
		entry  string
	}{
		{"hotkey", []Expect{{Shown: "automatically in", Keys: "t"}}, "entry=t"},
		{"default", nil, "entry=default"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			opts := fakeOptions(t, "menu")
			opts.Expect = tt.expect
			vm, err := Boot(t.Context(), opts)
			if err != nil {
				t.Fatalf("Boot: %v", err)
			}
			defer vm.Close()
			if log := vm.Console().String(); !strings.Contains(log, "Booting `"+tt.entry+"'") {
				t.Errorf("console = %q; want %s booted", log, tt.entry)
			}
		})
	}
	opts := fakeOptions(t, "menu")
	opts.Expect = []Expect{{Shown: "automatically in"}}
	if _, err := Start(t.Context(), opts); err == nil || !strings.Contains(err.Error(), "want both") {
		t.Errorf("Start(menu without keys) = %v; want an options error", err)
	}
}

// TestVMFakeLogin logs in through a fake getty in three steps, each typed
// only when its prompt shows, and fails fast on a wrong password.
func TestVMFakeLogin(t *testing.T) {
	login := func(pass string) []Expect {
		return []Expect{
			{Shown: "login: ", Keys: "alice\n"},
			{Shown: "Password: ", Keys: pass + "\n"},
			{Shown: "alice@fake", Keys: "PS1='vm-$((6*7))# '\n"},
		}
	}
	opts := fakeOptions(t, "login")
	opts.Expect = login("secret")
	vm, err := Boot(t.Context(), opts)
	if err != nil {
		t.Fatalf("Boot: %v", err)
	}
	vm.Close()
	if log := vm.Console().String(); strings.Count(log, testPrompt) != 1 || strings.Contains(log, "secret") {
		t.Errorf("console = %q; want one prompt after the login, no echoed password", log)
	}

	opts = fakeOptions(t, "login")
	opts.Expect = login("wrong")
	opts.Failures = append(DefaultFailures(), Failure{Text: "Login incorrect"})
	var be *BootError
	if _, err := Boot(t.Context(), opts); !errors.As(err, &be) || !strings.Contains(be.Reason, "Login incorrect") {
		t.Errorf("Boot(wrong password) = %v; want a BootError for Login incorrect", err)
	}
}

func TestVMFakeRun(t *testing.T) {
	opts := fakeOptions(t, "ok")
	vm, err := Boot(t.Context(), opts)
	if err != nil {
		t.Fatalf("Boot: %v", err)
	}
	for _, c := range []struct {
		cmd    string
		out    string
		status int
	}{
		{"echo hi", "hi\n", 0},
		{"false", "", 1},
		{"printf 'x\\ny'", "x\ny", 0},
		{"echo __BEGIN_4__; echo __END_4__ no", "__BEGIN_4__\n__END_4__ no\n", 0},
		{"(exit 9)", "", 9},
	} {
		out, status, err := vm.Run(t.Context(), c.cmd)
		if err != nil || out != c.out || status != c.status {
			t.Errorf("Run(%q) = %q, %d, %v; want %q, %d, nil", c.cmd, out, status, err, c.out, c.status)
		}
	}
	if _, _, err := vm.Run(t.Context(), "a\nb"); err == nil {
		t.Error("Run(two lines) = nil error; want an error")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	if _, _, err := vm.Run(ctx, "sleep 5"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Run(sleep 5) with 300ms = %v; want DeadlineExceeded", err)
	}
	if got := vm.Argv()[0]; got != opts.QEMU {
		t.Errorf("Argv()[0] = %q; want %q", got, opts.QEMU)
	}
	cmdline, err := os.ReadFile(filepath.Join(opts.Dir, "qemu-cmdline.txt"))
	if err != nil || !strings.Contains(string(cmdline), "-machine q35") {
		t.Errorf("qemu-cmdline.txt = %q, %v; want the command line", cmdline, err)
	}
	if err := vm.Close(); err != nil {
		t.Errorf("Close() = %v", err)
	}
	if err := vm.Close(); err != nil {
		t.Errorf("second Close() = %v; want nil", err)
	}
	log, err := os.ReadFile(vm.ConsoleLogPath())
	if err != nil || !strings.Contains(string(log), "__END_1__ 0") {
		t.Errorf("console log = %v; want the whole session kept in the given Dir", err)
	}
}

func TestVMFakeFailures(t *testing.T) {
	for _, tc := range []struct {
		scenario string
		stage    Stage
		reason   string
		within   time.Duration
	}{
		{"panic", StageInitramfs, "console shows Kernel panic", 5 * time.Second},
		{"stall", StageKernel, "stalled: no progress past the kernel stage for 2s", 6 * time.Second},
		{"exit", StageKernel, "qemu exited", 5 * time.Second},
	} {
		t.Run(tc.scenario, func(t *testing.T) {
			start := time.Now()
			_, err := Boot(t.Context(), fakeOptions(t, tc.scenario))
			took := time.Since(start)
			var be *BootError
			if !errors.As(err, &be) {
				t.Fatalf("Boot(%s) = %v; want a *BootError", tc.scenario, err)
			}
			if be.Stage != tc.stage || be.Reason != tc.reason {
				t.Errorf("Boot(%s) = stage %v, reason %q; want %v, %q", tc.scenario, be.Stage, be.Reason, tc.stage, tc.reason)
			}
			if took > tc.within {
				t.Errorf("Boot(%s) took %v; want under %v", tc.scenario, took, tc.within)
			}
			if _, err := os.Stat(be.ConsoleLog); err != nil {
				t.Errorf("console log not kept: %v", err)
			}
			if tc.scenario == "exit" && !strings.Contains(err.Error(), "exit code 1") {
				t.Errorf("Boot(exit) error = %v; want QEMU's exit code", err)
			}
		})
	}
}

func TestVMCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	vm, err := Start(ctx, fakeOptions(t, "stall"))
	if err != nil {
		t.Fatal(err)
	}
	defer vm.Close()
	time.AfterFunc(200*time.Millisecond, cancel)
	err = vm.WaitReady(ctx)
	var be *BootError
	if !errors.As(err, &be) || !errors.Is(err, context.Canceled) {
		t.Errorf("WaitReady(cancelled) = %v; want a *BootError wrapping context.Canceled", err)
	}
}

func TestStartErrors(t *testing.T) {
	iso := filepath.Join(t.TempDir(), "x.iso")
	must(t, os.WriteFile(iso, nil, 0o644))
	for _, tc := range []struct {
		name string
		opts Options
		want string
	}{
		{"no prompt", Options{Config: Config{ISO: "x.iso"}}, "empty Ready"},
		{"no image", Options{Ready: "# "}, "nothing to boot"},
		{"missing files", Options{Ready: "# ", Config: Config{ISO: "/nonexistent/a.iso", Disks: []Disk{{Path: "/nonexistent/b.img"}}}}, "b.img"},
		{"no qemu", Options{Ready: "# ", Dir: t.TempDir(), Config: Config{QEMU: "/nonexistent/qemu", ISO: iso}}, "start qemu"},
		{"no ovmf", Options{Ready: "# ", Dir: t.TempDir(), Config: Config{Firmware: UEFI, OVMFDir: "/nonexistent", ISO: iso}}, "ovmf"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vm, err := Start(t.Context(), tc.opts)
			if vm != nil {
				t.Errorf("Start(%s) returned a VM with error %v; want nil", tc.name, err)
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Start(%s) = %v; want an error mentioning %q", tc.name, err, tc.want)
			}
		})
	}
}

// TestVMFakePowerOff waits for QEMU to exit after a power-off command,
// and reports a guest that keeps running.
func TestVMFakePowerOff(t *testing.T) {
	vm, err := Boot(t.Context(), fakeOptions(t, "ok"))
	if err != nil {
		t.Fatalf("Boot: %v", err)
	}
	defer vm.Close()
	if err := vm.PowerOff(t.Context(), "poweroff"); err != nil {
		t.Errorf("PowerOff(poweroff) = %v; want nil", err)
	}

	vm, err = Boot(t.Context(), fakeOptions(t, "ok"))
	if err != nil {
		t.Fatalf("Boot: %v", err)
	}
	defer vm.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	if err := vm.PowerOff(ctx, "true"); !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "still running") {
		t.Errorf("PowerOff(true) = %v; want DeadlineExceeded, still running", err)
	}
	if err := vm.PowerOff(t.Context(), "a\nb"); err == nil {
		t.Error("PowerOff(two lines) = nil error; want an error")
	}
}
