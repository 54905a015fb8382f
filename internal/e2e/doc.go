// Package e2e holds the end-to-end installation test (make test-install):
// it boots the live ISO under OVMF with an empty disk, runs every command
// of the installation guide (docs/install.md) in the live system, powers
// off, boots the installed disk alone, logs in as the user the guide
// created and checks the installed system, recipe included.
//
// The package has no code of its own; the test drives QEMU through
// internal/vmtest and reads the guide through internal/guide.
package e2e
