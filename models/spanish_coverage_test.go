package models_test

import (
	"context"
	"reflect"
	"testing"

	"campaigntrack/models"
	"campaigntrack/testdb"
)

// TestSpanishCoverage: the demo's texts with a Spanish version, kind by
// kind; a text taken away moves the count, an empty one is not counted,
// and another campaign's texts are not this one's.
func TestSpanishCoverage(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		demo, other := recordsDemo(t, store)
		got, err := store.SpanishCoverage(ctx, demo.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := []models.TextCoverage{
			{models.TextsCampaign, 3, 3}, {models.TextsPetition, 2, 2}, {models.TextsClaimWordings, 3, 3},
			{models.TextsOutcomes, 6, 6}, {models.TextsActionTitles, 6, 6}, {models.TextsActionDescriptions, 5, 6},
			{models.TextsResponseSummaries, 4, 4}, {models.TextsQuotes, 3, 3},
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("coverage = %+v\nwant       %+v", got, want)
		}
		ds, _ := store.DeliveriesFor(ctx, demo.ID)
		if _, err := store.UpdateDelivery(ctx, models.CommandLine, demo.ID, ds[0].ID, func(d *models.Delivery) { d.OutcomeES = "" }); err != nil {
			t.Fatal(err)
		}
		got, _ = store.SpanishCoverage(ctx, demo.ID)
		if got[3] != (models.TextCoverage{Kind: models.TextsOutcomes, Translated: 5, Total: 6}) || got[3].Missing() != 1 {
			t.Errorf("after an outcome's Spanish is taken away: %+v", got[3])
		}
		// The other campaign has a title and a demand only, no Spanish.
		if got, _ := store.SpanishCoverage(ctx, other.ID); !reflect.DeepEqual(got, []models.TextCoverage{{models.TextsCampaign, 0, 2}}) {
			t.Errorf("the other campaign: %+v", got)
		}
	})
}
