package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// Import job statuses.
const (
	ImportRunning = "running"
	ImportDone    = "done"
	ImportFailed  = "failed"
)

// ImportJob is one signature CSV being imported, or imported: who sent
// which file, how far the import has got, what it did with the rows, the
// rows it refused (as a reject CSV, capped) and, when it failed, why.
type ImportJob struct {
	ID         uint
	CampaignID uint
	UserID     *uint
	UserEmail  string
	Filename   string
	Status     string
	BytesTotal int64
	BytesRead  int64
	RowsRead   int64
	Imported   int64
	Duplicates int64
	Invalid    int64
	Rejects    string // the reject CSV; empty when there were none or they went to a file
	Error      string
	CreatedAt  time.Time
	UpdatedAt  time.Time // moves with every batch, so a job that stopped moving shows it
	FinishedAt *time.Time
}

// ImportProgress is how far an import has got.
type ImportProgress struct {
	BytesRead, RowsRead, Imported, Duplicates, Invalid int64
}

// StartImportJob records an import that is about to run.
func (s *Store) StartImportJob(ctx context.Context, actor Actor, campaignID uint, filename string, bytesTotal int64) (*ImportJob, error) {
	job := &ImportJob{CampaignID: campaignID, UserID: actor.UserID, UserEmail: actor.Email,
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
			"duplicates": p.Duplicates, "invalid": p.Invalid, "updated_at": time.Now().UTC(),
		}).Error
}

// FinishImportJob records how an import ended (the job's Status, counts,
// Rejects and Error) and, in the same transaction, the audit entry of the
// import: who imported which file into which campaign, and the summary.
func (s *Store) FinishImportJob(ctx context.Context, job *ImportJob) error {
	now := time.Now().UTC()
	job.FinishedAt, job.UpdatedAt = &now, now
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Model(&ImportJob{}).Where("id = ?", job.ID).Updates(map[string]any{
			"status": job.Status, "bytes_read": job.BytesRead, "rows_read": job.RowsRead,
			"imported": job.Imported, "duplicates": job.Duplicates, "invalid": job.Invalid,
			"rejects": job.Rejects, "error": job.Error, "updated_at": now, "finished_at": now,
		}).Error
		if err != nil {
			return err
		}
		changes := map[string]Change{
			"Filename": {After: job.Filename}, "Status": {After: job.Status}, "RowsRead": {After: job.RowsRead},
			"Imported": {After: job.Imported}, "Duplicates": {After: job.Duplicates}, "Invalid": {After: job.Invalid},
		}
		if job.Error != "" {
			changes["Error"] = Change{After: job.Error}
		}
		actor := Actor{UserID: job.UserID, Email: job.UserEmail}
		return writeAudit(tx, actor, &job.CampaignID, AuditCreate, "import", job.ID, changes)
	})
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
