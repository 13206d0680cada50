package packet

import (
	"strconv"
	"strings"
	"testing"

	"campaigntrack/locale"
)

// thousands writes n with commas (270,123), as English and the United States' Spanish write it: the
// tests' own reading of how the packet prints a number, apart from the locale package's.
func thousands(n int64) string {
	digits := strconv.FormatInt(n, 10)
	sign := ""
	if n < 0 {
		sign, digits = "-", digits[1:]
	}
	var b strings.Builder
	for i, d := range []byte(digits) {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(d)
	}
	return sign + b.String()
}

// The signer rows' numbers are what locale.NumberIn writes, in every language.
func TestRowNumbersAreTheLanguages(t *testing.T) {
	for _, l := range locale.All {
		number := rowNumbers(l)
		for _, n := range []int64{0, 1, 9, 10, 99, 100, 999, 1000, 1001, 9999, 10000, 50001, 99999, 100000, 999999, 1000000, 1234567, 300000000, -1, -1234} {
			if got, want := number(n), locale.NumberIn(l, n); got != want {
				t.Errorf("%s: %d written %q, locale.NumberIn says %q", l, n, got, want)
			}
		}
	}
}
