// Package recipecmd implements the command-line program recipe: the command
// tree, global options, output formats and exit codes. Everything runs
// in-process through Run, so tests drive the whole program without a binary;
// cmd/recipe only wires Run to the process.
//
// The commands are thin: recipes are read and validated by internal/recipe,
// versions by internal/version and plans by internal/resolve; installs,
// upgrades and removals run in internal/install, one internal/store
// transaction each, and owns, verify and list --installed read the
// store's database. bootstrap, fstab and chroot, the installation
// commands, run in internal/bootstrap, internal/fstab and internal/chroot.
// This package turns their results into text or JSON,
// progress (bars on a terminal, lines otherwise) and an exit code.
package recipecmd
