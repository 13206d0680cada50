package views

import (
	"context"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"campaigntrack/models"
)

func TestClaimsChartScalesToTheLargestFigure(t *testing.T) {
	claims := []models.CountClaim{
		{Count: 270_000, Qualifier: "more than", ClaimedBy: "Mijente"},
		{Count: 200_000, ClaimedBy: "The Seattle Times"},
		{Count: 0, ClaimedBy: "Nobody yet"},
	}
	ch := NewClaimsChart(context.Background(), 135_000, claims)
	if len(ch.Rows) != 4 {
		t.Fatalf("%d rows, want the count made here and 3 claims", len(ch.Rows))
	}
	var widths, labels []string
	for _, r := range ch.Rows {
		widths = append(widths, r.Width)
		labels = append(labels, r.Label)
	}
	if want := []string{"50.0%", "100.0%", "74.1%", "0.0%"}; !reflect.DeepEqual(widths, want) {
		t.Errorf("widths = %q, want %q", widths, want)
	}
	if want := []string{"135,000 counted here, each person once", "more than 270,000 claimed by Mijente", "200,000 claimed by The Seattle Times", "0 claimed by Nobody yet"}; !reflect.DeepEqual(labels, want) {
		t.Errorf("labels = %q, want %q", labels, want)
	}
	if !ch.Rows[0].Tracker || ch.Rows[1].Tracker {
		t.Error("the first bar is not the count made here alone")
	}
}

// The count made here may be the largest; a figure above zero never
// vanishes beside a far larger one.
func TestClaimsChartSmallAndLargest(t *testing.T) {
	ch := NewClaimsChart(context.Background(), 1_000_000, []models.CountClaim{{Count: 10, ClaimedBy: "A"}})
	if ch.Rows[0].Width != "100.0%" || ch.Rows[1].Width != "1.0%" {
		t.Errorf("widths = %q %q, want 100.0%% and 1.0%%", ch.Rows[0].Width, ch.Rows[1].Width)
	}
	if ch := NewClaimsChart(context.Background(), 0, []models.CountClaim{{Count: 0, ClaimedBy: "A"}}); ch.Rows[0].Width != "0.0%" || ch.Rows[1].Width != "0.0%" {
		t.Errorf("all zero: widths %q %q", ch.Rows[0].Width, ch.Rows[1].Width)
	}
}

func TestClaimsChartWithoutClaimsIsEmpty(t *testing.T) {
	if ch := NewClaimsChart(context.Background(), 42, nil); len(ch.Rows) != 0 {
		t.Errorf("a chart of the count alone: %+v", ch)
	}
}

// A long label wraps onto lines that fit a phone, and the rows below move
// down by its extra lines; the rows do not overlap and the chart is as
// tall as its last bar.
func TestClaimsChartWrapsLongLabels(t *testing.T) {
	ch := NewClaimsChart(context.Background(), 5, []models.CountClaim{
		{Count: 7, ClaimedBy: "the Coalition of Tech Workers Against Detention and Deportation"},
		{Count: 3, ClaimedBy: "B"},
	})
	long := ch.Rows[1]
	if len(long.Lines) < 2 {
		t.Fatalf("long label on %d line(s): %q", len(long.Lines), long.Lines)
	}
	var words []string
	for _, l := range long.Lines {
		if n := len([]rune(l.Text)); n > claimsLineChars {
			t.Errorf("line %q is %d characters, more than %d", l.Text, n, claimsLineChars)
		}
		words = append(words, l.Text)
	}
	if strings.Join(words, " ") != long.Label {
		t.Errorf("lines %q lose words of %q", words, long.Label)
	}
	prevBottom := 0.0
	for i, r := range ch.Rows {
		top := atof(t, r.Lines[0].Y) - 13
		if top < prevBottom {
			t.Errorf("row %d starts at %v, above the row before's bottom %v", i, top, prevBottom)
		}
		prevBottom = atof(t, r.BarY) + atof(t, r.BarH)
	}
	if h := atof(t, ch.Height); h < prevBottom {
		t.Errorf("chart height %v cuts the last bar at %v", h, prevBottom)
	}
}

func TestWrapWords(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"one", []string{"one"}},
		{"aa bb cc", []string{"aa bb", "cc"}},
		{"averyveryverylongword x", []string{"averyveryverylongword", "x"}},
	} {
		if got := wrapWords(c.in, 5); !reflect.DeepEqual(got, c.want) {
			t.Errorf("wrapWords(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func atof(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
