package e2e

import (
	"context"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"campaigntrack/models"
)

const (
	// crashAfter is how many acknowledged signatures the load tool must
	// have written before the server is killed: enough that the writer is
	// in full flow, batches committing back to back, when it dies.
	crashAfter = 5000
	// loadTimeout bounds the wait for crashAfter acknowledgements, and
	// for a load run to end. A guard against a hang, not a budget.
	loadTimeout = 2 * time.Minute
)

// TestCrashKeepsEveryAcknowledgedSignature kills the server with SIGKILL
// while the load tool signs as fast as 16 clients can, and checks that
// the answer a signer gets is the truth: every signature that got a
// success answer is in the database after a restart, the kept count
// equals the rows (counter and rows move in one transaction), and the
// SQLite file is intact.
//
// A signature whose answer was cut off by the kill may be stored or not;
// both are allowed, so rows may exceed acknowledgements but never the
// other way round.
func TestCrashKeepsEveryAcknowledgedSignature(t *testing.T) {
	loadTool := buildLoadTool(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "campaigntrack.db")
	ack := filepath.Join(dir, "ack.txt")

	server, base := startServerProc(t, "campaigntrack (to be killed)", db, "--sign-rate-limit", "off", "--access-log=false")
	// -d is only an upper bound: the tool is stopped once the server is
	// gone.
	tool := startProc(t, "campaigntrack-load", loadTool, "sign", "-url", base, "-campaign", demoSlug,
		"-c", "16", "-d", loadTimeout.String(), "-ack", ack, "-json")

	deadline := time.Now().Add(loadTimeout)
	for n := 0; n < crashAfter; n = countLines(t, ack) {
		if !tool.running() {
			t.Fatalf("campaigntrack-load exited (%s) with %d signatures acknowledged, before the crash", tool.state(), n)
		}
		if !server.running() {
			t.Fatalf("the server exited (%s) before it was killed", server.state())
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d signatures acknowledged after %s; want %d before the crash", n, loadTimeout, crashAfter)
		}
		time.Sleep(20 * time.Millisecond)
	}

	// The crash: no shutdown, no flush, nothing the server could do.
	server.signal(t, syscall.SIGKILL, stopTimeout)
	ackedAtKill := countLines(t, ack)
	if !tool.running() {
		t.Fatalf("campaigntrack-load exited (%s) before the crash", tool.state())
	}
	// The tool now sees refused connections. SIGTERM ends its run: the
	// requests in flight finish (they fail), the report is printed, and the
	// ack file is written out in full.
	tool.signal(t, syscall.SIGTERM, stopTimeout)
	code := tool.wait(t, stopTimeout)
	stdout := tool.stdout.String()
	t.Logf("campaigntrack-load report:\n%s", textReport(stdout))
	rep := parseLoadReport(t, stdout)
	// 1: the run ended with problems (the server went away); 3 would be
	// the tool's own failure, such as an ack file not written in full.
	if code != 1 || rep.Sign.Ack.Error != "" {
		t.Fatalf("campaigntrack-load exit status %d (ack file: %+v), want 1: the run found problems, the tool did not fail", code, rep.Sign.Ack)
	}
	acked := readAckFile(t, ack)
	if int64(len(acked)) != rep.Sign.Successes || rep.Sign.Ack.Lines != rep.Sign.Successes {
		t.Errorf("the ack file has %d lines (the tool says %d), the tool counted %d successes", len(acked), rep.Sign.Ack.Lines, rep.Sign.Successes)
	}
	if len(acked) < ackedAtKill {
		t.Errorf("the ack file shrank from %d to %d lines", ackedAtKill, len(acked))
	}

	// The restart, on the same file, as an operator would after a crash.
	restarted := startServerWithDB(t, db)
	kept := signatureCount(t, restarted)
	rows := exportedEmails(t, db)
	t.Logf("acknowledged %d (%d on file just after the kill), rows %d, kept count %d; %d signatures stored whose answer was cut off",
		len(acked), ackedAtKill, len(rows), kept, len(rows)-len(acked))

	reportMissing(t, missingAcked(acked, rows), len(acked))
	if kept != int64(len(rows)) {
		t.Errorf("kept count %d, but %d signature rows", kept, len(rows))
	}
	recountReportsNoDrift(t, db)
	checkIntegrity(t, db)
}

// checkIntegrity runs PRAGMA integrity_check on the SQLite file, from a
// connection of the test's own, and wants its one answer: ok.
func checkIntegrity(t *testing.T, db string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), cliTimeout)
	defer cancel()
	gdb, err := models.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	sqlDB, err := gdb.DB()
	if err != nil {
		t.Fatal(err)
	}
	defer sqlDB.Close()
	rows, err := sqlDB.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		t.Fatalf("PRAGMA integrity_check: %v", err)
	}
	defer rows.Close()
	var result []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatalf("PRAGMA integrity_check: %v", err)
		}
		result = append(result, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("PRAGMA integrity_check: %v", err)
	}
	if len(result) != 1 || result[0] != "ok" {
		t.Errorf("PRAGMA integrity_check: %q, want [ok]", result)
	} else {
		t.Logf("PRAGMA integrity_check: ok")
	}
}
