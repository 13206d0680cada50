package models_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"campaigntrack/models"
	"campaigntrack/seed"
	"campaigntrack/testdb"
)

// TestNewSQLiteDatabaseIsOwnerOnly: a database the app creates, and the
// -wal and -shm files SQLite makes beside it (with the database's mode),
// are readable by their owner only, whatever the umask.
func TestNewSQLiteDatabaseIsOwnerOnly(t *testing.T) {
	testdb.PermissiveUmask(t)
	_, path := liveDB(t)
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if m := testdb.Perm(t, p); m != 0o600 {
			t.Errorf("%s: mode %o, want 600", filepath.Base(p), m)
		}
	}
}

// TestSecureSQLiteFilesTightensAnExistingDatabase: a database made
// world-readable by an earlier version is made owner-only, and the files
// that changed are named (the server logs them).
func TestSecureSQLiteFilesTightensAnExistingDatabase(t *testing.T) {
	testdb.PermissiveUmask(t)
	store, path := liveDB(t)
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		os.Chmod(p, 0o644)
	}
	changed, err := models.SecureSQLiteFiles(path)
	if err != nil || len(changed) != 3 {
		t.Fatalf("SecureSQLiteFiles = %q, %v; want the three files", changed, err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if m := testdb.Perm(t, p); m != 0o600 {
			t.Errorf("%s: mode %o, want 600", filepath.Base(p), m)
		}
	}
	if changed, err := models.SecureSQLiteFiles(path); err != nil || len(changed) != 0 {
		t.Errorf("a second time: %q, %v; want nothing to change", changed, err)
	}
	if changed, err := models.SecureSQLiteFiles("postgres://u@h/db"); err != nil || len(changed) != 0 {
		t.Errorf("a PostgreSQL URL: %q, %v", changed, err)
	}
	if err := store.Ping(context.Background()); err != nil {
		t.Errorf("the database no longer answers: %v", err)
	}
}

// liveDB is a migrated SQLite database in its own directory holding the
// demo campaign, opened as the server opens it (WAL, testdb.OpenFile).
func liveDB(t *testing.T) (*models.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "live.db")
	store := testdb.OpenFile(t, path)
	if _, err := seed.Load(context.Background(), store); err != nil {
		t.Fatal(err)
	}
	return store, path
}
