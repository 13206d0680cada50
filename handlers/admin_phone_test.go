package handlers_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"campaigntrack/config"
	"campaigntrack/models"
	"campaigntrack/testdb"
)

// fakeNow is 21:30 on 15 July 2019 in Seattle: 04:30 on the 16th in UTC.
const fakeNow = "2019-07-16T04:30:00Z"

// eachAppAt runs fn once per engine with the handlers' clock started at
// fakeNow by CAMPAIGNTRACK_FAKE_NOW, read as the server reads it.
func eachAppAt(t *testing.T, fn func(t *testing.T, a *app)) {
	t.Helper()
	env := map[string]string{"CAMPAIGNTRACK_FAKE_NOW": fakeNow}
	cfg, err := config.Parse("serve", nil, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	testdb.Each(t, func(t *testing.T, store *models.Store) { fn(t, newApp(t, store, cfg)) })
}

// pickers reads a "when" of a form: its date picker's value and its time
// picker's, failing when they are not native pickers.
func pickers(t *testing.T, doc *goquery.Document, name string) (date, clock string) {
	t.Helper()
	d := doc.Find(`input[type=date][name=` + name + `]`)
	c := doc.Find(`input[type=time][name=` + name + `_time]`)
	if d.Length() != 1 || c.Length() != 1 {
		t.Fatalf("%s: %d date pickers and %d time pickers, want 1 of each", name, d.Length(), c.Length())
	}
	return d.AttrOr("value", ""), c.AttrOr("value", "")
}

// soonAfter checks a default time of day is the fake clock's, which runs
// on from 21:30: within its first ten minutes.
func soonAfter(t *testing.T, what, clock, start string) {
	t.Helper()
	got, err1 := time.Parse("15:04", clock)
	from, err2 := time.Parse("15:04", start)
	if err1 != nil || err2 != nil || got.Before(from) || got.Sub(from) >= 10*time.Minute {
		t.Errorf("%s: the time is %q, want %s (now, where it happens)", what, clock, start)
	}
}

// TestNewRecordsDefaultToNowInThePlacesZone: at 21:30 in Seattle the forms
// for a new action, delivery hand-over and response there default to 15
// July, 21:30, not to 16 July as in UTC; with no place known, the quick log
// gives the date alone. The fake clock is the one CAMPAIGNTRACK_FAKE_NOW
// sets.
func TestNewRecordsDefaultToNowInThePlacesZone(t *testing.T) {
	t.Parallel()
	eachAppAt(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		a.user("organiser@example.org", models.RoleOrganiser)
		b := a.browser()
		b.login("organiser@example.org")
		cp := tlDemo(t, a)
		base := "/admin/campaigns/" + cp.Slug

		// The quick log for Seattle, as a delivery's link opens it.
		list := b.get(base + "/deliveries").doc(t)
		link := list.Find(`[data-testid=log-action-here]`).FilterFunction(func(_ int, s *goquery.Selection) bool {
			return strings.Contains(s.AttrOr("href", ""), "city=Seattle")
		}).First()
		href, ok := link.Attr("href")
		if !ok || !strings.Contains(href, "region=WA") {
			t.Fatalf("no link to log an action in Seattle, WA on the deliveries page (%q)", href)
		}
		page := b.get(href)
		if page.status != http.StatusOK {
			t.Fatalf("quick log for Seattle: %d", page.status)
		}
		doc := page.doc(t)
		date, clock := pickers(t, doc, "occurred_at")
		if date != "2019-07-15" {
			t.Errorf("quick log in Seattle: the date is %q, want 2019-07-15 (Seattle's, not UTC's 16 July)", date)
		}
		soonAfter(t, "quick log in Seattle", clock, "21:30")
		if city, _ := doc.Find(`[data-testid=action-form] input[name=city]`).Attr("value"); city != "Seattle" {
			t.Errorf("quick log: city %q, want Seattle", city)
		}
		if hint := text(doc.Find(`#occurred_at-hint`)); !strings.Contains(hint, "America/Los_Angeles") {
			t.Errorf("quick log: the hint %q does not name the zone the time is read in", hint)
		}

		// No place known: the date alone, today in UTC.
		date, clock = pickers(t, b.get(base+"/actions").doc(t), "occurred_at")
		if date != "2019-07-16" || clock != "" {
			t.Errorf("quick log with no place: %q %q, want 2019-07-16 and no time", date, clock)
		}

		// Mark delivered, in Tacoma: now there, and no outcome filled in.
		d := &models.Delivery{City: "Tacoma", Region: "WA", Country: "US", Status: models.DeliveryPlanned, Notes: "Bring the boxes"}
		if err := a.store.CreateDelivery(ctx, models.CommandLine, cp.ID, d); err != nil {
			t.Fatal(err)
		}
		deliver := b.get(base + "/deliveries/" + itoa(d.ID) + "/deliver").doc(t)
		date, clock = pickers(t, deliver, "delivered_at")
		if date != "2019-07-15" {
			t.Errorf("mark delivered in Tacoma: the date is %q, want 2019-07-15", date)
		}
		soonAfter(t, "mark delivered in Tacoma", clock, "21:30")
		if outcome := text(deliver.Find(`textarea[name=outcome]`)); outcome != "" {
			t.Errorf("mark delivered: the outcome is prefilled with %q", outcome)
		}

		// A response to the Tacoma delivery: now there, in its zone.
		resp := b.get(base + "/responses?answers=delivery:" + itoa(d.ID)).doc(t)
		date, clock = pickers(t, resp, "responded_at")
		if date != "2019-07-15" {
			t.Errorf("response to the Tacoma delivery: the date is %q, want 2019-07-15", date)
		}
		soonAfter(t, "response to the Tacoma delivery", clock, "21:30")
		if z := resp.Find(`select[name=time_zone] option[selected]`).AttrOr("value", ""); z != "America/Los_Angeles" {
			t.Errorf("response to the Tacoma delivery: zone %q chosen, want America/Los_Angeles (the zone its time is read in)", z)
		}

		// "No reply" logged now is dated Tacoma's today.
		if r := b.post(base+"/responses/no-reply", url.Values{"answers": {"delivery:" + itoa(d.ID)}}); r.status != http.StatusSeeOther {
			t.Fatalf("no reply: %d", r.status)
		}
		rs, err := a.store.ResponsesFor(ctx, cp.ID, models.ResponsesNewestFirst)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, r := range rs {
			if r.DeliveryID != nil && *r.DeliveryID == d.ID && r.IsNoReply() {
				found = true
				if got := r.RespondedAt.UTC().Format(time.DateOnly); got != "2019-07-15" || !r.DateOnly {
					t.Errorf("no reply logged at 21:30 in Tacoma is dated %s (date only %v), want 2019-07-15", got, r.DateOnly)
				}
			}
		}
		if !found {
			t.Error("the no reply is not on record")
		}
	})
}

// TestQuickLogPickersAndTheSavedRecord: the quick log's date and time
// pickers are read in the place's zone, free text in the date box still
// is, a wrong time is named beside its field, and after saving the list
// opens at the record saved, marked "Saved".
func TestQuickLogPickersAndTheSavedRecord(t *testing.T) {
	t.Parallel()
	eachAppAt(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		a.user("organiser@example.org", models.RoleOrganiser)
		b := a.browser()
		b.login("organiser@example.org")
		cp := tlDemo(t, a)
		base := "/admin/campaigns/" + cp.Slug
		want := time.Date(2019, 7, 16, 4, 30, 0, 0, time.UTC)

		for name, form := range map[string]url.Values{
			"pickers":   {"occurred_at": {"2019-07-15"}, "occurred_at_time": {"21:30"}},
			"free text": {"occurred_at": {"2019-07-15 21:30"}},
		} {
			form.Set("kind", "rally")
			form.Set("title", "Evening vigil, "+name)
			form.Set("city", "Seattle")
			form.Set("region", "WA")
			r := b.post(base+"/actions", form)
			if r.status != http.StatusSeeOther {
				t.Fatalf("%s: %d\n%s", name, r.status, r.body)
			}
			loc := r.header.Get("Location")
			path, anchor, ok := strings.Cut(loc, "#")
			if !ok || path != base+"/actions" || !strings.HasPrefix(anchor, "action-") {
				t.Fatalf("%s: saved, then sent to %q, want the list at the record (%s/actions#action-N)", name, loc, base)
			}
			id := strings.TrimPrefix(anchor, "action-")
			doc := b.get(loc).doc(t)
			li := doc.Find(`li#` + anchor)
			if li.Length() != 1 || li.AttrOr("data-saved", "") != "true" || li.AttrOr("tabindex", "") != "-1" {
				t.Fatalf("%s: the record saved is not marked in the list (%d items #%s)", name, li.Length(), anchor)
			}
			if note := li.Find(`[data-testid=saved][role=status]`); text(note) != "Saved" {
				t.Errorf("%s: the saved record says %q, want Saved in a status", name, text(note))
			}
			if n := doc.Find(`[data-saved]`).Length(); n != 1 {
				t.Errorf("%s: %d records marked saved, want 1", name, n)
			}
			if when := li.Find(`time`).AttrOr("datetime", ""); when != "2019-07-15T21:30:00-07:00" {
				t.Errorf("%s: the record shows %q, want 2019-07-15T21:30:00-07:00", name, when)
			}
			n, err := strconv.ParseUint(id, 10, 32)
			if err != nil {
				t.Fatalf("%s: anchor %q", name, anchor)
			}
			act, err := a.store.Action(ctx, cp.ID, uint(n))
			if err != nil {
				t.Fatal(err)
			}
			if !act.OccurredAt.Equal(want) || act.DateOnly || act.TimeZone != "America/Los_Angeles" {
				t.Errorf("%s: stored %v (date only %v, zone %q), want %v in America/Los_Angeles", name, act.OccurredAt, act.DateOnly, act.TimeZone, want)
			}
			// The next page shows no record as just saved.
			if n := b.get(base + "/actions").doc(t).Find(`[data-saved]`).Length(); n != 0 {
				t.Errorf("%s: a later visit still marks %d records saved", name, n)
			}
		}

		// An edit, saved, opens the list at the record too.
		acts, _ := a.store.ActionsFor(ctx, cp.ID, models.ActionFilter{})
		edit := base + "/actions/" + itoa(acts[0].ID)
		date, clock := pickers(t, b.get(edit).doc(t), "occurred_at")
		form := url.Values{"kind": {acts[0].Kind}, "title": {acts[0].Title}, "occurred_at": {date}, "occurred_at_time": {clock},
			"city": {acts[0].City}, "region": {acts[0].Region}, "country": {acts[0].Country}, "time_zone": {acts[0].TimeZone}}
		if r := b.post(edit, form); r.status != http.StatusSeeOther || r.header.Get("Location") != base+"/actions#action-"+itoa(acts[0].ID) {
			t.Errorf("edit saved: %d to %q, want the list at the record", r.status, r.header.Get("Location"))
		}

		// Wrong times are named beside the field, what was typed kept.
		for _, bad := range []url.Values{
			{"occurred_at": {""}, "occurred_at_time": {"21:30"}},
			{"occurred_at": {"2019-07-15"}, "occurred_at_time": {"25:99"}},
			{"occurred_at": {"2019-07-15 11:00"}, "occurred_at_time": {"21:30"}},
		} {
			bad.Set("kind", "rally")
			bad.Set("title", "Refused")
			r := b.post(base+"/actions", bad)
			if r.status != http.StatusUnprocessableEntity {
				t.Errorf("%v: %d, want 422", bad, r.status)
				continue
			}
			doc := r.doc(t)
			if text(doc.Find(`[data-testid=field-occurred_at] [data-testid=field-error]`)) == "" {
				t.Errorf("%v: no message beside When", bad)
			}
			if v := doc.Find(`#occurred_at_time`).AttrOr("value", ""); v != bad.Get("occurred_at_time") {
				t.Errorf("%v: the time typed is not kept: %q", bad, v)
			}
			if v := doc.Find(`#occurred_at`).AttrOr("value", ""); v != bad.Get("occurred_at") {
				t.Errorf("%v: the date typed is not kept: %q", bad, v)
			}
		}
	})
}
