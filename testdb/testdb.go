// Package testdb gives tests a real, migrated database: a SQLite file in
// t.TempDir(), and, when CAMPAIGNTRACK_TEST_POSTGRES holds a URL, a fresh
// schema of its own on that PostgreSQL server, dropped when the test ends.
package testdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"gorm.io/gorm"

	"campaigntrack/models"
)

// PostgresEnv names the variable that holds the PostgreSQL test URL.
const PostgresEnv = "CAMPAIGNTRACK_TEST_POSTGRES"

// Engine is one database engine the suite runs on.
type Engine struct {
	Name string
	// DSN returns a new, empty database for the test, as a --db value.
	DSN func(t testing.TB) string
}

// SQLite is a new SQLite file in the test's temporary directory.
var SQLite = Engine{Name: "sqlite", DSN: func(t testing.TB) string {
	return filepath.Join(t.TempDir(), "campaigntrack.db")
}}

// Postgres is a new schema on the server named by CAMPAIGNTRACK_TEST_POSTGRES;
// the test is skipped, saying so, when the variable is empty.
var Postgres = Engine{Name: "postgres", DSN: postgresDSN}

// Engines lists the engines every Store and handler test runs on.
var Engines = []Engine{SQLite, Postgres}

// Each runs fn once per engine as a subtest with a fresh, migrated store.
func Each(t *testing.T, fn func(t *testing.T, store *models.Store)) {
	t.Helper()
	for _, e := range Engines {
		t.Run(e.Name, func(t *testing.T) {
			fn(t, Open(t, e))
		})
	}
}

// Open opens a fresh database on the engine and migrates it.
func Open(t testing.TB, e Engine) *models.Store {
	t.Helper()
	store, _ := OpenMigratedDB(t, e)
	return store
}

// OpenMigratedDB is Open that also returns the gorm handle, for tests
// that reach past the Store (to age a row, to break a write).
func OpenMigratedDB(t testing.TB, e Engine) (*models.Store, *gorm.DB) {
	t.Helper()
	store, db := OpenDB(t, e)
	if _, _, err := store.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return store, db
}

// OpenUnmigrated opens a fresh, empty database on the engine.
func OpenUnmigrated(t testing.TB, e Engine) *models.Store {
	t.Helper()
	store, _ := OpenDB(t, e)
	return store
}

// OpenDB is OpenUnmigrated that also returns the gorm handle, for tests
// of the schema itself.
func OpenDB(t testing.TB, e Engine) (*models.Store, *gorm.DB) {
	t.Helper()
	dsn := e.DSN(t)
	db, err := models.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open %s: %v", e.Name, err)
	}
	store := models.NewStore(db)
	t.Cleanup(func() { store.Close() })
	return store, db
}

func postgresDSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		t.Skipf("PostgreSQL tests skipped: set %s to a database URL (for example postgres://postgres@127.0.0.1:5432/test?sslmode=disable) to run them", PostgresEnv)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", PostgresEnv, err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "ct_test_" + hex.EncodeToString(b)

	admin, err := models.Open(context.Background(), base)
	if err != nil {
		t.Fatalf("%s: %v", PostgresEnv, err)
	}
	if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		t.Fatalf("create schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		if sqlDB, err := admin.DB(); err == nil {
			sqlDB.Close()
		}
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Source returns the id of a campaign's signature source of that name,
// made the first time, for tests that import signatures.
func Source(t testing.TB, store *models.Store, campaignID uint, name string) uint {
	t.Helper()
	src, err := store.SourceForImport(context.Background(), models.CommandLine, campaignID, name, true)
	if err != nil {
		t.Fatalf("source %q: %v", name, err)
	}
	return src.ID
}
