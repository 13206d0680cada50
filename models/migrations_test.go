package models_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm"
	"gorm.io/gorm/schema"

	"campaigntrack/models"
	"campaigntrack/testdb"
)

func TestMigrateFreshDatabase(t *testing.T) {
	t.Parallel()
	for _, e := range testdb.Engines {
		t.Run(e.Name, func(t *testing.T) {
			store, _ := testdb.OpenDB(t, e)
			ctx := context.Background()
			from, to, err := store.Migrate(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if from != 0 || to != models.SchemaVersion() {
				t.Fatalf("migrate from %d to %d, want 0 to %d", from, to, models.SchemaVersion())
			}
			// A second run finds nothing to do.
			from, to, err = store.Migrate(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if from != to || to != models.SchemaVersion() {
				t.Fatalf("second migrate went from %d to %d, want nothing to do at %d", from, to, models.SchemaVersion())
			}
		})
	}
}

func TestMigrateConcurrentStartsAgree(t *testing.T) {
	t.Parallel()
	for _, e := range testdb.Engines {
		t.Run(e.Name, func(t *testing.T) { migrateConcurrently(t, e.DSN(t)) })
	}
}

// migrateConcurrently starts four instances at once on a new database:
// none may apply a migration twice or fail.
func migrateConcurrently(t *testing.T, dsn string) {
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db, err := models.Open(context.Background(), dsn)
			if err != nil {
				errs[i] = err
				return
			}
			s := models.NewStore(db)
			defer s.Close()
			_, _, errs[i] = s.Migrate(context.Background())
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	db, err := models.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer models.NewStore(db).Close()
	var n int64
	db.Raw("SELECT COUNT(*) FROM schema_version").Scan(&n)
	if n != int64(models.SchemaVersion()) {
		t.Fatalf("schema_version has %d rows, want %d", n, models.SchemaVersion())
	}
}

func TestMigrateRefusesNewerSchema(t *testing.T) {
	t.Parallel()
	for _, e := range testdb.Engines {
		t.Run(e.Name, func(t *testing.T) {
			store, db := testdb.OpenDB(t, e)
			ctx := context.Background()
			if _, _, err := store.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			future := models.SchemaVersion() + 1
			if err := db.Exec("INSERT INTO schema_version (version, description, applied_at) VALUES (?, 'from the future', CURRENT_TIMESTAMP)", future).Error; err != nil {
				t.Fatal(err)
			}
			_, _, err := store.Migrate(ctx)
			if err == nil || !strings.Contains(err.Error(), "newer than this binary") {
				t.Fatalf("migrate on a newer schema: err = %v, want a refusal naming the versions", err)
			}
		})
	}
}

// TestModelsMatchSchema checks that every field of every model has a
// column of the same name in the migrated schema, and every column a field,
// so a model and the migrations cannot drift apart unnoticed.
func TestModelsMatchSchema(t *testing.T) {
	t.Parallel()
	for _, e := range testdb.Engines {
		t.Run(e.Name, func(t *testing.T) {
			store, db := testdb.OpenDB(t, e)
			if _, _, err := store.Migrate(context.Background()); err != nil {
				t.Fatal(err)
			}
			for _, model := range []any{
				&models.Campaign{}, &models.Petition{}, &models.Organisation{}, &models.CountClaim{},
				&models.Signature{}, &models.Delivery{}, &models.Action{}, &models.Response{},
				&models.User{}, &models.AuditEntry{}, &models.ImportJob{}, &models.SignatureSource{},
				&models.DeliveryCount{}, &models.EmailRule{}, &models.Packet{},
			} {
				checkModel(t, db, model)
			}
		})
	}
}

func checkModel(t *testing.T, db *gorm.DB, model any) {
	t.Helper()
	s, err := schema.Parse(model, &sync.Map{}, db.NamingStrategy)
	if err != nil {
		t.Fatal(err)
	}
	cols, err := db.Migrator().ColumnTypes(model)
	if err != nil {
		t.Fatalf("%s: %v", s.Table, err)
	}
	var have []string
	for _, c := range cols {
		have = append(have, c.Name())
	}
	var want []string
	for _, f := range s.Fields {
		if f.DBName != "" {
			want = append(want, f.DBName)
		}
	}
	slices.Sort(have)
	slices.Sort(want)
	if !slices.Equal(have, want) {
		t.Errorf("table %s has columns %v, model %T has fields %v", s.Table, have, model, want)
	}
}
