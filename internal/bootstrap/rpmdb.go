package bootstrap

// DBPath is where the target's RPM database lives, the same path the ISO
// builder uses (internal/build.DBPath). It is given explicitly because
// Debian's rpm, on a live system built from the test set or on a foreign
// host, would otherwise use its own default.
const DBPath = "/var/lib/rpm"

// installArgv is the one rpm transaction that installs rpms into target,
// scriptlets included; rpm creates the database when the target has none
// (a separate rpm --initdb only cost another rpm start).
// Without verify, signatures are not checked (the test set is unsigned);
// digests always are, and every file was checked against the repodata's
// sha256 when it was fetched.
func installArgv(target string, verify bool, rpms []string) []string {
	argv := []string{"rpm", "--root", target, "--dbpath", DBPath, "-i"}
	if !verify {
		argv = append(argv, "--nosignature")
	}
	return append(argv, rpms...)
}
