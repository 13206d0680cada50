package views

import (
	"fmt"
	"strconv"
	"strings"

	"campaigntrack/models"
)

// chart geometry, in SVG user units
const (
	chartHeight = 100.0
	barWidth    = 10.0
	barGap      = 2.0
)

type bar struct{ X, Y, W, H, Label string }

func f1(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// chartMinDays keeps a young campaign's few bars from stretching across
// the whole chart: the chart is at least this many days wide.
const chartMinDays = 30

func chartViewBox(days []models.Tally) string {
	return fmt.Sprintf("0 0 %s %s", f1(float64(max(len(days), chartMinDays))*(barWidth+barGap)), f1(chartHeight))
}

// chartBars scales each day's count to the tallest day.
func chartBars(days []models.Tally) []bar {
	var max int64 = 1
	for _, d := range days {
		max = maxInt(max, d.N)
	}
	out := make([]bar, len(days))
	for i, d := range days {
		h := scaled(d.N, max, chartHeight-2)
		out[i] = bar{
			X: f1(float64(i) * (barWidth + barGap)), Y: f1(chartHeight - h), W: f1(barWidth), H: f1(h),
			Label: Day(d.Label) + ": " + Number(d.N),
		}
	}
	return out
}

// scaled is n's length on a scale where top fills full: a figure above
// zero is at least one unit, so it never vanishes beside a large one.
func scaled(n, top int64, full float64) float64 {
	if top <= 0 || n <= 0 {
		return 0
	}
	return max(float64(n)/float64(top)*full, 1)
}

func chartSummary(days []models.Tally) string {
	var total, peak int64
	peakDay := ""
	for _, d := range days {
		total += d.N
		if d.N > peak {
			peak, peakDay = d.N, d.Label
		}
	}
	return fmt.Sprintf("%s %s over %s %s, most on %s (%s)",
		Number(total), pluralWord(int(min(total, 2)), "signature", "signatures"),
		Number(int64(len(days))), pluralWord(len(days), "day", "days"), Day(peakDay), Number(peak))
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
func sourceChartRows(sources []models.SourceFigure) []sourceChartRow {
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
			Unique: bar{X: "0", Y: barY, W: f1(u), H: f1(sourceBarHeight), Label: s.Name + ": " + Number(s.Unique) + " unique"},
			Shared: bar{X: f1(u), Y: barY, W: f1(sh), H: f1(sourceBarHeight), Label: s.Name + ": " + Number(s.Shared) + " shared"},
			ValueX: f1(u + sh + 6), ValueY: f1(y + 34), Value: sourceValue(s),
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
func sourceValue(s models.SourceFigure) string {
	if s.Received == 0 {
		return "nothing received yet"
	}
	return Number(s.Unique) + " unique · " + Number(s.Shared) + " shared"
}

// sourceChartSummary is the chart's text equivalent, for its <desc>.
func sourceChartSummary(sources []models.SourceFigure) string {
	var b strings.Builder
	for i, s := range sources {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s: %s received, %s unique, %s shared", sourceLabel(s), Number(s.Received), Number(s.Unique), Number(s.Shared))
	}
	b.WriteString(".")
	return b.String()
}
