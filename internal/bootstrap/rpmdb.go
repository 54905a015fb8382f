package bootstrap

import (
	"bytes"
	"context"
	"fmt"
	"strconv"

	"github.com/levitateos/levitate/internal/run"
)

// DBPath is where the target's RPM database lives, the same path the ISO
// builder uses (internal/build.DBPath). It is given explicitly because
// Debian's rpm, on a live system built from the test set or on a foreign
// host, would otherwise use its own default.
const DBPath = "/var/lib/rpm"

// rpm file flags (rpmfiles.h).
const (
	fileConfig = 1 << 0
	fileGhost  = 1 << 6
)

// digestSHA256 is rpm's PGPHASHALGO_SHA256, the FILEDIGESTALGO of
// Rocky's packages and of ours.
const digestSHA256 = "8"

// rpmFile is one path an installed RPM owns.
type rpmFile struct {
	path  string
	flags uint64
	size  int64
	// sha256 is the header's digest of the file's content, "" when the
	// package uses another algorithm or the entry is not a regular file.
	sha256 string
}

// queryArgv lists every file of every installed package as
// NAME TAB DIGESTALGO TAB FLAGS TAB SIZE TAB DIGEST TAB PATH lines.
func queryArgv(target string) []string {
	return []string{"rpm", "--root", target, "--dbpath", DBPath, "-qa",
		"--qf", `[%{=NAME}\t%{=FILEDIGESTALGO}\t%{FILEFLAGS}\t%{FILESIZES}\t%{FILEDIGESTS}\t%{FILENAMES}\n]`}
}

// installedFiles asks the target's RPM database what each package owns:
// the truth of what rpm installed, after its scriptlets ran.
func installedFiles(ctx context.Context, target string) (map[string][]rpmFile, error) {
	var stderr bytes.Buffer
	out, err := run.Output(ctx, run.Cmd{Argv: queryArgv(target), Stderr: &stderr})
	if err != nil {
		return nil, fmt.Errorf("query rpm database: %w", err)
	}
	// rpm reports a bad query format per package and still exits 0.
	if i := bytes.Index(stderr.Bytes(), []byte("error:")); i >= 0 {
		line, _, _ := bytes.Cut(stderr.Bytes()[i:], []byte("\n"))
		return nil, fmt.Errorf("query rpm database: %s", line)
	}
	return parseQuery(out)
}

func parseQuery(out []byte) (map[string][]rpmFile, error) {
	files := make(map[string][]rpmFile)
	for n, line := range bytes.Split(out, []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		f := bytes.SplitN(line, []byte("\t"), 6)
		if len(f) != 6 {
			return nil, fmt.Errorf("rpm query line %d: malformed %q", n+1, line)
		}
		if string(f[2]) == "(none)" {
			continue // a package without files
		}
		flags, err := strconv.ParseUint(string(f[2]), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("rpm query line %d: file flags %q: %w", n+1, f[2], err)
		}
		size, err := strconv.ParseInt(string(f[3]), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("rpm query line %d: file size %q: %w", n+1, f[3], err)
		}
		rf := rpmFile{path: string(f[5]), flags: flags, size: size}
		if string(f[1]) == digestSHA256 && len(f[4]) == 64 {
			rf.sha256 = string(f[4])
		}
		name := string(f[0])
		files[name] = append(files[name], rf)
	}
	return files, nil
}

// installArgv is the one rpm transaction that installs rpms into target,
// scriptlets included. Without verify, signatures are not checked (the
// test set is unsigned); digests always are, and every file was checked
// against the repodata's sha256 when it was fetched.
func installArgv(target string, verify bool, rpms []string) []string {
	argv := []string{"rpm", "--root", target, "--dbpath", DBPath, "-i"}
	if !verify {
		argv = append(argv, "--nosignature")
	}
	return append(argv, rpms...)
}

// initArgv creates the target's RPM database.
func initArgv(target string) []string {
	return []string{"rpm", "--root", target, "--dbpath", DBPath, "--initdb"}
}
