package packet

import (
	"strconv"
	"strings"
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
