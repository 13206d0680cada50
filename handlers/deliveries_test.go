package handlers_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"campaigntrack/models"
	"campaigntrack/seed"
	"campaigntrack/testdb"
)

// bom is the UTF-8 byte-order mark every CSV download starts with.
const bom = "\ufeff"

const deliveriesHeader = "city,region,country,venue,address,latitude,longitude,kind,status,scheduled_at,delivered_at,recipient,signatures_delivered,delivery_form,outcome,lead_organisation,attendance,source_urls,sources,outcome_es,packet_lang"

// readCSV reads a CSV download, which must start with the BOM.
func readCSV(t *testing.T, body string) [][]string {
	t.Helper()
	body, ok := strings.CutPrefix(body, bom)
	if !ok {
		t.Errorf("the CSV does not start with the BOM: %.40q", body)
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v\n%s", err, body)
	}
	return rows
}

func TestDeliveriesPageShowsTheSeededCitiesOnTheMap(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		cp, err := a.store.CampaignBySlug(ctx, "no-tech-for-ice")
		if err != nil {
			t.Fatal(err)
		}
		ds, _ := a.store.DeliveriesFor(ctx, cp.ID)
		// A private note must stay in the organiser area.
		if _, err := a.store.UpdateDelivery(ctx, models.CommandLine, cp.ID, ds[0].ID, func(d *models.Delivery) { d.Notes = "PRIVATE-NOTE-42" }); err != nil {
			t.Fatal(err)
		}

		r := a.browser().get("/campaigns/no-tech-for-ice/deliveries")
		if r.status != http.StatusOK {
			t.Fatalf("deliveries page: %d", r.status)
		}
		doc := r.doc(t)
		if got := text(doc.Find(`[data-testid=delivery-progress]`)); got != "5 of 9 cities delivered" {
			t.Errorf("progress = %q", got)
		}
		if n := doc.Find(`[data-testid=delivery-map] [data-testid=map-marker]`).Length(); n != 6 {
			t.Errorf("%d markers on the map, want the 6 recorded cities", n)
		}
		if n := doc.Find(`[data-testid=delivery-map] [data-testid=map-marker][data-status=planned]`).Length(); n != 1 {
			t.Errorf("%d planned markers, want San Francisco", n)
		}
		rows := doc.Find(`[data-testid=delivery]`)
		if rows.Length() != 6 {
			t.Fatalf("%d rows, want 6", rows.Length())
		}
		if first := text(rows.First()); !strings.Contains(first, "Elizabeth") || !strings.Contains(first, "14 July 2019") {
			t.Errorf("the table is not by date: first row %q", first)
		}
		if rows.Find(`[data-testid=sources]`).Length() != 6 {
			t.Error("a delivery is shown without its source")
		}
		if strings.Contains(r.body, "PRIVATE-NOTE-42") {
			t.Error("a private note is on the public page")
		}
		// Silence is on the record: the delivered cities Amazon never
		// answered say so, with the days.
		if n := doc.Find(`[data-testid=answer-state]:contains("No answer from Amazon for")`).Length(); n != 5 {
			t.Errorf("%d deliveries marked unanswered, want the 5 delivered", n)
		}

		csvResp := a.browser().get("/campaigns/no-tech-for-ice/deliveries.csv")
		if csvResp.status != http.StatusOK || !strings.HasPrefix(csvResp.header.Get("Content-Type"), "text/csv") {
			t.Fatalf("CSV: %d %s", csvResp.status, csvResp.header.Get("Content-Type"))
		}
		if cd := csvResp.header.Get("Content-Disposition"); !strings.Contains(cd, `filename="no-tech-for-ice-deliveries-`) {
			t.Errorf("Content-Disposition = %q", cd)
		}
		if !strings.HasPrefix(csvResp.body, bom+deliveriesHeader+"\n") {
			t.Errorf("header = %q", strings.SplitN(csvResp.body, "\n", 2)[0])
		}
		all := readCSV(t, csvResp.body)
		if len(all) != 7 {
			t.Errorf("%d CSV rows, want header + 6", len(all))
		}
		if strings.Contains(csvResp.body, "PRIVATE-NOTE-42") {
			t.Error("a private note is in the CSV")
		}
		for q, want := range map[string]int{"?status=delivered": 5, "?status=planned": 1, "?city=seattle": 1, "?city=Nowhere": 0, "?status=under+way": 0} {
			got := readCSV(t, a.browser().get("/campaigns/no-tech-for-ice/deliveries.csv"+q).body)
			if len(got)-1 != want {
				t.Errorf("%s: %d rows, want %d", q, len(got)-1, want)
			}
		}
		bad := a.browser().get("/campaigns/no-tech-for-ice/deliveries.csv?status=lost")
		if bad.status != http.StatusBadRequest || !strings.Contains(bad.body, "status filter must be one of") {
			t.Errorf("bad status filter: %d %s", bad.status, bad.body)
		}
		if r := a.browser().get("/campaigns/nope/deliveries.csv"); r.status != http.StatusNotFound {
			t.Errorf("unknown campaign CSV: %d", r.status)
		}
	})
}

func TestOrganiserMovesADeliveryAlongItsFlow(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		a.user("organiser@example.org", models.RoleOrganiser)
		b := a.browser()
		b.login("organiser@example.org")
		base := "/admin/campaigns/no-tech-for-ice/deliveries"

		// Bad input: each field named, what was typed kept, nothing stored.
		r := b.post(base, url.Values{"city": {""}, "status": {"lost"}, "latitude": {"91"}, "longitude": {"-122"},
			"delivered_at": {"11:00"}, "venue": {"Kept venue"}})
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("bad delivery: %d", r.status)
		}
		doc := r.doc(t)
		for _, f := range []string{"city", "status", "latitude", "delivered_at"} {
			if doc.Find(`[data-testid=field-`+f+`] [data-testid=field-error]`).Length() != 1 {
				t.Errorf("no message beside %s", f)
			}
		}
		if v, _ := doc.Find(`input[name=venue]`).Attr("value"); v != "Kept venue" {
			t.Errorf("venue = %q", v)
		}

		r = b.post(base, url.Values{"city": {"Portland"}, "region": {"OR"}, "country": {"US"}, "venue": {"Amazon office"},
			"status": {"planned"}, "scheduled_at": {"2019-07-15 12:00"}, "notes": {"PRIVATE-PORTLAND"},
			"sources": {"Oregon paper | https://example.org/portland"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("add delivery: %d\n%s", r.status, r.body)
		}
		list := b.get(base).doc(t)
		portland := list.Find(`[data-testid=admin-delivery]`).FilterFunction(func(_ int, s *goquery.Selection) bool {
			return strings.Contains(s.Text(), "Portland")
		})
		if portland.Length() != 1 {
			t.Fatal("the new delivery is not listed")
		}
		id, _ := portland.Attr("id")
		path := base + "/" + strings.TrimPrefix(id, "delivery-")

		// Under way, then delivered with an outcome, in one step each.
		if r := b.post(path+"/status", url.Values{"to": {"under_way"}}); r.status != http.StatusSeeOther {
			t.Fatalf("under way: %d", r.status)
		}
		form := b.get(path + "/deliver")
		if form.status != http.StatusOK {
			t.Fatalf("deliver form: %d", form.status)
		}
		page := form.doc(t)
		date, _ := page.Find(`input[type=date][name=delivered_at]`).Attr("value")
		clock, _ := page.Find(`input[type=time][name=delivered_at_time]`).Attr("value")
		if len(date) != len("2006-01-02") || len(clock) != len("15:04") {
			t.Errorf("the date and time pickers are not filled in with now: %q %q", date, clock)
		}
		r = b.post(path+"/deliver", url.Values{"delivered_at": {"2019-07-15T12:30"}, "outcome": {""}})
		if r.status != http.StatusUnprocessableEntity || r.doc(t).Find(`[data-testid=field-outcome] [data-testid=field-error]`).Length() != 1 {
			t.Fatalf("deliver without an outcome: %d", r.status)
		}
		r = b.post(path+"/deliver", url.Values{"delivered_at": {"2019-07-15T12:30"}, "outcome": {"Left the boxes at the front desk"},
			"recipient": {"Front desk"}, "signatures_delivered": {"12,000"}, "delivery_form": {"boxes"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("deliver: %d\n%s", r.status, r.body)
		}
		// Delivered is the end of the flow: it cannot be marked again.
		r = b.post(path+"/status", url.Values{"to": {"planned"}})
		if flash := text(b.get(r.header.Get("Location")).doc(t).Find(`[data-testid=flash]`)); !strings.Contains(flash, "cannot be marked planned") {
			t.Errorf("flash after a move the flow forbids: %q", flash)
		}

		public := a.browser().get("/campaigns/no-tech-for-ice/deliveries")
		if got := text(public.doc(t).Find(`[data-testid=delivery-progress]`)); got != "6 of 9 cities delivered" {
			t.Errorf("progress = %q", got)
		}
		if !strings.Contains(public.body, "Left the boxes at the front desk") || strings.Contains(public.body, "PRIVATE-PORTLAND") {
			t.Error("the public page does not show the outcome, or shows the private note")
		}
		rows := readCSV(t, a.browser().get("/campaigns/no-tech-for-ice/deliveries.csv?city=Portland").body)
		if len(rows) != 2 {
			t.Fatalf("CSV rows for Portland: %d", len(rows))
		}
		row := strings.Join(rows[1], "|")
		for _, want := range []string{"delivered", "2019-07-15T12:30:00-07:00", "2019-07-15T12:00:00-07:00", "Front desk", "12000", "boxes", "https://example.org/portland"} {
			if !strings.Contains(row, want) {
				t.Errorf("CSV row lacks %q: %s", want, row)
			}
		}

		// Every step is in the delivery's history, with who did it.
		history := b.get(path).doc(t).Find(`[data-testid=audit-entry]`)
		if history.Length() != 3 {
			t.Errorf("%d history entries, want created, under way, delivered", history.Length())
		}
		if !strings.Contains(text(history.First()), "organiser@example.org") {
			t.Errorf("history does not name the organiser: %q", text(history.First()))
		}
	})
}

// FuzzDeliveriesQuery: whatever the filters of the deliveries CSV, the
// answer is the CSV or a 400 naming the filter, never a fault.
func FuzzDeliveriesQuery(f *testing.F) {
	store := testdb.Open(f, testdb.SQLite)
	if _, err := seed.Load(context.Background(), store); err != nil {
		f.Fatal(err)
	}
	e := newRouter(store)
	for _, s := range [][2]string{{"", ""}, {"delivered", "Seattle"}, {"Under Way", " new york "}, {"lost", ""},
		{"", strings.Repeat("x", 201)}, {"planned\x00", "San\xffFrancisco"}, {"", "'; DROP TABLE deliveries; --"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, status, city string) {
		q := url.Values{"status": {status}, "city": {city}}.Encode()
		rec := get(t, e, "/campaigns/no-tech-for-ice/deliveries.csv?"+q)
		switch rec.Code {
		case http.StatusOK:
			if _, err := csv.NewReader(rec.Body).ReadAll(); err != nil {
				t.Fatalf("?%s: not CSV: %v", q, err)
			}
		case http.StatusBadRequest:
			if !strings.Contains(rec.Body.String(), "filter must") {
				t.Fatalf("?%s: a 400 that does not name the filter", q)
			}
		default:
			t.Fatalf("?%s = %d", q, rec.Code)
		}
	})
}

func TestDeliveriesOutsideTheMapAreListedBesideIt(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		cp, _ := a.store.CampaignBySlug(ctx, "no-tech-for-ice")
		for _, d := range []*models.Delivery{
			{City: "London", Country: "GB", Venue: "Amazon UK", Status: models.DeliveryPlanned},
			{City: "San Juan", Region: "PR", Country: "US", Status: models.DeliveryPlanned},
			{City: "Nowhereville", Region: "ZZ", Country: "US", Status: models.DeliveryPlanned},
		} {
			if err := a.store.CreateDelivery(ctx, models.CommandLine, cp.ID, d); err != nil {
				t.Fatal(err)
			}
		}
		doc := a.browser().get("/campaigns/no-tech-for-ice/deliveries").doc(t)
		elsewhere := text(doc.Find(`[data-testid=deliveries-elsewhere]`))
		unplaced := text(doc.Find(`[data-testid=deliveries-unplaced]`))
		if !strings.Contains(elsewhere, "London, GB") {
			t.Errorf("outside the map: %q", elsewhere)
		}
		// Puerto Rico is outside the Albers USA frame (and the gazetteer):
		// either way it is listed, not lost.
		if !strings.Contains(elsewhere+unplaced, "San Juan, PR") || !strings.Contains(unplaced, "Nowhereville") {
			t.Errorf("not placed: %q / %q", elsewhere, unplaced)
		}
		if n := doc.Find(`[data-testid=map-marker]`).Length(); n != 6 {
			t.Errorf("%d markers, want the 6 US cities", n)
		}
	})
}
