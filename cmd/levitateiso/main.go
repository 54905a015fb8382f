// Command levitateiso builds LevitateOS live ISOs and boots them in QEMU.
//
// Usage:
//
//	levitateiso run ISO [--uefi|--bios] [--usb] [--disk FILE] [--memory MIB] [--secure-boot]
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
