package cli

import (
	"context"
	"log/slog"
	"time"

	"campaigntrack/models"
	"campaigntrack/private"
)

// secureDatabaseFiles makes a SQLite database left world-readable by an
// earlier version (SQLite created it 0644) readable by its owner only,
// and says so: whoever set the old mode on purpose should know. A file
// that cannot be changed (not ours) is reported and left; opening goes on.
func secureDatabaseFiles(dsn string, log *slog.Logger) {
	changed, err := models.SecureSQLiteFiles(dsn)
	for _, path := range changed {
		log.Warn("the database file was readable by other users; it is now readable by its owner only (0600)", "file", path)
	}
	if err != nil {
		log.Warn("cannot make the database file readable by its owner only", "error", err)
	}
}

// afterCrash runs before the server takes requests and tidies what a
// crash (of this server or of another on the same database) left: the
// temporary files with signers' data, and imports still marked running
// whose process is gone. It takes this server's instance lock, which the
// returned function lets go, and keeps sweeping every minute until ctx
// ends, so a survivor marks the imports of an instance that died.
// Nothing here stops the server: a failure is logged, and the next sweep
// tries again. alone reports that no other instance holds a lock on the
// database, so whatever another instance left claimed is an orphan.
func afterCrash(ctx context.Context, store *models.Store, log *slog.Logger) (release func(), alone bool) {
	if n, err := private.Sweep(); err != nil {
		log.Warn("removing temporary files left by a crash failed", "error", err, "removed", n)
	} else if n > 0 {
		log.Info("removed temporary files left by a crash", "files", n)
	}
	lock, alone, err := store.LockInstance(ctx)
	if err != nil {
		log.Warn("no instance lock: imports left running are marked interrupted once idle, not at once", "error", err)
	}
	// Alone, every running import is an orphan; beside live servers, only
	// those idle too long to be anyone's.
	idle := models.ImportIdleLimit
	if alone {
		idle = 0
	}
	interruptImports(ctx, store, idle, log)
	go func() {
		t := time.NewTicker(time.Minute)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				interruptImports(ctx, store, models.ImportIdleLimit, log)
			}
		}
	}()
	return lock.Release, alone
}

// interruptImports marks interrupted the imports whose server stopped and
// logs each one.
func interruptImports(ctx context.Context, store *models.Store, idle time.Duration, log *slog.Logger) {
	jobs, err := store.InterruptImportJobs(ctx, idle)
	for _, j := range jobs {
		log.Warn("an import was interrupted: its server stopped before it ended; the signatures it stored stay stored",
			"import_job", j.ID, "campaign_id", j.CampaignID, "file", j.Filename, "user", j.UserEmail, "imported", j.Imported, "rows_read", j.RowsRead)
	}
	if err != nil && ctx.Err() == nil {
		log.Error("marking interrupted imports failed", "error", err)
	}
}
