package models_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"campaigntrack/models"
	"campaigntrack/seed"
	"campaigntrack/testdb"
)

const goodPassword = "correct horse battery"

func TestPasswordHashing(t *testing.T) {
	t.Parallel()
	h, err := models.HashPassword(goodPassword)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q does not carry the OWASP Argon2id parameters", h)
	}
	if !models.VerifyPassword(h, goodPassword) || models.VerifyPassword(h, goodPassword+"x") {
		t.Fatal("verify accepts the wrong password or refuses the right one")
	}
	for _, bad := range []string{"", "$argon2id$", "plain", "$argon2id$v=19$m=0,t=0,p=0$$", strings.Replace(h, "m=19456", "m=99999999", 1)} {
		if models.VerifyPassword(bad, goodPassword) {
			t.Errorf("a malformed hash %q verified", bad)
		}
	}
	if err := models.CheckPasswordStrength("short"); err == nil || !strings.Contains(err.Error(), "12") {
		t.Errorf("short password: %v", err)
	}
}

func TestUsersAndAuthentication(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		admin, err := store.CreateUser(ctx, models.CommandLine, "  Admin@Example.ORG ", models.RoleAdmin, goodPassword)
		if err != nil {
			t.Fatal(err)
		}
		if admin.Email != "admin@example.org" {
			t.Errorf("email stored as %q, want it normalised", admin.Email)
		}
		if _, err := store.CreateUser(ctx, models.CommandLine, "admin@example.org", models.RoleViewer, goodPassword); !errors.Is(err, models.ErrEmailTaken) {
			t.Errorf("duplicate email: %v", err)
		}
		_, err = store.CreateUser(ctx, models.CommandLine, "not-an-email", "boss", "short")
		var fe models.FieldErrors
		if !errors.As(err, &fe) || fe["email"] == "" || fe["role"] == "" || fe["password"] == "" {
			t.Errorf("bad user: %v, want errors naming email, role and password", err)
		}

		if u, err := store.Authenticate(ctx, "ADMIN@example.org", goodPassword); err != nil || u.ID != admin.ID || u.LastLoginAt == nil {
			t.Fatalf("right password: %+v, %v", u, err)
		}
		viewer, _ := store.CreateUser(ctx, models.CommandLine, "viewer@example.org", models.RoleViewer, goodPassword)
		if err := store.SetDisabled(ctx, models.UserActor(admin), viewer.ID, true); err != nil {
			t.Fatal(err)
		}
		for _, c := range [][2]string{{"admin@example.org", "wrong password!"}, {"nobody@example.org", goodPassword}, {"viewer@example.org", goodPassword}} {
			if _, err := store.Authenticate(ctx, c[0], c[1]); err != models.ErrBadCredentials {
				t.Errorf("Authenticate(%s) = %v, want ErrBadCredentials", c[0], err)
			}
		}

		// The last enabled admin can neither be disabled nor demoted.
		if err := store.SetDisabled(ctx, models.CommandLine, admin.ID, true); !errors.Is(err, models.ErrLastAdmin) {
			t.Errorf("disable the last admin: %v", err)
		}
		if err := store.SetRole(ctx, models.CommandLine, admin.ID, models.RoleViewer); !errors.Is(err, models.ErrLastAdmin) {
			t.Errorf("demote the last admin: %v", err)
		}

		before := time.Now().UTC().Add(-time.Second)
		if err := store.SetPassword(ctx, models.CommandLine, admin.ID, "another long password"); err != nil {
			t.Fatal(err)
		}
		u, _ := store.UserByID(ctx, admin.ID)
		if u.SessionsNotBefore == nil || u.SessionsNotBefore.Before(before) {
			t.Errorf("a password change did not end earlier sessions: %v", u.SessionsNotBefore)
		}
		entries, _ := store.AuditForRecord(ctx, "user", admin.ID)
		var sawPassword bool
		for _, e := range entries {
			if strings.Contains(e.Changes, "argon2id") {
				t.Errorf("the audit log holds a password hash: %s", e.Changes)
			}
			if _, ok := e.ChangeSet()["Password"]; ok {
				sawPassword = true
			}
		}
		if !sawPassword {
			t.Error("the password change is not in the audit log")
		}
	})
}

func TestLoginThrottle(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		for i := 1; i <= models.MaxAccountFailures; i++ {
			if _, throttled, _, err := store.BeginLogin(ctx, "a@example.org", "192.0.2.1"); err != nil || throttled {
				t.Fatalf("attempt %d throttled=%v err=%v", i, throttled, err)
			}
		}
		_, throttled, until, err := store.BeginLogin(ctx, "A@example.org", "198.51.100.7")
		if err != nil || !throttled || until.Before(time.Now()) {
			t.Fatalf("attempt %d: throttled=%v until=%v err=%v", models.MaxAccountFailures+1, throttled, until, err)
		}
		// Another account from another address is not affected.
		if _, throttled, _, _ := store.BeginLogin(ctx, "b@example.org", "198.51.100.7"); throttled {
			t.Error("another account was throttled")
		}
		// A success clears the account's run of failures.
		id, throttled, _, err := store.BeginLogin(ctx, "c@example.org", "192.0.2.50")
		if err != nil || throttled {
			t.Fatal(throttled, err)
		}
		for range models.MaxAccountFailures - 1 {
			store.BeginLogin(ctx, "c@example.org", "192.0.2.50")
		}
		store.LoginSucceeded(ctx, id)
		// id was the first of the nine, so eight failures follow the success.
		if _, throttled, _, _ := store.BeginLogin(ctx, "c@example.org", "192.0.2.50"); throttled {
			t.Error("failures before a success still counted")
		}
		// One address failing on many accounts is throttled on all of them.
		for i := range models.MaxIPFailures {
			store.BeginLogin(ctx, "user"+strconv.Itoa(i)+"@example.org", "203.0.113.9")
		}
		if _, throttled, _, _ := store.BeginLogin(ctx, "fresh@example.org", "203.0.113.9"); !throttled {
			t.Error("an address with many failures was not throttled")
		}
	})
}

// TestLoginThrottleHoldsUnderConcurrency: attempts that arrive at once are
// counted before any is checked, so no more than the limit get through,
// however many race (the check-then-record throttle let all 40 through).
func TestLoginThrottleHoldsUnderConcurrency(t *testing.T) {
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		for _, tc := range []struct {
			name, ip string
			email    func(i int) string
			limit    int
		}{
			{"one account", "192.0.2.7", func(int) string { return "target@example.org" }, models.MaxAccountFailures},
			{"one address", "192.0.2.8", func(i int) string { return "u" + strconv.Itoa(i) + "@example.org" }, models.MaxIPFailures},
		} {
			var passed atomic.Int64
			var wg sync.WaitGroup
			for i := range 60 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, throttled, _, err := store.BeginLogin(ctx, tc.email(i), tc.ip)
					if err != nil {
						t.Error(err)
					}
					if !throttled {
						passed.Add(1)
					}
				}()
			}
			wg.Wait()
			// Fewer may pass, none among them even: an attempt about to be
			// refused still counts against the others while its row exists.
			if n := passed.Load(); n > int64(tc.limit) {
				t.Errorf("%s: %d of 60 concurrent attempts got through; the limit is %d", tc.name, n, tc.limit)
			}
		}
	})
}

// Whoever reads the database, or a backup, holds no session: the table
// keeps a hash of each token, never the cookie's value.
func TestSessionTokensAreStoredHashed(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		ss := store.Sessions()
		const token = "the-cookie-value-an-attacker-would-replay"
		if err := ss.CommitCtx(ctx, token, []byte("data"), time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		keys, err := store.SessionKeysForTest(ctx)
		if err != nil || len(keys) != 1 {
			t.Fatalf("keys %v, %v", keys, err)
		}
		if keys[0] == token || strings.Contains(keys[0], token) || len(keys[0]) != 64 {
			t.Errorf("the sessions table keeps %q for token %q", keys[0], token)
		}
		// The stored key itself is no session.
		if _, found, _ := ss.FindCtx(ctx, keys[0]); found {
			t.Error("the stored key works as a token")
		}
		if b, found, err := ss.FindCtx(ctx, token); err != nil || !found || string(b) != "data" {
			t.Errorf("the token no longer finds its session: %q %v %v", b, found, err)
		}
	})
}

// Sessions made before tokens were hashed are ended by the migration
// that brought the hashing in (version 7).
func TestMigrationEndsSessionsStoredInTheClear(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		for _, sql := range []string{
			"DELETE FROM schema_version WHERE version >= 7",
			// migration 14, undone so that it runs again
			"ALTER TABLE mail_news DROP COLUMN subject_es", "ALTER TABLE mail_news DROP COLUMN body_es", "ALTER TABLE mail_news DROP COLUMN quote_es",
			// migration 12, undone so that it runs again
			"ALTER TABLE campaigns DROP COLUMN title_es", "ALTER TABLE campaigns DROP COLUMN demand_es", "ALTER TABLE campaigns DROP COLUMN summary_es", "ALTER TABLE petitions DROP COLUMN heading_es", "ALTER TABLE petitions DROP COLUMN body_es", "ALTER TABLE count_claims DROP COLUMN wording_es", "ALTER TABLE deliveries DROP COLUMN outcome_es", "ALTER TABLE deliveries DROP COLUMN packet_lang", "ALTER TABLE actions DROP COLUMN title_es", "ALTER TABLE actions DROP COLUMN description_es", "ALTER TABLE responses DROP COLUMN summary_es", "ALTER TABLE responses DROP COLUMN quote_es", "ALTER TABLE signatures DROP COLUMN lang", "ALTER TABLE mail_outbox DROP COLUMN to_lang",
			// migration 11, undone so that it runs again
			"DROP TABLE packets", "ALTER TABLE campaigns DROP COLUMN packet_names",
			// migration 10, undone so that it runs again
			"ALTER TABLE import_jobs DROP COLUMN source_id", "ALTER TABLE import_jobs DROP COLUMN credited",
			"DROP TABLE delivery_counts", "DROP TABLE email_rules", "DROP TABLE source_pairs", "DROP TABLE source_counts",
			"DROP TABLE source_signatures", "ALTER TABLE signatures DROP COLUMN source_id", "DROP TABLE signature_sources",
			"ALTER TABLE signatures DROP COLUMN email", "ALTER TABLE signatures RENAME COLUMN identity TO email",
			// migration 9, undone so that it runs again
			"DROP TABLE mail_outbox", "DROP TABLE mail_news", "DROP INDEX signatures_pending",
			"DROP INDEX signatures_public", "ALTER TABLE signatures DROP COLUMN confirmed_at",
			"CREATE INDEX signatures_public ON signatures (campaign_id, id) WHERE show_name",
			"ALTER TABLE signatures DROP COLUMN noticed_at", "ALTER TABLE signature_counters DROP COLUMN pending",
			"ALTER TABLE campaigns DROP COLUMN confirm_signatures",
			"DROP TABLE campaign_slugs",
			"DELETE FROM app_state WHERE key = 'site_id'", // migration 8 makes it again
			"INSERT INTO sessions (token, data, expiry) VALUES ('plain-old-token', 'x', '2999-01-01 00:00:00')",
		} {
			if err := store.ExecForTest(ctx, sql); err != nil {
				t.Fatal(err)
			}
		}
		if _, _, err := store.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if keys, _ := store.SessionKeysForTest(ctx); len(keys) != 0 {
			t.Errorf("sessions left after the migration: %v", keys)
		}
	})
}

func TestSessionStore(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		ss := store.Sessions()
		if err := ss.CommitCtx(ctx, "tok", []byte{1, 2, 3}, time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := ss.CommitCtx(ctx, "tok", []byte{4, 5}, time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		b, found, err := ss.FindCtx(ctx, "tok")
		if err != nil || !found || string(b) != "\x04\x05" {
			t.Fatalf("find = %v %v %v", b, found, err)
		}
		ss.CommitCtx(ctx, "old", []byte{1}, time.Now().Add(-time.Minute))
		if _, found, _ := ss.FindCtx(ctx, "old"); found {
			t.Error("an expired session was found")
		}
		if n, err := store.PruneExpired(ctx); err != nil || n != 1 {
			t.Errorf("prune = %d, %v; want the one expired session", n, err)
		}
		if err := ss.DeleteCtx(ctx, "tok"); err != nil {
			t.Fatal(err)
		}
		if _, found, _ := ss.FindCtx(ctx, "tok"); found {
			t.Error("a deleted session was found")
		}
	})
}

func TestCampaignEditsAreValidatedScopedAndAudited(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		seed.Load(ctx, store)
		admin, _ := store.CreateUser(ctx, models.CommandLine, "admin@example.org", models.RoleAdmin, goodPassword)
		actor := models.UserActor(admin)
		c, _ := store.CampaignBySlug(ctx, "no-tech-for-ice")

		if _, err := store.UpdateCampaign(ctx, actor, c.ID, func(c *models.Campaign) { c.SignatureGoal = 300000; c.Title = "" }); err == nil {
			t.Fatal("an empty title was accepted")
		}
		if _, err := store.UpdateCampaign(ctx, actor, c.ID, func(c *models.Campaign) { c.SignatureGoal = 300000 }); err != nil {
			t.Fatal(err)
		}
		entries, _ := store.AuditForRecord(ctx, "campaign", c.ID)
		if len(entries) != 1 || entries[0].UserEmail != "admin@example.org" || entries[0].Action != models.AuditUpdate {
			t.Fatalf("audit = %+v", entries)
		}
		ch := entries[0].ChangeSet()
		if len(ch) != 1 || ch["SignatureGoal"].After != float64(300000) || ch["SignatureGoal"].Before != float64(0) {
			t.Errorf("changes = %+v, want only the goal from 0 to 300000", ch)
		}

		other := &models.Campaign{Slug: "second", Title: "Second", Target: "Palantir", Demand: "Drop the ICE contract"}
		if err := store.CreateCampaign(ctx, actor, other); err != nil {
			t.Fatal(err)
		}
		dup := &models.Campaign{Slug: "second", Title: "Dup", Target: "X", Demand: "Y"}
		var fe models.FieldErrors
		if err := store.CreateCampaign(ctx, actor, dup); !errors.As(err, &fe) || fe["slug"] == "" {
			t.Errorf("duplicate slug: %v", err)
		}

		claim := &models.CountClaim{Count: 1000, ClaimedBy: "Us", SourceName: "Our count", Headline: true}
		if err := store.CreateClaim(ctx, actor, other.ID, claim); err != nil {
			t.Fatal(err)
		}
		// A record of one campaign cannot be reached through another.
		if _, err := store.UpdateClaim(ctx, actor, c.ID, claim.ID, func(cl *models.CountClaim) { cl.Count = 1 }); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("editing another campaign's claim: %v", err)
		}
		if err := store.DeleteClaim(ctx, actor, c.ID, claim.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("deleting another campaign's claim: %v", err)
		}
		if err := store.CreateClaim(ctx, actor, other.ID, &models.CountClaim{Count: 5, ClaimedBy: "Someone"}); !errors.As(err, &fe) || fe["source_name"] == "" {
			t.Errorf("a claim without a source: %v", err)
		}
		// A new headline takes the headline from the old one.
		if err := store.CreateClaim(ctx, actor, other.ID, &models.CountClaim{Count: 2000, ClaimedBy: "Them", SourceURL: "https://example.org/", Headline: true}); err != nil {
			t.Fatal(err)
		}
		claims, _ := store.ClaimsFor(ctx, other.ID)
		var headlines int
		for _, cl := range claims {
			if cl.Headline {
				headlines++
			}
		}
		if headlines != 1 || claims[0].Count != 2000 {
			t.Errorf("headlines = %d, first = %+v", headlines, claims[0])
		}
		if err := store.DeleteClaim(ctx, actor, other.ID, claim.ID); err != nil {
			t.Fatal(err)
		}
		entries, _ = store.AuditForRecord(ctx, "claim", claim.ID)
		if len(entries) != 3 || entries[0].Action != models.AuditDelete || entries[0].ChangeSet()["Count"].Before != float64(1000) {
			t.Errorf("claim history = %+v, want create, update (headline moved), delete with the old values", entries)
		}
		campaignLog, _ := store.AuditForCampaign(ctx, other.ID, 50)
		if len(campaignLog) < 4 {
			t.Errorf("campaign log has %d entries", len(campaignLog))
		}
	})
}
