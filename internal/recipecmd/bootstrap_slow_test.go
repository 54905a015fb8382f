package recipecmd

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/levitateos/levitate/internal/bootstrap"
	"github.com/levitateos/levitate/internal/bootstrap/testrepo"
	"github.com/levitateos/levitate/internal/guide"
)

// TestBootstrapVendorISO bootstraps the real base recipes (recipes/ at
// the repository root) from the test vendor ISO named by
// LEVITATE_VENDOR_ISO, plus a repository with a recipe RPM, as the live
// ISO's medium will offer them, and checks the result with verify, list
// and chroot.
func TestBootstrapVendorISO(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: bootstraps about 160 real packages")
	}
	iso := os.Getenv("LEVITATE_VENDOR_ISO")
	if iso == "" {
		if os.Getenv("CI") == "" {
			t.Skip("LEVITATE_VENDOR_ISO not set (make test-boot sets it)")
		}
		t.Fatal("LEVITATE_VENDOR_ISO not set in CI")
	}
	for _, tool := range bootstrap.Tools() {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatal(err)
		}
	}
	if os.Geteuid() != 0 {
		t.Fatal("needs root")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	recipeRepo := t.TempDir()
	if err := testrepo.WriteRecipeRepo(recipeRepo, self); err != nil {
		t.Fatal(err)
	}
	target := t.TempDir()
	recipes, err := filepath.Abs("../../recipes")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	r := runCLI(t, "", "--recipes", recipes, "bootstrap", "-M", "--repo", iso, "--repo", recipeRepo, target, "systemd-boot", "sudo")
	if r.code != ExitOK {
		t.Fatalf("bootstrap = exit %d\n%s", r.code, r.stderr)
	}
	t.Logf("bootstrap of the base set: %v; %s", time.Since(start).Round(time.Millisecond), strings.TrimSpace(r.stdout))

	if r = runCLI(t, "", "--root", target, "verify"); r.code != ExitOK {
		t.Errorf("verify = exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, "", "--root", target, "list", "--installed")
	for _, name := range append(bootstrap.BaseSet(), "systemd-boot", "sudo") {
		if !strings.Contains(r.stdout, name+" ") {
			t.Errorf("list --installed lacks %s:\n%s", name, r.stdout)
		}
	}
	for _, p := range []string{"usr/bin/recipe", "usr/bin/bash", "usr/lib/systemd/systemd", "usr/bin/bootctl", "usr/bin/dracut", bootstrap.RecipesDir + "/base.recipe"} {
		if _, err := os.Stat(filepath.Join(target, p)); err != nil {
			t.Errorf("target lacks %s: %v", p, err)
		}
	}
	r = runCLI(t, "", "chroot", target, "bash", "-c", `echo "$BASH_VERSION"; id -un`)
	if r.code != ExitOK || !strings.HasPrefix(r.stdout, "5.") || !strings.Contains(r.stdout, "root") {
		t.Errorf("chroot bash = exit %d, %q %q; want bash 5 as root", r.code, r.stdout, r.stderr)
	}

	// The installation guide's configuration steps work in the result.
	// Those that need the real disk (its UUID, bootctl on an ESP) are left
	// to the end-to-end test.
	blocks, err := guide.Read("../../docs/install.md")
	if err != nil {
		t.Fatal(err)
	}
	ran := 0
	for _, b := range blocks {
		if b.Kind != guide.Chroot || strings.Contains(b.Text, "/dev/vda") || strings.Contains(b.Text, "bootctl") {
			continue
		}
		ran++
		r := runCLI(t, "", "chroot", target, "bash", "-e", "-c", b.Text)
		if r.code != ExitOK {
			t.Errorf("guide block at line %d = exit %d\n%s\n%s%s", b.Line, r.code, b.Text, r.stdout, r.stderr)
		}
	}
	if ran < 6 {
		t.Errorf("ran %d chroot blocks of the guide; want at least 6", ran)
	}
	for _, p := range []string{"etc/localtime", "etc/locale.conf", "etc/sudoers.d/wheel", "home/alice"} {
		if _, err := os.Stat(filepath.Join(target, p)); err != nil {
			t.Errorf("after the guide: %v", err)
		}
	}
	if m, _ := filepath.Glob(filepath.Join(target, "efi/levitate/initramfs-*.img")); len(m) != 1 {
		t.Errorf("initramfs images on the ESP directory = %v; want one", m)
	}
}
