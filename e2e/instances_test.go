package e2e

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"campaigntrack/testdb"
)

// sessionCookie is the name of the organiser's session cookie
// (handlers.SessionCookie).
const sessionCookie = "campaigntrack_session"

// TestTwoInstancesShareOnePostgres runs two server processes on one
// PostgreSQL database, as a deployment behind a load balancer would, and
// checks what the README promises of it: sessions live in the database
// (signing in on one instance is signing in on both, and signing out on
// one ends the session on both), and signatures taken by both at once are
// counted exactly (the counter equals the rows equals what the signers
// were thanked for).
func TestTwoInstancesShareOnePostgres(t *testing.T) {
	if os.Getenv(testdb.PostgresEnv) == "" {
		t.Skipf("two-instance test skipped: it needs PostgreSQL; set %s to a database URL (for example postgres://postgres@127.0.0.1:5432/test?sslmode=disable) to run it", testdb.PostgresEnv)
	}
	// A schema of the test's own, dropped at the end (after the servers,
	// whose cleanups run first). Its name is in the URL's search_path,
	// which every connection of every process sets, so both instances and
	// every CLI run share it.
	db := testdb.Postgres.DSN(t)
	loadTool := buildLoadTool(t)

	// Prepared once, before the instances start, as a deployment would.
	runCLI(t, "", "migrate", "--db", db)
	runCLI(t, "", "seed", "--db", db)
	runCLI(t, organiserPassword+"\n", "users", "add", "--db", db, "--email", organiserEmail, "--role", "organiser")

	flags := []string{"--sign-rate-limit", "off", "--access-log=false"}
	_, a := startServerProc(t, "instance A", db, flags...)
	_, b := startServerProc(t, "instance B", db, flags...)
	t.Logf("instance A at %s, instance B at %s", a, b)

	t.Run("session", func(t *testing.T) { sessionAcrossInstances(t, a, b) })
	t.Run("signatures", func(t *testing.T) { signaturesAcrossInstances(t, loadTool, db, a, b) })
}

// sessionAcrossInstances signs in on a, uses the session on b, signs out
// on b and checks that a no longer takes the session.
func sessionAcrossInstances(t *testing.T, a, b string) {
	// One browser: one cookie jar. Cookies are per host, not per port, so
	// the jar sends a's cookies to b, as a browser would to two instances
	// behind one name.
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	browser := &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	// Sign in on A.
	token := csrfFrom(t, get(t, browser, a+"/login", http.StatusOK), "form[data-testid=login-form]")
	resp := post(t, browser, a+"/login", url.Values{"_csrf": {token}, "email": {organiserEmail}, "password": {organiserPassword}, "next": {"/admin"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin" {
		t.Fatalf("POST %s/login: status %d to %q, want 303 to /admin", a, resp.StatusCode, resp.Header.Get("Location"))
	}
	session := cookieNamed(jar, a, sessionCookie)
	if session == nil {
		t.Fatalf("no %s cookie after signing in on A", sessionCookie)
	}

	// B takes A's session.
	page := get(t, browser, b+"/admin", http.StatusOK)
	if who := signedInAs(t, page); !strings.Contains(who, organiserEmail) {
		t.Fatalf("GET %s/admin with A's session: signed in as %q, want %s", b, who, organiserEmail)
	}
	t.Logf("B, with the session made on A: signed in as %q", signedInAs(t, page))

	// Sign out on B, with the sign-out form B rendered.
	resp = post(t, browser, b+"/logout", url.Values{"_csrf": {csrfFrom(t, page, `form[action="/logout"]`)}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST %s/logout: status %d, want 303", b, resp.StatusCode)
	}

	// A no longer takes the session. The cookie is sent by hand: B's
	// answer told the jar to forget it, and a stolen copy is what must
	// stop working.
	req, err := http.NewRequest(http.MethodGet, a+"/admin", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.AddCookie(&http.Cookie{Name: session.Name, Value: session.Value})
	noJar := &http.Client{Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = noJar.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Errorf("GET %s/admin with the session signed out on B: status %d to %q, want 303 to /login", a, resp.StatusCode, resp.Header.Get("Location"))
	}
}

// signaturesAcrossInstances runs the load tool against both instances at
// once and checks that every figure agrees.
func signaturesAcrossInstances(t *testing.T, loadTool, db, a, b string) {
	ack := filepath.Join(t.TempDir(), "ack.txt")
	const duration = 10 * time.Second
	tool := startProc(t, "campaigntrack-load", loadTool, "sign", "-url", a+","+b, "-campaign", demoSlug,
		"-c", "32", "-d", duration.String(), "-ack", ack, "-json")
	code := tool.wait(t, duration+loadTimeout)
	stdout := tool.stdout.String()
	t.Logf("campaigntrack-load report:\n%s", textReport(stdout))
	rep := parseLoadReport(t, stdout)
	s := rep.Sign
	if code != 0 || !rep.OK || s.Errors != 0 {
		t.Errorf("campaigntrack-load: exit status %d, %d errors (%v), problems %q; want 0, none", code, s.Errors, s.ErrorsByKind, rep.Problems)
	}
	if len(s.ByURL) != 2 || s.ByURL[0].URL != a || s.ByURL[1].URL != b {
		t.Fatalf("the report's split by URL is %+v, want A then B", s.ByURL)
	}
	for i, name := range []string{"A", "B"} {
		if s.ByURL[i].Successes == 0 {
			t.Errorf("instance %s took no signature", name)
		}
	}

	acked := readAckFile(t, ack)
	countA, countB := signatureCount(t, a), signatureCount(t, b)
	rows := exportedEmails(t, db)
	t.Logf("successes %d (A %d, B %d), acknowledged %d, rows %d, kept count %d on A and %d on B",
		s.Successes, s.ByURL[0].Successes, s.ByURL[1].Successes, len(acked), len(rows), countA, countB)
	if countA != countB || countA != int64(len(rows)) || int64(len(rows)) != s.Successes || int64(len(acked)) != s.Successes {
		t.Errorf("the figures disagree: kept count %d on A and %d on B, %d rows, %d successes, %d lines in the ack file",
			countA, countB, len(rows), s.Successes, len(acked))
	}
	reportMissing(t, missingAcked(acked, rows), len(acked))
	recountReportsNoDrift(t, db)
}

// get fetches addr with the client and returns the page, failing the
// test unless the status is want.
func get(t *testing.T, c *http.Client, addr string, want int) string {
	t.Helper()
	resp, err := c.Get(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", addr, err)
	}
	if resp.StatusCode != want {
		t.Fatalf("GET %s: status %d (to %q), want %d", addr, resp.StatusCode, resp.Header.Get("Location"), want)
	}
	return string(body)
}

// post sends a form and returns the answer, its body read and closed.
func post(t *testing.T, c *http.Client, addr string, form url.Values) *http.Response {
	t.Helper()
	resp, err := c.PostForm(addr, form)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// csrfFrom returns the CSRF token of the form that sel finds in page.
func csrfFrom(t *testing.T, page, sel string) string {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	form := doc.Find(sel)
	if form.Length() != 1 {
		t.Fatalf("%d forms %s on the page, want 1", form.Length(), sel)
	}
	token := form.Find("input[name=_csrf]").AttrOr("value", "")
	if token == "" {
		t.Fatalf("no _csrf field in %s", sel)
	}
	return token
}

// signedInAs is the admin header's "signed in as" text.
func signedInAs(t *testing.T, page string) string {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	return normalize(doc.Find("[data-testid=signed-in-as]").Text())
}

// cookieNamed is the jar's cookie called name for base, or nil.
func cookieNamed(jar http.CookieJar, base, name string) *http.Cookie {
	u, err := url.Parse(base)
	if err != nil {
		return nil
	}
	for _, c := range jar.Cookies(u) {
		if c.Name == name {
			return c
		}
	}
	return nil
}
