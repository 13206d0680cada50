package models_test

import (
	"context"
	"errors"
	"testing"

	"campaigntrack/models"
	"campaigntrack/seed"
	"campaigntrack/testdb"
)

func TestCampaignBySlug(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		if _, err := seed.Load(ctx, store); err != nil {
			t.Fatal(err)
		}
		c, err := store.CampaignBySlug(ctx, "no-tech-for-ice")
		if err != nil || c.Title == "" {
			t.Fatalf("CampaignBySlug = %+v, %v", c, err)
		}
		for _, slug := range []string{"nope", "", "NO-TECH-FOR-ICE", "../etc", "no-tech-for-ice'--", "a\x00b"} {
			if _, err := store.CampaignBySlug(ctx, slug); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("CampaignBySlug(%q) err = %v, want ErrNotFound", slug, err)
			}
		}
	})
}

func TestValidSlug(t *testing.T) {
	t.Parallel()
	for slug, want := range map[string]bool{
		"no-tech-for-ice": true, "a": true, "2019": true, "a-b-c": true,
		"": false, "-a": false, "a-": false, "A": false, "a_b": false, "a b": false, "é": false,
		"a234567890123456789012345678901234567890123456789012345678901234":  true,
		"a2345678901234567890123456789012345678901234567890123456789012345": false,
	} {
		if got := models.ValidSlug(slug); got != want {
			t.Errorf("ValidSlug(%q) = %v, want %v", slug, got, want)
		}
	}
}

func TestSignatureCounterSumsSlots(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		if _, err := seed.Load(ctx, store); err != nil {
			t.Fatal(err)
		}
		c, _ := store.CampaignBySlug(ctx, "no-tech-for-ice")
		if n, err := store.SignatureCount(ctx, c.ID); err != nil || n != 0 {
			t.Fatalf("new campaign count = %d, %v; want 0", n, err)
		}
		for range 50 {
			if err := store.AddToCountForTest(ctx, c.ID, 1); err != nil {
				t.Fatal(err)
			}
		}
		if n, _ := store.SignatureCount(ctx, c.ID); n != 50 {
			t.Fatalf("count after 50 increments = %d", n)
		}
		all, err := store.SignatureCounts(ctx)
		if err != nil || all[c.ID] != 50 {
			t.Fatalf("SignatureCounts = %v, %v", all, err)
		}
	})
}

func TestDeliveryProgressOfTheDemo(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		if _, err := seed.Load(ctx, store); err != nil {
			t.Fatal(err)
		}
		c, _ := store.CampaignBySlug(ctx, "no-tech-for-ice")
		got, err := store.DeliveryProgressFor(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		if got.Statuses[models.DeliveryDelivered] != 5 || got.Statuses[models.DeliveryPlanned] != 1 || len(got.Statuses) != len(models.DeliveryStatuses) {
			t.Fatalf("status counts = %v, want 5 delivered and 1 planned, every status present", got.Statuses)
		}
		if got.Cities != 9 || got.Named != 6 || got.Delivered != 5 || got.Unnamed() != 3 {
			t.Fatalf("progress = %+v, want 5 of 9 cities delivered, 6 named", got)
		}
		all, err := store.AllDeliveryProgress(ctx, []models.Campaign{*c})
		if err != nil || all[c.ID].Cities != got.Cities || all[c.ID].Delivered != got.Delivered || all[c.ID].Named != got.Named {
			t.Fatalf("AllDeliveryProgress = %+v, %v; want %+v", all, err, got)
		}
		headlines, err := store.HeadlineClaims(ctx)
		if err != nil || headlines[c.ID].Count != 270000 {
			t.Fatalf("headline claim = %+v, %v", headlines[c.ID], err)
		}
	})
}

// TestProgressRule pins the one delivery-progress rule: a place is a city,
// region and country in any case; a cancelled delivery names no place;
// the plan counts when larger than the places named.
func TestProgressRule(t *testing.T) {
	t.Parallel()
	d := func(city, status string) models.Delivery {
		return models.Delivery{City: city, Region: "WA", Country: "US", Status: status}
	}
	for _, tc := range []struct {
		name                     string
		ds                       []models.Delivery
		planned                  int
		cities, named, delivered int
	}{
		{"nothing", nil, 0, 0, 0, 0},
		{"plan only", nil, 9, 9, 0, 0},
		{"two deliveries in one city", []models.Delivery{d("Seattle", models.DeliveryDelivered), d("seattle", models.DeliveryPlanned)}, 0, 1, 1, 1},
		{"cancelled names no place", []models.Delivery{d("Tacoma", models.DeliveryCancelled), d("Seattle", models.DeliveryDelivered)}, 0, 1, 1, 1},
		{"more named than planned", []models.Delivery{d("A", models.DeliveryPlanned), d("B", models.DeliveryPlanned), d("C", models.DeliveryDelivered)}, 2, 3, 3, 1},
	} {
		p := models.Progress(tc.ds, tc.planned)
		if p.Cities != tc.cities || p.Named != tc.named || p.Delivered != tc.delivered {
			t.Errorf("%s: %+v, want cities %d named %d delivered %d", tc.name, p, tc.cities, tc.named, tc.delivered)
		}
		if len(p.Statuses) != len(models.DeliveryStatuses) || p.Statuses[models.DeliveryCancelled] != 0 && tc.name != "cancelled names no place" {
			t.Errorf("%s: statuses %v", tc.name, p.Statuses)
		}
	}
}
