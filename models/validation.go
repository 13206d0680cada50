package models

import (
	"errors"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// FieldErrors maps a form field to what is wrong with it. It is an error,
// so the Store can refuse a record, and it is what a form shows beside each
// field.
type FieldErrors map[string]string

func (fe FieldErrors) Error() string {
	keys := make([]string, 0, len(fe))
	for k := range fe {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(k + ": " + fe[k])
	}
	return b.String()
}

// Add records a problem with a field, keeping the first one.
func (fe FieldErrors) Add(field, msg string) {
	if _, ok := fe[field]; !ok {
		fe[field] = msg
	}
}

// Err returns fe as an error, or nil when there are none.
func (fe FieldErrors) Err() error {
	if len(fe) == 0 {
		return nil
	}
	return fe
}

// checkURL reports why s is not a web address, or "" when it is one (or
// empty).
func checkURL(s string) string {
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "must be a web address starting with https:// or http://"
	}
	return ""
}

// checkLen reports a value that is too long, counted in characters: a
// limit is what organisers read beside the field, and "é" is one letter,
// however many bytes it takes.
func checkLen(fe FieldErrors, field, label, s string, max int) {
	if utf8.RuneCountInString(s) > max {
		fe.Add(field, label+" must be at most "+strconv.Itoa(max)+" characters")
	}
}

// The years a record's dates and times may fall in, read in UTC as they
// are stored. Campaigns tracked here happen within living memory, so a
// year outside is a typo (0219, 2091 for 2019) or a placeholder (9999-12-31
// for "never"), and beyond the four-digit years the SQLite driver cannot
// read a time back, the audit log cannot write it as JSON, and PostgreSQL
// has no year 0: refused, it is a field message instead of a failed page.
// ParseWhen applies the rule to what organisers type; every record's
// Validate applies it to what is stored, so no path stores such a time.
const (
	MinYear = 1900
	MaxYear = 2100
)

// ErrYearOutOfRange is the message for a time outside MinYear..MaxYear.
var ErrYearOutOfRange = errors.New("the year must be between " + strconv.Itoa(MinYear) + " and " + strconv.Itoa(MaxYear))

// InYearRange reports whether t's year, in UTC, is within MinYear..MaxYear.
func InYearRange(t time.Time) bool {
	y := t.UTC().Year()
	return y >= MinYear && y <= MaxYear
}

// checkWhen refuses a stored time (nil or zero is no time) outside the
// years of the rule.
func checkWhen(fe FieldErrors, field string, t *time.Time) {
	if t != nil && !t.IsZero() && !InYearRange(*t) {
		fe.Add(field, ErrYearOutOfRange.Error())
	}
}
