package cli

import (
	"log/slog"

	"campaigntrack/models"
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
