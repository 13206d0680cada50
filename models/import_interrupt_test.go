package models_test

import (
	"context"
	"testing"
	"time"

	"gorm.io/gorm"

	"campaigntrack/models"
	"campaigntrack/seed"
	"campaigntrack/testdb"
)

// TestInterruptImportJobs: a running import that has recorded nothing for
// longer than the idle limit is marked interrupted, with the counts it
// had recorded and an audit entry; a running one that moves, and a
// finished one, are left alone; a second sweep (say, by another
// instance) marks nothing twice.
func TestInterruptImportJobs(t *testing.T) {
	t.Parallel()
	for _, e := range testdb.Engines {
		t.Run(e.Name, func(t *testing.T) {
			store, db := testdb.OpenMigratedDB(t, e)
			ctx := context.Background()
			seed.Load(ctx, store)
			c, _ := store.CampaignBySlug(ctx, "no-tech-for-ice")
			start := func(name string) *models.ImportJob {
				job, err := store.StartImportJob(ctx, models.CommandLine, c.ID, testdb.Source(t, store, c.ID, "Test list"), name, 1000)
				if err != nil {
					t.Fatal(err)
				}
				return job
			}
			dead, live, done := start("dead.csv"), start("live.csv"), start("done.csv")
			store.UpdateImportJob(ctx, dead.ID, models.ImportProgress{BytesRead: 400, RowsRead: 40, Imported: 30, Duplicates: 6, Invalid: 4})
			done.Status = models.ImportDone
			store.FinishImportJob(ctx, done)
			// The dead one's server stopped three minutes ago.
			ageJob(t, db, dead.ID, 3*time.Minute)
			ageJob(t, db, done.ID, 3*time.Minute)

			got, err := store.InterruptImportJobs(ctx, models.ImportIdleLimit)
			if err != nil || len(got) != 1 || got[0].ID != dead.ID {
				t.Fatalf("InterruptImportJobs = %+v, %v; want the dead job only", got, err)
			}
			job, _ := store.ImportJob(ctx, c.ID, dead.ID)
			if job.Status != models.ImportInterrupted || job.Imported != 30 || job.RowsRead != 40 || job.FinishedAt == nil {
				t.Errorf("interrupted job = %+v", job)
			}
			for _, j := range []*models.ImportJob{live, done} {
				if after, _ := store.ImportJob(ctx, c.ID, j.ID); after.Status != j.Status {
					t.Errorf("%s: status %q, want %q", j.Filename, after.Status, j.Status)
				}
			}
			audit, _ := store.AuditForRecord(ctx, "import", dead.ID)
			if len(audit) != 1 || audit[0].ChangeSet()["Status"].After != models.ImportInterrupted ||
				audit[0].ChangeSet()["Imported"].After != float64(30) || audit[0].UserEmail != "(command line)" {
				t.Fatalf("audit of the interrupted import = %+v", audit)
			}
			if again, err := store.InterruptImportJobs(ctx, models.ImportIdleLimit); err != nil || len(again) != 0 {
				t.Errorf("a second sweep = %+v, %v; want nothing", again, err)
			}
			if audit, _ := store.AuditForRecord(ctx, "import", dead.ID); len(audit) != 1 {
				t.Errorf("%d audit entries after a second sweep, want 1", len(audit))
			}
			// With no idle limit (no other server is alive), every running
			// import is interrupted, however fresh.
			if got, err := store.InterruptImportJobs(ctx, 0); err != nil || len(got) != 1 || got[0].ID != live.ID {
				t.Errorf("InterruptImportJobs(0) = %+v, %v; want the live one", got, err)
			}
		})
	}
}

// ageJob moves a job's last recorded progress into the past.
func ageJob(t *testing.T, db *gorm.DB, id uint, by time.Duration) {
	t.Helper()
	if err := db.Exec("UPDATE import_jobs SET updated_at = ? WHERE id = ?", time.Now().UTC().Add(-by), id).Error; err != nil {
		t.Fatal(err)
	}
}

// TestInstanceLock: the first server on a database is alone; one that
// starts beside it is not; once every other has let go, the next is alone
// again. The lock ends with the process however it ends (the SIGKILL test
// in e2e shows it); here Release stands for that.
func TestInstanceLock(t *testing.T) {
	t.Parallel()
	for _, e := range testdb.Engines {
		t.Run(e.Name, func(t *testing.T) {
			dsn := e.DSN(t)
			open := func() *models.Store {
				db, err := models.Open(context.Background(), dsn)
				if err != nil {
					t.Fatal(err)
				}
				s := models.NewStore(db)
				t.Cleanup(func() { s.Close() })
				return s
			}
			ctx := context.Background()
			a, b, c := open(), open(), open()
			lockA, alone, err := a.LockInstance(ctx)
			if err != nil || !alone {
				t.Fatalf("first server: alone %v, %v", alone, err)
			}
			lockB, alone, err := b.LockInstance(ctx)
			if err != nil || alone {
				t.Fatalf("second server beside the first: alone %v, %v", alone, err)
			}
			lockA.Release()
			lockB.Release()
			lockC, alone, err := c.LockInstance(ctx)
			if err != nil || !alone {
				t.Errorf("a server after the others stopped: alone %v, %v", alone, err)
			}
			lockC.Release()
		})
	}
}
