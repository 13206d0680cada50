package models_test

import (
	"context"
	"errors"
	"testing"

	"campaigntrack/models"
	"campaigntrack/seed"
	"campaigntrack/testdb"
)

func TestImportJobMatchesSchema(t *testing.T) {
	t.Parallel()
	for _, e := range testdb.Engines {
		t.Run(e.Name, func(t *testing.T) {
			_, db := testdb.OpenMigratedDB(t, e)
			checkModel(t, db, &models.ImportJob{})
		})
	}
}

func TestImportJobLifeAndAudit(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		seed.Load(ctx, store)
		c, _ := store.CampaignBySlug(ctx, "no-tech-for-ice")
		u, err := store.CreateUser(ctx, models.CommandLine, "organiser@example.org", models.RoleOrganiser, "a long enough password")
		if err != nil {
			t.Fatal(err)
		}
		src := testdb.Source(t, store, c.ID, "Test list")
		before, _ := store.AuditForCampaign(ctx, c.ID, 10)
		job, err := store.StartImportJob(ctx, models.UserActor(u), c.ID, src, "signers.csv", 1000)
		if err != nil {
			t.Fatal(err)
		}
		if job.ID == 0 || job.Status != models.ImportRunning || job.UserEmail != u.Email || *job.UserID != u.ID {
			t.Fatalf("started job = %+v", job)
		}
		if err := store.UpdateImportJob(ctx, job.ID, models.ImportProgress{BytesRead: 500, RowsRead: 40, Imported: 30, Duplicates: 5, Invalid: 5}); err != nil {
			t.Fatal(err)
		}
		got, err := store.ImportJob(ctx, c.ID, job.ID)
		if err != nil || got.BytesRead != 500 || got.RowsRead != 40 || got.Imported != 30 || got.Status != models.ImportRunning || !got.UpdatedAt.After(got.CreatedAt) {
			t.Fatalf("job in progress = %+v, %v", got, err)
		}

		job.Status, job.RowsRead, job.Imported, job.Duplicates, job.Invalid = models.ImportDone, 80, 70, 5, 5
		job.BytesRead, job.Rejects = 1000, "email,line,reason\nx,3,email: bad\n"
		if err := store.FinishImportJob(ctx, job); err != nil {
			t.Fatal(err)
		}
		// A late progress report does not move a finished job.
		store.UpdateImportJob(ctx, job.ID, models.ImportProgress{RowsRead: 1})
		got, _ = store.ImportJob(ctx, c.ID, job.ID)
		if got.Status != models.ImportDone || got.RowsRead != 80 || got.Rejects != job.Rejects || got.FinishedAt == nil {
			t.Errorf("finished job = %+v", got)
		}

		entries, err := store.AuditForCampaign(ctx, c.ID, 10)
		if err != nil || len(entries) != len(before)+1 {
			t.Fatalf("audit = %+v, %v", entries, err)
		}
		e := entries[0]
		changes := e.ChangeSet()
		if e.RecordType != "import" || *e.RecordID != job.ID || e.UserEmail != u.Email || e.Action != models.AuditCreate ||
			changes["Filename"].After != "signers.csv" || changes["Imported"].After != float64(70) || changes["Invalid"].After != float64(5) {
			t.Errorf("audit entry = %+v, changes %+v", e, changes)
		}

		// The list leaves the rejects out; another campaign sees no job.
		jobs, err := store.ImportJobs(ctx, c.ID, 10)
		if err != nil || len(jobs) != 1 || jobs[0].Rejects != "" || jobs[0].Imported != 70 {
			t.Errorf("jobs = %+v, %v", jobs, err)
		}
		if _, err := store.ImportJob(ctx, c.ID+1, job.ID); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("another campaign's job: err = %v, want ErrNotFound", err)
		}
	})
}
