package profile

import (
	"fmt"
	"strings"
)

// MaxLabel is the length of the ISO 9660 volume identifier field.
const MaxLabel = 32

// CheckLabel reports why label cannot be the volume label, or nil.
//
// The label is written as the ISO 9660 volume id (-volid), found again by
// GRUB's `search --label` and by dracut through root=live:CDLABEL=LABEL.
// ISO 9660 allows at most 32 "d-characters" (A-Z 0-9 _); we also allow
// '-', which xorriso, GRUB and udev's /dev/disk/by-label keep as is.
// Lower case is changed to upper case by strict ISO 9660 readers, so
// `search --label` and by-label lookups may miss it; a space ends the
// root= argument on the kernel command line, and udev escapes it as \x20.
// The returned error is a *LabelError with the offending column.
func CheckLabel(label string) error {
	if label == "" {
		return &LabelError{Label: label, Msg: "empty volume label"}
	}
	if len(label) > MaxLabel {
		return &LabelError{Label: label, Col: MaxLabel + 1, Msg: fmt.Sprintf("volume label %q is %d characters; ISO 9660 allows at most %d", label, len(label), MaxLabel)}
	}
	bad, lower, space := -1, false, false
	for i := 0; i < len(label); i++ {
		c := label[i]
		if isLabelChar(c) {
			continue
		}
		if bad < 0 {
			bad = i
		}
		lower = lower || c >= 'a' && c <= 'z'
		space = space || c == ' '
	}
	if bad < 0 {
		return nil
	}
	var why []string
	if space {
		why = append(why, "a space ends root=live:CDLABEL= on the kernel command line")
	}
	if lower {
		why = append(why, "strict ISO 9660 readers turn lower case into upper case, so search --label misses it")
	}
	why = append(why, "allowed are A-Z 0-9 _ -")
	return &LabelError{Label: label, Col: bad + 1, Msg: fmt.Sprintf("volume label %q has %q at column %d (%s); try %q", label, string(label[bad]), bad+1, strings.Join(why, "; "), SuggestLabel(label))}
}

// LabelError is a volume label that GRUB or dracut would not find.
type LabelError struct {
	Label string
	Col   int // 1-based column in the label, 0 for the whole label
	Msg   string
}

func (e *LabelError) Error() string { return e.Msg }

func isLabelChar(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// SuggestLabel turns s into a valid label: upper case, other characters
// as '_', cut to MaxLabel.
func SuggestLabel(s string) string {
	s = strings.ToUpper(s)
	b := []byte(s)
	for i, c := range b {
		if !isLabelChar(c) {
			b[i] = '_'
		}
	}
	if len(b) > MaxLabel {
		b = b[:MaxLabel]
	}
	if len(b) == 0 {
		return "LIVE"
	}
	return string(b)
}
