package models

import (
	"net/url"
	"sort"
	"strconv"
	"strings"
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

// checkLen reports a value that is too long.
func checkLen(fe FieldErrors, field, label, s string, max int) {
	if len([]rune(s)) > max {
		fe.Add(field, label+" must be at most "+strconv.Itoa(max)+" characters")
	}
}
