package views

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"campaigntrack/locale"
	"campaigntrack/models"
)

// The per-day chart is drawn in CSS pixels, not stretched to a viewBox:
// bars are placed at percentages of the width, so they fill any screen,
// and every label is real 12 px text that stays readable on a phone.
// Heights are pixels: the plot runs from perDayTop to perDayBottom.
const (
	perDayHeight = 170.0 // the SVG's height; the stylesheet gives the same
	perDayTop    = 18.0  // the highest tick's line
	perDayBottom = 140.0 // the zero line; the dates are written below it
	barGapShare  = 0.2   // the share of a day's slot left between bars
)

type bar struct{ X, Y, W, H, Label string }

func f1(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

func pct(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) + "%" }

// chartMinDays keeps a young campaign's few bars from stretching across
// the whole chart: the chart is at least this many days wide.
const chartMinDays = 30

// perDayLayout is the per-day chart as drawn: its bars, the count axis's
// ticks, the dates along the bottom and the top day's figure.
type perDayLayout struct {
	Bars  []bar
	Ticks []chartTick
	Dates []chartText
	Peak  chartText
}

// chartTick is a line across the plot at a round count, labelled.
type chartTick struct{ Y, LabelY, Label string }

// chartText is a label at a place, with its anchor (start, middle, end).
type chartText struct{ X, Y, Anchor, Text string }

// perDayChart lays the days out: a bar per day scaled to the axis's top
// tick, a line and label per tick, the first and last day written under
// the bars, and the busiest day's figure above its bar.
func perDayChart(days []models.Tally) perDayLayout {
	var top, peak int64
	peakAt := 0
	for i, d := range days {
		if d.N > peak {
			peak, peakAt = d.N, i
		}
	}
	ticks := chartTicks(peak)
	top = ticks[len(ticks)-1]
	plot := perDayBottom - perDayTop
	var l perDayLayout
	for _, v := range ticks {
		y := perDayBottom - float64(v)/float64(top)*plot
		l.Ticks = append(l.Ticks, chartTick{Y: f1(y), LabelY: f1(y - 3), Label: Number(v)})
	}
	slot := 100 / float64(max(len(days), chartMinDays))
	for i, d := range days {
		h := scaled(d.N, top, plot)
		l.Bars = append(l.Bars, bar{
			X: pct(float64(i)*slot + slot*barGapShare/2), W: pct(slot * (1 - barGapShare)),
			Y: f1(perDayBottom - h), H: f1(h),
			Label: Day(d.Label) + ": " + Number(d.N),
		})
	}
	if len(days) == 0 {
		return l
	}
	dateY := f1(perDayBottom + 18)
	first, last := Day(days[0].Label), Day(days[len(days)-1].Label)
	switch lastRight := float64(len(days)) * slot; {
	case len(days) == 1:
		l.Dates = []chartText{{X: "0", Y: dateY, Anchor: "start", Text: first}}
	case lastRight < 50: // too near the first to write apart
		l.Dates = []chartText{{X: "0", Y: dateY, Anchor: "start", Text: first + " to " + last}}
	default:
		l.Dates = []chartText{{X: "0", Y: dateY, Anchor: "start", Text: first}, {X: pct(lastRight), Y: dateY, Anchor: "end", Text: last}}
	}
	centre := (float64(peakAt) + 0.5) * slot
	anchor := "middle"
	if centre < 8 {
		anchor = "start"
	} else if centre > 92 {
		anchor = "end"
	}
	l.Peak = chartText{X: pct(centre), Y: f1(perDayBottom - scaled(peak, top, plot) - 4), Anchor: anchor, Text: Number(peak)}
	return l
}

// scaled is n's length on a scale where top fills full: a figure above
// zero is at least one unit, so it never vanishes beside a large one.
func scaled(n, top int64, full float64) float64 {
	if top <= 0 || n <= 0 {
		return 0
	}
	return max(float64(n)/float64(top)*full, 1)
}

func chartSummary(ctx context.Context, days []models.Tally) string {
	var total, peak int64
	peakDay := ""
	for _, d := range days {
		total += d.N
		if d.N > peak {
			peak, peakDay = d.N, d.Label
		}
	}
	return locale.T(ctx, "chart.summary",
		"Signatures", locale.N(ctx, "chart.signatures", total),
		"Days", locale.N(ctx, "chart.days", int64(len(days))),
		"Peak", day(ctx, peakDay), "PeakN", num(ctx, peak))
}

// chartTicks are round values for a count axis from 0 to at least top:
// steps of 1, 2 or 5 times a power of ten, about four of them.
func chartTicks(top int64) []int64 {
	if top <= 0 {
		return []int64{0, 1}
	}
	step := int64(1)
	for mag := int64(1); ; mag *= 10 {
		if step = mag; top/step <= 5 {
			break
		}
		if step = 2 * mag; top/step <= 5 {
			break
		}
		if step = 5 * mag; top/step <= 5 {
			break
		}
	}
	var out []int64
	for v := int64(0); ; v += step {
		out = append(out, v)
		if v >= top {
			break
		}
	}
	return out
}

func maxInt(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}

// The source chart: a horizontal bar per source, split into the people
// only it brought (unique) and those another source has too (shared),
// each row named above its bar and its figures written after it. The
// geometry, in SVG user units; the stylesheet keeps the chart at most as
// wide as its units, so a label's 13 units are at most 13 pixels.
const (
	sourceChartWidth = 640.0
	sourceLegend     = 28.0  // the key above the rows
	sourceRow        = 46.0  // a source's name, bar and gap
	sourceBarHeight  = 18.0  // its bar
	sourceBarFull    = 400.0 // the longest bar; its figures go to its right
)

// sourceChartRow is one source's row in the chart.
type sourceChartRow struct {
	NameY          string // baseline of the name
	Name           string
	Unique, Shared bar
	ValueX, ValueY string // where the figures are written
	Value          string
}

// sourceChartRows lays out the sources' bars, scaled to the source that
// received most; nil when no source has received anyone, as there is
// nothing to draw.
func sourceChartRows(ctx context.Context, sources []models.SourceFigure) []sourceChartRow {
	var top int64
	for _, s := range sources {
		top = max(top, s.Received)
	}
	if top == 0 {
		return nil
	}
	out := make([]sourceChartRow, len(sources))
	for i, s := range sources {
		y := sourceLegend + float64(i)*sourceRow
		u := scaled(s.Unique, top, sourceBarFull)
		sh := scaled(s.Shared, top, sourceBarFull)
		barY := f1(y + 20)
		out[i] = sourceChartRow{
			NameY: f1(y + 14), Name: sourceLabel(s),
			Unique: bar{X: "0", Y: barY, W: f1(u), H: f1(sourceBarHeight), Label: locale.T(ctx, "count.bar_unique", "Source", s.Name, "N", num(ctx, s.Unique))},
			Shared: bar{X: f1(u), Y: barY, W: f1(sh), H: f1(sourceBarHeight), Label: locale.T(ctx, "count.bar_shared", "Source", s.Name, "N", num(ctx, s.Shared))},
			ValueX: f1(u + sh + 6), ValueY: f1(y + 34), Value: sourceValue(ctx, s),
		}
	}
	return out
}

func sourceChartViewBox(rows []sourceChartRow) string {
	return fmt.Sprintf("0 0 %s %s", f1(sourceChartWidth), f1(sourceLegend+float64(len(rows))*sourceRow))
}

// sourceLabel names a source with its partner: "Mijente list (Mijente)".
func sourceLabel(s models.SourceFigure) string {
	if s.Partner == "" || s.Partner == s.Name {
		return s.Name
	}
	return s.Name + " (" + s.Partner + ")"
}

// sourceValue is a source's figures in words, as its bar shows them.
func sourceValue(ctx context.Context, s models.SourceFigure) string {
	if s.Received == 0 {
		return locale.T(ctx, "count.nothing_received")
	}
	return locale.T(ctx, "count.bar_value", "Unique", num(ctx, s.Unique), "Shared", num(ctx, s.Shared))
}

// sourceChartSummary is the chart's text equivalent, for its <desc>.
func sourceChartSummary(ctx context.Context, sources []models.SourceFigure) string {
	var b strings.Builder
	for i, s := range sources {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(locale.T(ctx, "count.summary", "Source", sourceLabel(s), "Received", num(ctx, s.Received), "Unique", num(ctx, s.Unique), "Shared", num(ctx, s.Shared)))
	}
	b.WriteString(".")
	return b.String()
}
