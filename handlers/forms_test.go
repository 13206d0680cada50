package handlers

import (
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"campaigntrack/csvio"
	"campaigntrack/models"
)

func TestParseSources(t *testing.T) {
	t.Parallel()
	fe := models.FieldErrors{}
	got := parseSources(fe, "sources", "The Seattle Times\r\nKPIX | https://cbsnews.com/x\n\n  https://ccaej.org/  \nBad | https://a b")
	if len(got) != 4 || got[0].Name != "The Seattle Times" || got[1].URL != "https://cbsnews.com/x" || got[2].URL != "https://ccaej.org/" || got[2].Name != "" {
		t.Fatalf("sources = %+v", got)
	}
	if !strings.HasPrefix(fe["sources"], `source 4: the address "https://a b" contains a space`) {
		t.Errorf("the address with a space is not named by its number: %v", fe)
	}
}

func TestParseClaimFormNamesEachField(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		form url.Values
		want []string
	}{
		{url.Values{"count": {"abc"}}, []string{"count"}},
		{url.Values{}, []string{"count"}},
		{url.Values{"count": {"270,000"}}, nil},
		{url.Values{"count": {"1e6"}}, []string{"count"}},
	} {
		_, claim, fe := parseClaimForm(values(c.form))
		for _, f := range c.want {
			if fe[f] == "" {
				t.Errorf("%v: no error for %s (%v)", c.form, f, fe)
			}
		}
		if c.want == nil && (len(fe) != 0 || claim.Count != 270000) {
			t.Errorf("%v: %v, count %d", c.form, fe, claim.Count)
		}
	}
}

// The form parsers take whatever a browser (or anyone) sends. Whatever
// arrives, they must not panic, every error must name a field with a
// message, and the record they build must be checkable by the Store.

func FuzzParseCampaignForm(f *testing.F) {
	f.Add("no-tech-for-ice", "Title", "Amazon", "Demand", "active", "2019-07-15", "", "270000", "9")
	f.Add("", "", "", "", "", "x", "y", "-1", "1e99")
	f.Add("x", "T", "A", "D", "active", "9999-12-31", "0001-01-01", "0", "0")
	f.Fuzz(func(t *testing.T, slug, title, target, demand, status, starts, ends, goal, planned string) {
		form := url.Values{"slug": {slug}, "title": {title}, "target": {target}, "demand": {demand}, "status": {status},
			"starts_on": {starts}, "ends_on": {ends}, "signature_goal": {goal}, "deliveries_planned": {planned}}
		_, apply, fe := parseCampaignForm(values(form))
		var c models.Campaign
		apply(&c)
		all := merge(fe, c.Validate())
		checkFieldErrors(t, all)
		checkDateKept(t, all, "starts_on", c.StartsOn)
		checkDateKept(t, all, "ends_on", c.EndsOn)
	})
}

func FuzzParseClaimForm(f *testing.F) {
	f.Add("270000", "more than", "Organisers", "2019-07-15", "The Seattle Times", "https://example.org/", "on")
	f.Add("", "", "", "bad", "", "javascript:alert(1)", "")
	f.Add("1", "", "X", "2101-01-01", "Y", "", "")
	f.Fuzz(func(t *testing.T, count, qualifier, by, on, sourceName, sourceURL, headline string) {
		form := url.Values{"count": {count}, "qualifier": {qualifier}, "claimed_by": {by}, "claimed_on": {on},
			"source_name": {sourceName}, "source_url": {sourceURL}, "headline": {headline}}
		_, claim, fe := parseClaimForm(values(form))
		all := merge(fe, claim.Validate())
		checkFieldErrors(t, all)
		checkDateKept(t, all, "claimed_on", claim.ClaimedOn)
		if len(all) == 0 && (claim.Count <= 0 || (claim.SourceName == "" && claim.SourceURL == "")) {
			t.Fatalf("accepted a claim without a figure or a source: %+v", claim)
		}
	})
}

func FuzzParseOrganisationForm(f *testing.F) {
	f.Add("Mijente", "Lead", "https://mijente.net", "Mijente | https://mijente.net/\nKPIX")
	f.Add("", "", "ftp://x", "|\n|||\n https://a b")
	f.Fuzz(func(t *testing.T, name, role, link, sources string) {
		_, o, fe := parseOrganisationForm(values{"name": {name}, "role": {role}, "url": {link}, "sources": {sources}})
		all := merge(fe, o.Validate())
		checkFieldErrors(t, all)
		if len(all) == 0 {
			for _, s := range o.Sources {
				if s.URL != "" && !strings.HasPrefix(s.URL, "http") {
					t.Fatalf("accepted a source address %q", s.URL)
				}
			}
		}
	})
}

// values lets a test hand url.Values to a form parser.
type values url.Values

func (v values) FormValue(k string) string { return url.Values(v).Get(k) }

// checkTimeKept fails when a parser accepted a time (left its field
// without a message) that is outside the years the tracker keeps: it would
// fail later, in the database or the audit log, as a 500.
func checkTimeKept(t *testing.T, fe models.FieldErrors, field string, at *time.Time) {
	t.Helper()
	if fe[field] == "" && at != nil && !at.IsZero() && !models.InYearRange(*at) {
		t.Fatalf("%s: accepted %v, outside %d-%d", field, at, models.MinYear, models.MaxYear)
	}
}

// checkDateKept is checkTimeKept for a day stored as text (YYYY-MM-DD).
func checkDateKept(t *testing.T, fe models.FieldErrors, field, day string) {
	t.Helper()
	if fe[field] != "" || day == "" {
		return
	}
	at, err := time.Parse(time.DateOnly, day)
	if err != nil {
		t.Fatalf("%s: accepted %q, not a date", field, day)
	}
	checkTimeKept(t, fe, field, &at)
}

func checkFieldErrors(t *testing.T, fe models.FieldErrors) {
	t.Helper()
	for field, msg := range fe {
		if field == "" || strings.TrimSpace(msg) == "" || !utf8.ValidString(msg) {
			t.Fatalf("an error without a field or message: %q: %q", field, msg)
		}
	}
}

// FuzzParseSignForm: whatever a signer (or a bot) sends, the parser and
// the validation do not panic, name every problem, and never accept a
// name a spreadsheet would run as a formula or an email that is not one.
func FuzzParseSignForm(f *testing.F) {
	f.Add("Ada", "Lopez", "ada@example.org", "Seattle", "WA", "US", "98101", "", "on")
	f.Add("=cmd", "", " ADA@EXAMPLE.ORG ", "", "", "usa", "", "\x00", "")
	f.Add("\u200b=cmd", "＝HYPERLINK(1)", "ada@example.org", "", "", "", "", "", "")
	f.Fuzz(func(t *testing.T, first, last, email, city, region, country, postal, comment, show string) {
		form, sig := parseSignForm(values{"first_name": {first}, "last_name": {last}, "email": {email}, "city": {city},
			"region": {region}, "country": {country}, "postal_code": {postal}, "comment": {comment}, "show_name": {show}})
		fe := sig.Validate()
		checkFieldErrors(t, fe)
		if len(fe) > 0 {
			return
		}
		if sig.FirstName == "" || models.LooksLikeFormula(sig.FirstName) || models.LooksLikeFormula(sig.LastName) ||
			csvio.Neutralise(sig.FirstName) != sig.FirstName || csvio.Neutralise(sig.LastName) != sig.LastName {
			t.Fatalf("accepted the name %q %q", sig.FirstName, sig.LastName)
		}
		if sig.Email != strings.ToLower(strings.TrimSpace(sig.Email)) || models.CheckEmail(sig.Email) != "" {
			t.Fatalf("accepted the email %q", sig.Email)
		}
		if form.ShowName != (show == "on") {
			t.Fatal("the consent box was misread")
		}
	})
}

// FuzzParseDeliveryForm: whatever an organiser's phone sends, the parser
// and the Store's validation name every problem and never panic; a form
// they accept holds a delivery whose times and coordinates are sane.
func FuzzParseDeliveryForm(f *testing.F) {
	f.Add("Seattle", "WA", "us", "47.6", "-122.3", "delivered", "2019-07-15", "2019-07-15 11:00", "", "1,000", "printouts")
	f.Add("", "", "USA", "91", "x", "lost", "11:00", "tomorrow", "Mars/Base", "-3", "fax")
	f.Add("Paris", "", "FR", "", "", "planned", "2019-07-15T11:00:00+02:00", "", "+02:00", "", "")
	f.Add("Paris", "", "FR", "", "", "delivered", "9999-12-31", "9999-12-31T23:00:00-07:00", "", "", "")
	f.Fuzz(func(t *testing.T, city, region, country, lat, lng, status, scheduled, delivered, zone, signatures, form string) {
		_, d, fe := parseDeliveryForm(values{"city": {city}, "region": {region}, "country": {country}, "latitude": {lat},
			"longitude": {lng}, "status": {status}, "scheduled_at": {scheduled}, "delivered_at": {delivered},
			"time_zone": {zone}, "signatures_delivered": {signatures}, "delivery_form": {form}})
		checkFieldErrors(t, fe)
		checkTimeKept(t, fe, "scheduled_at", d.ScheduledAt)
		checkTimeKept(t, fe, "delivered_at", d.DeliveredAt)
		verr := d.Validate()
		checkFieldErrors(t, verr)
		if len(fe) > 0 || len(verr) > 0 {
			return
		}
		if strings.TrimSpace(d.City) == "" || (d.Status == models.DeliveryDelivered && d.DeliveredAt == nil) {
			t.Fatalf("accepted %+v", d)
		}
		if d.Latitude != nil && (*d.Latitude < -90 || *d.Latitude > 90) {
			t.Fatalf("accepted latitude %v", *d.Latitude)
		}
		if _, err := models.LoadZone(d.TimeZone); err != nil {
			t.Fatalf("accepted zone %q", d.TimeZone)
		}
	})
}

func TestParseDeliveryFormReadsTimesInThePlacesZone(t *testing.T) {
	t.Parallel()
	_, d, fe := parseDeliveryForm(values{"city": {"Seattle"}, "region": {"WA"}, "country": {"US"}, "status": {"delivered"},
		"scheduled_at": {"2019-07-15"}, "delivered_at": {"2019-07-15 11:00"}})
	if len(fe) > 0 {
		t.Fatal(fe)
	}
	if d.TimeZone != "America/Los_Angeles" || !d.ScheduledDateOnly || d.DateOnly {
		t.Fatalf("zone %q, scheduled date only %v, delivered date only %v", d.TimeZone, d.ScheduledDateOnly, d.DateOnly)
	}
	if got := models.FormatWhen(d.DeliveredAt, d.DateOnly, d.TimeZone); got != "2019-07-15T11:00:00-07:00" {
		t.Errorf("delivered at %s", got)
	}
	_, _, fe = parseDeliveryForm(values{"city": {"Seattle"}, "delivered_at": {"11:00"}, "latitude": {"north"}})
	if !strings.Contains(fe["delivered_at"], "no date") || fe["latitude"] == "" {
		t.Errorf("errors: %v", fe)
	}
}

// FuzzParseActionForm: the quick log and the full action form never panic
// and name every problem; what they accept is a valid action.
func FuzzParseActionForm(f *testing.F) {
	f.Add("rally", "Rally at the Spheres", "2019-07-15 12:00", "Seattle", "WA", "", "", "about 200")
	f.Add("", "", "noon", "", "", "XX", "Mars/Base", "=1+1")
	f.Add("rally", "T", "9999-12-31 23:00", "", "", "", "", "")
	f.Fuzz(func(t *testing.T, kind, title, when, city, region, country, zone, attendance string) {
		_, a, fe := parseActionForm(values{"kind": {kind}, "title": {title}, "occurred_at": {when}, "city": {city},
			"region": {region}, "country": {country}, "time_zone": {zone}, "attendance": {attendance}})
		checkFieldErrors(t, fe)
		checkTimeKept(t, fe, "occurred_at", &a.OccurredAt)
		a.Normalise()
		verr := a.Validate()
		checkFieldErrors(t, verr)
		if len(fe) == 0 && len(verr) == 0 && (a.OccurredAt.IsZero() || strings.TrimSpace(a.Title) == "") {
			t.Fatalf("accepted %+v", a)
		}
	})
}

// FuzzParseResponseForm: whatever is sent as what a response answers, the
// parser names it or reads a delivery or action id, never both.
func FuzzParseResponseForm(f *testing.F) {
	f.Add("delivery:3", "statement", "press_statement", "2019-07-15", "Amazon", "We comply with the law.")
	f.Add("action:x", "no_reply", "no_reply", "", "", "")
	f.Add("campaign", "policy_change", "email", "2019-07-15T11:00:00Z", "", "")
	f.Add("campaign", "statement", "email", "0001-01-01", "A", "B")
	f.Fuzz(func(t *testing.T, answers, kind, channel, when, speaker, quote string) {
		_, r, fe := parseResponseForm(values{"answers": {answers}, "kind": {kind}, "channel": {channel},
			"responded_at": {when}, "speaker": {speaker}, "quote": {quote}})
		checkFieldErrors(t, fe)
		checkTimeKept(t, fe, "responded_at", &r.RespondedAt)
		checkFieldErrors(t, r.Validate())
		if r.DeliveryID != nil && r.ActionID != nil {
			t.Fatalf("%q answers both a delivery and an action", answers)
		}
	})
}

// FuzzParseMarkDeliveredForm: the one-step form never panics, and what it
// accepts has a time and an outcome.
func FuzzParseMarkDeliveredForm(f *testing.F) {
	f.Add("2019-07-15T13:30", "Left the printouts at reception", "12,000", "boxes")
	f.Add("13:30", "", "-5", "fax")
	f.Add("2100-12-31T23:30", "Left it", "", "")
	f.Fuzz(func(t *testing.T, when, outcome, signatures, form string) {
		d := &models.Delivery{City: "Seattle", Region: "WA", Country: "US", Status: models.DeliveryPlanned, TimeZone: "America/Los_Angeles"}
		_, apply, fe := parseMarkDeliveredForm(values{"delivered_at": {when}, "outcome": {outcome},
			"signatures_delivered": {signatures}, "delivery_form": {form}}, d)
		checkFieldErrors(t, fe)
		if len(fe) > 0 {
			return
		}
		apply(d)
		checkTimeKept(t, fe, "delivered_at", d.DeliveredAt)
		d.Status = models.DeliveryDelivered
		if d.DeliveredAt == nil || strings.TrimSpace(d.Outcome) == "" {
			t.Fatalf("accepted %+v", d)
		}
		checkFieldErrors(t, d.Validate())
	})
}
