package vmtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/levitateos/levitate/internal/run"
)

// ConsoleLogName is the file name of the console log in a VM's directory.
const ConsoleLogName = "console.log"

// Options configure a harnessed boot.
type Options struct {
	Config
	// Ready is the text of the guest's shell prompt; seeing it ends the
	// boot. Use a distinctive prompt, ideally one the shell computes
	// (PS1='vm-$((6*7))# ' prints vm-42#), so no echo can fake it.
	Ready string
	// Timeouts bound each stage and the whole boot.
	Timeouts Timeouts
	// Failures end the boot at once; nil means DefaultFailures.
	Failures []Failure
	// Expect lists what to type, in order, each when the console shows
	// its text: a boot menu's hotkey, a user name at "login: ", a
	// password at "Password: ".
	Expect []Expect
	// Dir receives the console log, QEMU's stderr and the OVMF variable
	// store. Empty means a new temporary directory, removed by Close
	// unless the boot failed or KeepLogs is set.
	Dir string
	// KeepLogs keeps a temporary Dir even after a successful run.
	KeepLogs bool
	// Log receives progress messages: the QEMU command line and stage
	// changes. Nil discards them.
	Log *slog.Logger
}

// Expect types Keys once, when the console shows Shown: it picks a boot
// menu entry, the way a person at the keyboard would (so the test boots
// exactly what the menu offers), or answers a login prompt.
//
// Typing blind is unreliable: bytes sent before the bootloader reads the
// serial port land in the UART's FIFO or are lost, and getty flushes its
// input before it asks for a name. The harness therefore waits until the
// console shows Shown, a text printed only while the guest waits for keys
// (GRUB's "automatically in" countdown, "login: "), and then types Keys
// once. A menu hotkey is one byte and needs no escape sequence:
// internal/boot gives every entry one (GRUB boots it at once; ISOLINUX's
// menu highlights it, so add "\r" there).
type Expect struct {
	// Shown is console text that proves the guest waits for keys. It is
	// looked for only after the previous step's keys were typed.
	Shown string
	// Keys are typed once, when Shown appears.
	Keys string
}

// VM is a running QEMU guest driven through its serial console.
type VM struct {
	opts    Options
	argv    []string
	dir     string
	tempDir bool
	files   []*os.File
	proc    *run.Process
	console *Console
	start   time.Time

	mu      sync.Mutex // serialises Run
	seq     int
	failed  atomic.Bool
	closeMu sync.Mutex
	closed  bool
}

// Start starts QEMU and returns at once; WaitReady follows the boot. QEMU
// is killed when ctx is done or Close is called.
func Start(ctx context.Context, opts Options) (*VM, error) {
	if opts.Ready == "" {
		return nil, errors.New("vm options: empty Ready prompt")
	}
	for i, e := range opts.Expect {
		if e.Shown == "" || e.Keys == "" {
			return nil, fmt.Errorf("vm options: expect step %d: keys %q after %q: want both", i+1, e.Keys, e.Shown)
		}
	}
	if err := opts.Config.Validate(); err != nil {
		return nil, fmt.Errorf("vm config: %w", err)
	}
	if err := checkFiles(opts.Config); err != nil {
		return nil, err
	}
	if opts.Failures == nil {
		opts.Failures = DefaultFailures()
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	opts.Timeouts = opts.Timeouts.withDefaults()
	vm := &VM{opts: opts, dir: opts.Dir}
	if vm.dir == "" {
		dir, err := os.MkdirTemp("", "vmtest-")
		if err != nil {
			return nil, fmt.Errorf("vm directory: %w", err)
		}
		vm.dir, vm.tempDir = dir, true
	} else if err := os.MkdirAll(vm.dir, 0o755); err != nil {
		return nil, fmt.Errorf("vm directory: %w", err)
	}
	if err := vm.startQEMU(ctx); err != nil {
		vm.failed.Store(true)
		vm.Close()
		return nil, err
	}
	return vm, nil
}

// startQEMU prepares the VM's directory and starts QEMU.
func (vm *VM) startQEMU(ctx context.Context) error {
	vars, err := vm.opts.Config.PrepareVars(vm.dir)
	if err != nil {
		return err
	}
	if vm.argv, err = vm.opts.Config.Args(vars); err != nil {
		return err
	}
	logf, err := vm.create(ConsoleLogName)
	if err != nil {
		return err
	}
	errf, err := vm.create("qemu-stderr.log")
	if err != nil {
		return err
	}
	cmdline := run.Quote(vm.argv)
	if err := os.WriteFile(filepath.Join(vm.dir, "qemu-cmdline.txt"), []byte(cmdline+"\n"), 0o644); err != nil {
		return fmt.Errorf("vm directory: %w", err)
	}
	vm.opts.Log.Info("starting qemu", "cmd", cmdline, "dir", vm.dir)
	vm.console = NewConsole(vm.opts.Ready, vm.opts.Failures, logf)
	if len(vm.opts.Expect) > 0 {
		vm.console.Watch(vm.opts.Expect[0].Shown)
	}
	vm.start = time.Now()
	if vm.proc, err = run.Start(ctx, run.Cmd{Argv: vm.argv, Stdout: vm.console, Stderr: errf}); err != nil {
		return fmt.Errorf("start qemu: %w", err)
	}
	return nil
}

func (vm *VM) create(name string) (*os.File, error) {
	f, err := os.Create(filepath.Join(vm.dir, name))
	if err != nil {
		return nil, fmt.Errorf("vm directory: %w", err)
	}
	vm.files = append(vm.files, f)
	return f, nil
}

// checkFiles reports every image that is missing before QEMU is asked.
func checkFiles(c Config) error {
	var errs []error
	paths := []string{c.ISO}
	for _, d := range c.Disks {
		paths = append(paths, d.Path)
	}
	for _, p := range paths {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err != nil {
			errs = append(errs, fmt.Errorf("vm image: %w", err))
		}
	}
	return errors.Join(errs...)
}

// Boot starts QEMU and waits for the shell prompt. On failure the VM is
// closed (its log kept) and the error is a *BootError.
func Boot(ctx context.Context, opts Options) (*VM, error) {
	vm, err := Start(ctx, opts)
	if err != nil {
		return nil, err
	}
	if err := vm.WaitReady(ctx); err != nil {
		vm.Close()
		return nil, err
	}
	return vm, nil
}

// WaitReady follows the boot until the shell prompt appears. It fails at
// once on a failure text, when a stage's watchdog or the hard timeout
// expires, when QEMU exits, or when ctx is done; the error is a *BootError.
func (vm *VM) WaitReady(ctx context.Context) error {
	t := vm.opts.Timeouts
	lastStage := StageFirmware
	next := 0 // the Expect step waiting for its text
	for {
		changed := vm.console.changes()
		st := vm.console.state()
		elapsed := time.Since(vm.start)
		if st.stage != lastStage {
			vm.opts.Log.Info("boot stage", "stage", st.stage, "at", st.stageAt.Round(time.Millisecond))
			lastStage = st.stage
		}
		if f := st.failure; f != nil {
			return vm.bootError(f.Stage, f.At, "console shows "+f.Failure.Text, f.Line, nil)
		}
		if st.stage == StageShell {
			return nil
		}
		if next < len(vm.opts.Expect) && st.watched {
			e := vm.opts.Expect[next]
			next++
			// Watch for the next text before typing: the guest may
			// answer the keys at once.
			if next < len(vm.opts.Expect) {
				vm.console.Watch(vm.opts.Expect[next].Shown)
			}
			vm.opts.Log.Info("console shows "+strconv.Quote(e.Shown)+": typing", "step", next, "at", elapsed.Round(time.Millisecond))
			if _, err := io.WriteString(vm.proc.Stdin(), e.Keys); err != nil {
				return vm.bootError(st.stage, elapsed, "cannot type after "+strconv.Quote(e.Shown), "", err)
			}
			continue
		}
		if reason, _, late := t.overdue(st.stage, st.stageAt, elapsed); late {
			return vm.bootError(st.stage, elapsed, reason, "", nil)
		}
		timer := time.NewTimer(t.nextCheck(st.stage, st.stageAt, elapsed))
		select {
		case <-changed:
		case <-timer.C:
		case <-vm.proc.Done():
			// The last output may have arrived with the exit: look once more.
			if st := vm.console.state(); st.failure == nil && st.stage < StageShell {
				return vm.bootError(st.stage, time.Since(vm.start), "qemu exited", "", vm.proc.Wait())
			}
		case <-ctx.Done():
			timer.Stop()
			return vm.bootError(st.stage, time.Since(vm.start), "cancelled", "", ctx.Err())
		}
		timer.Stop()
	}
}

func (vm *VM) bootError(s Stage, at time.Duration, reason, line string, err error) error {
	vm.failed.Store(true)
	image := vm.opts.ISO
	if image == "" && len(vm.opts.Disks) > 0 {
		image = vm.opts.Disks[0].Path
	}
	return &BootError{
		Stage:      s,
		Reason:     reason,
		Line:       line,
		Elapsed:    at,
		ConsoleLog: vm.ConsoleLogPath(),
		Image:      image,
		Argv:       vm.argv,
		Tail:       vm.console.Tail(20),
		Err:        err,
	}
}

// Run types cmd into the guest shell and waits for its answer, returning
// what it printed and its exit status. cmd must be one line of shell. An
// error means no answer came (ctx done, QEMU exited); the VM is then in an
// unknown state. Runs are serialised.
func (vm *VM) Run(ctx context.Context, cmd string) (out string, status int, err error) {
	vm.mu.Lock()
	defer vm.mu.Unlock()
	vm.seq++
	n := vm.seq
	line, err := markedCommand(n, cmd)
	if err != nil {
		return "", 0, err
	}
	off := vm.console.Len()
	if _, err := io.WriteString(vm.proc.Stdin(), line); err != nil {
		return "", 0, fmt.Errorf("run %q in guest: write to serial console: %w", cmd, err)
	}
	for {
		changed := vm.console.changes()
		if out, status, done := parseMarked(vm.console.Since(off), n); done {
			return out, status, nil
		}
		select {
		case <-changed:
		case <-vm.proc.Done():
			vm.failed.Store(true)
			return "", 0, fmt.Errorf("run %q in guest: qemu exited: %w (console log: %s)", cmd, vm.proc.Wait(), vm.ConsoleLogPath())
		case <-ctx.Done():
			vm.failed.Store(true)
			partial := strings.Join(vm.console.Tail(5), "\n")
			return "", 0, fmt.Errorf("run %q in guest: no answer: %w (console log: %s)\n--- last console lines ---\n%s", cmd, ctx.Err(), vm.ConsoleLogPath(), partial)
		}
	}
}

// PowerOff types cmd (such as "systemctl poweroff") into the guest shell
// and waits until QEMU exits, as it does when the guest powers off (or
// reboots: the harness runs QEMU with -no-reboot). A QEMU that fails, or a
// guest still running when ctx is done, is an error.
func (vm *VM) PowerOff(ctx context.Context, cmd string) error {
	vm.mu.Lock()
	defer vm.mu.Unlock()
	if strings.ContainsAny(cmd, "\r\n") || strings.TrimSpace(cmd) == "" {
		return fmt.Errorf("power off with %q: want one line of shell", cmd)
	}
	if _, err := io.WriteString(vm.proc.Stdin(), cmd+"\n"); err != nil {
		return fmt.Errorf("power off with %q: write to serial console: %w", cmd, err)
	}
	select {
	case <-vm.proc.Done():
		if err := vm.proc.Wait(); err != nil {
			vm.failed.Store(true)
			return fmt.Errorf("power off with %q: qemu: %w (console log: %s)", cmd, err, vm.ConsoleLogPath())
		}
		return nil
	case <-ctx.Done():
		vm.failed.Store(true)
		partial := strings.Join(vm.console.Tail(5), "\n")
		return fmt.Errorf("power off with %q: guest still running: %w (console log: %s)\n--- last console lines ---\n%s", cmd, ctx.Err(), vm.ConsoleLogPath(), partial)
	}
}

// Console returns the serial console, with the whole log so far.
func (vm *VM) Console() *Console { return vm.console }

// Argv returns the QEMU command line.
func (vm *VM) Argv() []string { return append([]string(nil), vm.argv...) }

// Dir returns the directory holding the console log.
func (vm *VM) Dir() string { return vm.dir }

// VarsPath returns the run's OVMF variable store, which holds what the
// guest wrote to NVRAM (boot entries) once QEMU has exited; "" for BIOS.
func (vm *VM) VarsPath() string {
	if vm.opts.Firmware == BIOS {
		return ""
	}
	return filepath.Join(vm.dir, varsName)
}

// ConsoleLogPath returns the path of the console log file.
func (vm *VM) ConsoleLogPath() string { return filepath.Join(vm.dir, ConsoleLogName) }

// Events returns when each stage was reached.
func (vm *VM) Events() []StageEvent { return vm.console.Events() }

// Close kills QEMU and waits for it. A temporary directory is removed
// unless the boot or a command failed or KeepLogs is set; then the console
// log stays where ConsoleLogPath says.
func (vm *VM) Close() error {
	vm.closeMu.Lock()
	defer vm.closeMu.Unlock()
	if vm.closed {
		return nil
	}
	vm.closed = true
	var errs []error
	if vm.proc != nil {
		if err := vm.proc.Kill(); err != nil {
			errs = append(errs, err)
		}
		<-vm.proc.Done()
	}
	for _, f := range vm.files {
		if err := f.Close(); err != nil {
			errs = append(errs, err)
		}
	}
	if vm.tempDir && !vm.failed.Load() && !vm.opts.KeepLogs {
		if err := os.RemoveAll(vm.dir); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
