package models_test

import (
	"context"
	"fmt"
	"testing"

	"campaigntrack/models"
	"campaigntrack/seed"
	"campaigntrack/testdb"
)

// BenchmarkSendNews300k queues an update to 300,000 signers who agreed to
// updates: one transaction, one INSERT ... SELECT (target: under 10 s).
// Run: go test ./models -run '^$' -bench SendNews300k -benchtime 1x
func BenchmarkSendNews300k(b *testing.B) {
	for _, e := range testdb.Engines {
		b.Run(e.Name, func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				store := testdb.Open(b, e)
				ctx := context.Background()
				seed.Load(ctx, store)
				c, _ := store.CampaignBySlug(ctx, "no-tech-for-ice")
				all := make([]*models.Signature, 300_000)
				for i := range all {
					all[i] = &models.Signature{FirstName: "Signer", Email: fmt.Sprintf("signer%d@example.org", i), City: "Seattle", Region: "WA", SendUpdates: true}
				}
				for start := 0; start < len(all); start += 10_000 {
					if _, err := store.ImportSignatures(ctx, c.ID, testdb.Source(b, store, c.ID, "Test list"), all[start:start+10_000]); err != nil {
						b.Fatal(err)
					}
				}
				n := &models.News{CampaignID: c.ID, Subject: "Delivered", Body: "The petition reached Amazon."}
				b.StartTimer()
				if err := store.SendNews(ctx, models.CommandLine, n); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if n.Recipients != 300_000 {
					b.Fatalf("queued for %d", n.Recipients)
				}
			}
		})
	}
}
