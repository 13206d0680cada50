package mail_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"testing"
	"time"

	"campaigntrack/mail"
	"campaigntrack/mail/mailtest"
	"campaigntrack/models"
	"campaigntrack/seed"
	"campaigntrack/testdb"
)

// BenchmarkSenderUpdate measures the whole sender: claim from the outbox,
// compose, hand to a local SMTP server over one connection, mark sent,
// one message at a time (target: at least 500 messages/s).
// Run: go test ./mail -run '^$' -bench SenderUpdate -benchtime 1x
func BenchmarkSenderUpdate(b *testing.B) {
	const signers = 5000
	for _, e := range testdb.Engines {
		b.Run(e.Name, func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				store := testdb.Open(b, e)
				ctx := context.Background()
				seed.Load(ctx, store)
				c, _ := store.CampaignBySlug(ctx, "no-tech-for-ice")
				sigs := make([]*models.Signature, signers)
				for i := range sigs {
					sigs[i] = &models.Signature{FirstName: "Signer", Email: fmt.Sprintf("s%d@example.org", i), SendUpdates: true}
				}
				if _, err := store.ImportSignatures(ctx, c.ID, testdb.Source(b, store, c.ID, "Test list"), sigs); err != nil {
					b.Fatal(err)
				}
				if err := store.SendNews(ctx, models.CommandLine, &models.News{CampaignID: c.ID, Subject: "Delivered", Body: "It reached Amazon."}); err != nil {
					b.Fatal(err)
				}
				smtp := mailtest.Start(b)
				cfg, _ := mail.ParseSMTPURL(smtp.URL())
				base, _ := url.Parse("https://campaign.example.org")
				compose := mail.NewComposer(store, base, mail.Address{Email: "petition@example.org"})
				sender := mail.NewSender(store, compose, &cfg, nil, time.Hour, slog.New(slog.NewTextHandler(io.Discard, nil)))
				sender.Poll = time.Millisecond
				runCtx, cancel := context.WithCancel(ctx)
				done := make(chan struct{})
				b.StartTimer()
				start := time.Now()
				go func() { sender.Run(runCtx, true); close(done) }()
				smtp.Wait(b, signers, 5*time.Minute)
				elapsed := time.Since(start)
				b.StopTimer()
				cancel()
				<-done
				b.ReportMetric(float64(signers)/elapsed.Seconds(), "msgs/s")
			}
		})
	}
}
