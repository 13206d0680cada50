package backup_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"campaigntrack/backup"
	"campaigntrack/models"
	"campaigntrack/seed"
	"campaigntrack/testdb"
)

// liveDB is a migrated SQLite database in its own directory holding the
// demo campaign, opened as the server opens it (WAL); it is closed when the
// test ends unless the test closes it first.
func liveDB(t *testing.T) (*models.Store, *models.Campaign, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "live.db")
	store := testdb.OpenFile(t, path)
	if _, err := seed.Load(context.Background(), store); err != nil {
		t.Fatal(err)
	}
	c, err := store.CampaignBySlug(context.Background(), "no-tech-for-ice")
	if err != nil {
		t.Fatal(err)
	}
	return store, c, path
}

func signers(prefix string, n int) []*models.Signature {
	sigs := make([]*models.Signature, n)
	for i := range sigs {
		sigs[i] = &models.Signature{FirstName: "Signer", LastName: "Number", Email: fmt.Sprintf("%s%d@example.org", prefix, i),
			City: "Seattle", Region: "WA", Country: "US", PostalCode: "98101", SignedAt: time.Date(2019, 7, 15, 12, 0, 0, 0, time.UTC)}
	}
	return sigs
}

func importSigners(t *testing.T, store *models.Store, c *models.Campaign, prefix string, n int) {
	t.Helper()
	if _, err := store.ImportSignatures(context.Background(), c.ID, testdb.Source(t, store, c.ID, "Test list"), signers(prefix, n)); err != nil {
		t.Fatal(err)
	}
}

// listDir names the files in dir, to show that a refusal left nothing
// behind.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

// countRows counts a table's rows straight from the file's handle
// (models keeps its test-only CountRows to its own tests).
func countRows(t *testing.T, store *models.Store, table string) int64 {
	t.Helper()
	db, err := store.SQLDB()
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	if err := db.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestBackupWhileWritingThenRestore takes a backup while signatures are
// written continuously, from an import loop and through the web path's
// batch writer, and checks that the copy is one consistent moment: every
// kept count equals its rows, and nothing committed before the backup
// began is missing. Then it restores the copy into a new path and opens it
// as the app does.
func TestBackupWhileWritingThenRestore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store, c, _ := liveDB(t)
	// Enough rows that the copy takes a while, so writes land during it.
	importSigners(t, store, c, "before", 20000)

	var (
		stop      = make(chan struct{})
		wg        sync.WaitGroup
		committed atomic.Int64 // signatures whose transaction has committed
		failures  = make(chan error, 8)
	)
	wg.Add(1)
	go func() { // bulk imports, 200 rows a transaction
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := store.ImportSignatures(ctx, c.ID, testdb.Source(t, store, c.ID, "Test list"), signers(fmt.Sprintf("bulk%d-", i), 200)); err != nil {
				failures <- err
				return
			}
			committed.Add(200)
		}
	}()
	w := store.NewSignatureWriter(64)
	for g := range 2 { // the sign form's path: one signature at a time, batched by the writer
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				sig := &models.Signature{CampaignID: c.ID, FirstName: "Web", Email: fmt.Sprintf("web%d-%d@example.org", g, i), City: "Portland", Region: "OR"}
				if err := w.Add(ctx, sig); err != nil {
					failures <- err
					return
				}
				committed.Add(1)
			}
		}()
	}
	// Writes are under way before the backup starts.
	for committed.Load() < 400 {
		time.Sleep(time.Millisecond)
	}
	before, err := store.SignatureCount(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	atStart := committed.Load()
	path := filepath.Join(t.TempDir(), "campaigntrack.backup")
	info, err := backup.To(ctx, store, path, backup.Options{})
	during := committed.Load() - atStart
	close(stop)
	wg.Wait()
	w.Close()
	close(failures)
	for err := range failures {
		t.Fatalf("a writer failed during the backup: %v", err)
	}
	if err != nil {
		t.Fatalf("backup: %v", err)
	}
	after, _ := store.SignatureCount(ctx, c.ID)
	t.Logf("backup of %d bytes: %d signatures committed while it ran; kept count %d before, %d in the copy, %d after", info.Size, during, before, info.Signatures, after)
	if during == 0 {
		t.Errorf("no signature was committed while the backup ran: the test did not test a backup under writes")
	}

	// The copy, read on its own.
	again, err := backup.Check(ctx, path)
	if err != nil {
		t.Fatalf("the backup fails its own check: %v", err)
	}
	if again.Signatures != again.KeptSignatures {
		t.Errorf("the copy's kept count is %d but it holds %d signature rows: not one consistent moment", again.KeptSignatures, again.Signatures)
	}
	if again.Signatures < before || again.Signatures > after {
		t.Errorf("the copy holds %d signatures; committed before the backup: %d, after it: %d", again.Signatures, before, after)
	}
	if again != info {
		t.Errorf("backup.To reported %+v, the check of the file %+v", info, again)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("the backup holds signers' personal data but is mode %v", st.Mode().Perm())
	}
	if names := listDir(t, filepath.Dir(path)); !slices.Equal(names, []string{"campaigntrack.backup"}) {
		t.Errorf("the backup's directory holds %q; want the backup alone", names)
	}

	// Restore it into a new path; the app opens and migrates it.
	target := filepath.Join(t.TempDir(), "restored.db")
	res, err := backup.Restore(ctx, path, target)
	if err != nil {
		t.Fatalf("restore: %v", err)
	}
	if res.KeptAs != "" || res.Backup != info {
		t.Errorf("restore into a new path: %+v", res)
	}
	restored := testdb.OpenFile(t, target)
	rc, err := restored.CampaignBySlug(ctx, "no-tech-for-ice")
	if err != nil {
		t.Fatal(err)
	}
	kept, _ := restored.SignatureCount(ctx, rc.ID)
	rows, _ := restored.SignatureRows(ctx, rc.ID)
	if kept != info.Signatures || rows != info.Signatures {
		t.Errorf("restored database: kept count %d, rows %d; the backup held %d", kept, rows, info.Signatures)
	}
	for table, want := range map[string]int64{"campaigns": info.Campaigns, "deliveries": info.Deliveries, "users": info.Users} {
		if n := countRows(t, restored, table); n != want {
			t.Errorf("restored %s: %d rows, the backup held %d", table, n, want)
		}
	}
	if drifts, err := restored.Recount(ctx); err != nil || len(drifts) != 0 {
		t.Errorf("recount of the restored database: %+v, %v", drifts, err)
	}
}

// TestRestoreRefusesBadBackups: each unusable file is refused with one
// line naming the file and the reason, before anything is touched.
func TestRestoreRefusesBadBackups(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store, c, target := liveDB(t)
	importSigners(t, store, c, "s", 3000)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.backup")
	if _, err := backup.To(ctx, store, good, backup.Options{}); err != nil {
		t.Fatal(err)
	}
	store.Close()
	goodBytes, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, data []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}

	// Garbage over three pages in the middle of a good copy; page 1, the
	// header and schema, stays intact.
	corrupt := bytes.Clone(goodBytes)
	const page = 4096
	mid := len(corrupt) / page / 2 * page
	if _, err := rand.Read(corrupt[mid : mid+3*page]); err != nil {
		t.Fatal(err)
	}
	corruptPath := write("corrupt.backup", corrupt)

	newer := write("newer.backup", goodBytes)
	db, err := sql.Open(sqlite.DriverName, newer)
	if err != nil {
		t.Fatal(err)
	}
	future := models.SchemaVersion() + 3
	if _, err := db.Exec("INSERT INTO schema_version (version, description, applied_at) VALUES (?, 'from the future', CURRENT_TIMESTAMP)", future); err != nil {
		t.Fatal(err)
	}
	db.Close()

	other := filepath.Join(dir, "other.db")
	db, _ = sql.Open(sqlite.DriverName, other)
	if _, err := db.Exec("CREATE TABLE notes (body TEXT)"); err != nil {
		t.Fatal(err)
	}
	db.Close()

	inUse := write("in-use.backup", goodBytes)
	write("in-use.backup-wal", []byte("frames of a write-ahead log"))

	for _, tc := range []struct {
		name, path, reason string
	}{
		{"corrupt", corruptPath, "integrity check failed: "},
		{"not SQLite", write("notes.txt", []byte("these are my notes, not a database at all; "+strings.Repeat("x", 200))), "not a SQLite database"},
		{"empty", write("empty.backup", nil), "not a SQLite database (the file is empty)"},
		{"newer schema", newer, fmt.Sprintf("schema version %d is newer than this binary knows (%d)", future, models.SchemaVersion())},
		{"another app's database", other, "no campaigntrack schema"},
		{"missing", filepath.Join(dir, "missing.backup"), "no such file"},
		{"with a -wal file", inUse, "-wal is beside it"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before, _ := os.ReadFile(target)
			files := listDir(t, filepath.Dir(target))
			_, err := backup.Restore(ctx, tc.path, target)
			var be *backup.Error
			if !errors.As(err, &be) {
				t.Fatalf("err = %v, want a *BackupError", err)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, tc.path+": ") || !strings.Contains(msg, tc.reason) || strings.Contains(msg, "\n") {
				t.Errorf("err = %q; want one line naming %s and %q", msg, tc.path, tc.reason)
			}
			t.Logf("%s", msg)
			after, _ := os.ReadFile(target)
			if !bytes.Equal(before, after) {
				t.Errorf("the target changed although the backup was refused")
			}
			if got := listDir(t, filepath.Dir(target)); !slices.Equal(got, files) {
				t.Errorf("files beside the target: %q, before %q", got, files)
			}
		})
	}
	// The good backup passes, and checking it wrote nothing beside it.
	if _, err := backup.Check(ctx, good); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(good + "-wal"); err == nil {
		t.Errorf("checking a backup created %s-wal", good)
	}
}

// TestCheckBackupWritesNothing: a copy of a WAL-mode database file (as left
// by a server that stopped cleanly) is checked without SQLite making -wal
// and -shm files beside it, which a plain read-only open does.
func TestCheckBackupWritesNothing(t *testing.T) {
	t.Parallel()
	store, _, live := liveDB(t)
	store.Close()
	data, _ := os.ReadFile(live)
	if data[18] != 2 {
		t.Fatalf("the live database is not in WAL mode (header byte 18 = %d)", data[18])
	}
	dir := t.TempDir()
	copyPath := filepath.Join(dir, "copy.db")
	os.WriteFile(copyPath, data, 0o600)
	info, err := backup.Check(context.Background(), copyPath)
	if err != nil || info.Campaigns != 1 || info.SchemaVersion != models.SchemaVersion() {
		t.Fatalf("Check = %+v, %v", info, err)
	}
	if names := listDir(t, dir); !slices.Equal(names, []string{"copy.db"}) {
		t.Errorf("checking wrote beside the file: %q", names)
	}
}

func TestBackupRefusals(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store, _, live := liveDB(t)
	dir := t.TempDir()
	existing := filepath.Join(dir, "existing.backup")
	os.WriteFile(existing, []byte("an older backup"), 0o600)

	_, err := backup.To(ctx, store, existing, backup.Options{})
	if !errors.Is(err, backup.ErrExists) || !strings.Contains(err.Error(), existing) {
		t.Errorf("backup over an existing file: %v; want ErrExists naming it", err)
	}
	if b, _ := os.ReadFile(existing); string(b) != "an older backup" {
		t.Errorf("the existing file was changed")
	}
	missingDir := filepath.Join(dir, "no-such-dir")
	_, err = backup.To(ctx, store, filepath.Join(missingDir, "x.backup"), backup.Options{})
	if err == nil || !strings.Contains(err.Error(), "directory "+missingDir+" does not exist") {
		t.Errorf("backup into a missing directory: %v", err)
	}
	for _, p := range []string{live, live + "-wal"} {
		_, err = backup.To(ctx, store, p, backup.Options{Overwrite: true})
		if err == nil || !strings.Contains(err.Error(), "that is the database itself") {
			t.Errorf("backup over %s: %v", p, err)
		}
	}
	_, err = backup.To(ctx, store, dir, backup.Options{Overwrite: true})
	if err == nil || !strings.Contains(err.Error(), "it is a directory") {
		t.Errorf("backup onto a directory: %v", err)
	}
	if names := listDir(t, dir); !slices.Equal(names, []string{"existing.backup"}) {
		t.Errorf("refused backups left files: %q", names)
	}
	if err := store.Ping(ctx); err != nil {
		t.Fatalf("the live database after the refusals: %v", err)
	}

	// With Overwrite, the older file is replaced.
	info, err := backup.To(ctx, store, existing, backup.Options{Overwrite: true})
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(existing); st.Size() != info.Size || info.Campaigns != 1 {
		t.Errorf("overwritten backup: %+v", info)
	}
	if names := listDir(t, dir); !slices.Equal(names, []string{"existing.backup"}) {
		t.Errorf("files after the backup: %q", names)
	}
}

func TestBackupOfPostgresAdvisesPgDump(t *testing.T) {
	t.Parallel()
	const url = "postgres://campaigner:s3cret@db.example.org:5432/campaigntrack?sslmode=require&password=s3cret&search_path=ct"
	// A Store on a PostgreSQL dialector; no server is needed, because
	// backup.To answers before touching the connection.
	db, err := gorm.Open(postgres.Open(url), &gorm.Config{DisableAutomaticPing: true, Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	store := models.NewStore(db)
	defer store.Close()
	_, err = backup.To(context.Background(), store, filepath.Join(t.TempDir(), "x.backup"), backup.Options{})
	if err == nil {
		t.Fatal("a PostgreSQL backup did not answer with advice")
	}
	msg := err.Error()
	for _, want := range []string{"pg_dump --format=custom --schema=ct --file=campaigntrack.dump", "'postgres://campaigner@db.example.org:5432/campaigntrack?sslmode=require'", "PGPASSWORD"} {
		if !strings.Contains(msg, want) {
			t.Errorf("advice %q does not contain %q", msg, want)
		}
	}
	if strings.Contains(msg, "s3cret") || strings.Contains(msg, "\n") {
		t.Errorf("advice %q shows the password or is not one line", msg)
	}
	restore := backup.PostgresRestoreAdvice(url)
	if !strings.Contains(restore, "pg_restore --clean --if-exists --no-owner --schema=ct --dbname='postgres://campaigner@db.example.org:5432/campaigntrack?sslmode=require' campaigntrack.dump") || strings.Contains(restore, "s3cret") {
		t.Errorf("restore advice %q", restore)
	}

	// And on a real server, when the suite has one.
	t.Run("server", func(t *testing.T) {
		store := testdb.Open(t, testdb.Postgres)
		_, err := backup.To(context.Background(), store, filepath.Join(t.TempDir(), "x.backup"), backup.Options{})
		if err == nil || !strings.Contains(err.Error(), "pg_dump") {
			t.Errorf("backup on PostgreSQL: %v", err)
		}
	})
}

// TestRestoreRefusesDatabaseInUse: an idle server holds no write lock, so
// BEGIN EXCLUSIVE alone would let the restore through; it is refused all
// the same, and succeeds once the server has stopped.
func TestRestoreRefusesDatabaseInUse(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store, c, target := liveDB(t)
	bak := filepath.Join(t.TempDir(), "b.backup")
	if _, err := backup.To(ctx, store, bak, backup.Options{}); err != nil {
		t.Fatal(err)
	}
	importSigners(t, store, c, "later", 10)
	if err := store.Ping(ctx); err != nil { // idle, with its connections open
		t.Fatal(err)
	}
	files := listDir(t, filepath.Dir(target))
	_, err := backup.Restore(ctx, bak, target)
	if !errors.Is(err, backup.ErrDatabaseInUse) || !strings.Contains(err.Error(), target) || !strings.Contains(err.Error(), "stop it first") {
		t.Fatalf("restore over a database in use: %v", err)
	}
	if got := listDir(t, filepath.Dir(target)); !slices.Equal(got, files) {
		t.Errorf("a refused restore changed the files: %q, before %q", got, files)
	}
	if n, _ := store.SignatureCount(ctx, c.ID); n != 10 {
		t.Errorf("the database in use has %d signatures after the refused restore, want 10", n)
	}
	store.Close()

	res, err := backup.Restore(ctx, bak, target)
	if err != nil {
		t.Fatalf("restore once the server stopped: %v", err)
	}
	if !regexp.MustCompile(`^` + regexp.QuoteMeta(target) + `\.before-restore-\d{8}T\d{6}Z$`).MatchString(res.KeptAs) {
		t.Errorf("the replaced database is kept as %q", res.KeptAs)
	}
	restored := testdb.OpenFile(t, target)
	if n, _ := restored.SignatureCount(ctx, c.ID); n != 0 {
		t.Errorf("restored database: %d signatures, the backup had 0", n)
	}
	kept := testdb.OpenFile(t, res.KeptAs)
	if n, _ := kept.SignatureCount(ctx, c.ID); n != 10 {
		t.Errorf("the kept database has %d signatures, want the 10 it had", n)
	}
}

// TestRestoreKeepsTheWholeOldDatabase restores over a database left by a
// server that did not stop cleanly: its newest transactions are only in
// its -wal file. The -wal must not be applied to the restored file, and its
// transactions must not be lost: they are in the kept copy.
func TestRestoreKeepsTheWholeOldDatabase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store, c, live := liveDB(t)
	bak := filepath.Join(t.TempDir(), "b.backup")
	if _, err := backup.To(ctx, store, bak, backup.Options{}); err != nil {
		t.Fatal(err)
	}
	importSigners(t, store, c, "wal", 25)
	// Copy the file and its -wal while the server still has them open: a
	// crash, as far as the copy can tell.
	crashed := filepath.Join(t.TempDir(), "crashed.db")
	for _, suffix := range []string{"", "-wal"} {
		data, err := os.ReadFile(live + suffix)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(crashed+suffix, data, 0o640)
	}
	if st, _ := os.Stat(crashed + "-wal"); st.Size() == 0 {
		t.Fatal("the crashed copy's -wal is empty: the test needs transactions in it")
	}
	store.Close()

	res, err := backup.Restore(ctx, bak, crashed)
	if err != nil {
		t.Fatal(err)
	}
	names := listDir(t, filepath.Dir(crashed))
	want := []string{"crashed.db", filepath.Base(res.KeptAs)}
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Errorf("files after the restore: %q, want %q (no -wal, -shm, -journal or temporary file)", names, want)
	}
	// The replaced file was group-readable (0640); the restored one and
	// the kept one hold every signer, so they are owner-only.
	for _, p := range []string{crashed, res.KeptAs} {
		if st, err := os.Stat(p); err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s after the restore: %v, want mode 0600", filepath.Base(p), statMode(st, err))
		}
	}
	restored := testdb.OpenFile(t, crashed)
	if n, _ := restored.SignatureRows(ctx, c.ID); n != 0 {
		t.Errorf("the restored database has %d signature rows: the old -wal was applied to it", n)
	}
	kept := testdb.OpenFile(t, res.KeptAs)
	if n, _ := kept.SignatureRows(ctx, c.ID); n != 25 {
		t.Errorf("the kept database has %d signature rows, want the 25 that were in its -wal", n)
	}
}

func statMode(st os.FileInfo, err error) any {
	if err != nil {
		return err
	}
	return st.Mode().Perm()
}

// TestRestoreRefusesAFileThatIsNotADatabase: a --db naming, say, a text
// file is more likely a mistake than a damaged database; it is not touched.
func TestRestoreRefusesAFileThatIsNotADatabase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store, _, _ := liveDB(t)
	bak := filepath.Join(t.TempDir(), "b.backup")
	if _, err := backup.To(ctx, store, bak, backup.Options{}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	notes := filepath.Join(dir, "notes.txt")
	os.WriteFile(notes, []byte("my notes, not a database"), 0o600)
	_, err := backup.Restore(ctx, bak, notes)
	if err == nil || !strings.Contains(err.Error(), "it is not a SQLite database") {
		t.Errorf("restore over a text file: %v", err)
	}
	if b, _ := os.ReadFile(notes); string(b) != "my notes, not a database" {
		t.Errorf("the text file changed")
	}
	_, err = backup.Restore(ctx, bak, filepath.Join(dir, "missing", "x.db"))
	if err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("restore into a missing directory: %v", err)
	}
	_, err = backup.Restore(ctx, bak, bak)
	if err == nil || !strings.Contains(err.Error(), "the backup is the database itself") {
		t.Errorf("restore of a file over itself: %v", err)
	}
	if names := listDir(t, dir); !slices.Equal(names, []string{"notes.txt"}) {
		t.Errorf("files: %q", names)
	}
}

// TestRestoreMendsADamagedDatabase: restoring is how a damaged database is
// mended, so a target SQLite cannot read is replaced (and kept), with the
// reason reported.
func TestRestoreMendsADamagedDatabase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store, _, _ := liveDB(t)
	bak := filepath.Join(t.TempDir(), "b.backup")
	if _, err := backup.To(ctx, store, bak, backup.Options{}); err != nil {
		t.Fatal(err)
	}
	damaged := filepath.Join(t.TempDir(), "damaged.db")
	garbage := make([]byte, 8192)
	rand.Read(garbage)
	os.WriteFile(damaged, append([]byte("SQLite format 3\x00"), garbage...), 0o600)
	res, err := backup.Restore(ctx, bak, damaged)
	if err != nil {
		t.Fatal(err)
	}
	if res.Unreadable == "" || res.KeptAs == "" {
		t.Errorf("restore over a damaged database: %+v; want the reason it could not be read and where it is kept", res)
	}
	t.Logf("unreadable: %s", res.Unreadable)
	if b, _ := os.ReadFile(res.KeptAs); !bytes.Equal(b[16:], garbage) {
		t.Errorf("the damaged file was not kept as it was")
	}
	if _, err := backup.Check(ctx, damaged); err != nil {
		t.Errorf("the restored database: %v", err)
	}
}

// TestBackupIsOwnerOnly: a backup holds every signer; it is 0600.
func TestBackupIsOwnerOnly(t *testing.T) {
	testdb.PermissiveUmask(t)
	store, _, _ := liveDB(t)
	bak := filepath.Join(t.TempDir(), "b.backup")
	if _, err := backup.To(context.Background(), store, bak, backup.Options{}); err != nil {
		t.Fatal(err)
	}
	if m := testdb.Perm(t, bak); m != 0o600 {
		t.Errorf("backup mode %o, want 600", m)
	}
}
