package testdb

import (
	"context"
	"os"
	"syscall"
	"testing"

	"campaigntrack/models"
)

// Helpers for tests of the files a database is kept in (modes, backups).

// OpenFile opens and migrates the SQLite database at path as the server
// does (WAL), and closes it when the test ends.
func OpenFile(t testing.TB, path string) *models.Store {
	t.Helper()
	db, err := models.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	store := models.NewStore(db)
	t.Cleanup(func() { store.Close() })
	if _, _, err := store.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return store
}

// PermissiveUmask runs the rest of the test under umask 000, as a careless
// service manager might. The umask is the process's: only a serial test
// (no t.Parallel) may call it.
func PermissiveUmask(t testing.TB) {
	old := syscall.Umask(0)
	t.Cleanup(func() { syscall.Umask(old) })
}

// Perm is the permission bits of the file at path.
func Perm(t testing.TB, path string) os.FileMode {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Mode().Perm()
}
