package models_test

import (
	"context"
	"regexp"
	"testing"

	"campaigntrack/models"
	"campaigntrack/testdb"
)

// TestSiteIDIsMadeOncePerDatabase: each database gets its own random name,
// which migrating again does not change.
func TestSiteIDIsMadeOncePerDatabase(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		id, err := store.SiteID(ctx)
		if err != nil || !regexp.MustCompile(`^[a-z2-7]{16}$`).MatchString(id) {
			t.Fatalf("site id %q, %v", id, err)
		}
		if _, _, err := store.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if again, _ := store.SiteID(ctx); again != id {
			t.Errorf("site id changed from %q to %q", id, again)
		}
		if other, _ := testdb.Open(t, testdb.SQLite).SiteID(ctx); other == id {
			t.Errorf("two databases share the site id %q", id)
		}
	})
}
