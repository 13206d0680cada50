package views

import (
	"slices"
	"testing"

	"campaigntrack/models"
)

func TestChartSummaryPlural(t *testing.T) {
	t.Parallel()
	one := chartSummary([]models.Tally{{Label: "2019-07-15", N: 1}})
	if want := "1 signature over 1 day, most on 15 July 2019 (1)"; one != want {
		t.Errorf("summary %q, want %q", one, want)
	}
	many := chartSummary([]models.Tally{{Label: "2019-07-15", N: 3}, {Label: "2019-07-16", N: 1200}})
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
