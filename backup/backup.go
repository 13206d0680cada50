// Package backup takes backups of a SQLite database while the server runs,
// and restores that check a file before they replace anything. It works on
// the database as a file (VACUUM INTO, integrity_check, renames), not on
// its rows, so it is an operation beside models rather than part of it.
package backup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gorm.io/driver/sqlite"

	"campaigntrack/models"
	"campaigntrack/private"
)

// A copy of the database file made with cp while the server runs is not a
// backup: the file changes under the copy, and in WAL mode the newest
// transactions are in the -wal file beside it, not in the database file.
// To asks SQLite for the copy instead (VACUUM INTO, SQLite 3.27 or
// later; mattn/go-sqlite3 bundles 3.45), which reads one consistent
// snapshot in a read transaction: writers go on while it runs, and the copy
// holds every transaction committed before it began and none after.
//
// PostgreSQL has its own tools (pg_dump, pg_restore) and is not handled
// here; PostgresAdvice says how to use them.

// Info describes a checked backup file.
type Info struct {
	Path          string
	Size          int64 // bytes
	SchemaVersion int
	Campaigns     int64
	// Signatures counts the signature rows (COUNT(*)); KeptSignatures is
	// the sum of the campaigns' kept counters. In a consistent copy they
	// are equal, because the counters move in the rows' transactions.
	Signatures     int64
	KeptSignatures int64
	Deliveries     int64
	Users          int64
}

// Options are the choices of a backup.
type Options struct {
	// Overwrite replaces an existing file at the backup's path. Without it
	// an existing file is refused: a backup never destroys an older one by
	// accident.
	Overwrite bool
}

// ErrExists is returned (wrapped) by To when the file exists
// and Options.Overwrite is false.
var ErrExists = errors.New("the file already exists")

// ErrDatabaseInUse is returned (wrapped) by Restore when another
// connection, such as a running server, has the target database open.
var ErrDatabaseInUse = errors.New("the database is in use")

// Error says why a file is not a usable backup. Its message is one
// line naming the file and the reason.
type Error struct {
	Path   string
	Reason string
}

func (e *Error) Error() string { return e.Path + ": " + e.Reason }

// To writes a consistent copy of the SQLite database to path and
// checks it before it is given that name: the copy goes to a temporary file
// in path's directory, is flushed to disk, passes PRAGMA integrity_check
// and has a schema version this binary knows; only then is it renamed to
// path. A backup that fails or is interrupted therefore never leaves a half
// file under the final name (at most a hidden .tmp file beside it, after a
// crash). The file is readable by its owner only: it holds signers'
// personal data.
//
// It refuses a path whose directory does not exist, an existing file unless
// opt.Overwrite (ErrExists), the live database's own file, and a
// PostgreSQL database (the error says how to use pg_dump instead).
func To(ctx context.Context, s *models.Store, path string, opt Options) (Info, error) {
	if dsn, ok := s.Postgres(); ok {
		return Info{}, errors.New(PostgresAdvice(dsn))
	}
	if path == "" {
		return Info{}, errors.New("no backup file named")
	}
	fail := func(reason string) (Info, error) {
		return Info{}, fmt.Errorf("cannot write the backup to %s: %s", path, reason)
	}
	if err := checkDir(filepath.Dir(path)); err != nil {
		return fail(err.Error())
	}

	sqlDB, err := s.SQLDB()
	if err != nil {
		return Info{}, err
	}
	var live string
	if err := sqlDB.QueryRowContext(ctx, "SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&live); err != nil {
		return Info{}, fmt.Errorf("reading the database's file name: %s", oneLine(err))
	}
	if live == "" {
		return Info{}, errors.New("the database is in memory, not in a file: there is nothing to back up")
	}
	if sameFile(path, live) || sameFile(path, live+"-wal") || sameFile(path, live+"-shm") {
		return fail("that is the database itself (or its -wal or -shm file); name another file")
	}
	switch st, err := os.Stat(path); {
	case err == nil && st.IsDir():
		return fail("it is a directory")
	case err == nil && !opt.Overwrite:
		return Info{}, fmt.Errorf("cannot write the backup to %s: %w", path, ErrExists)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return fail(oneLine(err))
	}
	// Refuse a database this binary does not understand before copying it:
	// the copy would fail its check anyway, after the work.
	version, err := s.SchemaVersionInUse(ctx)
	switch {
	case err != nil:
		return Info{}, fmt.Errorf("the database %s has no campaigntrack schema: %s", live, oneLine(err))
	case version > models.SchemaVersion():
		return Info{}, fmt.Errorf("the database %s has schema version %d, newer than this binary knows (%d): back it up with the campaigntrack that serves it", live, version, models.SchemaVersion())
	}

	// VACUUM INTO writes into a file that does not exist or is empty;
	// CreateTemp makes an empty one with a name nobody else will take, in
	// the target's directory so the final rename does not cross file
	// systems, and with mode 0600.
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".backup-*.tmp")
	if err != nil {
		return fail(oneLine(err))
	}
	tmpPath := tmp.Name()
	tmp.Close()
	installed := false
	defer func() {
		if !installed {
			os.Remove(tmpPath)
		}
	}()
	// An absolute plain path: VACUUM INTO would read a "file:" name as a
	// URI.
	abs, err := filepath.Abs(tmpPath)
	if err != nil {
		return fail(oneLine(err))
	}
	if _, err := sqlDB.ExecContext(ctx, "VACUUM INTO ?", abs); err != nil {
		return fail("copying the database: " + oneLine(err))
	}
	// SQLite does not fsync the file VACUUM INTO writes.
	if err := syncFile(tmpPath); err != nil {
		return fail("flushing the copy to disk: " + oneLine(err))
	}
	info, err := Check(ctx, tmpPath)
	if err != nil {
		reason := err.Error()
		var be *Error
		if errors.As(err, &be) {
			reason = be.Reason
		}
		return fail("the copy failed its check: " + reason)
	}

	if opt.Overwrite {
		err = os.Rename(tmpPath, path)
	} else {
		err = linkNoClobber(tmpPath, path)
		if errors.Is(err, fs.ErrExist) {
			// Created while the backup ran.
			return Info{}, fmt.Errorf("cannot write the backup to %s: %w", path, ErrExists)
		}
	}
	if err != nil {
		return fail(oneLine(err))
	}
	installed = true
	os.Remove(tmpPath) // the second name left by linkNoClobber, if any
	if err := syncDir(filepath.Dir(path)); err != nil {
		return fail("flushing the directory to disk: " + oneLine(err))
	}
	info.Path = path
	return info, nil
}

// Check checks that path is a usable campaigntrack backup: a SQLite
// database that passes PRAGMA integrity_check, with a schema_version table
// at a version this binary knows (it may be older: opening it migrates it).
// It returns what the file holds, for the report.
//
// The file is opened read-only and immutable, so checking it writes
// nothing, not even the -wal and -shm files SQLite makes beside a WAL
// database opened with mode=ro alone. Immutable also means SQLite would
// ignore a -wal file beside it, so a file with a non-empty -wal is refused:
// part of its data would be missing from the check and from a restore.
//
// Every error is a *Error with a one-line reason.
func Check(ctx context.Context, path string) (Info, error) {
	bad := func(format string, args ...any) (Info, error) {
		return Info{}, &Error{Path: path, Reason: fmt.Sprintf(format, args...)}
	}
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return bad("no such file")
	case err != nil:
		return bad("%s", oneLine(err))
	case st.IsDir():
		return bad("it is a directory, not a backup file")
	case st.Size() == 0:
		return bad("not a SQLite database (the file is empty)")
	}
	if ok, err := hasSQLiteHeader(path); err != nil {
		return bad("%s", oneLine(err))
	} else if !ok {
		return bad("not a SQLite database")
	}
	if wal, err := os.Stat(path + "-wal"); err == nil && wal.Size() > 0 {
		return bad("%s-wal is beside it: the file is in use, or was copied while in use, and part of its data is in that file; make backups with campaigntrack backup", path)
	}

	db, err := sql.Open(sqlite.DriverName, sqliteURI(path, "mode=ro&immutable=1"))
	if err != nil {
		return bad("%s", oneLine(err))
	}
	defer db.Close()
	db.SetMaxOpenConns(1)

	problems, err := integrityProblems(ctx, db)
	switch {
	case err != nil && strings.Contains(err.Error(), "not a database"):
		return bad("not a SQLite database (%s)", oneLine(err))
	case err != nil:
		return bad("integrity check failed: %s", oneLine(err))
	case len(problems) > 1:
		return bad("integrity check failed: %s (and %d more problems)", strings.Join(strings.Fields(problems[0]), " "), len(problems)-1)
	case len(problems) == 1:
		return bad("integrity check failed: %s", strings.Join(strings.Fields(problems[0]), " "))
	}

	var tables int
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").Scan(&tables); err != nil {
		return bad("integrity check failed: %s", oneLine(err))
	}
	if tables == 0 {
		return bad("no campaigntrack schema (it has no schema_version table)")
	}
	var version sql.NullInt64
	if err := db.QueryRowContext(ctx, "SELECT MAX(version) FROM schema_version").Scan(&version); err != nil {
		return bad("no campaigntrack schema (%s)", oneLine(err))
	}
	switch {
	case !version.Valid || version.Int64 < 1:
		return bad("no campaigntrack schema (schema_version is empty)")
	case version.Int64 > int64(models.SchemaVersion()):
		return bad("schema version %d is newer than this binary knows (%d): use a newer campaigntrack", version.Int64, models.SchemaVersion())
	}
	info := Info{Path: path, Size: st.Size(), SchemaVersion: int(version.Int64)}
	for _, c := range []struct {
		n     *int64
		query string
	}{
		{&info.Campaigns, "SELECT COUNT(*) FROM campaigns"},
		{&info.Signatures, "SELECT COUNT(*) FROM signatures"},
		{&info.KeptSignatures, "SELECT COALESCE(SUM(n), 0) FROM signature_counters"},
		{&info.Deliveries, "SELECT COUNT(*) FROM deliveries"},
		{&info.Users, "SELECT COUNT(*) FROM users"},
	} {
		if err := db.QueryRowContext(ctx, c.query).Scan(c.n); err != nil {
			return bad("no campaigntrack schema (%s)", oneLine(err))
		}
	}
	return info, nil
}

// RestoreResult says what Restore did.
type RestoreResult struct {
	Backup Info // the backup, as checked
	Target string
	// KeptAs is where the database that was replaced is now, with its
	// -wal or -journal file (if it had one) beside it under the same
	// name; empty when there was no database at Target.
	KeptAs string
	// Unreadable, when not empty, says why the replaced database could
	// not be read: it was replaced all the same (restoring is how a
	// damaged database is mended), without the check that it was unused.
	Unreadable string
}

// Restore puts the backup at backup in place of the SQLite database at
// target. It checks the backup first (Check): a file that fails is
// refused before anything is touched. The database being replaced is not
// deleted but kept as TARGET.before-restore-<UTC time>.
//
// A running server must be stopped first; Restore refuses a target that
// another connection has open (ErrDatabaseInUse). Trying BEGIN EXCLUSIVE
// would not show it: in WAL mode that lock only excludes other writers, and
// an idle server writes nothing. What does show it is leaving WAL mode
// (PRAGMA journal_mode=DELETE), which SQLite allows only to the one
// connection that has the database open, because every connection to a WAL
// database holds a shared lock on its file for as long as it is open. As a
// side effect the old database's WAL is folded into its file first, so the
// kept copy is whole in one file. The exclusive lock taken next is held
// until the new file is in place, so no other command writes to the old
// file meanwhile. It is no substitute for stopping the server: a process
// that opened the file before the rename goes on using the old one, so
// the server is started again only after the restore.
//
// The copy goes to a temporary file beside the target, is flushed to disk,
// and is renamed over the target in one step. The old database's -wal and
// -journal files, if any are left, are moved aside with it first, since
// SQLite would otherwise apply them to the restored file, and its -shm
// (an index of the -wal) is removed.
func Restore(ctx context.Context, backup, target string) (RestoreResult, error) {
	info, err := Check(ctx, backup)
	if err != nil {
		return RestoreResult{}, err
	}
	res := RestoreResult{Backup: info, Target: target}
	fail := func(reason string) (RestoreResult, error) {
		return res, fmt.Errorf("cannot restore into %s: %s", target, reason)
	}
	if target == "" {
		return fail("no database named")
	}
	if sameFile(backup, target) {
		return fail("the backup is the database itself")
	}
	if err := checkDir(filepath.Dir(target)); err != nil {
		return fail(err.Error())
	}
	st, err := os.Stat(target)
	exists := err == nil
	switch {
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return fail(oneLine(err))
	case exists && st.IsDir():
		return fail("it is a directory")
	case exists:
		// A file that is not SQLite at all is more likely a wrong --db
		// than a damaged database: leave it alone.
		if ok, err := hasSQLiteHeader(target); err != nil {
			return fail(oneLine(err))
		} else if !ok && st.Size() > 0 {
			return fail("it is not a SQLite database; if it is meant to be replaced, move it away first")
		}
		lock, unreadable, err := lockForRestore(ctx, target)
		if err != nil {
			return res, fmt.Errorf("cannot restore into %s: %w", target, err)
		}
		if lock != nil {
			defer lock.release()
		}
		res.Unreadable = unreadable
	}

	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".restore-*.tmp")
	if err != nil {
		return fail(oneLine(err))
	}
	tmpPath := tmp.Name()
	installed := false
	defer func() {
		if !installed {
			os.Remove(tmpPath)
		}
	}()
	if err := copyInto(tmp, backup, info.Size); err != nil {
		tmp.Close()
		return fail("copying the backup: " + oneLine(err))
	}
	// Owner-only, whatever the umask or the replaced file's mode: the
	// restored file holds every signer.
	if err := tmp.Chmod(private.Mode); err != nil {
		tmp.Close()
		return fail(oneLine(err))
	}
	if err := tmp.Close(); err != nil {
		return fail(oneLine(err))
	}

	if exists {
		kept, err := keepAside(target)
		if err != nil {
			return fail("keeping the current database: " + oneLine(err))
		}
		res.KeptAs = kept
	}
	// Nothing of the old database may stay under the target's name: SQLite
	// would apply a leftover -wal or hot -journal to the restored file.
	for _, suffix := range []string{"-wal", "-journal"} {
		if _, err := os.Lstat(target + suffix); err == nil {
			if res.KeptAs == "" {
				return fail(fmt.Sprintf("%s%s is there without its database; move it away first", target, suffix))
			}
			if err := os.Rename(target+suffix, res.KeptAs+suffix); err != nil {
				return fail(oneLine(err))
			}
		}
	}
	// The kept database holds every signer too, and may come from a
	// version that let it be world-readable.
	if res.KeptAs != "" {
		if _, err := models.SecureSQLiteFiles(res.KeptAs); err != nil {
			return fail("making the kept database owner-only: " + oneLine(err))
		}
	}
	if err := os.Remove(target + "-shm"); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fail(oneLine(err))
	}
	if err := os.Rename(tmpPath, target); err != nil {
		return fail(oneLine(err))
	}
	installed = true
	if err := syncDir(filepath.Dir(target)); err != nil {
		return fail("flushing the directory to disk: " + oneLine(err))
	}
	return res, nil
}

// restoreLock is an exclusive lock on the database being replaced.
type restoreLock struct {
	db   *sql.DB
	conn *sql.Conn
}

func (l *restoreLock) release() {
	l.conn.ExecContext(context.Background(), "ROLLBACK")
	l.conn.Close()
	l.db.Close()
}

// lockForRestore makes sure nothing else has the database at path open
// and locks it (see Restore for why journal_mode is the test). A
// database too damaged to be read is reported in unreadable rather than
// refused.
func lockForRestore(ctx context.Context, path string) (lock *restoreLock, unreadable string, err error) {
	// mode=rw: never create the file; a short busy timeout: a server holds
	// its lock for as long as it runs, so waiting longer changes nothing.
	db, err := sql.Open(sqlite.DriverName, sqliteURI(path, "mode=rw&_busy_timeout=1000"))
	if err != nil {
		return nil, "", errors.New(oneLine(err))
	}
	db.SetMaxOpenConns(1)
	conn, err := db.Conn(ctx)
	if err == nil {
		var mode string
		err = conn.QueryRowContext(ctx, "PRAGMA journal_mode=DELETE").Scan(&mode)
		if err == nil && !strings.EqualFold(mode, "delete") {
			err = fmt.Errorf("database is locked (journal mode still %s)", mode)
		}
		if err == nil {
			_, err = conn.ExecContext(ctx, "BEGIN EXCLUSIVE")
		}
	}
	if err == nil {
		return &restoreLock{db: db, conn: conn}, "", nil
	}
	if conn != nil {
		conn.Close()
	}
	db.Close()
	msg := oneLine(err)
	switch {
	case strings.Contains(msg, "locked") || strings.Contains(msg, "busy"):
		return nil, "", fmt.Errorf("%w: another process (a running server?) has it open; stop it first, then restore", ErrDatabaseInUse)
	case strings.Contains(msg, "malformed") || strings.Contains(msg, "not a database"):
		return nil, msg, nil
	}
	return nil, "", fmt.Errorf("cannot lock the database: %s", msg)
}

// keepAside gives the database at path a second name,
// PATH.before-restore-<UTC time>, so the rename of the restored file over
// path leaves it there. A hard link keeps path a whole database at every
// moment; where links are not supported it is renamed instead.
func keepAside(path string) (string, error) {
	stamp := time.Now().UTC().Format("20060102T150405Z")
	for i := 1; ; i++ {
		kept := path + ".before-restore-" + stamp
		if i > 1 {
			kept += fmt.Sprintf("-%d", i)
		}
		err := os.Link(path, kept)
		if err == nil {
			return kept, nil
		}
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if _, serr := os.Lstat(kept); serr == nil {
			continue
		}
		if err := os.Rename(path, kept); err != nil {
			return "", err
		}
		return kept, nil
	}
}

// PostgresAdvice is the answer to a backup of a PostgreSQL database:
// one line with a pg_dump command for the database named in dsn. The
// password is left out of the command line (it would land in the shell's
// history); pg_dump reads it from PGPASSWORD or ~/.pgpass.
func PostgresAdvice(dsn string) string {
	conn, schema := pgToolURL(dsn)
	return fmt.Sprintf("campaigntrack backup copies SQLite databases; back up PostgreSQL with pg_dump, for example: pg_dump --format=custom%s --file=campaigntrack.dump %s (the password is left out: pg_dump reads it from PGPASSWORD or ~/.pgpass)",
		schema, shellQuote(conn))
}

// PostgresRestoreAdvice is PostgresAdvice for a restore: a
// pg_restore command for the database named in dsn.
func PostgresRestoreAdvice(dsn string) string {
	conn, schema := pgToolURL(dsn)
	return fmt.Sprintf("campaigntrack restore replaces SQLite databases; restore PostgreSQL from a pg_dump file with pg_restore, with the server stopped, for example: pg_restore --clean --if-exists --no-owner%s --dbname=%s campaigntrack.dump (the password is left out: pg_restore reads it from PGPASSWORD or ~/.pgpass)",
		schema, shellQuote(conn))
}

// pgToolURL turns the application's database URL into one for libpq's
// tools: no password (in the user part or the query), and the pgx-only
// search_path parameter, which libpq refuses, turned into a --schema flag.
func pgToolURL(dsn string) (conn, schemaFlag string) {
	u, err := url.Parse(dsn)
	if err != nil || u.Host == "" && u.Path == "" {
		return "postgres://USER@HOST:5432/DATABASE", ""
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	q.Del("password")
	if sp := q.Get("search_path"); sp != "" {
		schemaFlag = " --schema=" + shellQuote(sp)
		q.Del("search_path")
	}
	u.RawQuery = q.Encode()
	return u.String(), schemaFlag
}

// shellQuote quotes s for a POSIX shell when it needs quoting.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:@,+=") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// sqliteURI is a SQLite URI filename for path with the given query: the
// characters a URI gives a meaning to are escaped, so any path works.
func sqliteURI(path, query string) string {
	return "file:" + strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path) + "?" + query
}

// integrityProblems runs PRAGMA integrity_check and returns its findings;
// none when it answers "ok".
func integrityProblems(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return nil, err
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	return problems, rows.Err()
}

// hasSQLiteHeader reports whether the file starts as every SQLite database
// does; an empty file counts as one (SQLite treats it as a new database).
func hasSQLiteHeader(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	header := make([]byte, 16)
	n, err := io.ReadFull(f, header)
	if n == 0 {
		return true, nil
	}
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return false, err
	}
	return string(header[:n]) == "SQLite format 3\x00"[:n] && n == len(header), nil
}

// checkDir explains in words why a file cannot be made in dir.
func checkDir(dir string) error {
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("directory %s does not exist", dir)
	case err != nil:
		return errors.New(oneLine(err))
	case !st.IsDir():
		return fmt.Errorf("%s is not a directory", dir)
	}
	return nil
}

// sameFile reports whether a and b name the same existing file.
func sameFile(a, b string) bool {
	sa, err := os.Stat(a)
	if err != nil {
		return false
	}
	sb, err := os.Stat(b)
	return err == nil && os.SameFile(sa, sb)
}

// linkNoClobber gives the file at from the name to, failing with an error
// matching fs.ErrExist if to exists, even if it appeared a moment ago (a
// check and a rename would race). Where hard links are not supported it
// checks and renames.
func linkNoClobber(from, to string) error {
	err := os.Link(from, to)
	if err == nil || errors.Is(err, fs.ErrExist) {
		return err
	}
	if _, serr := os.Lstat(to); serr == nil {
		return fs.ErrExist
	}
	return os.Rename(from, to)
}

// copyInto copies the file at src into f and flushes f to disk.
func copyInto(f *os.File, src string, want int64) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	n, err := io.Copy(f, in)
	if err != nil {
		return err
	}
	if n != want {
		return fmt.Errorf("copied %d bytes of %d: the backup changed while it was read", n, want)
	}
	return f.Sync()
}

// syncFile flushes a file's contents to disk.
func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir flushes a directory, so a rename in it survives a power cut.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// oneLine is an error's message on one line, as models writes them.
func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}
