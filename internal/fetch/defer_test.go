package fetch

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"testing"
)

// TestDeferCacheCheck covers Options.DeferCacheCheck: a cached file comes
// back unhashed and marked, Check and CheckSum find a tampered one, and a
// file not in the cache is downloaded and verified as usual.
func TestDeferCacheCheck(t *testing.T) {
	content := payload(10_000, 3)
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		serve(content)(w, r)
	}))
	defer srv.Close()
	opts := fastOpts(t)
	opts.DeferCacheCheck = true
	it := Item{URL: srv.URL + "/a.tar", SHA256: sum(content)}
	res, err := Fetch(context.Background(), it, opts)
	if err != nil || res.Cached || res.Unchecked || res.SHA256 != sum(content) || hits.Load() != 1 {
		t.Fatalf("first Fetch = %+v, %v; want a verified download", res, err)
	}
	res, err = Fetch(context.Background(), it, opts)
	if err != nil || !res.Cached || !res.Unchecked || res.Size != int64(len(content)) || hits.Load() != 1 {
		t.Fatalf("second Fetch = %+v, %v with %d requests; want cached, unchecked, 1 request", res, err, hits.Load())
	}
	if err := Check(res); err != nil {
		t.Errorf("Check(intact) = %v; want nil", err)
	}
	if err := CheckSum(res, sum(content)); err != nil {
		t.Errorf("CheckSum(intact) = %v; want nil", err)
	}
	must(t, os.WriteFile(res.Path, []byte("tampered"), 0o644))
	tests := []struct {
		name string
		err  error
	}{
		{"Check", Check(res)},
		{"CheckSum", CheckSum(res, sum([]byte("tampered")))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !errors.Is(tt.err, ErrHashMismatch) {
				t.Errorf("%s(tampered) = %v; want ErrHashMismatch", tt.name, tt.err)
			}
			wantErr(t, tt.name, tt.err, res.Path, sum(content), sum([]byte("tampered")))
		})
	}
	// Without the option the tampered file is fetched again.
	opts.DeferCacheCheck = false
	res, err = Fetch(context.Background(), it, opts)
	if err != nil || res.Cached || res.Unchecked || hits.Load() != 2 {
		t.Errorf("Fetch over a tampered file = %+v, %v, %d requests; want a new download", res, err, hits.Load())
	}
}
