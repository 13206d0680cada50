package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// seededWithSigners is seededDB with the three signatures of goodCSV.
func seededWithSigners(t *testing.T) string {
	t.Helper()
	db := seededDB(t)
	file := writeFile(t, t.TempDir(), "signers.csv", goodCSV)
	if r := run(t, context.Background(), nil, "signatures", "import", "--db", db, "--campaign", "no-tech-for-ice", file); r.code != 0 {
		t.Fatalf("import: %d %s", r.code, r.stderr)
	}
	return db
}

func TestBackupCommand(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := seededWithSigners(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "ct.backup")

	r := run(t, ctx, nil, "backup", "--db", db, out)
	t.Logf("$ campaigntrack backup --db %s %s\n%s%s(exit %d)", db, out, r.stdout, r.stderr, r.code)
	want := regexp.MustCompile(`^wrote ` + regexp.QuoteMeta(out) + ` \(\d+\.\d kB, schema version \d+, integrity ok\): 1 campaign, 3 signatures, \d+ deliveries, 0 users; took \d+ms\n$`)
	if r.code != 0 || !want.MatchString(r.stdout) || r.stderr != "" {
		t.Fatalf("backup: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	first, _ := os.ReadFile(out)

	r = run(t, ctx, nil, "backup", "--db", db, out)
	t.Logf("$ campaigntrack backup --db %s %s   (again)\n%s%s(exit %d)", db, out, r.stdout, r.stderr, r.code)
	if r.code != 1 || !strings.Contains(r.stderr, out+" already exists: name a new file, or give --force to replace it") {
		t.Errorf("backup over an existing file: exit %d, stderr %q", r.code, r.stderr)
	}
	if now, _ := os.ReadFile(out); !bytes.Equal(now, first) {
		t.Errorf("a refused backup changed the existing file")
	}
	// --force, before or after the file.
	for _, args := range [][]string{{"--force", out}, {out, "--force"}, {"--force=true", out}} {
		if r := run(t, ctx, nil, append([]string{"backup", "--db", db}, args...)...); r.code != 0 || !strings.HasPrefix(r.stdout, "wrote "+out) {
			t.Errorf("backup %v: exit %d, %q %q", args, r.code, r.stdout, r.stderr)
		}
	}
	// The database from the environment, as every command takes it.
	envOut := filepath.Join(dir, "from-env.backup")
	if r := run(t, ctx, map[string]string{"CAMPAIGNTRACK_DB": db}, "backup", envOut); r.code != 0 {
		t.Errorf("backup with CAMPAIGNTRACK_DB: exit %d, %q", r.code, r.stderr)
	}

	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--db", db}, 2, "give one file to write the backup to"},
		{[]string{"--db", db, out, out + "2"}, 2, "give one file to write the backup to"},
		{[]string{"--db", db, filepath.Join(dir, "missing", "x.backup")}, 1, "directory " + filepath.Join(dir, "missing") + " does not exist"},
		{[]string{"--db", db, db}, 1, "that is the database itself"},
		{[]string{"--db", filepath.Join(dir, "typo.db"), filepath.Join(dir, "y.backup")}, 1, "no database at " + filepath.Join(dir, "typo.db")},
		{[]string{"--db", "postgres://campaigner:s3cret@db.example.org/campaigntrack", out}, 1, "pg_dump --format=custom --file=campaigntrack.dump postgres://campaigner@db.example.org/campaigntrack"},
	} {
		r := run(t, ctx, nil, append([]string{"backup"}, c.args...)...)
		if r.code != c.code || !strings.Contains(r.stderr, c.want) || strings.Count(r.stderr, "\n") != 1 || strings.Contains(r.stderr, "s3cret") {
			t.Errorf("backup %v: exit %d, stderr %q; want exit %d and one line naming %q", c.args, r.code, r.stderr, c.code, c.want)
		}
		if c.code == 1 && strings.HasPrefix(c.args[1], "postgres") {
			t.Logf("$ campaigntrack backup --db postgres://campaigner:s3cret@db.example.org/campaigntrack ct.backup\n%s(exit %d)", r.stderr, r.code)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "typo.db")); !os.IsNotExist(err) {
		t.Errorf("a backup of a missing database created it (%v)", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 2 {
		t.Errorf("files in the backup directory: %v; want the two backups", ents)
	}
}

func TestRestoreCommand(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	source := seededWithSigners(t)
	backup := filepath.Join(t.TempDir(), "ct.backup")
	if r := run(t, ctx, nil, "backup", "--db", source, backup); r.code != 0 {
		t.Fatalf("backup: %d %s", r.code, r.stderr)
	}
	target := seededDB(t) // the demo campaign, no signatures
	before, _ := os.ReadFile(target)

	// Without --yes: the check's report and what would happen; nothing changes.
	r := run(t, ctx, nil, "restore", "--db", target, backup)
	t.Logf("$ campaigntrack restore --db %s %s\n%s%s(exit %d)", target, backup, r.stdout, r.stderr, r.code)
	if r.code != 0 || !strings.Contains(r.stdout, backup+" is a good backup (") ||
		!regexp.MustCompile(`integrity ok\): 1 campaign, 3 signatures, \d+ deliveries, 0 users\n`).MatchString(r.stdout) ||
		!strings.Contains(r.stdout, "would put it in place of "+target+", keeping the current database as "+target+".before-restore-<time>; stop the server first, then run again with --yes\n") {
		t.Fatalf("restore without --yes: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if now, _ := os.ReadFile(target); !bytes.Equal(now, before) {
		t.Fatal("restore without --yes changed the database")
	}

	r = run(t, ctx, nil, "restore", "--db", target, "--yes", backup)
	t.Logf("$ campaigntrack restore --db %s --yes %s\n%s%s(exit %d)", target, backup, r.stdout, r.stderr, r.code)
	kept := regexp.MustCompile(`the database it replaced is kept as (\S+)\n`).FindStringSubmatch(r.stdout)
	if r.code != 0 || !strings.Contains(r.stdout, "restored "+target+" from "+backup+"; ") || kept == nil {
		t.Fatalf("restore --yes: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	store, c := openDB(t, target)
	if n, _ := store.SignatureCount(ctx, c.ID); n != 3 {
		t.Errorf("restored database: %d signatures, the backup has 3", n)
	}
	// The replaced database is kept whole (in one file: its write-ahead
	// log, if any, is folded in first, so it is not byte for byte the same).
	oldStore, oldCampaign := openDB(t, kept[1])
	if n, _ := oldStore.SignatureCount(ctx, oldCampaign.ID); n != 0 {
		t.Errorf("the kept database has %d signatures, it had 0", n)
	}

	// Into a path where there is no database yet.
	fresh := filepath.Join(t.TempDir(), "new.db")
	r = run(t, ctx, nil, "restore", "--db", fresh, backup)
	if r.code != 0 || !strings.Contains(r.stdout, "would put it at "+fresh+" (there is no database there now)") {
		t.Errorf("restore into a new path without --yes: exit %d, %q", r.code, r.stdout)
	}
	r = run(t, ctx, nil, "restore", "--yes", "--db", fresh, backup)
	if r.code != 0 || !strings.Contains(r.stdout, "restored "+fresh+" from "+backup+" (there was no database there)") {
		t.Errorf("restore --yes into a new path: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}

	notes := writeFile(t, t.TempDir(), "notes.txt", "these are my notes, not a database at all")
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--db", target, "--yes", notes}, 1, notes + ": not a SQLite database"},
		{[]string{"--db", target, notes}, 1, notes + ": not a SQLite database"},
		{[]string{"--db", filepath.Join(t.TempDir(), "missing", "x.db"), backup}, 1, "does not exist"},
		{[]string{"--db", target, "--yes"}, 2, "give one backup file to restore from"},
		{[]string{"--db", target, backup, backup}, 2, "give one backup file to restore from"},
		{[]string{"--db", "postgres://campaigner:s3cret@db.example.org/campaigntrack", "--yes", backup}, 1, "pg_restore --clean --if-exists --no-owner --dbname=postgres://campaigner@db.example.org/campaigntrack campaigntrack.dump"},
	} {
		before, _ := os.ReadFile(target)
		r := run(t, ctx, nil, append([]string{"restore"}, c.args...)...)
		if r.code != c.code || !strings.Contains(r.stderr, c.want) || strings.Count(r.stderr, "\n") != 1 || strings.Contains(r.stderr, "s3cret") {
			t.Errorf("restore %v: exit %d, stderr %q; want exit %d and one line naming %q", c.args, r.code, r.stderr, c.code, c.want)
		}
		if now, _ := os.ReadFile(target); !bytes.Equal(now, before) {
			t.Errorf("restore %v changed the database", c.args)
		}
		if c.code == 1 {
			t.Logf("$ campaigntrack restore %s\n%s(exit %d)", strings.Join(c.args, " "), r.stderr, r.code)
		}
	}
}

// TestRestoreCommandRefusesARunningServer: the server's open connections
// stop a restore, however idle it is.
func TestRestoreCommandRefusesARunningServer(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := seededDB(t)
	backup := filepath.Join(t.TempDir(), "ct.backup")
	if r := run(t, ctx, nil, "backup", "--db", db, backup); r.code != 0 {
		t.Fatalf("backup: %d %s", r.code, r.stderr)
	}
	store, _ := openDB(t, db) // a server, as far as SQLite can tell
	if err := store.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	r := run(t, ctx, nil, "restore", "--db", db, "--yes", backup)
	t.Logf("$ campaigntrack restore --db %s --yes %s   (server running)\n%s%s(exit %d)", db, backup, r.stdout, r.stderr, r.code)
	if r.code != 1 || !strings.Contains(r.stderr, "the database is in use") || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("restore under a running server: exit %d, stderr %q", r.code, r.stderr)
	}
	store.Close()
	if r := run(t, ctx, nil, "restore", "--db", db, "--yes", backup); r.code != 0 {
		t.Errorf("restore once the server stopped: exit %d, %q", r.code, r.stderr)
	}
}

func TestHelpListsBackupAndRestore(t *testing.T) {
	t.Parallel()
	r := run(t, context.Background(), nil, "--help")
	for _, cmd := range []string{"backup", "restore"} {
		if !strings.Contains(r.stdout, "\n  "+cmd+" ") {
			t.Errorf("--help does not list %s:\n%s", cmd, r.stdout)
		}
	}
	r = run(t, context.Background(), nil, "backup", "--help")
	if r.code != 0 || !strings.Contains(r.stderr+r.stdout, "-force") {
		t.Errorf("backup --help: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	r = run(t, context.Background(), nil, "restore", "--help")
	if r.code != 0 || !strings.Contains(r.stderr+r.stdout, "-yes") {
		t.Errorf("restore --help: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
}
