package models

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"campaigntrack/private"
)

// IsPostgresURL reports whether a --db value names a PostgreSQL database
// rather than a SQLite file.
func IsPostgresURL(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens the database named by dsn: a PostgreSQL URL, or else the path
// of a SQLite file, which is created if it does not exist. SQLite is opened
// for a server: WAL, a busy timeout, foreign keys on, synchronous NORMAL and
// immediate write transactions, so concurrent writers queue instead of
// failing with "database is locked".
//
// The connection is tried before Open returns, and the error names the
// database and the reason in one line.
func Open(ctx context.Context, dsn string) (*gorm.DB, error) {
	start := time.Now()
	for wait := 5 * time.Millisecond; ; wait = min(2*wait, 200*time.Millisecond) {
		db, err := openOnce(ctx, dsn)
		// A new SQLite file is switched to WAL by its first connection,
		// which needs the file to itself and does not wait on the busy
		// timeout: two processes starting at once on a new file can see
		// "database is locked" while opening. It clears in milliseconds.
		if err == nil || IsPostgresURL(dsn) || !strings.Contains(err.Error(), "database is locked") ||
			ctx.Err() != nil || time.Since(start) > 10*time.Second {
			return db, err
		}
		time.Sleep(wait)
	}
}

func openOnce(ctx context.Context, dsn string) (*gorm.DB, error) {
	cfg := &gorm.Config{
		Logger:         logger.Discard,
		TranslateError: true,
		// Every query is prepared once per connection and reused: on the
		// sign path, preparing the same statements again was a fifth of
		// the work.
		PrepareStmt:                              true,
		PrepareStmtMaxSize:                       256,
		DisableForeignKeyConstraintWhenMigrating: true,
		NowFunc:                                  func() time.Time { return time.Now().UTC() },
	}
	var (
		db  *gorm.DB
		err error
	)
	if IsPostgresURL(dsn) {
		db, err = gorm.Open(postgres.Open(dsn), cfg)
		if err != nil {
			return nil, fmt.Errorf("cannot open database %s: %s", redactURL(dsn), oneLine(err))
		}
	} else {
		if err := checkSQLitePath(dsn); err != nil {
			return nil, fmt.Errorf("cannot open database %s: %s", dsn, err)
		}
		if err := createSQLiteFile(dsn); err != nil {
			return nil, fmt.Errorf("cannot create database %s: %s", dsn, oneLine(err))
		}
		db, err = gorm.Open(sqlite.Open(sqliteDSN(dsn)), cfg)
		if err != nil {
			return nil, fmt.Errorf("cannot open database %s: %s", dsn, oneLine(err))
		}
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	name := dsn
	if IsPostgresURL(dsn) {
		name = redactURL(dsn)
		sqlDB.SetMaxOpenConns(20)
		sqlDB.SetMaxIdleConns(20)
	} else {
		sqlDB.SetMaxOpenConns(8)
		sqlDB.SetMaxIdleConns(8)
	}
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	// Touch the schema: SQLite opens files lazily, so a file that is not a
	// database only shows itself on the first query.
	var n int
	err = db.WithContext(ctx).Raw("SELECT 1").Scan(&n).Error
	if err == nil && !IsPostgresURL(dsn) {
		var mode string
		err = db.WithContext(ctx).Raw("PRAGMA journal_mode").Scan(&mode).Error
	}
	if err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("cannot open database %s: %s", name, oneLine(err))
	}
	return db, nil
}

// sqliteDSN adds the server settings to a SQLite path (mattn/go-sqlite3
// applies each on every new connection).
func sqliteDSN(path string) string {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", "10000")
	q.Set("_foreign_keys", "on")
	q.Set("_synchronous", "NORMAL")
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

// checkSQLitePath explains the usual reasons a SQLite file cannot be opened
// in words, before the driver reports them as "unable to open database file".
func checkSQLitePath(path string) error {
	if path == "" {
		return errors.New("no path given")
	}
	if strings.ContainsAny(path, "?#") {
		return errors.New("the path must not contain '?' or '#'")
	}
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("directory %s does not exist", dir)
	case err != nil:
		return err
	case !st.IsDir():
		return fmt.Errorf("%s is not a directory", dir)
	}
	st, err = os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil // created on first use
	case err != nil:
		return err
	case st.IsDir():
		return errors.New("it is a directory, not a file")
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	header := make([]byte, 16)
	n, _ := f.Read(header)
	if n > 0 && string(header[:n]) != "SQLite format 3\x00"[:n] {
		return errors.New("the file is not a SQLite database")
	}
	return nil
}

// createSQLiteFile creates a missing database file, empty and readable
// by its owner only, before SQLite opens it. SQLite would create it 0644
// less the umask, world-readable; it gives the -wal and -shm files it
// makes later the database file's mode, so they are 0600 too. An empty
// file is a new database to SQLite.
func createSQLiteFile(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, private.Mode)
	if errors.Is(err, fs.ErrExist) {
		return nil // there already, or another process made it a moment ago
	}
	if err != nil {
		return err
	}
	return f.Close()
}

// SecureSQLiteFiles makes an existing SQLite database and its -wal, -shm
// and -journal files readable by their owner only, and names the files it had to
// change: earlier versions let SQLite create them world-readable. It does
// nothing for a PostgreSQL URL.
func SecureSQLiteFiles(dsn string) (changed []string, err error) {
	if IsPostgresURL(dsn) {
		return nil, nil
	}
	for _, path := range []string{dsn, dsn + "-wal", dsn + "-shm", dsn + "-journal"} {
		c, err := private.Restrict(path)
		if err != nil {
			return changed, err
		}
		if c {
			changed = append(changed, path)
		}
	}
	return changed, nil
}

// redactURL hides the password of a database URL before it is logged.
func redactURL(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unparsable PostgreSQL URL)"
	}
	return u.Redacted()
}

func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}
