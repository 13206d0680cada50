package e2e

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// umask000 runs the command after it under umask 000, as a careless
// service file might: only the modes the program asks for count.
var umask000 = []string{"/bin/sh", "-c", `umask 000 && exec "$0" "$@"`}

// runCLIUmask000 is runCLI under umask 000.
func runCLIUmask000(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), cliTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, umask000[0], append(append(umask000[1:len(umask000):len(umask000)], binPath), args...)...)
	cmd.Env = serverEnv()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("campaigntrack %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestFilesHoldingSignersAreOwnerOnly runs the server and the commands
// under umask 000 and checks that every file they write that holds
// signers' data is 0600: the new database and its -wal and -shm once a
// signature is in, a signature export (new, and over an older
// world-readable file), a reject file, a backup, and a restore with the
// database it keeps.
func TestFilesHoldingSignersAreOwnerOnly(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "campaigntrack.db")
	server, base := startServerProcWith(t, "campaigntrack (umask 000)", serverEnv(), append(umask000, binPath), db, "--access-log=false")
	signOnce(t, base, "umask@example.org")
	assertOwnerOnly(t, db, db+"-wal", db+"-shm", db+"-instances.lock")

	export, oldExport := filepath.Join(dir, "export.csv"), filepath.Join(dir, "old-export.csv")
	if err := os.WriteFile(oldExport, []byte("an older export\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chmod(oldExport, 0o644)
	for _, out := range []string{export, oldExport} {
		runCLIUmask000(t, "signatures", "export", "--db", db, "--campaign", demoSlug, "--out", out)
	}
	csvFile := filepath.Join(dir, "signers.csv")
	os.WriteFile(csvFile, []byte("first_name,email\nAda,ada@example.org\nBen,not-an-email\n"), 0o600)
	rejects := filepath.Join(dir, "signers.rejects.csv")
	runCLIUmask000(t, "signatures", "import", "--db", db, "--campaign", demoSlug, csvFile)
	backup := filepath.Join(dir, "campaigntrack.backup")
	runCLIUmask000(t, "backup", "--db", db, backup)
	assertOwnerOnly(t, export, oldExport, rejects, backup)

	server.signal(t, syscall.SIGTERM, stopTimeout)
	out := runCLIUmask000(t, "restore", "--db", db, "--yes", backup)
	kept, _ := filepath.Glob(db + ".before-restore-*")
	if len(kept) != 1 {
		t.Fatalf("the restore kept %q, want one copy of the old database\n%s", kept, out)
	}
	assertOwnerOnly(t, db, kept[0])
}

// signOnce signs the demo petition through its form.
func signOnce(t *testing.T, base, email string) {
	t.Helper()
	browser := httpClientWithJar(t)
	page := get(t, browser, base+demoPath, http.StatusOK)
	resp := post(t, browser, base+demoPath+"/sign", url.Values{"_csrf": {csrfFrom(t, page, "form[data-testid=sign-form]")},
		"first_name": {"Ada"}, "last_name": {"Lopez"}, "email": {email}, "city": {"Seattle"}, "region": {"WA"},
		"country": {"US"}, "postal_code": {"98101"}})
	if resp.StatusCode != http.StatusSeeOther || !strings.HasSuffix(resp.Header.Get("Location"), "/signed") {
		t.Fatalf("signing: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func assertOwnerOnly(t *testing.T, paths ...string) {
	t.Helper()
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(p), err)
			continue
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %o, want 600", filepath.Base(p), st.Mode().Perm())
		}
	}
}
