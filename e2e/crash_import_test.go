package e2e

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// signerMarker is in every email of the uploads these tests send, so a
// file holding their rows is found by its content, whatever its name.
const signerMarker = "@crash-import.example.org"

// importTimeout bounds the wait for an import to show progress. A guard
// against a hang, not a budget.
const importTimeout = 2 * time.Minute

// TestCrashMidImportLeavesNoFileAndIsInterrupted kills the server with
// SIGKILL while it imports a large upload, and checks what is left: no
// file holding the signers' rows in the temporary directory, before or
// after the restart, and an import that says it was interrupted, with
// the signatures it stored, and is in the audit log.
func TestCrashMidImportLeavesNoFileAndIsInterrupted(t *testing.T) {
	db := dbWithOrganiser(t)
	tmp := t.TempDir()
	env := append(serverEnv(), "TMPDIR="+tmp)
	server, base := startServerProcWith(t, "campaigntrack (to be killed)", env, []string{binPath}, db, "--access-log=false")
	browser := httpSignIn(t, base)

	jobPath := uploadSignatures(t, browser, base, signerCSV(40<<20))
	imported := waitForProgress(t, browser, base+jobPath)
	server.signal(t, syscall.SIGKILL, stopTimeout)
	t.Logf("killed the server with %d signatures recorded as imported", imported)
	noSignerFiles(t, tmp, "after the kill")

	// Cookies are kept by host, not port: the session signed in on the
	// first server goes to the restarted one, as it lives in the database.
	_, restarted := startServerProcWith(t, "campaigntrack (restarted)", env, []string{binPath}, db, "--access-log=false")
	noSignerFiles(t, tmp, "after the restart")
	page := get(t, browser, restarted+jobPath, http.StatusOK)
	doc := parse(t, page)
	st := doc.Find(`[data-testid=import-status]`)
	if s, _ := st.Attr("data-status"); s != "interrupted" || !strings.Contains(normalize(st.Text()), "Interrupted: the server stopped during this import") {
		t.Fatalf("the import after the restart: status %q, %q", s, normalize(st.Text()))
	}
	if n := number(t, doc.Find(`[data-testid=imported]`).Text()); n < imported {
		t.Errorf("the interrupted import shows %d imported, fewer than the %d recorded before the kill", n, imported)
	}
	audit := normalize(parse(t, get(t, browser, restarted+auditPath, http.StatusOK)).Find(`[data-testid=audit-entry]`).First().Text())
	if !strings.Contains(audit, "interrupted") {
		t.Errorf("the latest audit entry does not record the interrupted import: %q", audit)
	}
}

// httpSignIn signs the organiser in on base, without a browser, and
// returns the client holding the session.
func httpSignIn(t *testing.T, base string) *http.Client {
	t.Helper()
	browser := httpClientWithJar(t)
	token := csrfFrom(t, get(t, browser, base+"/login", http.StatusOK), "form[data-testid=login-form]")
	resp := post(t, browser, base+"/login", url.Values{"_csrf": {token}, "email": {organiserEmail}, "password": {organiserPassword}, "next": {"/admin"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("signing in: %d", resp.StatusCode)
	}
	return browser
}

// httpClientWithJar is a client with cookies of its own that does not
// follow redirects, as the tests read them.
func httpClientWithJar(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, Timeout: time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// signerCSV is a signature CSV of at least size bytes, every email
// holding signerMarker.
func signerCSV(size int) []byte {
	var b bytes.Buffer
	b.WriteString("first_name,last_name,email,city,state,country,zip\n")
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "Signer %d,Lastname,signer%08d%s,Seattle,WA,US,98101\n", i, i, signerMarker)
	}
	return b.Bytes()
}

// uploadSignatures uploads csv on the demo campaign's signatures page and
// returns the path of the import's page.
func uploadSignatures(t *testing.T, browser *http.Client, base string, csv []byte) string {
	t.Helper()
	token := csrfFrom(t, get(t, browser, base+adminCampaignPath+"/signatures", http.StatusOK), "form[data-testid=import-form]")
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		err := mw.WriteField("_csrf", token)
		if err == nil {
			var fw io.Writer
			if fw, err = mw.CreateFormFile("file", "signers.csv"); err == nil {
				_, err = fw.Write(csv)
			}
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	resp, err := browser.Post(base+adminCampaignPath+"/signatures/import", mw.FormDataContentType(), pr)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "/imports/") {
		t.Fatalf("upload: %d to %q", resp.StatusCode, loc)
	}
	return loc
}

// waitForProgress follows the import's page until it has stored
// signatures, and fails if it ends first.
func waitForProgress(t *testing.T, browser *http.Client, page string) int64 {
	t.Helper()
	deadline := time.Now().Add(importTimeout)
	for {
		doc := parse(t, get(t, browser, page, http.StatusOK))
		if s, _ := doc.Find(`[data-testid=import-status]`).Attr("data-status"); s != "running" {
			t.Fatalf("the import ended (%s) before the server could be killed: make the file larger", s)
		}
		if n := number(t, doc.Find(`[data-testid=imported]`).Text()); n > 0 {
			return n
		}
		if time.Now().After(deadline) {
			t.Fatalf("the import stored nothing within %s", importTimeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func parse(t *testing.T, page string) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// number reads a figure as the pages print it (1,234).
func number(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(strings.ReplaceAll(strings.TrimSpace(s), ",", ""), 10, 64)
	if err != nil {
		t.Fatalf("%q is not a figure", s)
	}
	return n
}

// noSignerFiles fails the test if a file under dir holds signers' rows.
func noSignerFiles(t *testing.T, dir, when string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		b, err := os.ReadFile(path)
		if err == nil && bytes.Contains(b, []byte(signerMarker)) {
			t.Errorf("%s: %s holds the signers' rows", when, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
