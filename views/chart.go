package views

import (
	"fmt"
	"strconv"

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
		h := float64(d.N) / float64(max) * (chartHeight - 2)
		if d.N > 0 && h < 1 {
			h = 1
		}
		out[i] = bar{
			X: f1(float64(i) * (barWidth + barGap)), Y: f1(chartHeight - h), W: f1(barWidth), H: f1(h),
			Label: Day(d.Label) + ": " + Number(d.N),
		}
	}
	return out
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
	return fmt.Sprintf("%s over %d days, most on %s (%s)", Number(total), len(days), Day(peakDay), Number(peak))
}

func maxInt(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}
