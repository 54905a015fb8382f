// Package source opens the places vendor packages come from — a Rocky-style
// ISO image (read in-process, never mounted), a directory of RPMs with or
// without repodata, a repository path, or an http(s) repository URL — behind
// one Source interface that yields a repo.Index and fetches single packages
// with their sha256 verified against the repodata.
package source
