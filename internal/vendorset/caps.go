package vendorset

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"syscall"
)

// fileCaps returns the file capabilities of a regular file in
// cap_to_text(3) form ("cap_net_raw=ep"), which is what RPM's FILECAPS tag
// holds, or "" when the file has none. Debian's iputils-ping postinst sets
// one on ping; a plain payload copy would lose it.
func fileCaps(file string) (string, error) {
	buf := make([]byte, 64)
	n, err := syscall.Getxattr(file, "security.capability", buf)
	switch {
	case errors.Is(err, syscall.ENODATA), errors.Is(err, syscall.ENOTSUP), errors.Is(err, syscall.ELOOP):
		return "", nil
	case err != nil:
		return "", fmt.Errorf("file caps of %s: %w", file, err)
	}
	return capsText(buf[:n])
}

// capsText decodes a vfs_cap_data xattr value (revision 2 or 3).
func capsText(b []byte) (string, error) {
	// The capability names by bit number (linux/capability.h), as
	// cap_to_text(3) prints them.
	capNames := [...]string{
		"cap_chown", "cap_dac_override", "cap_dac_read_search", "cap_fowner",
		"cap_fsetid", "cap_kill", "cap_setgid", "cap_setuid", "cap_setpcap",
		"cap_linux_immutable", "cap_net_bind_service", "cap_net_broadcast",
		"cap_net_admin", "cap_net_raw", "cap_ipc_lock", "cap_ipc_owner",
		"cap_sys_module", "cap_sys_rawio", "cap_sys_chroot", "cap_sys_ptrace",
		"cap_sys_pacct", "cap_sys_admin", "cap_sys_boot", "cap_sys_nice",
		"cap_sys_resource", "cap_sys_time", "cap_sys_tty_config", "cap_mknod",
		"cap_lease", "cap_audit_write", "cap_audit_control", "cap_setfcap",
		"cap_mac_override", "cap_mac_admin", "cap_syslog", "cap_wake_alarm",
		"cap_block_suspend", "cap_audit_read", "cap_perfmon", "cap_bpf",
		"cap_checkpoint_restore",
	}
	if len(b) < 20 {
		return "", fmt.Errorf("capability xattr: %d bytes, want at least 20", len(b))
	}
	magic := binary.LittleEndian.Uint32(b[0:])
	effective := magic&1 != 0
	perm := uint64(binary.LittleEndian.Uint32(b[4:])) | uint64(binary.LittleEndian.Uint32(b[12:]))<<32
	inh := uint64(binary.LittleEndian.Uint32(b[8:])) | uint64(binary.LittleEndian.Uint32(b[16:]))<<32
	groups := map[string][]string{}
	for bit := 0; bit < 64; bit++ {
		p, i := perm&(1<<bit) != 0, inh&(1<<bit) != 0
		if !p && !i {
			continue
		}
		name := "cap_" + strconv.Itoa(bit)
		if bit < len(capNames) {
			name = capNames[bit]
		}
		var fl string
		if effective && p {
			fl += "e"
		}
		if i {
			fl += "i"
		}
		if p {
			fl += "p"
		}
		groups[fl] = append(groups[fl], name)
	}
	var parts []string
	for fl, names := range groups {
		parts = append(parts, strings.Join(names, ",")+"="+fl)
	}
	sort.Strings(parts)
	return strings.Join(parts, " "), nil
}
