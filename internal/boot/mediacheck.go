package boot

// ImplantTool is the program that implants an ISO's MD5 (Debian and Rocky
// package isomd5sum).
const ImplantTool = "implantisomd5"

// ImplantArgs returns the implantisomd5 command line for the ISO at path.
//
// implantisomd5 writes the MD5 of the ISO 9660 volume (minus its last
// sectors and the field that holds the sum) into the application-use
// field of the primary volume descriptor. The El Torito catalog, the
// hybrid MBR, the GPT and the appended ESP lie outside that field and
// survive. checkisomd5, which dracut runs for rd.live.check, verifies the
// sum; --force replaces a sum that is already there.
func ImplantArgs(path string) []string {
	return []string{ImplantTool, "--force", path}
}
