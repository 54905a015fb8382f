package version

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// needRPM returns the path of rpm, skipping the test when it is missing
// outside CI (in CI a missing rpm is a failure).
func needRPM(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("rpm")
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("rpm not installed (Debian package rpm); set CI to make this a failure")
		}
		t.Fatalf("rpm not installed (Debian package rpm): %v", err)
	}
	return p
}

// rpmVercmp asks real rpm for rpm.vercmp(a, b) of every pair, in one rpm
// run: the pairs go to a file that a Lua chunk reads line by line, so no
// quoting or argument-length limit gets in the way.
func rpmVercmp(t *testing.T, rpmPath string, pairs [][2]string) []string {
	t.Helper()
	var in strings.Builder
	for _, p := range pairs {
		if strings.ContainsAny(p[0]+p[1], "\t\n") {
			t.Fatalf("pair %q cannot be sent to rpm", p)
		}
		fmt.Fprintf(&in, "%s\t%s\n", p[0], p[1])
	}
	file := filepath.Join(t.TempDir(), "pairs.txt")
	if err := os.WriteFile(file, []byte(in.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	// rpm's Lua print does not add newlines, so the chunk prints once.
	lua := `local out = {} ` +
		`for line in io.lines(` + strconv.Quote(file) + `) do ` +
		`local a, b = line:match("^(.-)\t(.*)$") ` +
		`local ok, r = pcall(rpm.vercmp, a, b) ` +
		`out[#out+1] = ok and tostring(r) or ("error: " .. tostring(r)) ` +
		`end ` +
		`print(table.concat(out, "\n"))`
	cmd := exec.Command(rpmPath, "--eval", "%{lua: "+lua+"}")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("rpm --eval: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) != len(pairs) {
		t.Fatalf("rpm printed %d results for %d pairs; output starts %.200q", len(lines), len(pairs), out)
	}
	return lines
}

// checkAgainstRPM reports every pair where Compare and rpm disagree.
func checkAgainstRPM(t *testing.T, what string, pairs [][2]string, want []int) {
	t.Helper()
	got := rpmVercmp(t, needRPM(t), pairs)
	bad := 0
	for i, p := range pairs {
		ours := Compare(p[0], p[1])
		if got[i] != strconv.Itoa(ours) {
			bad++
			if bad <= 30 {
				t.Errorf("%s: Compare(%q, %q) = %d; rpm.vercmp says %s", what, p[0], p[1], ours, got[i])
			}
		}
		if want != nil && strconv.Itoa(want[i]) != got[i] {
			t.Errorf("%s: table says %q vs %q is %d; rpm.vercmp says %s", what, p[0], p[1], want[i], got[i])
		}
	}
	if bad > 0 {
		t.Errorf("%s: %d of %d pairs differ from rpm", what, bad, len(pairs))
	}
}

func TestCompareTableAgainstRPM(t *testing.T) {
	cases := loadVercmp(t)
	pairs := make([][2]string, 0, 2*len(cases))
	want := make([]int, 0, 2*len(cases))
	for _, c := range cases {
		pairs = append(pairs, [2]string{c.A, c.B}, [2]string{c.B, c.A})
		want = append(want, c.Want, -c.Want)
	}
	checkAgainstRPM(t, "testdata/vercmp.txt", pairs, want)
}

func TestCompareRandomAgainstRPM(t *testing.T) {
	r := rand.New(rand.NewPCG(2026, 11))
	pairs := make([][2]string, 5000)
	for i := range pairs {
		a := randomEVR(r)
		b := randomEVR(r)
		if r.IntN(2) == 0 {
			b = mutate(r, a) // near misses find more bugs than unrelated pairs
		}
		pairs[i] = [2]string{a, b}
	}
	checkAgainstRPM(t, "random (seed 2026,11)", pairs, nil)
}

// randomEVR builds a version string rich in the things rpmvercmp treats
// specially: epochs, leading zeros, long numbers, letters, odd separators,
// empty segments, '~', '^' and releases.
func randomEVR(r *rand.Rand) string {
	var b strings.Builder
	if r.IntN(5) == 0 {
		if r.IntN(8) == 0 {
			b.WriteString("0")
		}
		b.WriteString(strconv.Itoa(r.IntN(12)))
		b.WriteByte(':')
	}
	b.WriteString(randomPart(r))
	if r.IntN(2) == 0 {
		b.WriteByte('-')
		b.WriteString(randomPart(r))
	}
	return b.String()
}

func randomPart(r *rand.Rand) string {
	var b strings.Builder
	for n := 1 + r.IntN(5); n > 0; n-- {
		switch k := r.IntN(20); {
		case k < 8:
			if r.IntN(6) == 0 {
				b.WriteString(strings.Repeat("0", 1+r.IntN(3)))
			}
			b.WriteString(strconv.Itoa(r.IntN(12)))
		case k < 9:
			for range 18 + r.IntN(8) {
				b.WriteByte(byte('0' + r.IntN(10)))
			}
		case k < 13:
			b.WriteString([]string{"a", "b", "rc", "git", "p", "A", "Z", "el", "fc", "alpha"}[r.IntN(10)])
		case k < 15:
			b.WriteByte("~^"[r.IntN(2)])
		default:
			b.WriteString([]string{".", ".", ".", "_", "+", "..", "!", ",", "="}[r.IntN(9)])
		}
	}
	return b.String()
}

// mutate returns a version close to v: one byte changed, inserted or
// deleted, or a suffix added.
func mutate(r *rand.Rand, v string) string {
	const alphabet = "0123456789.~^_+-:abzA"
	i := r.IntN(len(v) + 1)
	c := string(alphabet[r.IntN(len(alphabet))])
	var out string
	switch r.IntN(4) {
	case 0:
		out = v[:i] + c + v[i:]
	case 1:
		if i < len(v) {
			out = v[:i] + c + v[i+1:]
		}
	case 2:
		if i < len(v) {
			out = v[:i] + v[i+1:]
		}
	default:
		out = v + []string{"~rc1", "^git1", ".0", "-1", "a", "0", "~", "^"}[r.IntN(8)]
	}
	if out == "" {
		return v
	}
	return out
}
