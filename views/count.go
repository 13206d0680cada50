package views

import (
	"context"
	"strings"
	"time"

	"campaigntrack/locale"
	"campaigntrack/models"
)

// CountPageView is a campaign's "How the count is made" page: the
// tracker's own count of people with each source's kept figures and the
// pairs of sources that share people, beside the totals partners and the
// press reported. Aggregates only: nothing of any signer.
type CountPageView struct {
	Meta     PageMeta // description and share card
	Campaign models.Campaign
	Count    models.SourceCount  // the kept figures: people, per source (the form's first), per pair
	Claims   []models.CountClaim // the reported totals, each with its source
	Imported bool                // a source besides the form has received someone
	Rules    []models.EmailRule  // the per-domain identity rules in force, built-in and organisers'
	Chart    ClaimsChart         // the count made here beside the reported totals, as bars
}

// RuleWords says what a per-domain identity rule does: "gmail.com: dots
// before the @ are ignored".
func RuleWords(ctx context.Context, r models.EmailRule) string {
	return r.Domain + ": " + RuleEffect(ctx, r)
}

// RuleEffect says in words what a rule does to an address (the count page
// and the admin's list of rules both say it this way).
func RuleEffect(ctx context.Context, r models.EmailRule) string {
	var parts []string
	if r.AliasOf != "" {
		parts = append(parts, locale.T(ctx, "count.rule_alias", "Domain", r.AliasOf))
	}
	if r.IgnoreDots {
		parts = append(parts, locale.T(ctx, "count.rule_dots"))
	}
	if r.TagSeps != "" {
		seps := make([]string, 0, len(r.TagSeps))
		for _, c := range r.TagSeps {
			seps = append(seps, "“"+string(c)+"”")
		}
		parts = append(parts, locale.T(ctx, "count.rule_seps", "Seps", strings.Join(seps, locale.T(ctx, "count.or"))))
	}
	if len(parts) == 0 {
		return locale.T(ctx, "count.rule_none")
	}
	return strings.Join(parts, "; ")
}

// CarriedFigure and CountedAt are a delivery's frozen count: "Carried
// 270,123 signatures (counted 15 July 2019 at 10:02 UTC)".
func CarriedFigure(ctx context.Context, dc models.DeliveryCount) string {
	return locale.N(ctx, "count.carried", dc.Total)
}

// CountedAt is when a count was made (a delivery's frozen, a packet's),
// in UTC: "15 July 2019 at 10:02 UTC".
func CountedAt(ctx context.Context, at time.Time) string {
	t := at.UTC()
	return locale.T(ctx, "count.counted_at", "Date", locale.Date(ctx, t), "Time", t.Format("15:04 MST"))
}

// frozenSourceText is one source's figures in a delivery's count.
func frozenSourceText(ctx context.Context, f models.FrozenSource) string {
	s := locale.T(ctx, "count.frozen", "Received", num(ctx, f.Received), "Unique", num(ctx, f.Unique), "Shared", num(ctx, f.Shared))
	if f.Claimed != nil {
		s += locale.T(ctx, "count.frozen_claimed", "Claimed", num(ctx, *f.Claimed))
	}
	return s
}

// frozenSourceName names a source in a delivery's count with its partner.
func frozenSourceName(f models.FrozenSource) string {
	return sourceLabel(models.SourceFigure{Name: f.Name, Partner: f.Partner})
}

// The reported-totals chart: a horizontal bar per figure, the count made
// here first and then each reported total, every bar scaled to the
// largest figure and named above it by its figure and who gives it. The
// SVG has no viewBox: its units are CSS pixels, so its words are never
// stretched, and each bar's width is a percentage of the chart's width,
// the largest figure's bar filling it, however narrow the screen.
const (
	claimsLine      = 16.0 // a label line's height
	claimsBarHeight = 14.0
	claimsRowGap    = 10.0
	// claimsLineChars wraps a label: at 13 px, this many characters fit
	// the 390 px phone's column.
	claimsLineChars = 40
)

// ClaimsChartRow is one bar of the reported-totals chart, with its label
// lines and its place.
type ClaimsChartRow struct {
	Tracker bool // the count made here, not a reported total
	Lines   []ClaimsChartLine
	BarY    string
	BarH    string
	Width   string // the bar's width, a percentage of the largest figure's: "55.6%"
	Label   string // the bar's figure and who gives it, in one line
}

// ClaimsChartLine is one line of a bar's label, at its baseline.
type ClaimsChartLine struct{ Y, Text string }

// ClaimsChart is the chart's rows and height (in pixels); no rows when no
// total was reported, as there is nothing to compare the count with.
type ClaimsChart struct {
	Rows   []ClaimsChartRow
	Height string
}

// NewClaimsChart lays out the count made here (people, each counted once)
// and each reported total, in the claims' order, scaled to the largest.
func NewClaimsChart(ctx context.Context, people int64, claims []models.CountClaim) ClaimsChart {
	if len(claims) == 0 {
		return ClaimsChart{}
	}
	top := people
	for _, c := range claims {
		top = max(top, c.Count)
	}
	type entry struct {
		tracker bool
		n       int64
		label   string
	}
	entries := []entry{{true, people, locale.T(ctx, "count.bar_here", "People", num(ctx, people))}}
	for _, c := range claims {
		entries = append(entries, entry{false, c.Count, locale.T(ctx, "count.bar_claim", "Figure", claimFigure(ctx, c), "Who", c.ClaimedBy)})
	}
	var out ClaimsChart
	y := 0.0
	for _, e := range entries {
		r := ClaimsChartRow{Tracker: e.tracker, Label: e.label, Width: f1(scaled(e.n, top, 100)) + "%", BarH: f1(claimsBarHeight)}
		for _, l := range wrapWords(e.label, claimsLineChars) {
			y += claimsLine
			r.Lines = append(r.Lines, ClaimsChartLine{Y: f1(y - 3), Text: l})
		}
		r.BarY = f1(y + 2)
		y += 2 + claimsBarHeight + claimsRowGap
		out.Rows = append(out.Rows, r)
	}
	out.Height = f1(y - claimsRowGap + 1)
	return out
}

// wrapWords breaks s at spaces into lines of at most width characters; a
// longer word keeps a line of its own.
func wrapWords(s string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		switch {
		case line == "":
			line = w
		case len([]rune(line))+1+len([]rune(w)) <= width:
			line += " " + w
		default:
			lines = append(lines, line)
			line = w
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}
