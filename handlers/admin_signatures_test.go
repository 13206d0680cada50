package handlers_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"campaigntrack/config"
	"campaigntrack/models"
	"campaigntrack/testdb"
)

const signaturesPath = "/admin/campaigns/no-tech-for-ice/signatures"

// postMultipart uploads a file as a browser's form does, with the
// browser's CSRF token.
func (b *browser) postMultipart(path, field, filename string, content io.Reader) response {
	b.t.Helper()
	body, contentType := multipartBody(b.t, b.csrf(), field, filename, content)
	req, _ := http.NewRequest(http.MethodPost, b.a.srv.URL+path, body)
	req.Header.Set("Content-Type", contentType)
	return b.do(req)
}

func multipartBody(t *testing.T, csrf, field, filename string, content io.Reader) (io.Reader, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if err := w.WriteField("_csrf", csrf); err != nil {
		t.Fatal(err)
	}
	if field != "" {
		fw, err := w.CreateFormFile(field, filename)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(fw, content); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return &buf, w.FormDataContentType()
}

// waitForImport follows an import's page until the import ends.
func (b *browser) waitForImport(path string) response {
	b.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		r := b.get(path)
		if r.status != http.StatusOK {
			b.t.Fatalf("GET %s = %d", path, r.status)
		}
		status, _ := r.doc(b.t).Find(`[data-testid=import-status]`).Attr("data-status")
		if status != "running" {
			return r
		}
		if !strings.Contains(r.body, `<meta http-equiv="refresh" content="1">`) {
			b.t.Fatalf("a running import's page does not refresh itself:\n%s", r.body)
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("the import at %s is still running after 30 s", path)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

const uploadCSV = "first_name,last_name,email,city,state,country,zip,signed_at\n" +
	"Ada,Lopez,ada@example.org,Seattle,WA,US,98101,2019-07-15\n" +
	"Ben,Okafor,ben@example.org,Portland,OR,US,97201,2019-07-15\n" +
	"Cleo,Nguyen,not-an-email,Boston,MA,US,02108,2019-07-15\n" +
	"Dee,Park,dee@example.org,\"=HYPERLINK(\"\"http://evil.example\"\")\",NY,US,10001,2019-07-16\n"

func TestOrganiserImportsSignatures(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		a.user("organiser@example.org", models.RoleOrganiser)
		b := a.browser()
		b.login("organiser@example.org")

		page := b.get(signaturesPath)
		if page.status != http.StatusOK || page.doc(t).Find(`[data-testid=import-form]`).Length() != 1 || page.doc(t).Find(`[data-testid=export-link]`).Length() != 1 {
			t.Fatalf("the signatures page has no upload form or export link for an organiser: %d\n%s", page.status, page.body)
		}
		if enctype, _ := page.doc(t).Find(`[data-testid=import-form]`).Attr("enctype"); enctype != "multipart/form-data" {
			t.Errorf("upload form enctype = %q", enctype)
		}

		r := b.postMultipart(signaturesPath+"/import", "file", "signers.csv", strings.NewReader(uploadCSV))
		loc := r.header.Get("Location")
		if r.status != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/campaigns/no-tech-for-ice/imports/") {
			t.Fatalf("upload: %d %q\n%s", r.status, loc, r.body)
		}
		done := b.waitForImport(loc)
		doc := done.doc(t)
		if status, _ := doc.Find(`[data-testid=import-status]`).Attr("data-status"); status != "done" {
			t.Fatalf("import ended %q: %s", status, text(doc.Find(`main`)))
		}
		for id, want := range map[string]string{"rows-read": "4", "imported": "3", "duplicates": "0", "invalid": "1", "percent": "100%"} {
			if got := text(doc.Find(`[data-testid=` + id + `]`)); got != want {
				t.Errorf("%s = %q, want %q", id, got, want)
			}
		}
		if strings.Contains(done.body, `http-equiv="refresh"`) {
			t.Error("a finished import's page still refreshes itself")
		}
		if a.count() != 3 {
			t.Errorf("kept count = %d, want 3", a.count())
		}

		link, ok := doc.Find(`[data-testid=rejects-link]`).Attr("href")
		if !ok || link != loc+"/rejects.csv" {
			t.Fatalf("rejects link = %q", link)
		}
		rej := b.get(link)
		if rej.status != http.StatusOK || !strings.HasPrefix(rej.header.Get("Content-Type"), "text/csv") ||
			!strings.HasPrefix(rej.header.Get("Content-Disposition"), "attachment") || rej.header.Get("Cache-Control") != "no-store" {
			t.Fatalf("rejects.csv: %d %v", rej.status, rej.header)
		}
		records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(rej.body, bom))).ReadAll()
		if err != nil || len(records) != 2 {
			t.Fatalf("rejects.csv = %q, %v", rej.body, err)
		}
		if h := strings.Join(records[0], ","); h != "first_name,last_name,email,city,state,country,zip,signed_at,line,reason" {
			t.Errorf("rejects header = %q", h)
		}
		if bad := records[1]; bad[2] != "not-an-email" || bad[8] != "4" || !strings.Contains(bad[9], "email: this does not look like an email address") {
			t.Errorf("rejected row = %q", bad)
		}

		// The import is listed and audited.
		if n := b.get(signaturesPath).doc(t).Find(`[data-testid=import]`).Length(); n != 1 {
			t.Errorf("the signatures page lists %d imports, want 1", n)
		}
		audit := text(b.get("/admin/campaigns/no-tech-for-ice/audit").doc(t).Find(`[data-testid=audit-entry]`).First())
		for _, w := range []string{"organiser@example.org", "Import", "signers.csv", "Imported"} {
			if !strings.Contains(audit, w) {
				t.Errorf("the audit entry %q does not mention %q", audit, w)
			}
		}

		// The same file again: every good row is a duplicate.
		r = b.postMultipart(signaturesPath+"/import", "file", "signers.csv", strings.NewReader(uploadCSV))
		doc = b.waitForImport(r.header.Get("Location")).doc(t)
		if got := text(doc.Find(`[data-testid=duplicates]`)); got != "3" || a.count() != 3 {
			t.Errorf("second import: duplicates %q, count %d", got, a.count())
		}
	})
}

func TestUploadRefusals(t *testing.T) {
	t.Parallel()
	a := newApp(t, testdb.Open(t, testdb.SQLite), config.Config{})
	a.user("organiser@example.org", models.RoleOrganiser)
	b := a.browser()
	b.login("organiser@example.org")
	for _, c := range []struct {
		name, field, content, want string
	}{
		{"no file", "", "", "Choose a CSV file"},
		{"no email column", "file", "first_name,phone\nAda,555\n", "no email column"},
		{"empty file", "file", "", "file is empty"},
	} {
		r := b.postMultipart(signaturesPath+"/import", c.field, "x.csv", strings.NewReader(c.content))
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(text(r.doc(t).Find(`[data-testid=field-file]`)), c.want) {
			t.Errorf("%s: %d, want 422 with %q beside the file field\n%s", c.name, r.status, c.want, r.body)
		}
	}
	if jobs, _ := a.store.ImportJobs(context.Background(), 1, 5); len(jobs) != 0 {
		t.Errorf("refused uploads started %d imports", len(jobs))
	}
}

// TestUploadBodyLimits: the upload takes more than the global 1 MB, other
// forms still do not, and the upload stops at 50 MB.
func TestUploadBodyLimits(t *testing.T) {
	t.Parallel()
	a := newApp(t, testdb.Open(t, testdb.SQLite), config.Config{})
	a.user("organiser@example.org", models.RoleOrganiser)
	b := a.browser()
	b.login("organiser@example.org")

	var big strings.Builder
	big.WriteString("first_name,email,comment\n")
	for i := 0; big.Len() < 2<<20; i++ {
		big.WriteString("Signer,signer" + strings.Repeat("x", 10) + "-" + strconv.Itoa(i) + "@example.org," + strings.Repeat("c", 100) + "\n")
	}
	r := b.postMultipart(signaturesPath+"/import", "file", "big.csv", strings.NewReader(big.String()))
	if r.status != http.StatusSeeOther {
		t.Fatalf("a 2 MB upload: %d, want it taken\n%s", r.status, r.body)
	}
	b.waitForImport(r.header.Get("Location"))

	form := url.Values{"count": {strings.Repeat("9", 2<<20)}, "claimed_by": {"x"}}
	if r := b.post("/admin/campaigns/no-tech-for-ice/claims", form); r.status != http.StatusRequestEntityTooLarge {
		t.Errorf("a 2 MB claim form: %d, want 413", r.status)
	}

	// 51 MB, streamed without a length, so the limit must stop the reading.
	token := b.csrf()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		mw.WriteField("_csrf", token)
		fw, _ := mw.CreateFormFile("file", "huge.csv")
		_, err := io.Copy(fw, io.MultiReader(strings.NewReader("first_name,email\n"), io.LimitReader(repeatReader("Ada,ada@example.org\n"), 51<<20)))
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, _ := http.NewRequest(http.MethodPost, a.srv.URL+signaturesPath+"/import", pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if r := b.do(req); r.status != http.StatusRequestEntityTooLarge {
		t.Errorf("a 51 MB upload: %d, want 413", r.status)
	}
}

// repeatReader repeats s without end.
type repeatReader string

func (r repeatReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		n += copy(p[n:], r)
	}
	return n, nil
}

func TestViewerCannotImportOrExport(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		a.user("viewer@example.org", models.RoleViewer)
		b := a.browser()
		b.login("viewer@example.org")
		page := b.get(signaturesPath)
		if page.status != http.StatusOK {
			t.Fatalf("viewer GET signatures: %d", page.status)
		}
		doc := page.doc(t)
		if doc.Find(`[data-testid=import-form]`).Length() != 0 || doc.Find(`[data-testid=export-link]`).Length() != 0 {
			t.Error("a viewer is offered the upload form or the export")
		}
		if text(doc.Find(`[data-testid=kept-count]`)) != "0" {
			t.Errorf("kept count = %q", text(doc.Find(`[data-testid=kept-count]`)))
		}
		if r := b.postMultipart(signaturesPath+"/import", "file", "signers.csv", strings.NewReader(uploadCSV)); r.status != http.StatusForbidden {
			t.Errorf("viewer upload: %d, want 403", r.status)
		}
		if r := b.get(signaturesPath + ".csv"); r.status != http.StatusForbidden || strings.Contains(r.body, "@example.org") {
			t.Errorf("viewer export: %d, want 403", r.status)
		}
		if a.count() != 0 {
			t.Errorf("a viewer's upload stored %d signatures", a.count())
		}
		if jobs, _ := a.store.ImportJobs(context.Background(), 1, 5); len(jobs) != 0 {
			t.Errorf("a viewer's upload started an import")
		}
	})
}

func TestAnonymousExportRedirectsToSignIn(t *testing.T) {
	t.Parallel()
	a := newApp(t, testdb.Open(t, testdb.SQLite), config.Config{})
	r := a.browser().get(signaturesPath + ".csv")
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/login?next=") {
		t.Fatalf("anonymous export: %d %q", r.status, r.header.Get("Location"))
	}
}

func TestOrganiserExportsSignatures(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		c, _ := a.store.CampaignBySlug(ctx, "no-tech-for-ice")
		// Crafted rows the sign form would refuse, stored directly.
		if _, err := a.store.ImportSignatures(ctx, c.ID, testdb.Source(t, a.store, c.ID, "Test list"), []*models.Signature{
			{FirstName: "=cmd|' /C calc'!A0", LastName: "Evil", Email: "evil@example.org", City: `=HYPERLINK("http://evil.example","x")`},
			{FirstName: "Ada", LastName: "Lopez", Email: "ada@example.org", City: "Seattle", Region: "WA", Country: "US", PostalCode: "98101", SendUpdates: true},
		}); err != nil {
			t.Fatal(err)
		}
		a.user("organiser@example.org", models.RoleOrganiser)
		b := a.browser()
		b.login("organiser@example.org")
		r := b.get(signaturesPath + ".csv")
		if r.status != http.StatusOK {
			t.Fatalf("export: %d\n%s", r.status, r.body)
		}
		wantName := `attachment; filename="signatures-no-tech-for-ice-` + time.Now().UTC().Format(time.DateOnly) + `.csv"`
		if got := r.header.Get("Content-Disposition"); got != wantName {
			t.Errorf("Content-Disposition = %q, want %q", got, wantName)
		}
		if r.header.Get("Cache-Control") != "no-store" || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") {
			t.Errorf("headers = %v", r.header)
		}
		first, _, _ := strings.Cut(r.body, "\n")
		if first != bom+"first_name,last_name,email,city,region,country,postal_code,comment,show_name,send_updates,origin,signed_at,confirmed_at,sources" {
			t.Errorf("first line = %q, want the header", first)
		}
		records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.body, bom))).ReadAll()
		if err != nil || len(records) != 3 {
			t.Fatalf("export = %q, %v", r.body, err)
		}
		byEmail := map[string][]string{}
		for _, rec := range records[1:] {
			byEmail[rec[2]] = rec
		}
		evil, ada := byEmail["evil@example.org"], byEmail["ada@example.org"]
		if evil == nil || ada == nil || ada[9] != "true" {
			t.Fatalf("the export lacks the signers' emails: %q", records)
		}
		if evil[0] != "'=cmd|' /C calc'!A0" || evil[3] != `'=HYPERLINK("http://evil.example","x")` {
			t.Errorf("formula cells are not neutralised: %q", evil)
		}
		// Who took the signers' data, and how many rows, is on the record.
		log, _ := a.store.AuditForCampaign(ctx, c.ID, 10)
		if len(log) == 0 || log[0].Action != models.AuditExport || log[0].UserEmail != "organiser@example.org" || log[0].ChangeSet()["Rows"].After != float64(2) {
			t.Errorf("the export is not in the audit log: %+v", log)
		}
	})
}
