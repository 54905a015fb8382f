// Package profile loads and validates a LevitateOS ISO profile: an
// archiso-style directory with packages.txt (package names), airootfs/
// (a tree overlaid on the installed root) and an optional profile.conf
// (volume label, boot modes, compression, permissions, identity).
//
// Load reports every problem at once, each positioned as file:line:col,
// so that `levitateiso check` answers in one run. The checks that need
// more than the profile directory (the resolved package closure, the host
// tools) are separate functions: CheckClosure and MissingTools.
//
// The file format is documented in docs/profile.md.
package profile
