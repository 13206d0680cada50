package handlers_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"campaigntrack/models"
)

// upload posts a file the way the browser's import form does.
func (b *browser) upload(path, field, name, body string) response {
	b.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("_csrf", b.csrf())
	fw, _ := w.CreateFormFile(field, name)
	fw.Write([]byte(body))
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, b.a.srv.URL+path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return b.do(req)
}

func TestDeliveriesImportSavesTheGoodRowsAndNamesTheBad(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		a.user("organiser@example.org", models.RoleOrganiser)
		b := a.browser()
		b.login("organiser@example.org")
		base := "/admin/campaigns/no-tech-for-ice/deliveries"
		file := "City,Region,Country,Venue,Status,Scheduled_At,Latitude,Longitude\r\n" +
			"Portland,OR,US,Amazon office,planned,2019-07-15 12:00,,\r\n" +
			"Chicago,IL,US,Amazon office,lost,,,\r\n" +
			"Denver,CO,US,,planned,11:00,,\r\n" +
			"Boston,MA,US,,planned,,91,-71\r\n" +
			",MN,US,Warehouse,planned,,,\r\n" +
			"Minneapolis,MN,US,Warehouse,planned,2019-07-15,,\r\n"
		r := b.upload(base+"/import", "file", "cities.csv", file)
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("import with bad rows: %d", r.status)
		}
		report := text(r.doc(t).Find(`[data-testid=delivery-import-report]`))
		for _, want := range []string{"2 added", "4 rejected", "line 3, status", "line 4, scheduled_at", "line 5, latitude", "line 6, city"} {
			if !strings.Contains(report, want) {
				t.Errorf("the report lacks %q:\n%s", want, report)
			}
		}
		ctx := context.Background()
		cp, _ := a.store.CampaignBySlug(ctx, "no-tech-for-ice")
		ds, _ := a.store.Deliveries(ctx, cp.ID, models.DeliveryFilter{City: "portland"})
		if len(ds) != 1 || ds[0].TimeZone != "America/Los_Angeles" {
			t.Fatalf("Portland after import: %+v", ds)
		}

		// The same file again changes nothing: rows are matched by place.
		r = b.upload(base+"/import", "file", "cities.csv", file)
		if report := text(r.doc(t).Find(`[data-testid=delivery-import-report]`)); !strings.Contains(report, "0 added, 0 updated, 2 unchanged") {
			t.Errorf("second import: %s", report)
		}
		if r := b.upload(base+"/import", "file", "empty.csv", ""); r.status != http.StatusUnprocessableEntity ||
			!strings.Contains(text(r.doc(t).Find(`[data-testid=delivery-import-report]`)), "not imported") {
			t.Errorf("empty file: %d", r.status)
		}
	})
}

func TestActionsAndResponsesAreLoggedAndTracked(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		a.user("organiser@example.org", models.RoleOrganiser)
		b := a.browser()
		b.login("organiser@example.org")
		base := "/admin/campaigns/no-tech-for-ice"

		// The quick log: the essentials on one screen.
		r := b.post(base+"/actions", url.Values{"kind": {"march"}, "title": {""}, "occurred_at": {"yesterday"}})
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("bad action: %d", r.status)
		}
		for _, f := range []string{"title", "occurred_at"} {
			if r.doc(t).Find(`[data-testid=field-`+f+`] [data-testid=field-error]`).Length() != 1 {
				t.Errorf("no message beside %s", f)
			}
		}
		r = b.post(base+"/actions", url.Values{"kind": {"rally"}, "title": {"Rally at the Spheres"}, "occurred_at": {"2019-07-16 12:00"},
			"city": {"Seattle"}, "region": {"WA"}, "attendance": {"about 200"}, "sources": {"https://example.org/rally"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("quick log: %d\n%s", r.status, r.body)
		}
		cp, _ := a.store.CampaignBySlug(ctx, "no-tech-for-ice")
		actions, _ := a.store.ActionsFor(ctx, cp.ID, models.ActionFilter{City: "Seattle"})
		var rally *models.Action
		for i := range actions {
			if actions[i].Title == "Rally at the Spheres" {
				rally = &actions[i]
			}
		}
		if rally == nil || rally.TimeZone != "America/Los_Angeles" {
			t.Fatalf("the rally was not stored in Seattle's zone: %+v", rally)
		}
		answers := "action:" + itoa(rally.ID)

		// The dashboard lists it as waiting, with the days.
		dash := b.get(base).doc(t)
		waiting := dash.Find(`[data-testid=awaiting-item]`).FilterFunction(func(_ int, s *goquery.Selection) bool {
			return strings.Contains(s.Text(), "Rally at the Spheres")
		})
		if waiting.Length() != 1 || !strings.Contains(text(waiting), "No answer for") {
			t.Fatalf("the dashboard does not show the rally waiting: %q", text(dash.Find(`[data-testid=awaiting]`)))
		}

		// A statement needs its words; only a no reply may be empty.
		r = b.post(base+"/responses", url.Values{"answers": {answers}, "kind": {"statement"}, "channel": {"press_statement"},
			"responded_at": {"2019-07-17"}, "speaker": {"Amazon spokesperson"}, "quote": {""}})
		if r.status != http.StatusUnprocessableEntity || r.doc(t).Find(`[data-testid=field-quote] [data-testid=field-error]`).Length() != 1 {
			t.Fatalf("a statement without a quote: %d", r.status)
		}
		// A response cannot answer another campaign's delivery.
		other := &models.Campaign{Slug: "other", Title: "Other", Target: "Someone", Demand: "Something"}
		if err := a.store.CreateCampaign(ctx, models.CommandLine, other); err != nil {
			t.Fatal(err)
		}
		theirs := &models.Delivery{City: "Boston", Region: "MA", Country: "US", Status: models.DeliveryPlanned}
		if err := a.store.CreateDelivery(ctx, models.CommandLine, other.ID, theirs); err != nil {
			t.Fatal(err)
		}
		r = b.post(base+"/responses", url.Values{"answers": {"delivery:" + itoa(theirs.ID)}, "kind": {"statement"},
			"channel": {"email"}, "responded_at": {"2019-07-17"}, "speaker": {"Amazon"}, "quote": {"We disagree."}})
		if r.status != http.StatusUnprocessableEntity || r.doc(t).Find(`[data-testid=field-answers] [data-testid=field-error]`).Length() != 1 {
			t.Fatalf("an answer to another campaign's delivery: %d", r.status)
		}

		// Silence is on the record in one step, and the rally still waits.
		r = b.post(base+"/responses/no-reply", url.Values{"answers": {answers}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("log no reply: %d", r.status)
		}
		item := b.get(base + "/responses").doc(t).Find(`[data-testid=awaiting-item]`).FilterFunction(func(_ int, s *goquery.Selection) bool {
			return strings.Contains(s.Text(), "Rally at the Spheres")
		})
		if !strings.Contains(text(item), "no reply logged") {
			t.Errorf("after logging no reply: %q", text(item))
		}
		// A real answer ends the wait.
		r = b.post(base+"/responses", url.Values{"answers": {answers}, "kind": {"statement"}, "channel": {"press_statement"},
			"responded_at": {"2019-07-18"}, "speaker": {"Amazon spokesperson"}, "quote": {"We comply with the law."},
			"sources": {"Paper | https://example.org/statement"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("statement: %d\n%s", r.status, r.body)
		}
		if strings.Contains(b.get(base).body, "Rally at the Spheres") && b.get(base).doc(t).Find(`[data-testid=awaiting-item]`).FilterFunction(func(_ int, s *goquery.Selection) bool {
			return strings.Contains(s.Text(), "Rally at the Spheres")
		}).Length() > 0 {
			t.Error("the answered rally still waits on the dashboard")
		}
	})
}

func itoa(n uint) string { return strconv.FormatUint(uint64(n), 10) }
