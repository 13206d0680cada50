package models_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"campaigntrack/models"
	"campaigntrack/testdb"
)

// TestIsUnwritable: the engines' own errors for a database that takes no
// writes are recognised, and other failures are not.
func TestIsUnwritable(t *testing.T) {
	t.Parallel()
	for _, e := range testdb.Engines {
		t.Run(e.Name, func(t *testing.T) {
			store, db := testdb.OpenMigratedDB(t, e)
			ctx := context.Background()
			readOnly := writeInReadOnlyTransaction(db, e.Name)
			if !models.IsUnwritable(readOnly) {
				t.Errorf("a write to a read-only database: %v, not recognised", readOnly)
			}
			if err := store.CheckWrite(ctx); err != nil || models.IsUnwritable(err) {
				t.Errorf("CheckWrite on a writable database: %v", err)
			}
			dup := db.Exec("INSERT INTO app_state (key, value, created_at) VALUES ('k', '', CURRENT_TIMESTAMP), ('k', '', CURRENT_TIMESTAMP)").Error
			for _, err := range []error{dup, context.Canceled, models.ErrNotFound, nil} {
				if models.IsUnwritable(err) {
					t.Errorf("%v taken for an unwritable database", err)
				}
			}
		})
	}
	if err := fmt.Errorf("saving: %w", &pgconn.PgError{Code: "53100", Message: "could not extend file: No space left on device"}); !models.IsUnwritable(err) {
		t.Errorf("PostgreSQL's disk_full: not recognised")
	}
	if models.IsUnwritable(&pgconn.PgError{Code: "23505"}) {
		t.Errorf("a unique violation taken for an unwritable database")
	}
}

// writeInReadOnlyTransaction tries a write where the engine refuses it as
// it refuses one to a read-only database.
func writeInReadOnlyTransaction(db *gorm.DB, engine string) error {
	sqlDB, _ := db.DB()
	conn, err := sqlDB.Conn(context.Background())
	if err != nil {
		return err
	}
	defer conn.Close()
	ctx := context.Background()
	if engine == "sqlite" {
		conn.ExecContext(ctx, "PRAGMA query_only = ON")
		defer conn.ExecContext(ctx, "PRAGMA query_only = OFF")
		_, err = conn.ExecContext(ctx, "INSERT INTO app_state (key, value, created_at) VALUES ('ro', '', CURRENT_TIMESTAMP)")
		return err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "SET TRANSACTION READ ONLY"); err != nil {
		return errors.Join(errors.New("set read only"), err)
	}
	_, err = tx.ExecContext(ctx, "INSERT INTO app_state (key, value, created_at) VALUES ('ro', '', CURRENT_TIMESTAMP)")
	return err
}

// TestIsUnwritableOnAFullSQLiteFile: SQLite's "database or disk is full".
func TestIsUnwritableOnAFullSQLiteFile(t *testing.T) {
	t.Parallel()
	store, db := testdb.OpenDB(t, testdb.SQLite)
	if _, _, err := store.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	sqlDB, _ := db.DB()
	conn, _ := sqlDB.Conn(context.Background())
	defer conn.Close()
	ctx := context.Background()
	var pages int
	conn.QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages)
	conn.ExecContext(ctx, fmt.Sprintf("PRAGMA max_page_count = %d", pages))
	var err error
	for i := 0; i < 100 && err == nil; i++ {
		_, err = conn.ExecContext(ctx, "INSERT INTO app_state (key, value, created_at) VALUES (?, ?, CURRENT_TIMESTAMP)", fmt.Sprint("full", i), string(make([]byte, 8000)))
	}
	if err == nil || !models.IsUnwritable(err) {
		t.Errorf("a write to a full file: %v, not recognised", err)
	}
}
