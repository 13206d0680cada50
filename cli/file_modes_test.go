package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"campaigntrack/testdb"
)

// TestPersonalFilesAreOwnerOnlyEvenOverAnOldFile: the signature export
// and the reject file are 0600 when they replace a file that was there,
// world-readable (os.OpenFile's mode only applies to a new file), and
// under umask 000.
func TestPersonalFilesAreOwnerOnlyEvenOverAnOldFile(t *testing.T) {
	testdb.PermissiveUmask(t)
	db := seededDB(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "export.csv")
	rejects := filepath.Join(dir, "rejects.csv")
	for _, p := range []string{out, rejects} {
		if err := os.WriteFile(p, []byte("an older file\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	file := writeFile(t, dir, "signers.csv", goodCSV+"Dee,Park,not-an-email,,,,,,\r\n")
	if r := run(t, context.Background(), nil, "signatures", "import", "--db", db, "--campaign", "no-tech-for-ice", "--rejects", rejects, file); r.code != 0 {
		t.Fatalf("import: %d %s", r.code, r.stderr)
	}
	if r := run(t, context.Background(), nil, "signatures", "export", "--db", db, "--campaign", "no-tech-for-ice", "--out", out); r.code != 0 {
		t.Fatalf("export: %d %s", r.code, r.stderr)
	}
	for _, p := range []string{out, rejects, db} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %o, want 600", filepath.Base(p), st.Mode().Perm())
		}
	}
}

// TestWorldReadableDatabaseIsMadeOwnerOnly: a database an earlier version
// left world-readable is made 0600 when a command opens it, with a line
// in the log saying so.
func TestWorldReadableDatabaseIsMadeOwnerOnly(t *testing.T) {
	t.Parallel()
	db := seededDB(t)
	if err := os.Chmod(db, 0o644); err != nil {
		t.Fatal(err)
	}
	r := run(t, context.Background(), nil, "migrate", "--db", db)
	if r.code != 0 {
		t.Fatalf("migrate: %d %s", r.code, r.stderr)
	}
	if st, _ := os.Stat(db); st.Mode().Perm() != 0o600 {
		t.Errorf("the database is still mode %o", st.Mode().Perm())
	}
	if !strings.Contains(r.stderr, "owner only") || !strings.Contains(r.stderr, db) {
		t.Errorf("no log line names the file made owner-only:\n%s", r.stderr)
	}
}
