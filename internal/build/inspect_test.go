package build

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// inspectISO checks a built ISO with xorriso and unsquashfs: two El
// Torito images, the ESP, the root's contents and the rpm database.
func inspectISO(t *testing.T, o Options) {
	t.Helper()
	out, err := exec.Command("xorriso", "-indev", o.Out, "-report_el_torito", "plain", "-report_system_area", "plain").CombinedOutput()
	if err != nil {
		t.Fatalf("xorriso report: %v\n%s", err, out)
	}
	rep := string(out)
	if n := strings.Count(rep, "El Torito boot img :"); n != 2 {
		t.Errorf("xorriso -report_el_torito: %d boot images; want 2 (BIOS and UEFI)\n%s", n, rep)
	}
	// xorriso prints GPT GUIDs in on-disk (mixed-endian) byte order:
	// 28732ac1... is the ESP type boot.ESPTypeGUID (C12A7328-...).
	for _, want := range []string{
		`El Torito boot img :\s+1\s+BIOS\s+y`,
		`El Torito boot img :\s+2\s+UEFI\s+y`,
		`GPT type GUID\s+:\s+2\s+28732ac11ff8d211ba4b00a0c93ec93b`,
		`MBR partition\s+:\s+1\s+0x00\s+0xee`,
	} {
		if !regexp.MustCompile(want).MatchString(rep) {
			t.Errorf("xorriso report does not match %q\n%s", want, rep)
		}
	}
	sq := filepath.Join(o.Work, treeDir, SquashfsPath)
	out, err = exec.Command("unsquashfs", "-l", sq).CombinedOutput()
	if err != nil {
		t.Fatalf("unsquashfs -l: %v\n%s", err, out)
	}
	list := string(out)
	for _, want := range []string{
		"squashfs-root/" + RecipeBin,
		"squashfs-root/etc/motd",
		"squashfs-root/etc/systemd/system/serial-getty@ttyS0.service.d/autologin.conf",
		"squashfs-root/etc/profile.d/zz-levitate-test.sh",
		"squashfs-root/usr/lib/os-release",
		"squashfs-root/var/lib/rpm",
	} {
		if !strings.Contains(list, want+"\n") {
			t.Errorf("unsquashfs -l lacks %s", want)
		}
	}
	if strings.Contains(list, "squashfs-root/proc/") || strings.Contains(list, "levitate-initramfs.img") {
		t.Errorf("unsquashfs -l shows excluded files (proc contents or the initramfs)")
	}
	inspectRPMDB(t, sq, filepath.Join(filepath.Dir(o.Out), "levitateos.packages.txt"))
	for _, f := range []string{"SHA256SUMS", "levitateos.packages.txt", "levitateos.report.txt"} {
		if fi, err := os.Stat(filepath.Join(filepath.Dir(o.Out), f)); err != nil || fi.Size() == 0 {
			t.Errorf("output %s: %v", f, err)
		}
	}
}

// inspectRPMDB unpacks the rpm database from the squashfs sq and wants
// `rpm --root -qa` there to list exactly the packages of the manifest.
func inspectRPMDB(t *testing.T, sq, manifest string) {
	t.Helper()
	root := filepath.Join(t.TempDir(), "root")
	db := strings.TrimPrefix(DBPath, "/")
	if out, err := exec.Command("unsquashfs", "-no-progress", "-d", root, sq, db).CombinedOutput(); err != nil {
		t.Fatalf("unsquashfs %s: %v\n%s", db, err, out)
	}
	out, err := exec.Command("rpm", "--root", root, "--dbpath", DBPath, "-qa", "--qf", "%{NAME}\n").CombinedOutput()
	if err != nil {
		t.Fatalf("rpm --root -qa: %v\n%s", err, out)
	}
	installed := strings.Fields(string(out))
	slices.Sort(installed)
	data, err := os.ReadFile(manifest)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		want = append(want, strings.Split(line, "\t")[0])
	}
	slices.Sort(want)
	if !slices.Equal(installed, want) {
		t.Errorf("rpm --root -qa in the image lists %d packages; the manifest %d:\n%v\n%v", len(installed), len(want), installed, want)
	}
	for _, name := range []string{"kernel-core", "systemd", "dracut-live", "rpm"} {
		if !slices.Contains(installed, name) {
			t.Errorf("rpm --root -qa in the image lacks %s", name)
		}
	}
}
