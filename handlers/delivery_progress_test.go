package handlers_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"campaigntrack/models"
)

// TestDeliveryProgressIsOneSentenceEverywhere holds the pages together: the
// home page, the campaign page, the deliveries page, the admin dashboard
// and the admin's deliveries page say the same sentence for the same
// deliveries, and the JSON gives its numbers. The data has what made them
// disagree before: a city with two deliveries and a cancelled one.
func TestDeliveryProgressIsOneSentenceEverywhere(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		cp, err := a.store.CampaignBySlug(ctx, "no-tech-for-ice")
		if err != nil {
			t.Fatal(err)
		}
		when := time.Date(2019, 7, 16, 12, 0, 0, 0, time.UTC)
		for _, d := range []models.Delivery{
			{City: "seattle", Region: "WA", Country: "US", Venue: "A second hand-over", Status: models.DeliveryPlanned, ScheduledAt: &when},
			{City: "Tacoma", Region: "WA", Country: "US", Status: models.DeliveryCancelled},
		} {
			if err := a.store.CreateDelivery(ctx, models.CommandLine, cp.ID, &d); err != nil {
				t.Fatal(err)
			}
		}
		const want = "5 of 9 cities delivered"
		a.user("organiser@example.org", models.RoleOrganiser)
		b := a.browser()
		b.login("organiser@example.org")
		for _, path := range []string{"/", "/campaigns/no-tech-for-ice", "/campaigns/no-tech-for-ice/deliveries",
			"/admin/campaigns/no-tech-for-ice", "/admin/campaigns/no-tech-for-ice/deliveries"} {
			r := b.get(path)
			if r.status != http.StatusOK {
				t.Fatalf("GET %s = %d", path, r.status)
			}
			got := r.doc(t).Find("[data-testid=delivery-progress]")
			if got.Length() != 1 || text(got) != want {
				t.Errorf("GET %s: delivery progress %q (%d), want %q", path, text(got), got.Length(), want)
			}
		}
		r := b.get("/api/campaigns/no-tech-for-ice")
		var out struct {
			Progress   struct{ Cities, Delivered, Named int } `json:"delivery_progress"`
			Deliveries map[string]int                         `json:"deliveries"`
		}
		if err := json.Unmarshal([]byte(r.body), &out); err != nil {
			t.Fatal(err)
		}
		if out.Progress.Cities != 9 || out.Progress.Delivered != 5 || out.Progress.Named != 6 {
			t.Errorf("JSON delivery_progress = %+v, want 9 cities, 5 delivered, 6 named", out.Progress)
		}
		if out.Deliveries[models.DeliveryPlanned] != 2 || out.Deliveries[models.DeliveryCancelled] != 1 || out.Deliveries[models.DeliveryDelivered] != 5 {
			t.Errorf("JSON deliveries = %v", out.Deliveries)
		}
	})
}
