package handlers

import (
	"context"
	"log/slog"
	"sync/atomic"
	"unicode/utf8"

	"golang.org/x/time/rate"
)

// A flood must not become a flood of log lines: every line a request can
// cause (the access log, refusals, errors) is cut to a bounded length and
// drawn from a budget of lines per second. Lines over budget are counted,
// and the next line that goes out says how many were left out, so the log
// still tells an operator that something happened and how much.
//
// Measured with the refusals unbudgeted: one client's 15 s flood of bad
// signatures wrote 245 MB of warnings.

// logBudget lets through a burst of lines, then a steady rate.
type logBudget struct {
	lim     *rate.Limiter
	dropped atomic.Int64
}

func newLogBudget(perSecond float64, burst int) *logBudget {
	return &logBudget{lim: rate.NewLimiter(rate.Limit(perSecond), burst)}
}

// Log budgets: the access log 200 lines a second (bursts of 1,000), refusals
// (4xx) and faults (5xx) 20 a second each (bursts of 200). A 60 s flood then
// writes at most about 15,000 lines of at most about 550 bytes, under the
// 10 MB the issue set; with 500 and 50 a second it wrote 15.5 MB.
func newLogBudgets() (access, refused, failed *logBudget) {
	return newLogBudget(200, 1000), newLogBudget(20, 200), newLogBudget(20, 200)
}

// log writes the line when the budget allows it, with the number of
// lines left out since the last one.
func (b *logBudget) log(ctx context.Context, l *slog.Logger, level slog.Level, msg string, attrs ...slog.Attr) {
	if !l.Enabled(ctx, level) {
		return
	}
	if !b.lim.Allow() {
		b.dropped.Add(1)
		return
	}
	if n := b.dropped.Swap(0); n > 0 {
		attrs = append(attrs, slog.Int64("lines_left_out", n))
	}
	l.LogAttrs(ctx, level, msg, attrs...)
}

// maxLoggedLen is the longest value a log line carries from a request
// (a URI, an email typed into a form).
const maxLoggedLen = 256

// clip cuts a client-given value for the log, on a character boundary,
// and says it was cut.
func clip(s string) string {
	if len(s) <= maxLoggedLen {
		return s
	}
	cut := maxLoggedLen
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…(cut)"
}
