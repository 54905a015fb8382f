package boot

import (
	"crypto/md5"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"os"
	"strconv"
)

// The implanted MD5 of isomd5sum (implantisomd5 --force; checkisomd5 and
// dracut's rd.live.check verify it), computed while the image is written
// instead of in a second pass over it. It lives in the application-use
// field of the primary volume descriptor: the El Torito catalog, the
// hybrid MBR, the GPT and the appended ESP lie outside that field and
// survive. The layout, the chunking of the fragment sums and the text
// are implantisomd5's (isomd5sum 1.2.3): the MD5 covers the volume (the
// primary volume descriptor's size) minus its last skip sectors, with the
// application-use field blanked; after each 32 KiB read, entering a new
// fragment (1/21 of the summed bytes) appends the first hex digit of the
// first three bytes of the running digest.
const (
	isoSector        = 2048
	pvdOffset        = 16 * isoSector // the system area comes first
	appDataOffset    = pvdOffset + 883
	appDataSize      = 512
	isoSizeOffset    = pvdOffset + 80 + 4 // volume space size, big-endian half
	md5SkipSectors   = 15
	md5FragmentCount = 20
	md5FragmentSums  = 60
	md5ReadSize      = 16 * isoSector // implantisomd5's read buffer
)

// isoMD5 is an io.Writer that takes an ISO image from its first byte on
// and computes implantisomd5's application data.
type isoMD5 struct {
	h        hash.Hash
	head     []byte // the bytes up to the primary volume descriptor's end
	total    int64  // bytes summed; -1 until the descriptor is read
	fragSize int64
	off      int64 // bytes summed so far
	prevFrag int64
	frags    []byte
	err      error
}

func newISOMD5() *isoMD5 { return &isoMD5{h: md5.New(), total: -1} }

// Write never fails: an image that implantisomd5 would reject is
// reported by AppData, so that writing the image itself goes on.
func (m *isoMD5) Write(p []byte) (int, error) {
	n := len(p)
	if m.err != nil {
		return n, nil
	}
	if m.total < 0 {
		need := pvdOffset + isoSector - len(m.head)
		if len(p) < need {
			m.head = append(m.head, p...)
			return n, nil
		}
		m.head = append(m.head, p[:need]...)
		p = p[need:]
		if m.err = m.start(); m.err != nil {
			return n, nil
		}
		m.sum(m.head)
	}
	m.sum(p)
	return n, nil
}

// start reads the volume size from the primary volume descriptor, which
// xorriso always writes as the first descriptor, and blanks the
// application data in the copy that is summed.
func (m *isoMD5) start() error {
	pvd := m.head[pvdOffset:]
	if pvd[0] != 1 || string(pvd[1:6]) != "CD001" {
		return errors.New("implant md5: no primary volume descriptor at sector 16")
	}
	size := int64(binary.BigEndian.Uint32(m.head[isoSizeOffset:])) * isoSector
	m.total = size - md5SkipSectors*isoSector
	m.fragSize = m.total / (md5FragmentCount + 1)
	if m.fragSize <= 0 {
		return fmt.Errorf("implant md5: volume of %d bytes is too small", size)
	}
	for i := appDataOffset; i < appDataOffset+appDataSize; i++ {
		m.head[i] = ' '
	}
	return nil
}

// sum hashes p in implantisomd5's reads, checking for a new fragment
// after each one.
func (m *isoMD5) sum(p []byte) {
	for len(p) > 0 && m.off < m.total {
		end := min((m.off/md5ReadSize+1)*md5ReadSize, m.total)
		n := min(int64(len(p)), end-m.off)
		m.h.Write(p[:n])
		m.off += n
		p = p[n:]
		if m.off == end {
			m.fragment(end - 1)
		}
	}
}

// fragment ends the read that holds byte at.
func (m *isoMD5) fragment(at int64) {
	cur := (at / md5ReadSize * md5ReadSize) / m.fragSize
	if cur == m.prevFrag {
		return
	}
	m.prevFrag = cur
	d := m.h.Sum(nil)
	for _, b := range d[:md5FragmentSums/md5FragmentCount] {
		m.frags = append(m.frags, strconv.FormatUint(uint64(b), 16)[0])
	}
}

// AppData returns the 512 bytes that implantisomd5 --force writes into
// the application-use field, once the whole image has been written.
func (m *isoMD5) AppData() ([]byte, error) {
	if m.err != nil {
		return nil, m.err
	}
	if m.total < 0 {
		return nil, fmt.Errorf("implant md5: image of %d bytes ends before its primary volume descriptor", len(m.head))
	}
	if m.off%md5ReadSize != 0 && m.off < m.total {
		// A short image: implantisomd5's last, short read.
		m.fragment(m.off - 1)
	}
	if len(m.frags) > md5FragmentSums {
		return nil, fmt.Errorf("implant md5: %d fragment sums; implantisomd5 holds %d", len(m.frags), md5FragmentSums)
	}
	text := "ISO MD5SUM = " + hex.EncodeToString(m.h.Sum(nil)) + ";" +
		"SKIPSECTORS = " + strconv.Itoa(md5SkipSectors) + ";" +
		"RHLISOSTATUS=0;" +
		"FRAGMENT SUMS = " + string(m.frags) + ";" +
		"FRAGMENT COUNT = " + strconv.Itoa(md5FragmentCount) + ";" +
		"THIS IS NOT THE SAME AS RUNNING MD5SUM ON THIS ISO!!"
	data := make([]byte, appDataSize)
	for i := range data {
		data[i] = ' '
	}
	copy(data, text)
	return data, nil
}

// implantAppData writes data into the application-use field of the ISO
// image at path.
func implantAppData(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	_, err = f.WriteAt(data, appDataOffset)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("implant md5: %w", err)
	}
	return nil
}
