package models_test

import (
	"math"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"campaigntrack/models"
)

func TestParseOptionalWhole(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want string // the number, "nil", or a part of the message
	}{
		{"", "nil"}, {"  ", "nil"},
		{"270000", "270000"}, {"270,000", "270000"}, {" 1,000,000 ", "1000000"}, {"0", "0"}, {"-5", "-5"}, {"-1,000", "-1000"},
		{"999", "999"}, {"1,234", "1234"},
		{"lots", `"lots" is not a whole number: write it in digits, for example 270000 or 270,000`},
		{"+5", "is not a whole number"}, {"270_000", "is not a whole number"}, {"270 000", "is not a whole number"},
		{"1e6", "is not a whole number"}, {"1.5", "is not a whole number"}, {"1,5", "is not a whole number"},
		{"1234,567", "is not a whole number"}, {",100", "is not a whole number"}, {"100,", "is not a whole number"},
		{"1,,000", "is not a whole number"}, {"-", "is not a whole number"}, {"--5", "is not a whole number"},
		{"NaN", "is not a whole number"}, {"٣", "is not a whole number"},
		{"99999999999999999999", `"99999999999999999999" is too large a number`},
	} {
		n, err := models.ParseOptionalWhole(tc.in)
		got := "nil"
		switch {
		case err != nil:
			got = err.Error()
		case n != nil:
			got = strconv.FormatInt(*n, 10)
		}
		if !strings.Contains(got, tc.want) || (err != nil) != strings.Contains(tc.want, " ") {
			t.Errorf("ParseOptionalWhole(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseWhole(t *testing.T) {
	t.Parallel()
	if n, err := models.ParseWhole("270,000"); n != 270000 || err != nil {
		t.Errorf("ParseWhole(270,000) = %d, %v", n, err)
	}
	if _, err := models.ParseWhole(""); err != models.ErrNoNumber {
		t.Errorf("ParseWhole(\"\") = %v, want ErrNoNumber", err)
	}
	_, err := models.ParseWhole("x")
	_, optional := models.ParseOptionalWhole("x")
	if err == nil || err.Error() != optional.Error() {
		t.Errorf("required and optional disagree: %v, %v", err, optional)
	}
}

func TestParseCoordinates(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want string // the number, "nil", or the message
	}{
		{"", "nil"}, {"47.6062", "47.6062"}, {" -122.3321 ", "-122.3321"}, {"+47.5", "47.5"}, {"47,6", "47.6"},
		{".5", "0.5"}, {"1e2", "100"}, {"91", "91"}, // the range is Validate's
		{"north", `"north" is not a number: give the latitude as a number between -90 and 90, for example 47.6062`},
		{"NaN", "is not a number"}, {"Inf", "is not a number"}, {"-infinity", "is not a number"}, {"1e999", "is not a number"},
		{"0x1p4", "is not a number"}, {"1_0", "is not a number"}, {"47.6.1", "is not a number"}, {"47,6,1", "is not a number"},
		{"4 7", "is not a number"}, {"-", "is not a number"},
	} {
		v, err := models.ParseLatitude(tc.in)
		got := "nil"
		switch {
		case err != nil:
			got = err.Error()
		case v != nil:
			got = strconv.FormatFloat(*v, 'f', -1, 64)
		}
		if !strings.Contains(got, tc.want) || (err != nil) != strings.Contains(tc.want, " ") {
			t.Errorf("ParseLatitude(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if _, err := models.ParseLongitude("west"); err == nil || err.Error() != `"west" is not a number: give the longitude as a number between -180 and 180, for example -122.3321` {
		t.Errorf("ParseLongitude(west) = %v", err)
	}
}

func TestParseSources(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, in string
		want     models.Sources
		err      string
	}{
		{"empty", "", models.Sources{}, ""},
		{"blank lines and bars", " \n|\n ||| \r\n", models.Sources{}, ""},
		{"the form's lines", "The Seattle Times\r\nKPIX | https://cbsnews.com/x\n\n  https://ccaej.org/  ",
			models.Sources{{Name: "The Seattle Times"}, {Name: "KPIX", URL: "https://cbsnews.com/x"}, {URL: "https://ccaej.org/"}}, ""},
		{"an export's cell", "https://a.example/1 https://a.example/2", models.Sources{{URL: "https://a.example/1"}, {URL: "https://a.example/2"}}, ""},
		{"bars and spaces", "https://a.example/1|https://a.example/2  https://a.example/3",
			models.Sources{{URL: "https://a.example/1"}, {URL: "https://a.example/2"}, {URL: "https://a.example/3"}}, ""},
		{"a name then more addresses", "KPIX | https://a.example/1 https://a.example/2",
			models.Sources{{Name: "KPIX", URL: "https://a.example/1"}, {URL: "https://a.example/2"}}, ""},
		{"names and addresses on one line", "https://a.example/1 | The Stranger | https://b.example/ | KUOW",
			models.Sources{{URL: "https://a.example/1"}, {Name: "The Stranger", URL: "https://b.example/"}, {Name: "KUOW"}}, ""},
		{"a name's inner spaces are one", "  The   Seattle  Times  |", models.Sources{{Name: "The Seattle Times"}}, ""},
		{"any scheme is an address (Validate refuses it)", "ftp://x", models.Sources{{URL: "ftp://x"}}, ""},
		{"a name's address as typed (Validate refuses it)", "KPIX | cbsnews.com", models.Sources{{Name: "KPIX", URL: "cbsnews.com"}}, ""},
		{"a name with a colon", "CBS: Evening News", models.Sources{{Name: "CBS: Evening News"}}, ""},
		{"an address with a space", "https://a.example/x y", nil, `source 1: the address "https://a.example/x y" contains a space`},
		{"a name's address with a space", "A\nB | https://a b", nil, `source 2: the address "https://a b" contains a space`},
		{"a name's address in words", "KPIX | the web site", nil, `source 1: the address "the web site" contains a space`},
	} {
		got, err := models.ParseSources(tc.in)
		if tc.err != "" {
			if err == nil || !strings.HasPrefix(err.Error(), tc.err) {
				t.Errorf("%s: err = %v, want %q", tc.name, err, tc.err)
			}
			continue
		}
		if err != nil || got == nil || !equalSources(got, tc.want) {
			t.Errorf("%s: ParseSources(%q) = %+v, %v; want %+v", tc.name, tc.in, got, err, tc.want)
		}
	}
}

func equalSources(a, b models.Sources) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestSourcesRoundTrip: a list written as the form shows it (one source a
// line, "Name | address") or as the deliveries CSV writes it (the
// addresses, a space apart) reads back as it was.
func TestSourcesRoundTrip(t *testing.T) {
	t.Parallel()
	list := models.Sources{{Name: "The Seattle Times", URL: "https://st.example/a"}, {URL: "https://b.example/"}, {Name: "KPIX"}}
	var lines []string
	for _, s := range list {
		lines = append(lines, strings.Trim(s.Name+" | "+s.URL, " |"))
	}
	if got, err := models.ParseSources(strings.Join(lines, "\n")); err != nil || !equalSources(got, list) {
		t.Errorf("the form's text read back as %+v, %v", got, err)
	}
	cell := strings.Join(list.URLs(), " ")
	got, err := models.ParseSources(cell)
	if err != nil || strings.Join(got.URLs(), " ") != cell || len(got) != 2 {
		t.Errorf("the CSV cell read back as %+v, %v", got, err)
	}
}

func TestReadingAndRecordZones(t *testing.T) {
	t.Parallel()
	la, _ := time.LoadLocation("America/Los_Angeles")
	if loc, err := models.ReadingZone("", "US", "WA"); err != nil || loc.String() != la.String() {
		t.Errorf("Seattle reads in %v, %v", loc, err)
	}
	if loc, err := models.ReadingZone("Europe/Berlin", "US", "WA"); err != nil || loc.String() != "Europe/Berlin" {
		t.Errorf("a named zone: %v, %v", loc, err)
	}
	if loc, err := models.ReadingZone("", "FR", ""); err != nil || loc != time.UTC {
		t.Errorf("a place without a known zone: %v, %v", loc, err)
	}
	if loc, err := models.ReadingZone("Mars/Base", "US", "WA"); err == nil || loc != time.UTC || !strings.Contains(err.Error(), `unknown time zone "Mars/Base"`) {
		t.Errorf("an unknown zone: %v, %v", loc, err)
	}
	when := func(s string) models.GivenTime {
		v, dateOnly, err := models.ParseWhen(s, la)
		if err != nil {
			t.Fatal(err)
		}
		return models.GivenTime{At: v, DateOnly: dateOnly}
	}
	for _, tc := range []struct {
		name, named, country, region string
		given                        []models.GivenTime
		want                         string
	}{
		{"no times: the place's", "", "US", "WA", nil, "America/Los_Angeles"},
		{"no place: UTC", "", "GB", "", nil, ""},
		{"named wins", "Europe/Berlin", "US", "WA", []models.GivenTime{when("2019-07-15T14:00:00-04:00")}, "Europe/Berlin"},
		{"the place's offset", "", "US", "WA", []models.GivenTime{when("2019-07-15T11:00:00-07:00")}, "America/Los_Angeles"},
		{"read in the place", "", "US", "WA", []models.GivenTime{when("2019-07-15 11:00")}, "America/Los_Angeles"},
		{"another offset kept", "", "US", "WA", []models.GivenTime{when("2019-07-15T14:00:00-04:00")}, "-04:00"},
		{"a day only is no offset", "", "US", "WA", []models.GivenTime{when("2019-07-15")}, "America/Los_Angeles"},
		{"the last timed wins", "", "US", "WA", []models.GivenTime{when("2019-07-15T10:00:00-07:00"), when("2019-07-15T14:00:00-04:00")}, "-04:00"},
		{"winter and summer of one zone", "", "US", "WA", []models.GivenTime{when("2019-01-15T10:00:00-08:00"), when("2019-07-15T10:00:00-07:00")}, "America/Los_Angeles"},
		{"Z is UTC", "", "GB", "", []models.GivenTime{when("2019-07-15T09:00:00Z")}, ""},
		{"nil times", "", "US", "WA", []models.GivenTime{{}, {}}, "America/Los_Angeles"},
	} {
		if got := models.RecordZone(tc.named, tc.country, tc.region, tc.given...); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestLengthsAreCountedInCharacters: a limit counts letters, not the
// bytes UTF-8 spends on them.
func TestLengthsAreCountedInCharacters(t *testing.T) {
	t.Parallel()
	city := strings.Repeat("é", 200) // 200 characters, 400 bytes
	d := models.Delivery{City: city, Status: models.DeliveryPlanned}
	if fe := d.Validate(); len(fe) != 0 {
		t.Errorf("200 characters refused: %v", fe)
	}
	d.City += "é"
	if fe := d.Validate(); fe["city"] != "The city must be at most 200 characters" {
		t.Errorf("201 characters: %v", fe)
	}
	a := models.Action{Kind: "rally", Title: strings.Repeat("é", 300), OccurredAt: time.Date(2019, 7, 15, 12, 0, 0, 0, time.UTC)}
	if fe := a.Validate(); len(fe) != 0 {
		t.Errorf("a 300-character title refused: %v", fe)
	}
}

func TestTooManySourcesIsValidated(t *testing.T) {
	t.Parallel()
	many := make(models.Sources, models.MaxSources+1)
	for i := range many {
		many[i] = models.Source{URL: "https://example.org/" + strconv.Itoa(i)}
	}
	d := models.Delivery{City: "Seattle", Status: models.DeliveryPlanned, Sources: many}
	if got := d.Validate()["sources"]; got != "give at most 50 sources (there are 51)" {
		t.Errorf("51 sources: %q", got)
	}
	d.Sources = many[:models.MaxSources]
	if got := d.Validate()["sources"]; got != "" {
		t.Errorf("50 sources: %q", got)
	}
}

// The parsers take whatever a form or a file holds: they never panic, a
// refusal is a message in UTF-8 quoting at most a clipped value, and what
// they accept is what they were given.

func checkMessage(t *testing.T, err error) {
	t.Helper()
	if err != nil && (err.Error() == "" || !utf8.ValidString(err.Error()) || utf8.RuneCountInString(err.Error()) > 300) {
		t.Fatalf("message %q", err.Error())
	}
}

func FuzzParseWhole(f *testing.F) {
	for _, s := range []string{"270000", "270,000", "-5", "+5", "1e6", "", "1,5", "99999999999999999999", "\xff", "-,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := models.ParseOptionalWhole(s)
		checkMessage(t, err)
		if err != nil {
			if n != nil {
				t.Fatal("a value with an error")
			}
			return
		}
		if n == nil {
			if strings.TrimSpace(s) != "" {
				t.Fatalf("%q read as empty", s)
			}
			return
		}
		if want, perr := strconv.ParseInt(strings.ReplaceAll(strings.TrimSpace(s), ",", ""), 10, 64); perr != nil || want != *n || strings.Contains(s, "+") {
			t.Fatalf("%q read as %d", s, *n)
		}
		if req, rerr := models.ParseWhole(s); rerr != nil || req != *n {
			t.Fatalf("ParseWhole(%q) = %d, %v", s, req, rerr)
		}
	})
}

func FuzzParseCoordinate(f *testing.F) {
	for _, s := range []string{"47.6062", "-122.3321", "47,6", "NaN", "1e999", "0x1p4", "", "+.5e-3", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, parse := range []func(string) (*float64, error){models.ParseLatitude, models.ParseLongitude} {
			v, err := parse(s)
			checkMessage(t, err)
			if v != nil && (err != nil || math.IsNaN(*v) || math.IsInf(*v, 0)) {
				t.Fatalf("%q read as %v, %v", s, *v, err)
			}
			if v == nil && err == nil && strings.TrimSpace(s) != "" {
				t.Fatalf("%q read as empty", s)
			}
		}
	})
}

func FuzzParseSources(f *testing.F) {
	for _, s := range []string{"The Seattle Times\r\nKPIX | https://cbsnews.com/x\n\n  https://ccaej.org/  ",
		"https://a.example/1|https://a.example/2  https://a.example/3", "|\n|||\n https://a b", "KPIX |", "x://", "1://a", "\xff|\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := models.ParseSources(s)
		checkMessage(t, err)
		if err != nil {
			return
		}
		if got == nil {
			t.Fatal("nil, not an empty list")
		}
		for _, src := range got {
			if src.Name == "" && src.URL == "" {
				t.Fatalf("%q: an empty source in %+v", s, got)
			}
			if strings.ContainsAny(src.URL, " \t\n\r|") || strings.Contains(src.Name, "|") {
				t.Fatalf("%q: a source %+v with a space or a bar", s, src)
			}
		}
		// What the CSV writes back (the addresses, a space apart) of a
		// list Validate keeps reads back as the same addresses.
		d := models.Delivery{City: "Seattle", Status: models.DeliveryPlanned, Sources: got}
		if d.Validate()["sources"] != "" {
			return
		}
		cell := strings.Join(got.URLs(), " ")
		again, err := models.ParseSources(cell)
		if err != nil || strings.Join(again.URLs(), " ") != cell {
			t.Fatalf("%q: the cell %q read back as %+v, %v", s, cell, again, err)
		}
	})
}

func FuzzRecordZone(f *testing.F) {
	f.Add("", "US", "WA", "2019-07-15 11:00", "2019-07-15T14:00:00-04:00")
	f.Add("Mars/Base", "FR", "", "2019-07-15", "11:00")
	f.Add("+05:30", "us", "wa ", "2019-07-15T11:00:00+14:00", "")
	f.Fuzz(func(t *testing.T, named, country, region, first, second string) {
		loc, err := models.ReadingZone(named, country, region)
		checkMessage(t, err)
		if loc == nil {
			t.Fatal("no location")
		}
		var given []models.GivenTime
		for _, s := range []string{first, second} {
			v, dateOnly, err := models.ParseWhen(s, loc)
			checkMessage(t, err)
			given = append(given, models.GivenTime{At: v, DateOnly: dateOnly})
		}
		zone := models.RecordZone(named, country, region, given...)
		if _, zerr := models.LoadZone(zone); zerr != nil && err == nil {
			t.Fatalf("a zone %q that does not load, from %q %q %q %q %q", zone, named, country, region, first, second)
		}
	})
}
