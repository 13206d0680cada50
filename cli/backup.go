package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"campaigntrack/backup"
	"campaigntrack/config"
	"campaigntrack/models"
)

// backupCommand runs campaigntrack backup [--force] FILE: a consistent
// copy of the SQLite database, taken while the server runs and checked
// before it gets its name (see backup.To).
func backupCommand(ctx context.Context, env Env, args []string) error {
	var force *bool
	flagArgs, files := splitArgs(args, "force")
	cfg, err := config.ParseWith("backup", flagArgs, env.Getenv, env.Stderr, func(fs *flag.FlagSet) {
		force = fs.Bool("force", false, "replace FILE if it exists")
	})
	if err != nil {
		return err
	}
	if models.IsPostgresURL(cfg.DB) {
		return errors.New(backup.PostgresAdvice(cfg.DB))
	}
	if len(files) != 1 {
		return usageError{"give one file to write the backup to: campaigntrack backup [--db DATABASE] [--force] FILE"}
	}
	path := files[0]
	// Not openStore: a backup must not migrate the database (an
	// older server may be running on it), nor create an empty one where
	// --db names nothing.
	if _, err := os.Stat(cfg.DB); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("no database at %s: there is nothing to back up", cfg.DB)
	}
	db, err := models.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	store := models.NewStore(db)
	defer store.Close()
	start := time.Now()
	info, err := backup.To(ctx, store, path, backup.Options{Overwrite: *force})
	if errors.Is(err, backup.ErrExists) {
		return fmt.Errorf("%s already exists: name a new file, or give --force to replace it", path)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "wrote %s (%s, schema version %d, integrity ok): %s; took %s\n",
		info.Path, formatSize(info.Size), info.SchemaVersion, describeContents(info), time.Since(start).Round(time.Millisecond))
	return nil
}

// restoreCommand runs campaigntrack restore [--yes] FILE: it checks the
// backup and says what a restore would do; with --yes it restores (see
// backup.Restore).
func restoreCommand(ctx context.Context, env Env, args []string) error {
	var yes *bool
	flagArgs, files := splitArgs(args, "yes")
	cfg, err := config.ParseWith("restore", flagArgs, env.Getenv, env.Stderr, func(fs *flag.FlagSet) {
		yes = fs.Bool("yes", false, "restore: replace the database (without it the backup is only checked)")
	})
	if err != nil {
		return err
	}
	if models.IsPostgresURL(cfg.DB) {
		return errors.New(backup.PostgresRestoreAdvice(cfg.DB))
	}
	if len(files) != 1 {
		return usageError{"give one backup file to restore from: campaigntrack restore [--db DATABASE] [--yes] FILE"}
	}
	file := files[0]
	if !*yes {
		info, err := backup.Check(ctx, file)
		if err != nil {
			return err
		}
		printCheck(env, info)
		if dir := filepath.Dir(cfg.DB); !isDir(dir) {
			return fmt.Errorf("cannot restore into %s: directory %s does not exist", cfg.DB, dir)
		}
		what := fmt.Sprintf("would put it in place of %s, keeping the current database as %s.before-restore-<time>", cfg.DB, cfg.DB)
		if _, err := os.Stat(cfg.DB); errors.Is(err, fs.ErrNotExist) {
			what = fmt.Sprintf("would put it at %s (there is no database there now)", cfg.DB)
		}
		fmt.Fprintf(env.Stdout, "%s; stop the server first, then run again with --yes\n", what)
		return nil
	}
	res, err := backup.Restore(ctx, file, cfg.DB)
	if err != nil {
		return err
	}
	printCheck(env, res.Backup)
	if res.Unreadable != "" {
		fmt.Fprintf(env.Stdout, "the database it replaced could not be read (%s)\n", res.Unreadable)
	}
	if res.KeptAs != "" {
		fmt.Fprintf(env.Stdout, "restored %s from %s; the database it replaced is kept as %s\n", res.Target, file, res.KeptAs)
	} else {
		fmt.Fprintf(env.Stdout, "restored %s from %s (there was no database there)\n", res.Target, file)
	}
	if v := res.Backup.SchemaVersion; v < models.SchemaVersion() {
		fmt.Fprintf(env.Stdout, "its schema (version %d) is migrated to version %d when the server next starts\n", v, models.SchemaVersion())
	}
	return nil
}

func isDir(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}

func printCheck(env Env, info backup.Info) {
	fmt.Fprintf(env.Stdout, "%s is a good backup (%s, schema version %d, integrity ok): %s\n",
		info.Path, formatSize(info.Size), info.SchemaVersion, describeContents(info))
}

// describeContents lists what a backup holds. The kept count is shown
// only when it differs from the rows, which a consistent copy never does.
func describeContents(info backup.Info) string {
	sigs := plural(info.Signatures, "signature")
	if info.KeptSignatures != info.Signatures {
		sigs += fmt.Sprintf(" (kept count %d)", info.KeptSignatures)
	}
	return strings.Join([]string{plural(info.Campaigns, "campaign"), sigs, plural(info.Deliveries, "delivery"), plural(info.Users, "user")}, ", ")
}

func plural(n int64, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	if strings.HasSuffix(word, "y") {
		return fmt.Sprintf("%d %sies", n, strings.TrimSuffix(word, "y"))
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// formatSize writes a byte count the way ls -h readers expect, in
// decimal units.
func formatSize(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d bytes", n)
	case n < 1000*1000:
		return fmt.Sprintf("%.1f kB", float64(n)/1000)
	case n < 1000*1000*1000:
		return fmt.Sprintf("%.1f MB", float64(n)/(1000*1000))
	}
	return fmt.Sprintf("%.2f GB", float64(n)/(1000*1000*1000))
}
