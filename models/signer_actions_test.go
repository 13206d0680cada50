package models_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"campaigntrack/models"
	"campaigntrack/seed"
	"campaigntrack/testdb"
)

func kept(t *testing.T, store *models.Store, campaignID uint) models.KeptCount {
	t.Helper()
	k, err := store.KeptCount(context.Background(), campaignID)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestConfirmAndWithdrawMoveTheCounts: pending signatures count apart;
// confirming moves one into the count and its tallies, once however many
// confirm at the same moment; withdrawing takes it out again; recount
// finds no drift at each step.
func TestConfirmAndWithdrawMoveTheCounts(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		seed.Load(ctx, store)
		c, _ := store.CampaignBySlug(ctx, "no-tech-for-ice")
		var sigs []*models.Signature
		for i := range 4 {
			sigs = append(sigs, &models.Signature{CampaignID: c.ID, FirstName: "P", Email: fmt.Sprintf("p%d@example.org", i), City: "Tacoma", Region: "WA", NeedsConfirmation: i < 3})
		}
		if _, err := store.AddSignatures(ctx, sigs); err != nil {
			t.Fatal(err)
		}
		if k := kept(t, store, c.ID); k.Counted != 1 || k.Pending != 3 {
			t.Fatalf("after signing: %+v", k)
		}
		noDrift := func(when string) {
			t.Helper()
			if d, err := store.Recount(ctx); err != nil || len(d) != 0 {
				t.Fatalf("%s: recount %+v %v", when, d, err)
			}
		}
		noDrift("after signing")
		// Eight confirmations of one signature at once count it once.
		var wg sync.WaitGroup
		var mu sync.Mutex
		confirmed := 0
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := store.ConfirmSignature(ctx, c.ID, sigs[0].ID)
				if err == nil {
					mu.Lock()
					confirmed++
					mu.Unlock()
				} else if !errors.Is(err, models.ErrAlreadyConfirmed) {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if k := kept(t, store, c.ID); confirmed != 1 || k.Counted != 2 || k.Pending != 2 {
			t.Fatalf("after confirming: %d succeeded, %+v", confirmed, k)
		}
		places, _ := store.PublicPlaces(ctx, c.ID, models.TallyCity, 10, 1)
		if len(places.Places) != 1 || places.Places[0].N != 2 {
			t.Errorf("the city tally counts %+v, want the 2 counted signatures", places)
		}
		noDrift("after confirming")
		if err := store.ConfirmSignature(ctx, c.ID+1, sigs[1].ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("confirming in another campaign: %v", err)
		}
		for _, s := range []*models.Signature{sigs[0], sigs[1]} { // a confirmed one and a pending one
			if err := store.WithdrawSignature(ctx, c.ID, s.ID); err != nil {
				t.Fatal(err)
			}
			if err := store.WithdrawSignature(ctx, c.ID, s.ID); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("withdrawing twice: %v", err)
			}
		}
		if k := kept(t, store, c.ID); k.Counted != 1 || k.Pending != 1 {
			t.Fatalf("after withdrawing: %+v", k)
		}
		noDrift("after withdrawing")
		if err := store.ConfirmSignature(ctx, c.ID, sigs[0].ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("confirming a withdrawn signature: %v", err)
		}
	})
}

// TestPurgeMailBlanksOldAddresses: messages done with lose their address
// after the keep time; queued ones keep theirs.
func TestPurgeMailBlanksOldAddresses(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		seed.Load(ctx, store)
		c, _ := store.CampaignBySlug(ctx, "no-tech-for-ice")
		sigs := []*models.Signature{{CampaignID: c.ID, FirstName: "A", Email: "a@example.org"}, {CampaignID: c.ID, FirstName: "B", Email: "b@example.org"}}
		if _, err := store.AddSignatures(ctx, sigs); err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		claimed, err := store.ClaimMail(ctx, now, 1, time.Minute)
		if err != nil || len(claimed) != 1 {
			t.Fatalf("claim: %d, %v", len(claimed), err)
		}
		if again, _ := store.ClaimMail(ctx, now, 5, time.Minute); len(again) != 1 || again[0].ID == claimed[0].ID {
			t.Fatalf("a second claim took %+v", again)
		}
		if err := store.MarkMailSent(ctx, claimed[0].ID, now); err != nil {
			t.Fatal(err)
		}
		if n, err := store.PurgeMail(ctx, now.Add(-time.Hour)); err != nil || n != 0 {
			t.Fatalf("purge before the keep time: %d %v", n, err)
		}
		if n, err := store.PurgeMail(ctx, now.Add(time.Hour)); err != nil || n != 1 {
			t.Fatalf("purge after the keep time: %d %v", n, err)
		}
		sent, _ := store.OutboxPage(ctx, models.MailSent, 0, 10)
		queued, _ := store.OutboxPage(ctx, models.MailQueued, 0, 10)
		if len(sent) != 1 || sent[0].ToEmail != "" || !sent[0].Purged || len(queued) != 1 || queued[0].ToEmail == "" {
			t.Errorf("sent %+v queued %+v", sent, queued)
		}
	})
}
