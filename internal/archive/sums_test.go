package archive

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// TestExtractSums checks that Options.Sums reports the digest and size of
// every regular file, hard links included, and nothing else, and changes
// nothing in the tree, for every tar format.
func TestExtractSums(t *testing.T) {
	tree := goodTree()
	wantSums := map[string]Sum{}
	for p, w := range tree {
		if w.mode.IsRegular() {
			wantSums[filepath.ToSlash(p)] = Sum{SHA256: sha256.Sum256([]byte(w.data)), Size: int64(len(w.data))}
		}
	}
	for _, f := range []Format{Tar, TarGz, TarZst} {
		for _, o := range []Options{{}, {Sums: true}} {
			o.AllowSetuid = []string{"bin/su"}
			t.Run(fmt.Sprintf("%s/sums=%v", f, o.Sums), func(t *testing.T) {
				data := compress(t, f, goodTar(t))
				dst := filepath.Join(t.TempDir(), "dst")
				st, err := ExtractReader(context.Background(), "good."+string(f), bytes.NewReader(data), "", dst, o)
				if err != nil {
					t.Fatalf("ExtractReader(%s) = %v; want nil", f, err)
				}
				checkTree(t, dst, tree)
				if !o.Sums {
					if st.Sums != nil {
						t.Errorf("Sums = %v without Options.Sums; want nil", st.Sums)
					}
					return
				}
				if len(st.Sums) != len(wantSums) {
					t.Errorf("len(Sums) = %d; want %d", len(st.Sums), len(wantSums))
				}
				for p, w := range wantSums {
					if got, ok := st.Sums[p]; !ok || got != w {
						t.Errorf("Sums[%q] = %x %d (%v); want %x %d", p, got.SHA256, got.Size, ok, w.SHA256, w.Size)
					}
				}
			})
		}
	}
}

// TestExtractSumsSingle covers the one-file path (size unknown up front).
func TestExtractSumsSingle(t *testing.T) {
	body := bigText(300 << 10)
	data := compress(t, "zst", []byte(body))
	dst := filepath.Join(t.TempDir(), "dst")
	st, err := ExtractReader(context.Background(), "tool.zst", bytes.NewReader(data), "", dst, Options{Sums: true})
	if err != nil {
		t.Fatalf("ExtractReader(tool.zst) = %v; want nil", err)
	}
	want := Sum{SHA256: sha256.Sum256([]byte(body)), Size: int64(len(body))}
	if got := st.Sums["tool"]; got != want {
		t.Errorf("Sums[tool] = %x %d; want %x %d", got.SHA256, got.Size, want.SHA256, want.Size)
	}
}

// TestSumsFailureCleansUp checks that a failed extraction with Sums leaves
// nothing behind and stops its hasher goroutine.
func TestSumsFailureCleansUp(t *testing.T) {
	good := mkTar(t, treg("a", 0o644, bigText(200<<10)), treg("b", 0o644, "b"))
	bad := truncate(compress(t, TarZst, good), 0.6)
	before := runtime.NumGoroutine()
	for i := range 5 {
		dst := filepath.Join(t.TempDir(), fmt.Sprint("dst", i))
		_, err := ExtractReader(context.Background(), "bad.tar.zst", bytes.NewReader(bad), "", dst, Options{Sums: true})
		if !errors.Is(err, ErrCorrupt) {
			t.Fatalf("ExtractReader(truncated) = %v; want ErrCorrupt", err)
		}
		if _, err := os.Lstat(dst); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Lstat(%s) = %v; want not exist", dst, err)
		}
	}
	// A finished goroutine may take a moment to leave the count.
	after := runtime.NumGoroutine()
	for deadline := time.Now().Add(2 * time.Second); after > before && time.Now().Before(deadline); after = runtime.NumGoroutine() {
		time.Sleep(10 * time.Millisecond)
	}
	if after > before {
		t.Errorf("goroutines = %d after 5 failed extractions; want <= %d", after, before)
	}
}
