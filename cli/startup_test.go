package cli_test

import (
	"context"
	"net/url"
	"os"
	"strings"
	"testing"

	"campaigntrack/models"
	"campaigntrack/testdb"
)

// oneLine checks a refused start-up: exit 1 and one line on stderr that
// names the reason and never a password.
func oneLine(t *testing.T, r result, reason string) {
	t.Helper()
	msg := strings.TrimSpace(r.stderr)
	if r.code != 1 || strings.Contains(msg, "\n") || !strings.Contains(msg, reason) || strings.Contains(msg, "s3cret") {
		t.Errorf("exit %d, stderr %q; want one line naming %q, without the password", r.code, r.stderr, reason)
	}
}

// A PostgreSQL account the server refuses (here a role that does not
// exist: this machine trusts every password of a known role) stops
// start-up with one line.
func TestServeRefusesAPostgresAccount(t *testing.T) {
	t.Parallel()
	base := os.Getenv(testdb.PostgresEnv)
	if base == "" {
		t.Skip("needs PostgreSQL: set " + testdb.PostgresEnv)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword("no_such_role_ct", "s3cret")
	r := run(t, context.Background(), nil, "serve", "--db", u.String(), "--addr", "127.0.0.1:0")
	oneLine(t, r, "cannot open database")
}

// A database of a newer schema than the binary knows is refused by serve
// and migrate alike, and left as it was: no migration, no demo campaign.
func TestStartUpRefusesANewerSchemaAndTouchesNothing(t *testing.T) {
	t.Parallel()
	for _, e := range testdb.Engines {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			dsn := e.DSN(t)
			db, err := models.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			store := models.NewStore(db)
			if _, _, err := store.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			future := models.SchemaVersion() + 3
			if err := db.Exec("INSERT INTO schema_version (version, description, applied_at) VALUES (?, 'from the future', CURRENT_TIMESTAMP)", future).Error; err != nil {
				t.Fatal(err)
			}
			store.Close()

			for _, cmd := range []string{"serve", "migrate"} {
				r := run(t, ctx, nil, cmd, "--db", dsn, "--addr", "127.0.0.1:0")
				oneLine(t, r, "newer than this binary knows")
			}

			db, err = models.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer models.NewStore(db).Close()
			var versions, campaigns int64
			db.Raw("SELECT COUNT(*) FROM schema_version").Scan(&versions)
			db.Raw("SELECT COUNT(*) FROM campaigns").Scan(&campaigns)
			if versions != int64(models.SchemaVersion())+1 || campaigns != 0 {
				t.Errorf("after the refusals: %d schema versions, %d campaigns; want %d and none", versions, campaigns, models.SchemaVersion()+1)
			}
		})
	}
}
