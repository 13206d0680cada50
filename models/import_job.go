package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// Import job statuses. An import is interrupted when the server running
// it stopped (a crash, a SIGKILL) before it could record how it ended.
const (
	ImportRunning     = "running"
	ImportDone        = "done"
	ImportFailed      = "failed"
	ImportInterrupted = "interrupted"
)

// ImportIdleLimit is how long a running import may record nothing before
// it is taken for one whose server is gone. A live import records its
// progress after every batch and every second while it reads rows, so two
// minutes is far beyond any pause of its own.
const ImportIdleLimit = 2 * time.Minute

// ImportJob is one signature CSV being imported, or imported: who sent
// which file, how far the import has got, what it did with the rows, the
// rows it refused (as a reject CSV, capped) and, when it failed, why.
type ImportJob struct {
	ID         uint
	CampaignID uint
	UserID     *uint
	UserEmail  string
	SourceID   *uint // the signature source every row is attributed to
	Filename   string
	Status     string
	BytesTotal int64
	BytesRead  int64
	RowsRead   int64
	Imported   int64
	Duplicates int64
	Credited   int64 // of the duplicates, people now credited to this source too
	Invalid    int64
	Rejects    string // the reject CSV; empty when there were none or they went to a file
	Error      string
	CreatedAt  time.Time
	UpdatedAt  time.Time // moves with every batch, so a job that stopped moving shows it
	FinishedAt *time.Time
}

// Stalled reports whether a running import has recorded nothing for
// ImportIdleLimit: its server has most likely stopped, and a sweep will
// mark it interrupted.
func (j *ImportJob) Stalled(now time.Time) bool {
	return j.Status == ImportRunning && now.Sub(j.UpdatedAt) > ImportIdleLimit
}

// ImportProgress is how far an import has got.
type ImportProgress struct {
	BytesRead, RowsRead, Imported, Duplicates, Credited, Invalid int64
}

// StartImportJob records an import that is about to run.
func (s *Store) StartImportJob(ctx context.Context, actor Actor, campaignID, sourceID uint, filename string, bytesTotal int64) (*ImportJob, error) {
	job := &ImportJob{CampaignID: campaignID, UserID: actor.UserID, UserEmail: actor.Email, SourceID: &sourceID,
		Filename: filename, Status: ImportRunning, BytesTotal: bytesTotal}
	if err := s.db.WithContext(ctx).Create(job).Error; err != nil {
		return nil, err
	}
	return job, nil
}

// UpdateImportJob records a running import's progress.
func (s *Store) UpdateImportJob(ctx context.Context, id uint, p ImportProgress) error {
	return s.db.WithContext(ctx).Model(&ImportJob{}).Where("id = ? AND status = ?", id, ImportRunning).
		Updates(map[string]any{
			"bytes_read": p.BytesRead, "rows_read": p.RowsRead, "imported": p.Imported,
			"duplicates": p.Duplicates, "credited": p.Credited, "invalid": p.Invalid, "updated_at": time.Now().UTC(),
		}).Error
}

// FinishImportJob records how an import ended (the job's Status, counts,
// Rejects and Error) and, in the same transaction, the audit entry of the
// import: who imported which file into which campaign, and the summary.
// It does not ask for the job to be running: one marked interrupted by
// mistake (its server lived but could record nothing for minutes) gets
// its true outcome, and the audit log keeps both entries.
func (s *Store) FinishImportJob(ctx context.Context, job *ImportJob) error {
	now := time.Now().UTC()
	job.FinishedAt, job.UpdatedAt = &now, now
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Model(&ImportJob{}).Where("id = ?", job.ID).Updates(map[string]any{
			"status": job.Status, "bytes_read": job.BytesRead, "rows_read": job.RowsRead,
			"imported": job.Imported, "duplicates": job.Duplicates, "credited": job.Credited, "invalid": job.Invalid,
			"rejects": job.Rejects, "error": job.Error, "updated_at": now, "finished_at": now,
		}).Error
		if err != nil {
			return err
		}
		return auditImport(tx, job)
	})
}

// auditImport writes the audit entry of an import that has ended: who
// imported which file into which campaign, how it ended, and the counts.
func auditImport(tx *gorm.DB, job *ImportJob) error {
	changes := map[string]Change{
		"Filename": {After: job.Filename}, "Status": {After: job.Status}, "RowsRead": {After: job.RowsRead},
		"Imported": {After: job.Imported}, "Duplicates": {After: job.Duplicates}, "Invalid": {After: job.Invalid},
		"Credited": {After: job.Credited},
	}
	if job.SourceID != nil {
		changes["SourceID"] = Change{After: *job.SourceID}
	}
	if job.Error != "" {
		changes["Error"] = Change{After: job.Error}
	}
	actor := Actor{UserID: job.UserID, Email: job.UserEmail}
	return writeAudit(tx, actor, &job.CampaignID, AuditCreate, "import", job.ID, changes)
}

// InterruptImportJobs marks interrupted every running import that has
// recorded nothing for idle, or every running import when idle is 0 (the
// caller knows no server that could be running one is alive), each with
// its audit entry, and returns them. The counts stay as last recorded:
// the batches stored before the stop stay stored. A job that moved, or
// that another server marked, since it was read is left alone, so
// servers sweeping at once mark each job once.
func (s *Store) InterruptImportJobs(ctx context.Context, idle time.Duration) ([]ImportJob, error) {
	var cutoff *time.Time
	q := s.db.WithContext(ctx).Omit("rejects").Where("status = ?", ImportRunning)
	if idle > 0 {
		t := time.Now().UTC().Add(-idle)
		cutoff = &t
		q = q.Where("updated_at < ?", t)
	}
	var jobs []ImportJob
	if err := q.Order("id").Find(&jobs).Error; err != nil {
		return nil, err
	}
	var marked []ImportJob
	for i := range jobs {
		ok, err := s.interruptImportJob(ctx, &jobs[i], cutoff)
		if err != nil {
			return marked, err
		}
		if ok {
			marked = append(marked, jobs[i])
		}
	}
	return marked, nil
}

// interruptImportJob marks one job interrupted if it is still running
// (and, with a cutoff, still idle since before it), with its audit entry
// in the same transaction.
func (s *Store) interruptImportJob(ctx context.Context, job *ImportJob, cutoff *time.Time) (bool, error) {
	marked := false
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		now := time.Now().UTC()
		q := tx.Model(&ImportJob{}).Where("id = ? AND status = ?", job.ID, ImportRunning)
		if cutoff != nil {
			q = q.Where("updated_at < ?", *cutoff)
		}
		res := q.Updates(map[string]any{"status": ImportInterrupted, "updated_at": now, "finished_at": now})
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		marked = true
		job.Status, job.UpdatedAt, job.FinishedAt = ImportInterrupted, now, &now
		return auditImport(tx, job)
	})
	return marked, err
}

// ImportJob returns one import of a campaign, with its rejects, or
// ErrNotFound.
func (s *Store) ImportJob(ctx context.Context, campaignID, id uint) (*ImportJob, error) {
	return getScoped[ImportJob](ctx, s, campaignID, id)
}

// ImportJobs lists a campaign's latest imports, newest first, without
// their rejects.
func (s *Store) ImportJobs(ctx context.Context, campaignID uint, limit int) ([]ImportJob, error) {
	var out []ImportJob
	err := s.db.WithContext(ctx).Omit("rejects").Where("campaign_id = ?", campaignID).
		Order("created_at DESC").Order("id DESC").Limit(limit).Find(&out).Error
	return out, err
}
