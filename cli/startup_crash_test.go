package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"campaigntrack/cli"
	"campaigntrack/models"
	"campaigntrack/testdb"
)

// TestServeTidiesWhatACrashLeft: a server starting alone on its database
// marks interrupted the imports a crash left running, however recent, and
// removes the application's temporary files; beside a live process (here
// the test holds the instance lock, as a running signatures import does)
// it marks only the import idle for longer than the idle limit.
func TestServeTidiesWhatACrashLeft(t *testing.T) {
	tmp := t.TempDir()
	db := seededDB(t)
	t.Setenv("TMPDIR", tmp)
	store, c := openDB(t, db)
	ctx := context.Background()
	start := func(name string) *models.ImportJob {
		job, err := store.StartImportJob(ctx, models.CommandLine, c.ID, testdb.Source(t, store, c.ID, "Test list"), name, 100)
		if err != nil {
			t.Fatal(err)
		}
		return job
	}

	// Beside a live process: the fresh import is left running.
	lock, _, err := store.LockInstance(ctx)
	if err != nil {
		t.Fatal(err)
	}
	fresh, stale := start("fresh.csv"), start("stale.csv")
	gdb, _ := models.Open(ctx, db)
	if err := gdb.Exec("UPDATE import_jobs SET updated_at = ? WHERE id = ?", time.Now().UTC().Add(-3*time.Minute), stale.ID).Error; err != nil {
		t.Fatal(err)
	}
	if sqlDB, err := gdb.DB(); err == nil {
		sqlDB.Close()
	}
	serveUntilReady(t, db)
	if got := status(t, store, c, fresh); got != models.ImportRunning {
		t.Errorf("a fresh import beside a live process: %q, want it left running", got)
	}
	if got := status(t, store, c, stale); got != models.ImportInterrupted {
		t.Errorf("an import idle for 3 minutes: %q, want interrupted", got)
	}

	// Alone: the fresh import is an orphan too, and the leftover file goes.
	lock.Release()
	dir := filepath.Join(tmp, "campaigntrack-"+strconv.Itoa(os.Getuid()))
	leftover := filepath.Join(dir, "upload-123.csv")
	if err := os.WriteFile(leftover, []byte("Ada,ada@example.org\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	serveUntilReady(t, db)
	if got := status(t, store, c, fresh); got != models.ImportInterrupted {
		t.Errorf("a fresh import with no process alive: %q, want interrupted", got)
	}
	if _, err := os.Stat(leftover); !os.IsNotExist(err) {
		t.Errorf("the temporary file a crash left is still there (%v)", err)
	}
	if audit, _ := store.AuditForRecord(ctx, "import", fresh.ID); len(audit) != 1 {
		t.Errorf("%d audit entries for the interrupted import, want 1", len(audit))
	}
}

func status(t *testing.T, store *models.Store, c *models.Campaign, job *models.ImportJob) string {
	t.Helper()
	j, err := store.ImportJob(context.Background(), c.ID, job.ID)
	if err != nil {
		t.Fatal(err)
	}
	return j.Status
}

// serveUntilReady runs serve on db until it listens, then stops it.
func serveUntilReady(t *testing.T, db string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	done := make(chan int, 1)
	var stdout, stderr bytes.Buffer
	go func() {
		done <- cli.Run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", db}, cli.Env{
			Stdout: &stdout, Stderr: &stderr, Getenv: func(string) string { return "" },
			Ready: func(addr string) { ready <- addr },
		})
	}()
	select {
	case <-ready:
	case code := <-done:
		t.Fatalf("serve exited %d before listening: %s", code, stderr.String())
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exited %d: %s", code, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
}
