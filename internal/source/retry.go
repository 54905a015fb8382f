package source

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/levitateos/levitate/internal/fetch"
	"github.com/levitateos/levitate/internal/repo"
)

// retryPolicy says how often and how patiently a transient network
// failure is retried: waits start at base and double up to limit.
type retryPolicy struct {
	attempts    int
	base, limit time.Duration
}

// defaultRetry gives a mirror about a minute to come back: waits of 1, 2,
// 4, 8, 16 and 30 s between seven attempts.
func defaultRetry() retryPolicy {
	return retryPolicy{attempts: 7, base: time.Second, limit: 30 * time.Second}
}

// do runs f until it succeeds, fails for good, or the attempts run out.
func (p retryPolicy) do(ctx context.Context, f func() error) error {
	wait := p.base
	for i := 1; ; i++ {
		err := f()
		if err == nil || !transient(err) || ctx.Err() != nil {
			return err
		}
		if i >= p.attempts {
			return fmt.Errorf("%w (gave up after %d attempts)", err, i)
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("%w (while waiting to retry after: %v)", ctx.Err(), err)
		}
		wait = min(2*wait, p.limit)
	}
}

// statusError is an HTTP answer other than 200 (or 206 to a Range).
type statusError struct {
	url  string
	code int
	text string
}

func (e *statusError) Error() string { return fmt.Sprintf("get %s: %s", e.url, e.text) }

// transientStatus reports whether an HTTP status may go away on its own:
// server errors, timeouts and rate limiting.
func transientStatus(code int) bool {
	return code >= 500 || code == http.StatusRequestTimeout || code == http.StatusTooManyRequests
}

// transient reports whether retrying err may help. Everything that says
// the data is wrong (a checksum, a missing file, a refused request) is
// final; connection failures, cut bodies and stalls are not.
func transient(err error) bool {
	var se *statusError
	var ce *repo.ChecksumError
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return false
	case errors.As(err, &se):
		return transientStatus(se.code)
	case errors.As(err, &ce), errors.Is(err, fs.ErrNotExist),
		errors.Is(err, fetch.ErrHashMismatch), errors.Is(err, fetch.ErrBadItem), errors.Is(err, fetch.ErrNoHash):
		return false
	case errors.Is(err, fetch.ErrStatus):
		// fetch reports "bad HTTP status: 503 Service Unavailable"
		// without the code as a field.
		_, after, _ := strings.Cut(err.Error(), fetch.ErrStatus.Error()+": ")
		code, cerr := strconv.Atoi(strings.SplitN(after, " ", 2)[0])
		return cerr == nil && transientStatus(code)
	}
	return true
}
