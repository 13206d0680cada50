package models

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mattn/go-sqlite3"
	"gorm.io/gorm/clause"
)

// IsUnwritable reports whether err says the database cannot take writes
// at all just now, whatever was written: the disk is full, or the
// database or its file system is read-only. It is the one place that
// knows the engines' words for it; the error handler answers these with
// "not saved, nothing changed, try again" rather than a fault.
func IsUnwritable(err error) bool {
	var se sqlite3.Error
	if errors.As(err, &se) {
		switch se.ExtendedCode {
		case sqlite3.ErrIoErrWrite, sqlite3.ErrIoErrFsync, sqlite3.ErrIoErrTruncate:
			return true // how a full disk shows when the file cannot grow
		}
		return se.Code == sqlite3.ErrFull || se.Code == sqlite3.ErrReadonly
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "53100", // disk_full
			"25006": // read_only_sql_transaction: a standby, or default_transaction_read_only
			return true
		}
	}
	return false
}

// healthKey is the app_state row /healthz writes.
const healthKey = "healthz"

// CheckWrite writes one small row, so that a health check fails while the
// database answers reads but takes no writes (read-only, full). The row is
// one for every instance, updated in place: the check costs one short
// write transaction and leaves nothing to clean up. A small write may still
// fit where a large one does not: on a disk with a few pages to spare it
// passes.
func (s *Store) CheckWrite(ctx context.Context) error {
	now := time.Now().UTC()
	return s.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "key"}},
		DoUpdates: clause.AssignmentColumns([]string{"value"}),
	}).Create(&appState{Key: healthKey, Value: now.Format(time.RFC3339Nano), CreatedAt: now}).Error
}
