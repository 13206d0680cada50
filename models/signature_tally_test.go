package models_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"campaigntrack/models"
	"campaigntrack/seed"
	"campaigntrack/testdb"
)

// TestPublicPlacesNameOnlyPlacesWithEnoughSigners: a place is named only
// with at least min signers and within the limit; every other signer who
// gave a place is in Other, so the figures add up.
func TestPublicPlacesNameOnlyPlacesWithEnoughSigners(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		seed.Load(ctx, store)
		c, _ := store.CampaignBySlug(ctx, "no-tech-for-ice")
		var sigs []*models.Signature
		for _, p := range []struct {
			city string
			n    int
		}{{"Seattle", 12}, {"Portland", 10}, {"Tacoma", 9}, {"Tinytown", 1}} {
			for i := range p.n {
				sigs = append(sigs, &models.Signature{CampaignID: c.ID, FirstName: "S", City: p.city, Email: fmt.Sprintf("%s%d@example.org", p.city, i)})
			}
		}
		// A signer who gave no place is in no place's figures.
		sigs = append(sigs, &models.Signature{CampaignID: c.ID, FirstName: "S", Email: "nowhere@example.org"})
		if _, err := store.AddSignatures(ctx, sigs); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			limit int
			min   int64
			want  string
		}{
			{5, 10, "Seattle 12, Portland 10; other 10"},
			{5, 1, "Seattle 12, Portland 10, Tacoma 9, Tinytown 1; other 0"},
			{2, 1, "Seattle 12, Portland 10; other 10"},
			{1, 10, "Seattle 12; other 20"},
			{5, 13, "; other 32"},
			{0, 1, "; other 32"},
		} {
			got, err := store.PublicPlaces(ctx, c.ID, models.TallyCity, tc.limit, tc.min)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, p := range got.Places {
				names = append(names, fmt.Sprintf("%s %d", p.Label, p.N))
			}
			if s := strings.Join(names, ", ") + fmt.Sprintf("; other %d", got.Other); s != tc.want {
				t.Errorf("limit %d, min %d: %q, want %q", tc.limit, tc.min, s, tc.want)
			}
		}
		if _, err := store.PublicPlaces(ctx, c.ID, models.TallyCity, 5, 0); err == nil {
			t.Error("a threshold of 0 was taken")
		}
	})
}
