package views

import (
	"context"
	"slices"
	"testing"

	"campaigntrack/models"
)

func TestChartSummaryPlural(t *testing.T) {
	t.Parallel()
	one := chartSummary(context.Background(), []models.Tally{{Label: "2019-07-15", N: 1}})
	if want := "1 signature over 1 day, most on 15 July 2019 (1)"; one != want {
		t.Errorf("summary %q, want %q", one, want)
	}
	many := chartSummary(context.Background(), []models.Tally{{Label: "2019-07-15", N: 3}, {Label: "2019-07-16", N: 1200}})
	if want := "1,203 signatures over 2 days, most on 16 July 2019 (1,200)"; many != want {
		t.Errorf("summary %q, want %q", many, want)
	}
}

func TestChartTicks(t *testing.T) {
	t.Parallel()
	for top, want := range map[int64][]int64{
		0:      {0, 1},
		1:      {0, 1},
		4:      {0, 1, 2, 3, 4},
		7:      {0, 2, 4, 6, 8},
		23:     {0, 5, 10, 15, 20, 25},
		1200:   {0, 500, 1000, 1500},
		270123: {0, 50000, 100000, 150000, 200000, 250000, 300000},
	} {
		if got := chartTicks(top); !slices.Equal(got, want) {
			t.Errorf("ticks to %d = %v, want %v", top, got, want)
		}
	}
}

// The per-day chart's axes: a labelled line per round tick, the tallest
// bar reaching the top tick's share, the dates under the bars, and the
// busiest day's figure above its bar.
func TestPerDayChartAxes(t *testing.T) {
	t.Parallel()
	var days []models.Tally
	for i := range 40 {
		days = append(days, models.Tally{Label: "2019-07-" + string(rune('0'+i/10%4)) + string(rune('0'+i%10)), N: int64(i * 3)})
	}
	days[0].Label, days[39].Label = "2019-06-06", "2019-07-15"
	l := perDayChart(days)
	var labels []string
	for _, tk := range l.Ticks {
		labels = append(labels, tk.Label)
	}
	if want := []string{"0", "20", "40", "60", "80", "100", "120"}; !slices.Equal(labels, want) {
		t.Errorf("ticks %q, want %q", labels, want)
	}
	if l.Ticks[0].Y != f1(perDayBottom) || l.Ticks[len(l.Ticks)-1].Y != f1(perDayTop) {
		t.Errorf("ticks from %s to %s, want %v to %v", l.Ticks[0].Y, l.Ticks[len(l.Ticks)-1].Y, perDayBottom, perDayTop)
	}
	if len(l.Bars) != 40 || l.Bars[0].H != "0.0" || l.Bars[0].X != "0.25%" || l.Bars[39].W != "2.00%" {
		t.Errorf("bars: %d, first %+v, last %+v", len(l.Bars), l.Bars[0], l.Bars[39])
	}
	if len(l.Dates) != 2 || l.Dates[0].Text != "6 June 2019" || l.Dates[1].Text != "15 July 2019" || l.Dates[1].Anchor != "end" || l.Dates[1].X != "100.00%" {
		t.Errorf("dates %+v", l.Dates)
	}
	if l.Peak.Text != "117" || l.Peak.Anchor != "end" {
		t.Errorf("peak %+v", l.Peak)
	}

	// A young campaign: its two days are written as one label, not on
	// top of each other.
	young := perDayChart([]models.Tally{{Label: "2019-07-14", N: 5}, {Label: "2019-07-15", N: 9}})
	if len(young.Dates) != 1 || young.Dates[0].Text != "14 July 2019 to 15 July 2019" {
		t.Errorf("young campaign's dates %+v", young.Dates)
	}
	if one := perDayChart([]models.Tally{{Label: "2019-07-15", N: 1}}); len(one.Dates) != 1 || one.Peak.Text != "1" || one.Peak.Anchor != "start" {
		t.Errorf("one day: %+v", one)
	}
}
