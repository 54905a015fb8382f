// Package build turns a profile and a package source into a live ISO.
//
// A build is a Plan: a list of typed stages (resolve, fetch, rootfs,
// overlay, initramfs, squashfs, iso, outputs), each with declared inputs,
// outputs and host tools. `levitateiso build --dry-run` prints the plan;
// Preflight checks every host tool before anything touches disk; Execute
// runs the stages in order. Each stage writes its log to WORK/logs/STAGE.log
// and prints one line with its time and output size on the console; a
// failing command is reported by internal/run with its argv, exit code and
// output tail. Files the user receives (the ISO, SHA256SUMS, the manifest,
// the report, the lock) are written to a temporary name and renamed, so a
// killed build never leaves a half-written output.
//
// Mounts happen only inside a private mount namespace (unshare) around the
// dracut run, so none outlives the build even when it is killed.
package build
