package fetch

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// copyBufSize is the read size for bodies and local files.
const copyBufSize = 128 << 10

func newClient(o *Options) *http.Client {
	d := &net.Dialer{Timeout: o.ConnectTimeout, KeepAlive: 30 * time.Second}
	tr := &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         d.DialContext,
		TLSHandshakeTimeout: o.ConnectTimeout,
		MaxIdleConnsPerHost: o.Concurrency,
		ForceAttemptHTTP2:   true,
		// The hash is over the bytes the server stores: never let the
		// transport undo a Content-Encoding.
		DisableCompression: true,
	}
	if o.RootCAs != nil {
		tr.TLSClientConfig = &tls.Config{RootCAs: o.RootCAs}
	}
	return &http.Client{Transport: tr, CheckRedirect: checkRedirect}
}

func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	if via[0].URL.Scheme == "https" && req.URL.Scheme != "https" {
		return fmt.Errorf("refusing redirect from https to %s", req.URL)
	}
	return nil
}

// download fetches it.URL into w, continuing after the bytes w already
// holds when the server honours Range.
func (f *fetcher) download(ctx context.Context, it Item, w *partWriter) (resumed bool, err error) {
	for range 2 {
		resumed, err = f.get(ctx, it, w)
		if !errors.Is(err, errRestart) {
			return resumed, err
		}
		if err := w.start(0); err != nil {
			return false, err
		}
	}
	return false, err
}

// errRestart means the server's answer to a Range request was unusable.
var errRestart = errors.New("restart without range")

// get performs one request.
func (f *fetcher) get(ctx context.Context, it Item, w *partWriter) (resumed bool, err error) {
	reqCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	idle := f.opts.IdleTimeout
	timer := time.AfterFunc(idle, func() { cancel(fmt.Errorf("%w: no data for %v", ErrStalled, idle)) })
	defer timer.Stop()
	explain := func(err error) error {
		if c := context.Cause(reqCtx); errors.Is(c, ErrStalled) {
			return c
		}
		// The URL is in our own Error already.
		if ue, ok := errors.AsType[*url.Error](err); ok {
			return ue.Err
		}
		return err
	}

	req, err := http.NewRequestWithContext(reqCtx, http.MethodGet, it.URL, nil)
	if err != nil {
		return false, err
	}
	offset := w.n
	if offset > 0 {
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-", offset))
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return false, explain(err)
	}
	defer resp.Body.Close()

	total := int64(-1)
	switch {
	case resp.StatusCode == http.StatusOK:
		if offset > 0 { // Range ignored: the body is the whole file
			if err := w.start(0); err != nil {
				return false, err
			}
			offset = 0
		}
		total = resp.ContentLength
	case resp.StatusCode == http.StatusPartialContent && offset > 0:
		start, size, ok := parseContentRange(resp.Header.Get("Content-Range"))
		if !ok || start != offset {
			return false, errRestart
		}
		resumed, total = true, size
	case resp.StatusCode == http.StatusRequestedRangeNotSatisfiable && offset > 0:
		return false, errRestart
	default:
		return false, fmt.Errorf("%w: %s", ErrStatus, resp.Status)
	}

	n, err := f.copyBody(it, w, resp.Body, timer, offset, total)
	want := resp.ContentLength
	switch {
	case err != nil && errors.Is(err, io.ErrUnexpectedEOF) && want >= 0:
		return resumed, fmt.Errorf("%w: body ended after %d of %d bytes announced by Content-Length", ErrLength, n, want)
	case err != nil:
		return resumed, explain(err)
	case want >= 0 && n != want:
		return resumed, fmt.Errorf("%w: body has %d bytes, Content-Length says %d", ErrLength, n, want)
	case total >= 0 && offset+n != total:
		return resumed, fmt.Errorf("%w: got %d bytes, the server announced %d", ErrLength, offset+n, total)
	}
	return resumed, nil
}

// copyBody streams body into w, pushing the idle timer back on every
// chunk and reporting progress.
func (f *fetcher) copyBody(it Item, w *partWriter, body io.Reader, timer *time.Timer, offset, total int64) (int64, error) {
	buf := make([]byte, copyBufSize)
	var n int64
	for {
		m, err := body.Read(buf)
		if m > 0 {
			timer.Reset(f.opts.IdleTimeout)
			if _, werr := w.Write(buf[:m]); werr != nil {
				return n, werr
			}
			n += int64(m)
			if f.opts.Progress != nil {
				f.opts.Progress(it, offset+n, total)
			}
		}
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}

// parseContentRange reads "bytes START-END/SIZE"; size is -1 for "*".
func parseContentRange(s string) (start, size int64, ok bool) {
	rest, found := strings.CutPrefix(s, "bytes ")
	if !found {
		return 0, 0, false
	}
	rng, sz, found := strings.Cut(rest, "/")
	first, _, found2 := strings.Cut(rng, "-")
	if !found || !found2 {
		return 0, 0, false
	}
	start, err := strconv.ParseInt(first, 10, 64)
	if err != nil {
		return 0, 0, false
	}
	size = -1
	if sz != "*" {
		if size, err = strconv.ParseInt(sz, 10, 64); err != nil {
			return 0, 0, false
		}
	}
	return start, size, true
}
