package models_test

import (
	"context"
	"testing"

	"campaigntrack/models"
	"campaigntrack/seed"
	"campaigntrack/testdb"
)

// News keeps its Spanish version as sent, on both engines.
func TestNewsKeepsItsSpanishVersion(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		seed.Load(ctx, store)
		cp, err := store.CampaignBySlug(ctx, "no-tech-for-ice")
		if err != nil {
			t.Fatal(err)
		}
		n := &models.News{CampaignID: cp.ID, Subject: "Amazon answered", Body: "It said this.", Quote: "We comply with the law.",
			SubjectES: "Amazon respondió", BodyES: "Dijo esto.", QuoteES: "Cumplimos la ley."}
		if err := store.SendNews(ctx, models.CommandLine, n); err != nil {
			t.Fatal(err)
		}
		got, err := store.NewsByID(ctx, cp.ID, n.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.SubjectES != "Amazon respondió" || got.BodyES != "Dijo esto." || got.QuoteES != "Cumplimos la ley." || got.Quote != n.Quote {
			t.Errorf("news read back: %q %q %q (quote %q)", got.SubjectES, got.BodyES, got.QuoteES, got.Quote)
		}
	})
}
