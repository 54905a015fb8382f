package main

import (
	"fmt"

	"github.com/levitateos/levitate/internal/vmtest"
	"github.com/spf13/cobra"
)

// runOptions are the flags of levitateiso run.
type runOptions struct {
	uefi, bios, usb, secureBoot, dryRun bool
	disks                               []string
	memory, cpus                        int
}

// newRunCmd is levitateiso run: an interactive boot on the person's terminal,
// like archiso's run_archiso.
func newRunCmd(a *app) *cobra.Command {
	var o runOptions
	cmd := &cobra.Command{
		Use:   "run ISO",
		Short: "Boot an ISO in QEMU with its serial console on this terminal",
		Long: `run boots ISO in QEMU (KVM when /dev/kvm is usable, software emulation
otherwise) with the serial console and the QEMU monitor on this terminal.
Press Ctrl-A X to quit QEMU, Ctrl-A C to switch to the monitor.

The machine is q35 with SeaBIOS (--bios, the default) or OVMF (--uefi), the
ISO attached as a CD-ROM or, with --usb, as a USB stick. --disk attaches a
disk image as a virtio disk (repeatable), after the ISO in boot order.
Each OVMF boot gets a fresh copy of the variable store, removed on exit.`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("run: expected one ISO, got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runISO(cmd, args[0], o)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.uefi, "uefi", false, "boot with OVMF (UEFI)")
	f.BoolVar(&o.bios, "bios", false, "boot with SeaBIOS (the default)")
	f.BoolVar(&o.usb, "usb", false, "attach the ISO as a USB stick instead of a CD-ROM")
	f.BoolVar(&o.secureBoot, "secure-boot", false, "boot with OVMF, Secure Boot enforced (Microsoft keys)")
	f.StringArrayVar(&o.disks, "disk", nil, "attach a disk image as a virtio disk (repeatable; .qcow2 or raw)")
	f.IntVar(&o.memory, "memory", 2048, "guest memory in MiB")
	f.IntVar(&o.cpus, "cpus", 2, "virtual CPUs")
	f.BoolVar(&o.dryRun, "dry-run", false, "print the QEMU command line and exit")
	return cmd
}

func (o runOptions) config(iso string) vmtest.Config {
	cfg := vmtest.Config{
		ISO:         iso,
		MemoryMiB:   o.memory,
		CPUs:        o.cpus,
		KVM:         vmtest.KVMAvailable(),
		Interactive: true,
	}
	switch {
	case o.secureBoot:
		cfg.Firmware = vmtest.UEFISecureBoot
	case o.uefi:
		cfg.Firmware = vmtest.UEFI
	}
	if o.usb {
		cfg.Media = vmtest.USB
	}
	for _, d := range o.disks {
		cfg.Disks = append(cfg.Disks, vmtest.Disk{Path: d})
	}
	return cfg
}

func (a *app) runISO(cmd *cobra.Command, iso string, o runOptions) error {
	if o.bios && (o.uefi || o.secureBoot) {
		return usagef("run: --bios excludes --uefi and --secure-boot")
	}
	cfg := o.config(iso)
	if err := cfg.Validate(); err != nil {
		return usagef("run: %w", err)
	}
	if o.dryRun {
		line, err := cfg.CommandLine()
		if err != nil {
			return fmt.Errorf("run: %w", err)
		}
		fmt.Fprintln(a.stdout, line)
		return nil
	}
	announce := func(line string) {
		fmt.Fprintf(a.stderr, "levitateiso: %s\nlevitateiso: Ctrl-A X quits QEMU\n", line)
	}
	if err := vmtest.Interactive(cmd.Context(), cfg, a.stdin, a.stdout, a.stderr, announce); err != nil {
		return fmt.Errorf("run: %w", err)
	}
	return nil
}
