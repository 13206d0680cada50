package models

import (
	"context"
	"database/sql"
	"sync"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
)

// Store holds every query the application makes. Handlers and commands
// call its methods; none of them builds SQL.
type Store struct {
	db          *gorm.DB
	insertStmts sync.Map // row count -> *sql.Stmt, see signatureInserter
	linkStmts   sync.Map // link count -> *sql.Stmt, see insertLinks
	webSources  sync.Map // campaign id -> the id of its form's SignatureSource (never deleted)
}

// NewStore wraps an open database.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

// Ping reports whether the database answers a query.
func (s *Store) Ping(ctx context.Context) error {
	var n int
	return s.db.WithContext(ctx).Raw("SELECT 1").Scan(&n).Error
}

// Close closes the database.
func (s *Store) Close() error {
	for _, stmts := range []*sync.Map{&s.insertStmts, &s.linkStmts} {
		stmts.Range(func(_, st any) bool {
			st.(*sql.Stmt).Close()
			return true
		})
	}
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// Migrate brings the schema up to date; see Migrate.
func (s *Store) Migrate(ctx context.Context) (from, to int, err error) {
	return Migrate(ctx, s.db)
}

// The accessors below serve operations on the database as a whole, such as
// package backup's VACUUM INTO, which copy or check the file rather than
// query its rows. Queries on rows still belong in Store methods.

// SQLDB is the store's database/sql handle.
func (s *Store) SQLDB() (*sql.DB, error) { return s.db.DB() }

// Postgres reports whether the store is on PostgreSQL and, if so, the URL
// it was opened with (empty when it was opened from a connection).
func (s *Store) Postgres() (dsn string, ok bool) {
	if !isPostgres(s.db) {
		return "", false
	}
	if d, ok := s.db.Dialector.(*postgres.Dialector); ok && d.Config != nil {
		dsn = d.Config.DSN
	}
	return dsn, true
}

// SchemaVersionInUse is the schema version recorded in the database, which
// may differ from SchemaVersion() when it has not been migrated.
func (s *Store) SchemaVersionInUse(ctx context.Context) (int, error) {
	return currentVersion(s.db.WithContext(ctx))
}
