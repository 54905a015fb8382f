package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut strings.Builder
	code = run(t.Context(), args, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestVersion(t *testing.T) {
	code, out, _ := runCLI(t, "--version")
	if code != exitOK || !strings.HasPrefix(out, "levitateiso version ") || strings.TrimSpace(out) == "levitateiso version" {
		t.Errorf("levitateiso --version = %d, %q; want 0 and a version", code, out)
	}
}

func TestSubcommandsRegistered(t *testing.T) {
	var names []string
	for _, c := range newRootCmd(&app{}).Commands() {
		names = append(names, c.Name())
	}
	if got := strings.Join(names, ","); got != "build,check,list-packages,run" {
		t.Errorf("subcommands = %s; want build,check,list-packages,run", got)
	}
}

func TestRunDryRun(t *testing.T) {
	dir := t.TempDir()
	iso := filepath.Join(dir, "live.iso")
	disk := filepath.Join(dir, "disk.qcow2")
	for _, f := range []string{iso, disk} {
		if err := os.WriteFile(f, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name string
		args []string
		want []string // substrings of the printed command line
		not  []string
	}{
		{"bios cd", []string{iso}, []string{"-machine q35", "-nographic", "ide-cd,drive=cd0,bootindex=0", "-m 2048"}, []string{"pflash"}},
		{"uefi usb", []string{"--uefi", "--usb", "--memory", "4096", iso}, []string{"OVMF_CODE_4M.fd", "usb-storage,bus=xhci.0", "-m 4096"}, []string{"secure"}},
		{"secure boot disk", []string{"--secure-boot", "--disk", disk, iso}, []string{"OVMF_CODE_4M.secboot.fd", "property=secure,value=on", "format=qcow2,file=" + disk, "bootindex=1"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, append([]string{"run", "--dry-run"}, tc.args...)...)
			if code != exitOK {
				t.Fatalf("run %q = %d, stderr %q; want 0", tc.args, code, errOut)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("run %q printed %q; want it to contain %q", tc.args, out, w)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(out, n) {
					t.Errorf("run %q printed %q; want no %q", tc.args, out, n)
				}
			}
		})
	}
}

func TestRunErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no iso", []string{"run"}, exitUsage, "expected one ISO"},
		{"two isos", []string{"run", "a", "b"}, exitUsage, "expected one ISO"},
		{"bios and uefi", []string{"run", "--bios", "--uefi", "x.iso"}, exitUsage, "--bios excludes"},
		{"bios and secure boot", []string{"run", "--bios", "--secure-boot", "x.iso"}, exitUsage, "--bios excludes"},
		{"bad flag", []string{"run", "--floppy", "x.iso"}, exitUsage, "unknown flag"},
		{"small memory", []string{"run", "--memory", "16", "x.iso"}, exitUsage, "memory 16 MiB"},
		{"missing iso", []string{"run", "/nonexistent/live.iso"}, exitFailure, "/nonexistent/live.iso"},
		{"unknown command", []string{"frobnicate"}, exitUsage, `unknown command "frobnicate"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, tc.args...)
			if code != tc.code || !strings.Contains(errOut, tc.want) {
				t.Errorf("levitateiso %q = %d, %q; want %d and %q", tc.args, code, errOut, tc.code, tc.want)
			}
		})
	}
}
