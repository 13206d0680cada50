package models_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"campaigntrack/models"
	"campaigntrack/testdb"
)

func TestParseWhen(t *testing.T) {
	t.Parallel()
	la, _ := time.LoadLocation("America/Los_Angeles")
	for _, tc := range []struct {
		in       string
		want     string // the time in UTC, RFC 3339; "" for nil
		dateOnly bool
		err      string // a part of the message; "" for none
		year     bool   // the error wraps ErrYearOutOfRange
	}{
		{in: "", want: ""},
		{in: "  ", want: ""},
		{in: "2019-07-15", want: "2019-07-15T12:00:00Z", dateOnly: true},
		{in: "2019-07-15T11:00:00-07:00", want: "2019-07-15T18:00:00Z"},
		{in: "2019-07-15T11:00Z", want: "2019-07-15T11:00:00Z"},
		{in: "2019-07-15 11:00", want: "2019-07-15T18:00:00Z"},
		{in: "2019-07-15T11:00:30", want: "2019-07-15T18:00:30Z"},
		{in: "1900-01-01", want: "1900-01-01T12:00:00Z", dateOnly: true},
		{in: "2100-12-31", want: "2100-12-31T12:00:00Z", dateOnly: true},
		{in: "9999-12-31", err: `"9999-12-31" is not a date the tracker keeps: the year must be between 1900 and 2100`, year: true},
		{in: "0001-01-01", err: "between 1900 and 2100", year: true},
		{in: "0000-01-01", err: "between 1900 and 2100", year: true},
		{in: "2101-01-01", err: "between 1900 and 2100", year: true},
		{in: "1899-12-31", err: "between 1900 and 2100", year: true},
		{in: "10000-01-01", err: `"10000-01-01" is not a date the tracker keeps`, year: true},
		{in: "20190-07-15 11:00", err: "between 1900 and 2100", year: true},
		{in: "9999-12-31T23:00:00-07:00", err: "between 1900 and 2100", year: true},
		{in: "9999-12-31 11:00", err: "between 1900 and 2100", year: true},
		// The year is the stored one, in UTC: 23:00 in Los Angeles on the
		// last day of 2100 is already 2101.
		{in: "2100-12-31 23:00", err: "between 1900 and 2100", year: true},
		{in: "2019-02-30", err: `"2019-02-30" is not a date or time: write 2019-07-15, 2019-07-15 11:00, or 2019-07-15T11:00:00-07:00`},
		{in: "2019-07-15 25:00", err: "is not a date or time"},
		{in: "2019-13-01", err: "is not a date or time"},
		{in: "15-07-2019", err: "is not a date or time"},
		{in: "11:00", err: `"11:00" has a time but no date: write the date too, for example 2019-07-15 11:00`},
		{in: "3pm", err: "has a time but no date"},
		{in: strings.Repeat("2019-07-15", 20), err: "…\" is not a date or time"},
	} {
		got, dateOnly, err := models.ParseWhen(tc.in, la)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) || got != nil {
				t.Errorf("ParseWhen(%q) = %v, %v; want nil and an error with %q", tc.in, got, err, tc.err)
			}
			if errors.Is(err, models.ErrYearOutOfRange) != tc.year {
				t.Errorf("ParseWhen(%q): errors.Is(err, ErrYearOutOfRange) = %v, want %v", tc.in, !tc.year, tc.year)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseWhen(%q): %v", tc.in, err)
			continue
		}
		if s := formatUTC(got); s != tc.want || dateOnly != tc.dateOnly {
			t.Errorf("ParseWhen(%q) = %s, %v; want %s, %v", tc.in, s, dateOnly, tc.want, tc.dateOnly)
		}
	}
}

func formatUTC(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func TestParseDate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, err string }{
		{"2019-07-15", ""},
		{"9999-12-31", `"9999-12-31" is not a date the tracker keeps: the year must be between 1900 and 2100`},
		{"1899-12-31", "between 1900 and 2100"},
		{"2019-07-15 11:00", `"2019-07-15 11:00" is not a date: give a date as YYYY-MM-DD`},
		{"2019-02-30", "is not a date: give a date as YYYY-MM-DD"},
		{"someday", "is not a date"},
	} {
		_, err := models.ParseDate(tc.in)
		if (err == nil) != (tc.err == "") || (err != nil && !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("ParseDate(%q) = %v, want %q", tc.in, err, tc.err)
		}
	}
}

// FuzzParseWhen: any text is read without panicking, and any time read is
// in the years the tracker keeps.
func FuzzParseWhen(f *testing.F) {
	for _, s := range []string{"2019-07-15", "9999-12-31T23:00:00-07:00", "2100-12-31 23:59", "11:00", "10000-01-01", "1900-01-01T00:00:00+14:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, _, err := models.ParseWhen(s, time.UTC)
		if err != nil {
			if got != nil || !utf8.ValidString(err.Error()) {
				t.Fatalf("ParseWhen(%q) = %v, %v", s, got, err)
			}
			return
		}
		if got != nil && !models.InYearRange(*got) {
			t.Fatalf("ParseWhen(%q) = %v: outside the years kept", s, got)
		}
		if _, err := models.ParseDate(s); err == nil && got == nil {
			t.Fatalf("ParseDate(%q) accepted what ParseWhen read as nothing", s)
		}
	})
}

// TestValidateRefusesTimesOutOfRange: a record built by any path (a form,
// a file, the command line, code) with a time outside the years kept is
// refused by the Store, on both engines, with a message on the field.
func TestValidateRefusesTimesOutOfRange(t *testing.T) {
	t.Parallel()
	far := time.Date(9999, 12, 31, 12, 0, 0, 0, time.UTC)
	early := time.Date(1, 1, 1, 12, 0, 0, 0, time.UTC)
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		demo, _ := recordsDemo(t, store)
		for _, at := range []time.Time{far, early} {
			a := validAction()
			a.OccurredAt = at
			wantFieldError(t, store.CreateAction(ctx, models.CommandLine, demo.ID, &a), "occurred_at")

			r := validResponse()
			r.RespondedAt = at
			wantFieldError(t, store.CreateResponse(ctx, models.CommandLine, demo.ID, &r), "responded_at")

			d := models.Delivery{City: "Testville", Status: models.DeliveryPlanned, ScheduledAt: &at}
			wantFieldError(t, store.CreateDelivery(ctx, models.CommandLine, demo.ID, &d), "scheduled_at")
			d = models.Delivery{City: "Testville", Status: models.DeliveryDelivered, DeliveredAt: &at}
			wantFieldError(t, store.CreateDelivery(ctx, models.CommandLine, demo.ID, &d), "delivered_at")
			rows := []models.Delivery{{City: "Testville", Status: models.DeliveryPlanned, ScheduledAt: &at}}
			_, err := store.ImportDeliveries(ctx, models.CommandLine, demo.ID, rows, nil)
			wantFieldError(t, err, "scheduled_at")

			s := models.Signature{FirstName: "Ada", Email: "ada@example.org", SignedAt: at}
			if fe := s.Validate(); fe["signed_at"] == "" {
				t.Errorf("a signature signed in %d: %v", at.Year(), fe)
			}
		}
		c := models.CountClaim{Count: 1000, ClaimedBy: "The organisers", SourceName: "A paper", ClaimedOn: "9999-12-31"}
		wantFieldError(t, store.CreateClaim(ctx, models.CommandLine, demo.ID, &c), "claimed_on")
		_, err := store.UpdateCampaign(ctx, models.CommandLine, demo.ID, func(c *models.Campaign) { c.EndsOn = "2101-01-01" })
		wantFieldError(t, err, "ends_on")
	})
}
