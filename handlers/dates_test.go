package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"campaigntrack/models"
)

// outOfRange are dates an organiser may type by mistake that the tracker
// does not keep (models.MinYear to models.MaxYear), or that are no date
// at all. Each must be a field message, never a 500 or a stored record.
var outOfRange = []struct {
	value   string
	inRange bool // a real date with a year out of range: the message says so
}{
	{"9999-12-31", true},
	{"0001-01-01", true},
	{"2101-01-01", true},
	{"1899-12-31", true},
	{"10000-01-01", true},
	{"9999-12-31T23:00:00-07:00", true},
	{"9999-12-31 11:00", true},
	{"2019-02-30", false},
	{"2019-07-15 25:00", false},
}

// dateForm is an organiser form that takes a date or time: where it is
// posted, a valid form, and the field under test.
type dateForm struct {
	name, path, field string
	form              url.Values
}

// dateForms lists every organiser form with a date or time in it, for
// records of the demo campaign.
func dateForms(t *testing.T, a *app) []dateForm {
	t.Helper()
	ctx := context.Background()
	cp := tlDemo(t, a)
	base := "/admin/campaigns/" + cp.Slug
	claims, _ := a.store.ClaimsFor(ctx, cp.ID)
	ds, _ := a.store.DeliveriesFor(ctx, cp.ID)
	actions, _ := a.store.ActionsFor(ctx, cp.ID, models.ActionFilter{})
	rs, _ := a.store.ResponsesFor(ctx, cp.ID, models.ResponsesNewestFirst)
	if len(claims) == 0 || len(ds) == 0 || len(actions) == 0 || len(rs) == 0 {
		t.Fatal("the demo lacks a claim, a delivery, an action or a response")
	}
	campaign := url.Values{"slug": {"dates-test"}, "title": {"Dates"}, "target": {"Someone"}, "demand": {"Something"}, "status": {"active"}}
	settings := url.Values{"slug": {cp.Slug}, "title": {cp.Title}, "target": {cp.Target}, "demand": {cp.Demand}, "status": {cp.Status},
		"signature_goal": {"0"}, "deliveries_planned": {"9"}}
	claim := url.Values{"count": {"1000"}, "claimed_by": {"The organisers"}, "source_name": {"A paper"}}
	delivery := url.Values{"city": {"Testville"}, "region": {"WA"}, "country": {"US"}, "status": {"planned"}}
	delivered := url.Values{"city": {"Testville"}, "region": {"WA"}, "country": {"US"}, "status": {"delivered"}, "outcome": {"left it"}}
	action := url.Values{"kind": {"rally"}, "title": {"A rally"}}
	response := url.Values{"answers": {"campaign"}, "kind": {"statement"}, "channel": {"email"}, "speaker": {"Amazon"}, "quote": {"No."}}
	var planned *models.Delivery
	for i := range ds {
		if ds[i].Status == models.DeliveryPlanned {
			planned = &ds[i]
		}
	}
	if planned == nil {
		t.Fatal("the demo has no planned delivery to mark delivered")
	}
	return []dateForm{
		{"new campaign", "/admin/campaigns", "starts_on", campaign},
		{"new campaign", "/admin/campaigns", "ends_on", campaign},
		{"settings", base + "/settings", "starts_on", settings},
		{"settings", base + "/settings", "ends_on", settings},
		{"new claim", base + "/claims", "claimed_on", claim},
		{"claim", base + "/claims/" + itoa(claims[0].ID), "claimed_on", claim},
		{"new delivery", base + "/deliveries", "scheduled_at", delivery},
		{"new delivery", base + "/deliveries", "delivered_at", delivered},
		{"delivery", base + "/deliveries/" + itoa(ds[0].ID), "scheduled_at", delivery},
		{"delivery", base + "/deliveries/" + itoa(ds[0].ID), "delivered_at", delivered},
		{"mark delivered", base + "/deliveries/" + itoa(planned.ID) + "/deliver", "delivered_at", url.Values{"outcome": {"left it"}}},
		{"new action", base + "/actions", "occurred_at", action},
		{"action", base + "/actions/" + itoa(actions[0].ID), "occurred_at", action},
		{"new response", base + "/responses", "responded_at", response},
		{"response", base + "/responses/" + itoa(rs[0].ID), "responded_at", response},
	}
}

// changes counts what is on record: campaigns, and audited changes (every
// change to a record is audited in its own transaction).
func changes(t *testing.T, a *app) (int64, int) {
	t.Helper()
	ctx := context.Background()
	n, err := a.store.CountCampaigns(ctx)
	if err != nil {
		t.Fatal(err)
	}
	audit, err := a.store.AuditLatest(ctx, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return n, len(audit)
}

// TestOrganiserFormsRefuseDatesOutOfRange: a date such as 9999-12-31 in
// any organiser form is a 422 with a message beside its field, and
// nothing is stored; the message is the one a deliveries CSV gives for
// the same value.
func TestOrganiserFormsRefuseDatesOutOfRange(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		a.user("organiser@example.org", models.RoleOrganiser)
		b := a.browser()
		b.login("organiser@example.org")
		campaigns, audited := changes(t, a)
		messages := map[string]string{} // value -> the delivery form's message
		for _, f := range dateForms(t, a) {
			for _, bad := range outOfRange {
				form := cloneValues(f.form)
				form.Set(f.field, bad.value)
				r := b.post(f.path, form)
				if r.status != http.StatusUnprocessableEntity {
					t.Errorf("%s, %s = %q: status %d, want 422", f.name, f.field, bad.value, r.status)
					continue
				}
				msg := text(r.doc(t).Find(`[data-testid=field-` + f.field + `] [data-testid=field-error]`))
				if msg == "" {
					t.Errorf("%s, %s = %q: no message beside the field", f.name, f.field, bad.value)
				}
				if bad.inRange && !strings.Contains(msg, "between 1900 and 2100") {
					t.Errorf("%s, %s = %q: message %q does not give the years", f.name, f.field, bad.value, msg)
				}
				if f.name == "new delivery" && f.field == "scheduled_at" {
					messages[bad.value] = msg
				}
			}
		}
		if c, n := changes(t, a); c != campaigns || n != audited {
			t.Errorf("after refused forms: %d campaigns, %d audited changes; want %d and %d", c, n, campaigns, audited)
		}

		// A deliveries CSV with the same values names the line and the
		// field with the same message.
		file := "city,region,country,status,scheduled_at\n"
		for i, bad := range outOfRange {
			file += "Town" + itoa(uint(i)) + ",WA,US,planned,\"" + bad.value + "\"\n"
		}
		r := b.upload("/admin/campaigns/no-tech-for-ice/deliveries/import", "file", "dates.csv", file)
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("import of bad dates: %d", r.status)
		}
		report := text(r.doc(t).Find(`[data-testid=delivery-import-report]`))
		for i, bad := range outOfRange {
			want := "line " + itoa(uint(i+2)) + ", scheduled_at: " + messages[bad.value]
			if !strings.Contains(report, want) {
				t.Errorf("the import report lacks %q:\n%s", want, report)
			}
		}
		if c, n := changes(t, a); c != campaigns || n != audited {
			t.Errorf("after a refused import: %d campaigns, %d audited changes; want %d and %d", c, n, campaigns, audited)
		}
	})
}
