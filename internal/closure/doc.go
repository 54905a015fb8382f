// Package closure computes the dependency closure of a package list over
// one or more repository indexes, and reads, writes and checks lock files.
//
// Packages are matched by header NAME, never by file-name prefix (asking
// for kernel never takes kernel-core). Requires are resolved against
// provides and file paths, with rpm's version-range rules and rich
// (boolean) dependencies; rpmlib() requirements are ignored. Where several
// packages could satisfy a requirement the choice is deterministic: a
// package already chosen, then one named in the list, then by name, source
// priority, newest EVR and architecture (x86_64, noarch, others). Every
// unsatisfiable requirement is reported at once, sorted.
package closure
