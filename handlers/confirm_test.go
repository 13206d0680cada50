package handlers_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"campaigntrack/models"
)

// The confirmation step of issue 16: on a phone, one tap never deletes a
// record, nor marks a delivery refused or cancelled. The first POST asks;
// only the page's own form, with confirm=yes, acts.

// confirmationPage checks that r is the confirmation page and returns its
// form's action and fields, as a browser would post them.
func confirmationPage(t *testing.T, r response, wantQuestion, wantBack string) (string, url.Values) {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("unconfirmed POST = %d, want 200 with the confirmation page\n%s", r.status, r.body)
	}
	doc := r.doc(t)
	if doc.Find(`[data-testid=confirm-page]`).Length() != 1 {
		t.Fatalf("no confirmation page:\n%s", r.body)
	}
	if got := text(doc.Find(`[data-testid=confirm-question]`)); got != wantQuestion {
		t.Errorf("question = %q, want %q", got, wantQuestion)
	}
	if back := doc.Find(`[data-testid=confirm-cancel]`).AttrOr("href", ""); back != wantBack {
		t.Errorf("Cancel leads to %q, want %q", back, wantBack)
	}
	form := doc.Find(`form[data-testid=confirm-form]`)
	if form.Length() != 1 || form.AttrOr("method", "") != "post" {
		t.Fatalf("%d confirmation forms", form.Length())
	}
	fields := url.Values{}
	form.Find(`input[type=hidden]`).Each(func(_ int, s *goquery.Selection) {
		fields.Add(s.AttrOr("name", ""), s.AttrOr("value", ""))
	})
	if fields.Get("confirm") != "yes" || fields.Get("_csrf") == "" {
		t.Errorf("the confirmation form posts %v; want confirm=yes and the CSRF token", fields)
	}
	return form.AttrOr("action", ""), fields
}

func auditCount(t *testing.T, a *app, recordType string, id uint) int {
	t.Helper()
	entries, err := a.store.AuditForRecord(context.Background(), recordType, id)
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}

func TestDeletesAskFirst(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		cp := a.campaign()
		b := a.organiser()
		a.user("viewer@example.org", models.RoleViewer)
		viewer := a.browser()
		viewer.login("viewer@example.org")

		partner := &models.Organisation{Name: "Tech Workers Coalition", Role: "ally"}
		if err := a.store.CreateOrganisation(ctx, models.CommandLine, cp.ID, partner); err != nil {
			t.Fatal(err)
		}
		source := &models.SignatureSource{Name: "Paper sheets, Seattle"}
		if err := a.store.CreateSource(ctx, models.CommandLine, cp.ID, source); err != nil {
			t.Fatal(err)
		}
		claims, _ := a.store.ClaimsFor(ctx, cp.ID)
		actions, _ := a.store.ActionsFor(ctx, cp.ID, models.ActionFilter{})
		responses, _ := a.store.ResponsesFor(ctx, cp.ID, models.ResponsesOldestFirst)
		deliveries, _ := a.store.DeliveriesFor(ctx, cp.ID)
		if len(claims) == 0 || len(actions) == 0 || len(responses) == 0 || len(deliveries) == 0 {
			t.Fatal("the seed lacks a claim, an action, a response or a delivery")
		}
		resp := responses[0]
		respWhat := "the response"
		if resp.IsNoReply() {
			respWhat = "the “no reply”"
		}
		if resp.Speaker != "" {
			respWhat += " from " + resp.Speaker
		}
		cases := []struct {
			section, audit, question, flash string
			id                              uint
			exists                          func() error
		}{
			{"claims", "claim", "Delete the claim?", "Claim removed.", claims[0].ID,
				func() error { _, err := a.store.Claim(ctx, cp.ID, claims[0].ID); return err }},
			{"partners", "organisation", "Delete the partner Tech Workers Coalition?", "Partner removed.", partner.ID,
				func() error { _, err := a.store.Organisation(ctx, cp.ID, partner.ID); return err }},
			{"sources", "signature_source", "Delete the source “Paper sheets, Seattle”?", "Source removed.", source.ID,
				func() error { _, err := a.store.SignatureSource(ctx, cp.ID, source.ID); return err }},
			{"deliveries", "delivery", "Delete the delivery in " + deliveries[0].City + "?", "Delivery removed.", deliveries[0].ID,
				func() error { _, err := a.store.Delivery(ctx, cp.ID, deliveries[0].ID); return err }},
			{"actions", "action", "Delete the action “" + actions[0].Title + "”?", "Action removed.", actions[0].ID,
				func() error { _, err := a.store.Action(ctx, cp.ID, actions[0].ID); return err }},
			{"responses", "response", "Delete " + respWhat + "?", "Response removed.", resp.ID,
				func() error { _, err := a.store.Response(ctx, cp.ID, resp.ID); return err }},
		}
		for _, tc := range cases {
			list := campaignAdmin + "/" + tc.section
			record := list + "/" + strconv.FormatUint(uint64(tc.id), 10)
			del := record + "/delete"
			audited := auditCount(t, a, tc.audit, tc.id)

			// A viewer is refused, asked or not.
			for _, f := range []url.Values{nil, {"confirm": {"yes"}}} {
				if r := viewer.post(del, f); r.status != http.StatusForbidden {
					t.Errorf("viewer POST %s %v = %d, want 403", del, f, r.status)
				}
			}
			// The first tap asks and changes nothing.
			r := b.post(del, nil)
			action, fields := confirmationPage(t, r, tc.question, record)
			if action != del {
				t.Errorf("%s: the confirmation posts to %q, want %q", tc.section, action, del)
			}
			if !strings.Contains(r.body, "This cannot be undone.") {
				t.Errorf("%s: the page does not say it cannot be undone", tc.section)
			}
			if err := tc.exists(); err != nil {
				t.Fatalf("%s: the unconfirmed delete removed the record: %v", tc.section, err)
			}
			if n := auditCount(t, a, tc.audit, tc.id); n != audited {
				t.Errorf("%s: the unconfirmed delete wrote %d audit entries", tc.section, n-audited)
			}
			// confirm=yes with a forged token is still refused.
			forged := cloneValues(fields)
			forged.Set("_csrf", plantedNonce)
			if r := b.postRaw(action, forged); r.status != http.StatusForbidden {
				t.Errorf("%s: confirmed with a forged token = %d, want 403", tc.section, r.status)
			}
			if err := tc.exists(); err != nil {
				t.Fatalf("%s: a forged confirmation removed the record", tc.section)
			}
			// The second tap, the page's own form, deletes.
			r = b.postRaw(action, fields)
			if r.header.Get("Location") != list {
				t.Errorf("%s: confirmed delete led to %d %q, want %s", tc.section, r.status, r.header.Get("Location"), list)
			}
			if got := b.follow(r); got != tc.flash {
				t.Errorf("%s: flash = %q, want %q", tc.section, got, tc.flash)
			}
			if err := tc.exists(); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("%s: after the confirmed delete the record is still there (%v)", tc.section, err)
			}
			if n := auditCount(t, a, tc.audit, tc.id); n != audited+1 {
				t.Errorf("%s: the confirmed delete wrote %d audit entries, want 1", tc.section, n-audited)
			}
			// A record that does not exist is a 404, not a question.
			if r := b.post(list+"/999999/delete", nil); r.status != http.StatusNotFound {
				t.Errorf("%s: unconfirmed delete of no record = %d, want 404", tc.section, r.status)
			}
		}
	})
}

func TestRefuseAndCancelAskFirst(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		cp := a.campaign()
		b := a.organiser()
		a.user("viewer@example.org", models.RoleViewer)
		viewer := a.browser()
		viewer.login("viewer@example.org")

		deliveries, _ := a.store.DeliveriesFor(ctx, cp.ID)
		var d *models.Delivery
		for i := range deliveries {
			if deliveries[i].Status == models.DeliveryPlanned {
				d = &deliveries[i]
			}
		}
		if d == nil {
			t.Fatal("no planned delivery in the seed")
		}
		list := campaignAdmin + "/deliveries"
		id := strconv.FormatUint(uint64(d.ID), 10)
		status := list + "/" + id + "/status"
		statusNow := func() string {
			t.Helper()
			got, err := a.store.Delivery(ctx, cp.ID, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			return got.Status
		}
		for _, to := range []string{models.DeliveryRefused, models.DeliveryCancelled} {
			audited := auditCount(t, a, "delivery", d.ID)
			if r := viewer.post(status, url.Values{"to": {to}, "confirm": {"yes"}}); r.status != http.StatusForbidden {
				t.Errorf("viewer %s = %d, want 403", to, r.status)
			}
			r := b.post(status, url.Values{"to": {to}})
			action, fields := confirmationPage(t, r, "Mark the delivery in "+d.City+" "+to+"?", list+"#delivery-"+id)
			if action != status || fields.Get("to") != to {
				t.Errorf("%s: the confirmation posts to %q with to=%q", to, action, fields.Get("to"))
			}
			if got := statusNow(); got != models.DeliveryPlanned {
				t.Fatalf("the unconfirmed %s move changed the status to %s", to, got)
			}
			if n := auditCount(t, a, "delivery", d.ID); n != audited {
				t.Errorf("the unconfirmed %s move wrote %d audit entries", to, n-audited)
			}
			forged := cloneValues(fields)
			forged.Set("_csrf", plantedNonce)
			if r := b.postRaw(action, forged); r.status != http.StatusForbidden || statusNow() != models.DeliveryPlanned {
				t.Errorf("%s confirmed with a forged token = %d", to, r.status)
			}
			r = b.postRaw(action, fields)
			if r.header.Get("Location") != list {
				t.Errorf("confirmed %s led to %d %q", to, r.status, r.header.Get("Location"))
			}
			if got, want := b.follow(r), "The delivery in "+d.City+" is now "+to+"."; got != want {
				t.Errorf("flash = %q, want %q", got, want)
			}
			if got := statusNow(); got != to {
				t.Errorf("after the confirmed move: %s, want %s", got, to)
			}
			if n := auditCount(t, a, "delivery", d.ID); n != audited+1 {
				t.Errorf("the confirmed %s move wrote %d audit entries, want 1", to, n-audited)
			}
			// Planned again acts on one tap: it ends nothing.
			if r := b.post(status, url.Values{"to": {models.DeliveryPlanned}}); r.status != http.StatusSeeOther || statusNow() != models.DeliveryPlanned {
				t.Fatalf("plan again: %d, %s", r.status, statusNow())
			}
		}
		// A move the flow forbids is not asked about: the Store refuses it.
		if _, err := a.store.MoveDelivery(ctx, models.CommandLine, cp.ID, d.ID, models.DeliveryRefused, time.Now(), nil); err != nil {
			t.Fatal(err)
		}
		r := b.post(status, url.Values{"to": {models.DeliveryCancelled}})
		if got := b.follow(r); !strings.HasPrefix(got, "Not changed") {
			t.Errorf("cancel a refused delivery: flash %q", got)
		}
	})
}

func TestMarkDeliveredStartsWithoutAnOutcome(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		cp := a.campaign()
		b := a.organiser()
		deliveries, _ := a.store.DeliveriesFor(ctx, cp.ID)
		var d *models.Delivery
		for i := range deliveries {
			if deliveries[i].Status == models.DeliveryPlanned {
				d = &deliveries[i]
			}
		}
		if d == nil {
			t.Fatal("no planned delivery in the seed")
		}
		if _, err := a.store.UpdateDelivery(ctx, models.CommandLine, cp.ID, d.ID, func(rec *models.Delivery) {
			rec.Outcome, rec.Recipient = "PLANNING-NOTE: meet at the corner", "Reception"
		}); err != nil {
			t.Fatal(err)
		}
		r := b.get(campaignAdmin + "/deliveries/" + strconv.FormatUint(uint64(d.ID), 10) + "/deliver")
		if r.status != http.StatusOK {
			t.Fatalf("deliver form: %d", r.status)
		}
		doc := r.doc(t)
		if got := doc.Find(`form[data-testid=deliver-form] [name=outcome]`).Text(); got != "" {
			t.Errorf("the outcome is prefilled with %q", got)
		}
		if got := doc.Find(`form[data-testid=deliver-form] input[name=recipient]`).AttrOr("value", ""); got != "Reception" {
			t.Errorf("recipient = %q, want it kept", got)
		}
	})
}
