package models_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"campaigntrack/models"
	"campaigntrack/seed"
	"campaigntrack/testdb"
)

func TestImportSignaturesCountsDuplicatesAndTallies(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		seed.Load(ctx, store)
		c, _ := store.CampaignBySlug(ctx, "no-tech-for-ice")
		if err := store.AddSignature(ctx, &models.Signature{CampaignID: c.ID, FirstName: "Web", Email: "web@example.org"}); err != nil {
			t.Fatal(err)
		}
		var sigs []*models.Signature
		day := time.Date(2019, 7, 10, 15, 0, 0, 0, time.UTC)
		for i := range 2500 {
			sigs = append(sigs, &models.Signature{FirstName: "S", Email: fmt.Sprintf("s%d@example.org", i), City: "Seattle", Region: "WA", SignedAt: day})
		}
		sigs = append(sigs, &models.Signature{FirstName: "Dup", Email: "s7@example.org"}, &models.Signature{FirstName: "Web", Email: "web@example.org"})
		res, err := store.ImportSignatures(ctx, c.ID, testdb.Source(t, store, c.ID, "Test list"), sigs)
		if err != nil {
			t.Fatal(err)
		}
		if res.Imported != 2500 || res.Duplicates != 2 {
			t.Fatalf("result = %+v, want 2500 imported and 2 duplicates", res)
		}
		if n, _ := store.SignatureCount(ctx, c.ID); n != 2501 {
			t.Fatalf("count = %d", n)
		}
		days, _ := store.SignaturesPerDay(ctx, c.ID)
		if len(days) != 2 || days[0].Label != "2019-07-10" || days[0].N != 2500 {
			t.Errorf("per day = %+v", days)
		}
		cities, _ := store.PublicPlaces(ctx, c.ID, models.TallyCity, 3, 1)
		if len(cities.Places) != 1 || cities.Places[0].Label != "Seattle, WA" || cities.Places[0].N != 2500 || cities.Other != 0 {
			t.Errorf("cities = %+v", cities)
		}
		var seen int
		err = store.EachSignature(ctx, c.ID, 700, func(rows []models.Signature) error { seen += len(rows); return nil })
		if err != nil || seen != 2501 {
			t.Fatalf("EachSignature saw %d, %v", seen, err)
		}
		if drift, err := store.Recount(ctx); err != nil || len(drift) != 0 {
			t.Fatalf("recount: %+v %v", drift, err)
		}
	})
}

// TestEachSignatureKeepsEveryField: the packed read gives back each field
// as stored, a comment holding the separator and line breaks included.
func TestEachSignatureKeepsEveryField(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		seed.Load(ctx, store)
		c, _ := store.CampaignBySlug(ctx, "no-tech-for-ice")
		at := time.Date(2019, 7, 15, 9, 30, 0, 0, time.UTC)
		in := models.Signature{FirstName: "Ada", LastName: "López", Email: "ada@example.org", City: "Seattle", Region: "WA",
			Country: "US", PostalCode: "98101", Comment: "line one\nline\x1ftwo", ShowName: true, SendUpdates: false,
			Origin: "import: partner.csv", SignedAt: at}
		if _, err := store.ImportSignatures(ctx, c.ID, testdb.Source(t, store, c.ID, "Test list"), []*models.Signature{&in}); err != nil {
			t.Fatal(err)
		}
		var got []models.Signature
		err := store.EachSignature(ctx, c.ID, 10, func(rows []models.Signature) error { got = append(got, rows...); return nil })
		if err != nil || len(got) != 1 {
			t.Fatalf("EachSignature = %d rows, %v", len(got), err)
		}
		g := got[0]
		if g.ConfirmedAt == nil || g.ConfirmedAt.Sub(*in.ConfirmedAt).Abs() >= time.Microsecond {
			t.Errorf("confirmed at %v, stored %v", g.ConfirmedAt, in.ConfirmedAt)
		}
		if g.Sources != "Test list" {
			t.Errorf("sources %q, want the import's", g.Sources)
		}
		g.ID, g.CreatedAt, g.SignedAt, g.ConfirmedAt, in.ConfirmedAt, g.Sources, g.SourceID, in.SourceID = 0, time.Time{}, g.SignedAt.UTC(), nil, nil, "", nil, nil
		in.CampaignID, in.Identity = c.ID, ""
		if g != in {
			t.Errorf("read back\n%+v\nwant\n%+v", g, in)
		}
	})
}
