package build

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/levitateos/levitate/internal/profile"
	"github.com/levitateos/levitate/internal/rpm"
	"github.com/levitateos/levitate/internal/testutil"
)

// gpgKey makes a signing key in its own GNUPGHOME and returns the home
// and the exported public key file, named as Rocky names its release key
// (RPM-GPG-KEY-Rocky-10: an ASCII-armoured public key block).
func gpgKey(t *testing.T, gpg, name string) (home, pub string) {
	t.Helper()
	home, err := os.MkdirTemp("", "gpg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		exec.Command("gpgconf", "--homedir", home, "--kill", "gpg-agent").Run()
		os.RemoveAll(home)
	})
	gen := exec.Command(gpg, "--homedir", home, "--batch", "--passphrase", "", "--quick-gen-key", name+" <"+name+"@levitate.invalid>", "rsa2048", "sign", "never")
	if out, err := gen.CombinedOutput(); err != nil {
		t.Fatalf("gpg --quick-gen-key: %v\n%s", err, out)
	}
	pub = filepath.Join(t.TempDir(), "RPM-GPG-KEY-"+name)
	out, err := exec.Command(gpg, "--homedir", home, "--armor", "--export", name).Output()
	if err != nil || len(out) == 0 {
		t.Fatalf("gpg --export: %v", err)
	}
	if err := os.WriteFile(pub, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return home, pub
}

// signedRepo writes the HTTP-side packages of multiSetup signed by the
// key in home, with repodata over the signed files.
func signedRepo(t *testing.T, gpg, home, name string) string {
	t.Helper()
	dir := t.TempDir()
	lib := tinyPkg("tiny-lib", 2, "1.4", "/usr/lib64/libtiny.so.1")
	lib.Provides = []rpm.Dep{{Name: "libtiny.so.1()(64bit)"}}
	writeRepo(t, dir, lib)
	files, _ := filepath.Glob(filepath.Join(dir, "Packages", "*.rpm"))
	args := append([]string{"--define", "__gpg " + gpg, "--define", "_gpg_path " + home, "--define", "_gpg_name " + name, "--addsign"}, files...)
	if out, err := exec.Command("rpmsign", args...).CombinedOutput(); err != nil {
		t.Fatalf("rpmsign: %v\n%s", err, out)
	}
	var entries []rpm.RepoPackage
	for _, f := range files {
		e, err := rpm.ScanPackage(f, "Packages/"+filepath.Base(f), 1)
		if err != nil {
			t.Fatal(err)
		}
		entries = append(entries, e)
	}
	if err := rpm.WriteRepodata(dir, entries, rpm.RepoOptions{Revision: 2}); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestPerSourceKeys(t *testing.T) {
	gpg := testutil.NeedTool(t, "gpg")
	testutil.NeedTools(t, "rpm", "rpmsign", "gpgconf")
	homeA, keyA := gpgKey(t, gpg, "Rocky-10")
	_, keyB := gpgKey(t, gpg, "Other-10")
	local, _ := multiSetup(t)
	srv := serveDir(t, signedRepo(t, gpg, homeA, "Rocky-10"))
	tests := []struct {
		name        string
		remote, loc string // keys of the HTTP and the local source
		want        []string
	}{
		{"signed by its own key", keyA, "", nil},
		{"signed by another source's key", keyB, keyA, []string{
			"source " + srv.URL + ": packages not signed by its key " + keyB + " (1): tiny-lib-1.4-1.noarch.rpm",
			"source local: packages not signed by its key " + keyA + " (3): tiny-app-1.0-1.noarch.rpm, tiny-base-1.0-1.noarch.rpm, tiny-cli-1.0-1.noarch.rpm"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			work := t.TempDir()
			o := multiOptions(t, work,
				profile.Source{ID: "local", Location: local, Key: tt.loc},
				profile.Source{Location: srv.URL, Priority: 10, Key: tt.remote})
			o.Settings.VerifySignatures = true
			b, err := resolveOnly(t, o)
			if err != nil {
				t.Fatalf("resolve = %v", err)
			}
			if got := picked(b.closure)["tiny-lib"]; got != "tiny-lib-2:1.4-1.noarch@"+srv.URL {
				t.Fatalf("tiny-lib = %s; want the signed one from %s", got, srv.URL)
			}
			f, err := os.Create(filepath.Join(work, "fetch.log"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			b.log = f
			err = b.fetch(context.Background())
			if tt.want == nil && err != nil {
				t.Fatalf("fetch = %v; want the signatures accepted", err)
			}
			for _, w := range tt.want {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("fetch = %v; want it to contain %q", err, w)
				}
			}
		})
	}
}
