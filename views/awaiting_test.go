package views

import (
	"context"
	"testing"
)

// No "for 0 days" (issue 16): a wait of under a day is "yet", one day is
// singular, and the target is named where the page names it.
func TestAwaitingFrom(t *testing.T) {
	for _, c := range []struct {
		target string
		days   int
		want   string
	}{
		{"Amazon", 0, "No answer from Amazon yet"},
		{"Amazon", 1, "No answer from Amazon for 1 day"},
		{"Amazon", 2700, "No answer from Amazon for 2,700 days"},
		{"", 0, "No answer yet"},
		{"", -1, "No answer yet"},
		{"", 3, "No answer for 3 days"},
	} {
		if got := AwaitingFrom(context.Background(), c.target, c.days); got != c.want {
			t.Errorf("AwaitingFrom(%q, %d) = %q, want %q", c.target, c.days, got, c.want)
		}
	}
}
