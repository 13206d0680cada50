package models_test

import (
	"context"
	"fmt"
	"testing"

	"campaigntrack/models"
	"campaigntrack/seed"
	"campaigntrack/testdb"
)

// BenchmarkImport300k stores 300,000 signatures in batches of 10,000, as
// the importer does. Run: go test ./models -run '^$' -bench Import300k -benchtime 1x
func BenchmarkImport300k(b *testing.B) {
	for range b.N {
		b.StopTimer()
		store := testdb.Open(b, testdb.SQLite)
		ctx := context.Background()
		seed.Load(ctx, store)
		c, _ := store.CampaignBySlug(ctx, "no-tech-for-ice")
		all := make([]*models.Signature, 300_000)
		for i := range all {
			all[i] = &models.Signature{FirstName: "Signer", LastName: "Number", Email: fmt.Sprintf("signer%d@example.org", i),
				City: fmt.Sprintf("City %d", i%500), Region: fmt.Sprintf("S%d", i%50), Country: "US", PostalCode: "98101"}
		}
		b.StartTimer()
		for start := 0; start < len(all); start += 10_000 {
			if _, err := store.ImportSignatures(ctx, c.ID, testdb.Source(b, store, c.ID, "Test list"), all[start:start+10_000]); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		if n, _ := store.SignatureCount(ctx, c.ID); n != 300_000 {
			b.Fatalf("count %d", n)
		}
	}
}
