package csvio

import (
	"bytes"
	"context"
	"errors"
	"io"
	"time"

	"campaigntrack/models"
)

// RejectsLimit caps the reject CSV kept on an import job's row.
const RejectsLimit = 1 << 20

// JobStore is the part of the Store an import job uses.
type JobStore interface {
	SignatureImporter
	UpdateImportJob(ctx context.Context, id uint, p models.ImportProgress) error
	FinishImportJob(ctx context.Context, job *models.ImportJob) error
}

// RunJob runs Import for a job started with Store.StartImportJob: the
// job's row follows the import after every batch (and every second), and
// records how it ended (done or failed, the counts, the error) with its
// audit entry.
// When opt.Rejects is nil the reject CSV is kept on the row, capped at
// RejectsLimit; otherwise it goes to opt.Rejects alone. A failure to
// record the outcome is returned with the import's own error.
func RunJob(ctx context.Context, store JobStore, job *models.ImportJob, r io.Reader, opt ImportOptions) (Summary, error) {
	var rejects *bytes.Buffer
	if opt.Rejects == nil {
		rejects = &bytes.Buffer{}
		opt.Rejects, opt.RejectsLimit = rejects, RejectsLimit
	}
	var (
		last    Progress
		updated time.Time
	)
	progress := opt.Progress
	opt.Progress = func(p Progress) { // Import calls this one call at a time
		last = p
		// After every batch, and at least every second while rows are read
		// (a file of mostly invalid rows stores few batches).
		if p.Stored || time.Since(updated) >= time.Second {
			updated = time.Now()
			// A lost progress update costs only a stale figure on the page;
			// the outcome is recorded below whatever happens here.
			_ = store.UpdateImportJob(context.WithoutCancel(ctx), job.ID, jobProgress(p))
		}
		if progress != nil {
			progress(p)
		}
	}
	if job.SourceID != nil {
		opt.SourceID = *job.SourceID
	}
	sum, err := Import(ctx, store, job.CampaignID, r, opt)
	p := jobProgress(last)
	job.BytesRead, job.RowsRead, job.Imported, job.Duplicates, job.Invalid = p.BytesRead, int64(sum.Rows), int64(sum.Imported), int64(sum.Duplicates), int64(sum.Invalid)
	job.Credited = int64(sum.Credited)
	job.Status = models.ImportDone
	if err != nil {
		job.Status, job.Error = models.ImportFailed, err.Error()
	} else {
		job.BytesRead = job.BytesTotal
	}
	if rejects != nil {
		job.Rejects = rejects.String()
	}
	// Record the outcome even when ctx has ended: the row must not stay
	// "running".
	if ferr := store.FinishImportJob(context.WithoutCancel(ctx), job); ferr != nil {
		return sum, errors.Join(err, ferr)
	}
	return sum, err
}

func jobProgress(p Progress) models.ImportProgress {
	return models.ImportProgress{BytesRead: p.Bytes, RowsRead: int64(p.Rows), Imported: int64(p.Imported),
		Duplicates: int64(p.Duplicates), Credited: int64(p.Credited), Invalid: int64(p.Invalid)}
}
