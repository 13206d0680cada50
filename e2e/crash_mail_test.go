package e2e

import (
	"context"
	"fmt"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"campaigntrack/mail/mailtest"
	"campaigntrack/models"
	"campaigntrack/seed"
	"campaigntrack/testdb"
)

// crashMailSigners is how many signers an update goes to in the crash
// test, and crashMailAfter how many must have arrived before the kill:
// enough that the sender is in full flow when it dies.
const (
	crashMailSigners = 3000
	crashMailAfter   = 500
)

// TestCrashWhileSendingLosesNoMail kills the server with SIGKILL while its
// sender hands an update to a real SMTP server (mailtest, on loopback),
// restarts it, and checks that every signer got the update and that none
// got it twice but the one message whose acceptance was in flight when
// the server died (a message is marked sent only after the server took
// it, and sent one at a time).
func TestCrashWhileSendingLosesNoMail(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "campaigntrack.db")
	gdb, err := models.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	store := models.NewStore(gdb)
	defer store.Close()
	if _, _, err := store.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := seed.Load(ctx, store); err != nil {
		t.Fatal(err)
	}
	cp, err := store.CampaignBySlug(ctx, demoSlug)
	if err != nil {
		t.Fatal(err)
	}
	sigs := make([]*models.Signature, crashMailSigners)
	for i := range sigs {
		sigs[i] = &models.Signature{FirstName: "Signer", Email: fmt.Sprintf("signer%05d@example.org", i), SendUpdates: true, Origin: "import: test"}
	}
	if _, err := store.ImportSignatures(ctx, cp.ID, testdb.Source(t, store, cp.ID, "Test list"), sigs); err != nil {
		t.Fatal(err)
	}
	news := &models.News{CampaignID: cp.ID, Subject: "Delivered in Seattle", Body: "We handed the petition to Amazon."}
	if err := store.SendNews(ctx, models.CommandLine, news); err != nil || news.Recipients != crashMailSigners {
		t.Fatalf("send news: %d recipients, %v", news.Recipients, err)
	}

	smtp := mailtest.Start(t)
	server, _ := startServerProc(t, "campaigntrack (to be killed while sending)", db, "--smtp-url", smtp.URL(), "--access-log=false", "--seed", "none")
	deadline := time.Now().Add(loadTimeout)
	for len(smtp.Messages()) < crashMailAfter {
		if !server.running() {
			t.Fatalf("the server exited (%s) before it was killed", server.state())
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d messages arrived in %s", len(smtp.Messages()), loadTimeout)
		}
		time.Sleep(5 * time.Millisecond)
	}
	server.signal(t, syscall.SIGKILL, stopTimeout)
	atKill := len(smtp.Messages())
	if atKill >= crashMailSigners {
		t.Fatalf("every message went before the kill (%d): the test proves nothing", atKill)
	}

	startServerProc(t, "campaigntrack (restarted)", db, "--smtp-url", smtp.URL(), "--access-log=false", "--seed", "none")
	for {
		stats, err := store.MailStats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if stats.ByStatus[models.MailSent] == crashMailSigners {
			break
		}
		if stats.ByStatus[models.MailFailed] > 0 || time.Now().After(deadline) {
			t.Fatalf("after the restart: %+v", stats)
		}
		time.Sleep(20 * time.Millisecond)
	}
	got := map[string]int{}
	for _, m := range smtp.Messages() {
		got[m.To[0]]++
	}
	twice := 0
	for _, s := range sigs {
		switch n := got[s.Email]; {
		case n == 0:
			t.Errorf("%s never got the update", s.Email)
		case n > 1:
			twice++
		}
	}
	t.Logf("%d messages before the kill, %d in all, %d signers got it twice", atKill, len(smtp.Messages()), twice)
	if twice > 1 {
		t.Errorf("%d signers got the update twice; at most the one in flight may", twice)
	}
}
