package vmtest

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func TestArgsGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
	}{
		{"bios-cdrom", Config{ISO: "/iso/live.iso"}},
		{"bios-usb", Config{ISO: "/iso/live.iso", Media: USB}},
		{"uefi-cdrom", Config{Firmware: UEFI, ISO: "/iso/live.iso"}},
		{"uefi-usb", Config{Firmware: UEFI, ISO: "/iso/live.iso", Media: USB}},
		{"secureboot-cdrom", Config{Firmware: UEFISecureBoot, ISO: "/iso/live.iso"}},
		{"bios-disk-only", Config{Disks: []Disk{{Path: "/vm/root.img"}}}},
		{"uefi-cdrom-disks-kvm", Config{Firmware: UEFI, ISO: "/iso/live.iso", KVM: true, MemoryMiB: 4096, CPUs: 1,
			Disks: []Disk{{Path: "/vm/target.qcow2"}, {Path: "/vm/data.bin", Format: "raw", ReadOnly: true}}}},
		{"interactive-uefi-usb", Config{Firmware: UEFI, ISO: "/iso/live.iso", Media: USB, Interactive: true,
			OVMFDir: "/opt/ovmf", QEMU: "/opt/bin/qemu", ExtraArgs: []string{"-vga", "std"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			argv, err := tc.cfg.Args("/run/vm/OVMF_VARS.fd")
			if err != nil {
				t.Fatalf("Args() error: %v", err)
			}
			got := strings.Join(argv, "\n") + "\n"
			golden := filepath.Join("testdata", "args", tc.name+".golden")
			if *update {
				must(t, os.MkdirAll(filepath.Dir(golden), 0o755))
				must(t, os.WriteFile(golden, []byte(got), 0o644))
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("read golden (run with -update to create): %v", err)
			}
			if got != string(want) {
				t.Errorf("Args(%s) =\n%s\nwant\n%s", tc.name, got, want)
			}
		})
	}
}

func TestArgsInvariants(t *testing.T) {
	for _, fw := range []Firmware{BIOS, UEFI, UEFISecureBoot} {
		for _, m := range []Media{CDROM, USB} {
			argv, err := Config{Firmware: fw, Media: m, ISO: "x.iso"}.Args("vars.fd")
			if err != nil {
				t.Fatalf("Args(%v, %v): %v", fw, m, err)
			}
			line := strings.Join(argv, " ")
			if !strings.Contains(line, "-machine q35") {
				t.Errorf("Args(%v, %v) = %s; want -machine q35", fw, m, line)
			}
			if pflash := strings.Count(line, "if=pflash"); (fw == BIOS) != (pflash == 0) {
				t.Errorf("Args(%v, %v) has %d pflash drives; want 2 for UEFI, 0 for BIOS", fw, m, pflash)
			}
			if strings.Contains(line, "OVMF_VARS_4M") {
				t.Errorf("Args(%v, %v) maps the shared variable template: %s; want the per-run copy", fw, m, line)
			}
		}
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
		want []string // every one must appear in the error
	}{
		{"nothing", Config{}, []string{"nothing to boot"}},
		{"several", Config{ISO: "a,b.iso", Firmware: 7, Media: 9, MemoryMiB: 64, CPUs: -1, Disks: []Disk{{}}},
			[]string{"comma", "unknown firmware", "unknown media", "memory 64 MiB", "cpus -1", "disk 0: empty path"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			if err == nil {
				t.Fatalf("Validate(%+v) = nil; want errors %q", tc.cfg, tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate(%+v) = %v; want it to mention %q", tc.cfg, err, w)
				}
			}
			if _, err := tc.cfg.Args("v"); err == nil {
				t.Errorf("Args(%+v) error = nil; want the validation error", tc.cfg)
			}
		})
	}
	if err := (Config{ISO: "x.iso"}).Validate(); err != nil {
		t.Errorf("Validate(minimal) = %v; want nil", err)
	}
}

func TestPrepareVars(t *testing.T) {
	dir := t.TempDir()
	ovmf := filepath.Join(dir, "ovmf")
	must(t, os.MkdirAll(ovmf, 0o755))
	for _, f := range []string{"OVMF_CODE_4M.fd", "OVMF_CODE_4M.secboot.fd"} {
		must(t, os.WriteFile(filepath.Join(ovmf, f), []byte("code"), 0o644))
	}
	must(t, os.WriteFile(filepath.Join(ovmf, "OVMF_VARS_4M.fd"), []byte("plain vars"), 0o644))
	must(t, os.WriteFile(filepath.Join(ovmf, "OVMF_VARS_4M.ms.fd"), []byte("ms vars"), 0o644))
	for _, tc := range []struct {
		fw   Firmware
		want string
	}{{BIOS, ""}, {UEFI, "plain vars"}, {UEFISecureBoot, "ms vars"}} {
		run := t.TempDir()
		got, err := Config{Firmware: tc.fw, OVMFDir: ovmf}.PrepareVars(run)
		if err != nil {
			t.Fatalf("PrepareVars(%v): %v", tc.fw, err)
		}
		if tc.want == "" {
			if got != "" {
				t.Errorf("PrepareVars(%v) = %q; want no file", tc.fw, got)
			}
			continue
		}
		data, err := os.ReadFile(got)
		if err != nil || string(data) != tc.want || filepath.Dir(got) != run {
			t.Errorf("PrepareVars(%v) = %s holding %q (%v); want a copy in %s holding %q", tc.fw, got, data, err, run, tc.want)
		}
	}
	// A store from an earlier run replaces the template, and stays as it was.
	earlier := filepath.Join(dir, "earlier.fd")
	must(t, os.WriteFile(earlier, []byte("boot entries"), 0o644))
	got, err := Config{Firmware: UEFI, OVMFDir: ovmf, Vars: earlier}.PrepareVars(t.TempDir())
	if data, _ := os.ReadFile(got); err != nil || string(data) != "boot entries" || got == earlier {
		t.Errorf("PrepareVars(Vars: earlier) = %s holding %q, %v; want a copy holding \"boot entries\"", got, data, err)
	}
	if _, err := (Config{Firmware: UEFI, OVMFDir: t.TempDir()}).PrepareVars(t.TempDir()); err == nil || !strings.Contains(err.Error(), "ovmf") {
		t.Errorf("PrepareVars(missing firmware) = %v; want an error naming ovmf", err)
	}
}
