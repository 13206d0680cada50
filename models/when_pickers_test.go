package models_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"campaigntrack/models"
)

// TestParseDateTime: the organiser forms' date and time pickers give one
// time, read in the place's zone; the date field alone is read as
// ParseWhen reads free text.
func TestParseDateTime(t *testing.T) {
	t.Parallel()
	la, _ := time.LoadLocation("America/Los_Angeles")
	for _, tc := range []struct {
		date, clock string
		want        string // the time in UTC, RFC 3339; "" for nil
		dateOnly    bool
		err         string // a part of the message; "" for none
	}{
		{date: "", clock: "", want: ""},
		{date: "2019-07-15", clock: "21:30", want: "2019-07-16T04:30:00Z"},
		{date: "2019-07-15", clock: "21:30:15", want: "2019-07-16T04:30:15Z"},
		{date: " 2019-07-15 ", clock: " 09:05 ", want: "2019-07-15T16:05:00Z"},
		{date: "2019-07-15", clock: "9pm", want: "2019-07-16T04:00:00Z"},
		{date: "2019-07-15", clock: "", want: "2019-07-15T12:00:00Z", dateOnly: true},
		// Free text in the date box, as where a browser has no picker.
		{date: "2019-07-15 21:30", clock: "", want: "2019-07-16T04:30:00Z"},
		{date: "2019-07-15T21:30:00-04:00", clock: "", want: "2019-07-16T01:30:00Z"},
		{date: "", clock: "21:30", err: "has a time but no date"},
		{date: "2019-07-15 11:00", clock: "21:30", err: "give the time once"},
		{date: "2019-07-15", clock: "25:00", err: `"25:00" is not a time of day`},
		{date: "2019-07-15", clock: "soon", err: "is not a time of day"},
		{date: "yesterday", clock: "21:30", err: "is not a date or time"},
		{date: "2019-02-30", clock: "21:30", err: "is not a date or time"},
		{date: "9999-12-31", clock: "23:00", err: "between 1900 and 2100"},
		{date: "1899-12-31", clock: "", err: "between 1900 and 2100"},
	} {
		got, err := models.ParseDateTime(tc.date, tc.clock, la)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseDateTime(%q, %q) = %v, %v; want an error with %q", tc.date, tc.clock, got.At, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseDateTime(%q, %q): %v", tc.date, tc.clock, err)
			continue
		}
		if tc.want == "" {
			if got.At != nil {
				t.Errorf("ParseDateTime(%q, %q) = %v, want nil", tc.date, tc.clock, got.At)
			}
			continue
		}
		if got.At == nil || got.At.UTC().Format(time.RFC3339) != tc.want || got.DateOnly != tc.dateOnly {
			t.Errorf("ParseDateTime(%q, %q) = %v (date only %v), want %s (date only %v)", tc.date, tc.clock, got.At, got.DateOnly, tc.want, tc.dateOnly)
		}
	}
	if _, err := models.ParseDateTime("", "11:00", la); !errors.Is(err, models.ErrNoDate) {
		t.Errorf("a time without a date: %v, want ErrNoDate", err)
	}
	if _, err := models.ParseDateTime("9999-12-31", "11:00", la); !errors.Is(err, models.ErrYearOutOfRange) {
		t.Errorf("a year out of range: %v, want ErrYearOutOfRange", err)
	}
}

// FuzzParseDateTime: whatever two fields send, ParseDateTime never panics,
// and a time it gives is in the tracker's years.
func FuzzParseDateTime(f *testing.F) {
	f.Add("2019-07-15", "21:30")
	f.Add("2019-07-15 11:00", "")
	f.Add("", "3pm")
	f.Add("9999-12-31", "23:59:59")
	f.Fuzz(func(t *testing.T, date, clock string) {
		got, err := models.ParseDateTime(date, clock, time.UTC)
		if err != nil {
			if got.At != nil {
				t.Fatalf("an error and a time: %v, %v", got.At, err)
			}
			return
		}
		if got.At != nil && !models.InYearRange(*got.At) {
			t.Fatalf("ParseDateTime(%q, %q) = %v, out of the years kept", date, clock, got.At)
		}
	})
}

// TestNowAt: a new record's default time is now where it happens: at
// 04:30 UTC on 16 July it is 21:30 on 15 July in Seattle; the first zone
// known wins, and without one it is UTC.
func TestNowAt(t *testing.T) {
	t.Parallel()
	now := time.Date(2019, 7, 16, 4, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		zones []string
		want  string
	}{
		{[]string{models.ZoneFor("US", "WA")}, "2019-07-15 21:30 -0700"},
		{[]string{"", "America/New_York"}, "2019-07-16 00:30 -0400"},
		{[]string{"Not/AZone", "America/Chicago"}, "2019-07-15 23:30 -0500"},
		{[]string{"-07:00"}, "2019-07-15 21:30 -0700"},
		{[]string{""}, "2019-07-16 04:30 +0000"},
		{nil, "2019-07-16 04:30 +0000"},
	} {
		if got := models.NowAt(now, tc.zones...).Format("2006-01-02 15:04 -0700"); got != tc.want {
			t.Errorf("NowAt(%v) = %s, want %s", tc.zones, got, tc.want)
		}
	}
}
