package handlers_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"campaigntrack/config"
	"campaigntrack/models"
	"campaigntrack/testdb"
)

// leakMarker is in every email of the uploads below, so a temporary file
// that holds any of their rows is found by its content, whatever its name.
const leakMarker = "@leak-check.example.org"

// bigSignerCSV is a signature CSV of at least size bytes, every row a
// signer with an email holding leakMarker; more than 1 MB of it is what
// made the multipart parser spill to a temporary file.
func bigSignerCSV(size int, header string) string {
	var b strings.Builder
	b.WriteString(header + "\n")
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "Signer %d,Lastname,signer%07d%s,Seattle,WA,US,98101\n", i, i, leakMarker)
	}
	return b.String()
}

const bigCSVHeader = "first_name,last_name,email,city,state,country,zip"

// privateTempDir points the process's temporary directory (TMPDIR, which
// the multipart parser and os.CreateTemp use) at a directory of the
// test's own. Call it after the app is built: t.TempDir makes its
// directories under TMPDIR too.
func privateTempDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	return dir
}

// filesHolding lists the regular files under dir whose content holds
// marker.
func filesHolding(t *testing.T, dir, marker string) []string {
	t.Helper()
	var found []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte(marker)) {
			found = append(found, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

func assertNoSignerFiles(t *testing.T, dir, when string) {
	t.Helper()
	if left := filesHolding(t, dir, leakMarker); len(left) > 0 {
		t.Errorf("%s: files holding the signers' data are left in the temporary directory: %q", when, left)
	}
}

// TestUploadLeavesNoTempFile: whatever becomes of a signature upload, no
// file with the signers' names and emails stays in the temporary
// directory after it: an import that succeeds, an upload refused for its
// CSRF token or its header, and a client that stops sending half way.
func TestUploadLeavesNoTempFile(t *testing.T) {
	a := newApp(t, testdb.Open(t, testdb.SQLite), config.Config{})
	a.user("organiser@example.org", models.RoleOrganiser)
	b := a.browser()
	b.login("organiser@example.org")
	tmp := privateTempDir(t)
	const threeMB = 3 << 20

	t.Run("imported", func(t *testing.T) {
		r := b.postMultipart(signaturesPath+"/import", "file", "big.csv", strings.NewReader(bigSignerCSV(threeMB, bigCSVHeader)))
		if r.status != http.StatusSeeOther {
			t.Fatalf("a 3 MB upload: %d\n%s", r.status, r.body)
		}
		done := b.waitForImport(r.header.Get("Location"))
		if status, _ := done.doc(t).Find(`[data-testid=import-status]`).Attr("data-status"); status != "done" {
			t.Fatalf("import ended %q", status)
		}
		assertNoSignerFiles(t, tmp, "after an import")
	})
	t.Run("bad CSRF token", func(t *testing.T) {
		body, ct := multipartBody(t, "not-the-token", "file", "big.csv", strings.NewReader(bigSignerCSV(threeMB, bigCSVHeader)))
		req, _ := http.NewRequest(http.MethodPost, a.srv.URL+signaturesPath+"/import", body)
		req.Header.Set("Content-Type", ct)
		if r := b.do(req); r.status != http.StatusForbidden {
			t.Fatalf("an upload with a wrong CSRF token: %d, want 403", r.status)
		}
		assertNoSignerFiles(t, tmp, "after a CSRF refusal")
	})
	t.Run("no email column", func(t *testing.T) {
		csv := bigSignerCSV(threeMB, "first_name,last_name,mail,city,state,country,zip")
		r := b.postMultipart(signaturesPath+"/import", "file", "noemail.csv", strings.NewReader(csv))
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "no email column") {
			t.Fatalf("an upload with no email column: %d, want 422\n%s", r.status, r.body)
		}
		assertNoSignerFiles(t, tmp, "after a refused header")
	})
	t.Run("client stops half way", func(t *testing.T) {
		status := uploadHalfAndStop(t, b, bigSignerCSV(threeMB, bigCSVHeader))
		// The request's context ends with the connection's reading side,
		// so the session cannot be saved either: that is the client gone,
		// not the database.
		if status != http.StatusBadRequest {
			t.Errorf("an upload cut off half way: %d, want 400", status)
		}
		assertNoSignerFiles(t, tmp, "after a client stopped sending")
	})
	if jobs, _ := a.store.ImportJobs(t.Context(), 1, 10); len(jobs) != 1 {
		t.Errorf("%d imports started, want the one that was taken", len(jobs))
	}
}

// uploadHalfAndStop sends an upload on a connection of its own, declaring
// the whole body's length but sending only its first half, then stops
// sending (a browser whose network went away) and returns the status the
// server answers once it has read to the end of what came.
func uploadHalfAndStop(t *testing.T, b *browser, csv string) int {
	t.Helper()
	body, ct := multipartBody(t, b.csrf(), "file", "cut.csv", strings.NewReader(csv))
	full, _ := io.ReadAll(body)
	u, _ := url.Parse(b.a.srv.URL)
	req, _ := http.NewRequest(http.MethodPost, b.a.srv.URL+signaturesPath+"/import", bytes.NewReader(full[:len(full)/2]))
	req.ContentLength = int64(len(full))
	req.Header.Set("Content-Type", ct)
	for _, c := range b.http.Jar.Cookies(u) {
		req.AddCookie(c)
	}
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// Write sends the headers and the half body; Content-Length promises
	// the rest, which never comes.
	if err := req.Write(conn); err != nil && !strings.Contains(err.Error(), "ContentLength") {
		t.Fatal(err)
	}
	conn.(*net.TCPConn).CloseWrite()
	resp, err := http.ReadResponse(bufio.NewReader(conn), req)
	if err != nil {
		t.Fatalf("reading the answer to a cut-off upload: %v", err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestUploadWithoutMultipartIsRefused: a body that is not a multipart
// form reaches the handler without a file, and is answered with the form,
// not a fault.
func TestUploadWithoutMultipartIsRefused(t *testing.T) {
	t.Parallel()
	a := newApp(t, testdb.Open(t, testdb.SQLite), config.Config{})
	a.user("organiser@example.org", models.RoleOrganiser)
	b := a.browser()
	b.login("organiser@example.org")
	r := b.post(signaturesPath+"/import", url.Values{"file": {"first_name,email\nAda,ada@example.org\n"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Choose a CSV file") {
		t.Errorf("a urlencoded upload: %d, want 422 asking for a file\n%s", r.status, r.body)
	}
}
