package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"campaigntrack/csvio"
	"campaigntrack/models"
)

// sameValue is a value typed into the delivery form and given in the same
// column of a deliveries CSV.
type sameValue struct {
	name          string
	field, column string // the form's field, the file's column
	value         string
	want          string // the message both give; "" when both accept it
}

// with is what the rest of the delivery holds: a coordinate comes with
// the other one, which Validate asks for.
func (v sameValue) with() map[string]string {
	switch v.field {
	case "latitude":
		return map[string]string{"longitude": "-122.3321"}
	case "longitude":
		return map[string]string{"latitude": "47.6062"}
	}
	return nil
}

func sameValues() []sameValue {
	var many []string
	for i := range models.MaxSources + 1 {
		many = append(many, "https://example.org/"+strconv.Itoa(i))
	}
	return []sameValue{
		{"not a number", "latitude", "latitude", "north", `"north" is not a number: give the latitude as a number between -90 and 90, for example 47.6062`},
		{"an overflow", "latitude", "latitude", "1e999", `"1e999" is not a number: give the latitude as a number between -90 and 90, for example 47.6062`},
		{"NaN", "longitude", "longitude", "NaN", `"NaN" is not a number: give the longitude as a number between -180 and 180, for example -122.3321`},
		{"out of range", "latitude", "latitude", "91", "the latitude must be between -90 and 90"},
		{"a count in words", "signatures_delivered", "signatures_delivered", "lots", `"lots" is not a whole number: write it in digits, for example 270000 or 270,000`},
		{"a count overflowing", "signatures_delivered", "signatures_delivered", "1e999", `"1e999" is not a whole number: write it in digits, for example 270000 or 270,000`},
		{"a count with a plus", "signatures_delivered", "signatures_delivered", "+5", `"+5" is not a whole number: write it in digits, for example 270000 or 270,000`},
		{"a decimal comma", "latitude", "latitude", "47,6062", ""},
		{"a count with underscores", "signatures_delivered", "signatures_delivered", "270_000", `"270_000" is not a whole number: write it in digits, for example 270000 or 270,000`},
		{"a negative count", "signatures_delivered", "signatures_delivered", "-5", "the signatures delivered must be a whole number from 0"},
		{"thousands commas", "signatures_delivered", "signatures_delivered", "270,000", ""},
		{"the year 1850", "scheduled_at", "scheduled_at", "1850-07-15", `"1850-07-15" is not a date the tracker keeps: the year must be between 1900 and 2100`},
		{"a time without a date", "delivered_at", "delivered_at", "11:00", `"11:00" has a time but no date: write the date too, for example 2019-07-15 11:00`},
		{"a time without a zone, read in the place's", "scheduled_at", "scheduled_at", "2019-07-15 11:00", ""},
		{"a time in another zone", "scheduled_at", "scheduled_at", "2019-07-15T14:00:00-04:00", ""},
		{"500 letters of two bytes each", "venue", "venue", strings.Repeat("é", 500), ""},
		{"501 letters", "venue", "venue", strings.Repeat("é", 501), "The venue must be at most 500 characters"},
		{"an address with a space", "sources", "source_urls", "https://example.org/a b", `source 1: the address "https://example.org/a b" contains a space: write an address without spaces, and two addresses with a space or | between them`},
		{"not a web address", "sources", "source_urls", "ftp://example.org/", "source 1: the address must be a web address starting with https:// or http://"},
		{"too many sources", "sources", "source_urls", strings.Join(many, " "), "give at most 50 sources (there are 51)"},
		{"names and addresses", "sources", "source_urls", "The Stranger | https://example.org/s https://example.org/t", ""},
	}
}

// TestFormAndFileGiveTheSameMessage: each value typed into the delivery
// form and given in a deliveries CSV is refused with the same message, or
// accepted by both and stored the same.
func TestFormAndFileGiveTheSameMessage(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		a.user("organiser@example.org", models.RoleOrganiser)
		b := a.browser()
		b.login("organiser@example.org")
		base := "/admin/campaigns/no-tech-for-ice/deliveries"
		values := sameValues()
		columns := []string{"city", "region", "country", "status", "latitude", "longitude"}
		for _, v := range values {
			if !strings.Contains(strings.Join(columns, ","), v.column) {
				columns = append(columns, v.column)
			}
		}
		file := strings.Join(columns, ",") + "\n"
		for i, v := range values {
			row := map[string]string{"city": place("File", i), "region": "WA", "country": "US", "status": "planned"}
			for k, x := range v.with() {
				row[k] = x
			}
			row[v.column] = v.value
			cells := make([]string, len(columns))
			for j, c := range columns {
				cells[j] = `"` + strings.ReplaceAll(row[c], `"`, `""`) + `"`
			}
			file += strings.Join(cells, ",") + "\n"
		}
		rejected := map[string]string{} // "line 2, latitude" -> the message
		r := b.upload(base+"/import", "file", "same.csv", file)
		r.doc(t).Find(`[data-testid=delivery-import-rejects] li`).Each(func(_ int, li *goquery.Selection) {
			where, msg, _ := strings.Cut(strings.TrimSpace(li.Text()), ": ")
			rejected[where] = msg
		})
		for i, v := range values {
			form := url.Values{"city": {place("Form", i)}, "region": {"WA"}, "country": {"US"}, "status": {"planned"}}
			for k, x := range v.with() {
				form.Set(k, x)
			}
			form.Set(v.field, v.value)
			fr := b.post(base, form)
			got := ""
			if fr.status != http.StatusSeeOther {
				got = strings.TrimSpace(fr.doc(t).Find(`[data-testid=field-` + v.field + `] [data-testid=field-error]`).Text())
			}
			fromFile := rejected["line "+strconv.Itoa(i+2)+", "+v.column]
			if got != v.want || fromFile != v.want {
				t.Errorf("%s: the form says %q (%d), the file says %q; want %q", v.name, got, fr.status, fromFile, v.want)
			}
			if v.want == "" {
				sameStored(t, a, place("Form", i), place("File", i), v.name)
			}
		}
		if len(rejected) != countRefused(values) {
			t.Errorf("the file's rejects: %q", rejected)
		}
	})
}

// place is the city of the i-th delivery from the form or the file: none
// is a part of another's name, so the city filter finds each alone.
func place(from string, i int) string { return from + " " + strconv.Itoa(i) + " town" }

func countRefused(values []sameValue) int {
	n := 0
	for _, v := range values {
		if v.want != "" {
			n++
		}
	}
	return n
}

// sameStored checks that the delivery the form stored and the one the
// file stored hold the same values, as the deliveries CSV writes them.
func sameStored(t *testing.T, a *app, formCity, fileCity, name string) {
	t.Helper()
	ctx := context.Background()
	cp, err := a.store.CampaignBySlug(ctx, "no-tech-for-ice")
	if err != nil {
		t.Fatal(err)
	}
	var rows [2][]string
	for i, city := range []string{formCity, fileCity} {
		ds, err := a.store.Deliveries(ctx, cp.ID, models.DeliveryFilter{City: city})
		if err != nil || len(ds) != 1 {
			t.Errorf("%s: %s stored %d deliveries, %v", name, city, len(ds), err)
			return
		}
		rows[i] = csvio.DeliveryRow(&ds[0])[1:] // all but the city
	}
	if strings.Join(rows[0], "\x00") != strings.Join(rows[1], "\x00") {
		t.Errorf("%s: the form stored %q, the file %q", name, rows[0], rows[1])
	}
}
