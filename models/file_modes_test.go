package models_test

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"campaigntrack/models"
)

// permissiveUmask runs the test under umask 000, as a careless service
// file might set, so that only the modes the code asks for count.
func permissiveUmask(t *testing.T) {
	old := syscall.Umask(0)
	t.Cleanup(func() { syscall.Umask(old) })
}

func perm(t *testing.T, path string) os.FileMode {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Mode().Perm()
}

// TestNewSQLiteDatabaseIsOwnerOnly: a database the app creates, and the
// -wal and -shm files SQLite makes beside it (with the database's mode),
// are readable by their owner only, whatever the umask.
func TestNewSQLiteDatabaseIsOwnerOnly(t *testing.T) {
	t.Parallel()
	permissiveUmask(t)
	_, _, path := liveDB(t)
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if m := perm(t, p); m != 0o600 {
			t.Errorf("%s: mode %o, want 600", filepath.Base(p), m)
		}
	}
}

// TestSecureSQLiteFilesTightensAnExistingDatabase: a database made
// world-readable by an earlier version is made owner-only, and the files
// that changed are named (the server logs them).
func TestSecureSQLiteFilesTightensAnExistingDatabase(t *testing.T) {
	t.Parallel()
	permissiveUmask(t)
	store, _, path := liveDB(t)
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		os.Chmod(p, 0o644)
	}
	changed, err := models.SecureSQLiteFiles(path)
	if err != nil || len(changed) != 3 {
		t.Fatalf("SecureSQLiteFiles = %q, %v; want the three files", changed, err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if m := perm(t, p); m != 0o600 {
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

// TestBackupIsOwnerOnly: a backup holds every signer; it is 0600.
func TestBackupIsOwnerOnly(t *testing.T) {
	t.Parallel()
	permissiveUmask(t)
	store, _, _ := liveDB(t)
	backup := filepath.Join(t.TempDir(), "b.backup")
	if _, err := store.BackupTo(context.Background(), backup, models.BackupOptions{}); err != nil {
		t.Fatal(err)
	}
	if m := perm(t, backup); m != 0o600 {
		t.Errorf("backup mode %o, want 600", m)
	}
}
