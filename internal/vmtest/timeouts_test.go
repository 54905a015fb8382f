package vmtest

import (
	"strings"
	"testing"
	"time"
)

func TestTimeoutsOverdue(t *testing.T) {
	to := Timeouts{Firmware: 10 * time.Second, Bootloader: 20 * time.Second, Hard: 60 * time.Second}.withDefaults()
	if to.Kernel != DefaultTimeouts().Kernel {
		t.Errorf("withDefaults().Kernel = %v; want the default %v", to.Kernel, DefaultTimeouts().Kernel)
	}
	s := time.Second
	for _, tc := range []struct {
		stage            Stage
		entered, elapsed time.Duration
		late             bool
		reason           string
	}{
		{StageFirmware, 0, 9 * s, false, ""},
		{StageFirmware, 0, 10 * s, true, "stalled: no progress past the firmware stage for 10s"},
		{StageBootloader, 5 * s, 24 * s, false, ""},
		{StageBootloader, 5 * s, 25 * s, true, "bootloader stage"},
		{StageKernel, 50 * s, 60 * s, true, "hard timeout of 1m0s"},
		{StageShell, 0, time.Hour, false, ""},
	} {
		reason, _, late := to.overdue(tc.stage, tc.entered, tc.elapsed)
		if late != tc.late || !strings.Contains(reason, tc.reason) {
			t.Errorf("overdue(%v, %v, %v) = %q, %v; want %q, %v", tc.stage, tc.entered, tc.elapsed, reason, late, tc.reason, tc.late)
		}
	}
	if got := to.nextCheck(StageFirmware, 0, 4*s); got != 6*s {
		t.Errorf("nextCheck(firmware, 0, 4s) = %v; want 6s", got)
	}
	if got := to.nextCheck(StageKernel, 0, 58*s); got != 2*s {
		t.Errorf("nextCheck(kernel, 0, 58s) = %v; want 2s (the hard limit)", got)
	}
	if got := to.nextCheck(StageFirmware, 0, 11*s); got != 10*time.Millisecond {
		t.Errorf("nextCheck(overdue) = %v; want the 10ms floor", got)
	}
}
