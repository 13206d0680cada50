package models

import (
	"context"
	"database/sql"
	"sync"

	"gorm.io/gorm"
)

// Store holds every query the application makes. Handlers and commands
// call its methods; none of them builds SQL.
type Store struct {
	db          *gorm.DB
	insertStmts sync.Map // row count -> *sql.Stmt, see signatureInserter
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
	s.insertStmts.Range(func(_, st any) bool {
		st.(*sql.Stmt).Close()
		return true
	})
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
