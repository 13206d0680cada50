package models

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Reading the values organisers give, in the admin forms (handlers) and in
// files (csvio): one parser per kind of value, so a form and a file read
// the same text the same way and refuse it with the same message. Each
// returns the value and an error whose text is the message shown; the
// caller names the field (a form's FieldErrors, a file's line and column).
// Times are ParseWhen's (when.go).
//
// A parser decides only whether the text is a value of its kind. Whether
// the value is allowed (a range, a length, a year, how many) is the rule of
// the record's Validate, which also checks what other paths (backups, the
// command line) store: a rule in a parser too would be a second copy.

// AddError records a parser's error as the message of field (see Add);
// no error records nothing.
func (fe FieldErrors) AddError(field string, err error) {
	if err != nil {
		fe.Add(field, err.Error())
	}
}

// quoteLen is how much of a value a message quotes.
const quoteLen = 40

// Clip shortens s to at most n characters for a message, marking the cut.
func Clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// clipValue is a value as a message quotes it.
func clipValue(s string) string { return Clip(s, quoteLen) }

// ErrNoNumber is ParseWhole's error for an empty value.
var ErrNoNumber = errors.New("give a whole number, for example 270000")

// ParseWhole reads a required whole number (see ParseOptionalWhole); empty
// is ErrNoNumber.
func ParseWhole(s string) (int64, error) {
	n, err := ParseOptionalWhole(s)
	switch {
	case err != nil:
		return 0, err
	case n == nil:
		return 0, ErrNoNumber
	}
	return *n, nil
}

// ParseOptionalWhole reads a whole number as organisers write one: digits,
// with or without thousands commas ("270000", "270,000"), a leading minus
// for a negative (which Validate then names if the field takes none).
// Surrounding spaces are ignored; empty is nil. Anything else is refused:
// a plus sign, underscores, spaces inside, a decimal point, "1e6", commas
// that do not group thousands ("1,5" is not fifteen).
func ParseOptionalWhole(s string) (*int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	digits, ok := ungroup(strings.TrimPrefix(s, "-"))
	if !ok {
		return nil, fmt.Errorf("%q is not a whole number: write it in digits, for example 270000 or 270,000", clipValue(s))
	}
	if strings.HasPrefix(s, "-") {
		digits = "-" + digits
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil { // only a range error is left: the text is digits
		return nil, fmt.Errorf("%q is too large a number", clipValue(s))
	}
	return &n, nil
}

// ungroup takes the thousands commas out of s and reports whether s is
// digits grouped so: 1 to 3 digits, then groups of exactly 3.
func ungroup(s string) (string, bool) {
	groups := strings.Split(s, ",")
	for i, g := range groups {
		if g == "" || strings.ContainsFunc(g, notDigit) || (i > 0 && len(g) != 3) || (i == 0 && len(groups) > 1 && len(g) > 3) {
			return "", false
		}
	}
	return strings.Join(groups, ""), true
}

func isDigit(r rune) bool  { return r >= '0' && r <= '9' }
func notDigit(r rune) bool { return !isDigit(r) }

// ParseLatitude reads a latitude (see parseCoordinate); empty is nil.
func ParseLatitude(s string) (*float64, error) {
	return parseCoordinate(s, "latitude", 90, "47.6062")
}

// ParseLongitude reads a longitude (see parseCoordinate); empty is nil.
func ParseLongitude(s string) (*float64, error) {
	return parseCoordinate(s, "longitude", 180, "-122.3321")
}

// parseCoordinate reads a decimal number: digits with a sign, a decimal
// point (or a decimal comma, as a European keyboard types it) and an
// exponent. NaN, infinities ("1e999" overflows to one), hexadecimal and
// underscores, which strconv reads, are refused: no place is there. The
// range is the rule of Delivery.Validate.
func parseCoordinate(s, name string, limit int, example string) (*float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	v, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	if strings.ContainsFunc(s, notDecimal) || err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return nil, fmt.Errorf("%q is not a number: give the %s as a number between -%d and %d, for example %s", clipValue(s), name, limit, limit, example)
	}
	return &v, nil
}

func notDecimal(r rune) bool {
	return !isDigit(r) && !strings.ContainsRune("+-.,eE", r)
}

// ParseSources reads a list of sources as organisers give it, in a form's
// sources box or a file's source_urls cell. Lines (a cell is usually one)
// are read alike; each holds parts separated by |, and each part is
//
//   - addresses, when its first word is one (a scheme, then "://"):
//     "https://a.example/1 https://a.example/2", each a source known by
//     its address, separated by spaces;
//   - the address of the name before it, when it follows a name:
//     "The Seattle Times | https://www.seattletimes.com/…";
//   - else a name: "KPIX", a source known by its name only.
//
// So both the form's "Name | https://address" per line and an export's
// cell, the addresses one space apart, read back as they were written. An
// address holds no spaces: a part of addresses with a word that is not
// one is refused ("https://a.example/x y"). Empty is an empty list, not
// nil, as the Store reads an empty list back, so an unchanged record reads
// back unchanged. How many sources, and whether an address is a web
// address, is the rule of validateSources.
func ParseSources(text string) (Sources, error) {
	out := Sources{}
	for _, line := range strings.Split(text, "\n") {
		named := false // the part before was a name still without its address
		for _, part := range strings.Split(line, "|") {
			words := strings.Fields(part)
			switch {
			case len(words) == 0:
				continue
			case !named && !isAddress(words[0]):
				out = append(out, Source{Name: strings.Join(words, " ")})
				named = true
				continue
			}
			number := len(out) + 1 // the source this part's first address goes to
			if named {
				number--
			}
			for i, w := range words {
				if i > 0 && !isAddress(w) {
					return out, fmt.Errorf("source %d: the address %q contains a space: write an address without spaces, and two addresses with a space or | between them", number, clipValue(strings.TrimSpace(part)))
				}
				if named && i == 0 {
					out[len(out)-1].URL = w
				} else {
					out = append(out, Source{URL: w})
				}
			}
			named = false
		}
	}
	return out, nil
}

// isAddress says whether w begins like an address: a scheme ("https",
// "ftp"), then "://". Validate says whether it is a web address.
func isAddress(w string) bool {
	scheme, _, ok := strings.Cut(w, "://")
	return ok && scheme != "" && isLetter(rune(scheme[0])) && !strings.ContainsFunc(scheme, notSchemeRune)
}

func isLetter(r rune) bool { return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' }

func notSchemeRune(r rune) bool {
	return !isLetter(r) && !isDigit(r) && r != '+' && r != '-' && r != '.'
}
