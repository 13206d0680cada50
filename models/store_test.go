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

func TestDeliveryStatusCounts(t *testing.T) {
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		if _, err := seed.Load(ctx, store); err != nil {
			t.Fatal(err)
		}
		c, _ := store.CampaignBySlug(ctx, "no-tech-for-ice")
		got, err := store.DeliveryStatusCounts(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got[models.DeliveryDelivered] != 5 || got[models.DeliveryPlanned] != 1 || len(got) != 2 {
			t.Fatalf("status counts = %v, want 5 delivered and 1 planned", got)
		}
		headlines, err := store.HeadlineClaims(ctx)
		if err != nil || headlines[c.ID].Count != 270000 {
			t.Fatalf("headline claim = %+v, %v", headlines[c.ID], err)
		}
	})
}
