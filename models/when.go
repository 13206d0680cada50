package models

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Reading the dates and times organisers give, in forms and in files. This
// is the one parser: the organiser forms (handlers), the deliveries and
// signatures CSVs (csvio) and the command line all call it, so the same
// value gets the same message wherever it is typed. The year range it
// applies is the rule of validation.go (MinYear, MaxYear), which the
// records' Validate applies again to what is stored.

// ErrNoDate is wrapped by ParseWhen for a time of day given without a date.
var ErrNoDate = errors.New("has a time but no date")

// maxWhenLen is the longest text ParseWhen tries to read: the longest
// layout, with nanoseconds and an offset, is 35 characters. A longer value
// is refused without trying every layout on it.
const maxWhenLen = 64

// ParseWhen reads a time as organisers write it: a date ("2019-07-15"), a
// date and time with an offset ("2019-07-15T11:00:00-07:00", "…Z"), or a
// date and time without one ("2019-07-15T11:00", "2019-07-15 11:00"),
// which is read in loc, the place's zone. A date alone is stored as its
// noon in UTC with dateOnly set. The time keeps the offset it was given in
// (a CSV import picks the record's zone from it). Empty is nil.
//
// A time whose year, in UTC, is outside MinYear..MaxYear is refused with
// an error wrapping ErrYearOutOfRange, as is a date with a year of five
// or more digits: typos such as 0219 or 20190 for 2019, or 9999-12-31 for
// "never", which the databases and the audit log cannot all carry.
func ParseWhen(s string, loc *time.Location) (t *time.Time, dateOnly bool, err error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, false, nil
	}
	v, dateOnly, err := parseLayouts(s, loc)
	if err != nil {
		return nil, false, err
	}
	if err := CheckYear(s, v); err != nil {
		return nil, false, err
	}
	return &v, dateOnly, nil
}

// ParseDate reads a day given alone, YYYY-MM-DD, as ParseWhen does (the
// same year range, the same message for a year out of range). A campaign's
// start and end and a claim's date are such days, stored as text.
func ParseDate(s string) (time.Time, error) {
	t, dateOnly, err := ParseWhen(s, time.UTC)
	switch {
	case errors.Is(err, ErrYearOutOfRange):
		return time.Time{}, err
	case err != nil || t == nil || !dateOnly:
		return time.Time{}, fmt.Errorf("%q is not a date: give a date as YYYY-MM-DD, for example 2019-07-15", clipValue(s))
	}
	return *t, nil
}

// CheckYear refuses t, read from value, when its year is outside the range
// of validation.go; the error quotes value and wraps ErrYearOutOfRange.
func CheckYear(value string, t time.Time) error {
	if InYearRange(t) {
		return nil
	}
	return yearError(value)
}

func yearError(value string) error {
	return fmt.Errorf("%q is not a date the tracker keeps: %w", clipValue(value), ErrYearOutOfRange)
}

// parseLayouts tries each layout ParseWhen reads.
func parseLayouts(s string, loc *time.Location) (time.Time, bool, error) {
	if utf8.RuneCountInString(s) > maxWhenLen {
		return time.Time{}, false, notAWhen(s)
	}
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		return d.Add(12 * time.Hour), true, nil // noon UTC, as the demo data stores a day: the same date in almost every zone
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00", "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04Z07:00"} {
		if v, err := time.Parse(layout, s); err == nil {
			return v, false, nil
		}
	}
	if loc == nil {
		loc = time.UTC
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04"} {
		if v, err := time.ParseInLocation(layout, s, loc); err == nil {
			return v, false, nil
		}
	}
	if longYear(s) {
		return time.Time{}, false, yearError(s) // Go's layouts read four-digit years only
	}
	for _, layout := range []string{"15:04", "15:04:05", "3:04pm", "3:04 pm", "3pm", "3 pm", "3:04PM", "3PM"} {
		if _, err := time.Parse(layout, s); err == nil {
			return time.Time{}, false, fmt.Errorf("%q %w: write the date too, for example 2019-07-15 11:00", clipValue(s), ErrNoDate)
		}
	}
	return time.Time{}, false, notAWhen(s)
}

func notAWhen(s string) error {
	return fmt.Errorf("%q is not a date or time: write 2019-07-15, 2019-07-15 11:00, or 2019-07-15T11:00:00-07:00 with the offset", clipValue(s))
}

// longYear says whether s begins like a date with a year of five or more
// digits, "10000-01-01" or "20190-07-15".
func longYear(s string) bool {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n >= 5 && n < len(s) && s[n] == '-'
}

// The zone of a record's times. A form and a file decide it alike: a form
// may name a zone (its time-zone field), a file cannot, and both give the
// place and the times as typed, with or without an offset.

// ReadingZone is where a record's times given without an offset are read:
// the zone named, else the place's own (ZoneFor), else UTC. A named zone
// that is unknown is an error (LoadZone's message); the times are then
// read in UTC.
func ReadingZone(named, country, region string) (*time.Location, error) {
	if named == "" {
		named = ZoneFor(country, region)
	}
	loc, err := LoadZone(named)
	if err != nil {
		return time.UTC, err
	}
	return loc, nil
}

// GivenTime is a time as ParseWhen read it.
type GivenTime struct {
	At       *time.Time
	DateOnly bool
}

// ParseGiven is ParseWhen giving a GivenTime, as RecordZone takes it.
func ParseGiven(s string, loc *time.Location) (GivenTime, error) {
	t, dateOnly, err := ParseWhen(s, loc)
	return GivenTime{At: t, DateOnly: dateOnly}, err
}

// RecordZone is the zone a record's times are shown in: the zone named,
// when one is; else the zone of the last time given with a time of day
// (ZoneFromOffset: the place's own zone when the offset is the place's,
// else the offset itself, so the time is shown as it was given), callers
// listing last the time at which the record happened (a delivery's
// delivered_at after its scheduled_at); else the place's own zone.
func RecordZone(named, country, region string, given ...GivenTime) string {
	if named != "" {
		return named
	}
	zone := ZoneFor(country, region)
	for _, g := range given {
		if g.At != nil && !g.DateOnly {
			zone = ZoneFromOffset(*g.At, country, region)
		}
	}
	return zone
}

// ParseDateTime reads a time as the organiser forms send it, from a date
// picker and a time picker: date "2019-07-15" and clock "21:30" (or
// "21:30:05"), read in loc, the place's zone. It is ParseWhen for two
// fields: the clock empty, the date field is read by ParseWhen alone, so
// a date on its own is known to the day only, and a date and time typed as
// text where a browser has no picker ("2019-07-15 11:00",
// "2019-07-15T11:00:00-07:00") is read as before. A clock without a date,
// or a clock beside a date field that has a time of its own, is refused.
func ParseDateTime(date, clock string, loc *time.Location) (GivenTime, error) {
	date, clock = strings.TrimSpace(date), strings.TrimSpace(clock)
	if clock == "" {
		return ParseGiven(date, loc)
	}
	if date == "" {
		return GivenTime{}, fmt.Errorf("%q %w: give the date too, for example 2019-07-15", clipValue(clock), ErrNoDate)
	}
	c, ok := parseClock(clock)
	if !ok {
		return GivenTime{}, fmt.Errorf("%q is not a time of day: write it as 21:30", clipValue(clock))
	}
	day, dateOnly, err := ParseWhen(date, time.UTC)
	if err != nil {
		return GivenTime{}, err
	}
	if !dateOnly {
		return GivenTime{}, fmt.Errorf("%q has a time of its own: give the time once, in the time field", clipValue(date))
	}
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := day.Date()
	t := time.Date(y, m, d, c.Hour(), c.Minute(), c.Second(), 0, loc)
	if err := CheckYear(date, t); err != nil {
		return GivenTime{}, err
	}
	return GivenTime{At: &t}, nil
}

// parseClock reads a time of day as a time picker sends it (15:04, or
// 15:04:05 with seconds), or as ParseWhen recognises one typed ("3pm").
func parseClock(s string) (time.Time, bool) {
	if utf8.RuneCountInString(s) > maxWhenLen {
		return time.Time{}, false
	}
	for _, layout := range []string{"15:04", "15:04:05", "15:04:05.999999999", "3:04pm", "3:04 pm", "3pm", "3 pm", "3:04PM", "3PM"} {
		if v, err := time.Parse(layout, s); err == nil {
			return v, true
		}
	}
	return time.Time{}, false
}

// NowAt is the current time read where a new record happens, for the
// default of its form: in the zone of its place (ZoneFor, or the zone
// the record names), else in the campaign's zone, else in UTC. At 21:30
// in Seattle on 15 July it is 15 July, not 16 July as in UTC.
func NowAt(now time.Time, zones ...string) time.Time {
	for _, z := range zones {
		if z == "" {
			continue
		}
		if loc, err := LoadZone(z); err == nil {
			return now.In(loc)
		}
	}
	return now.UTC()
}
