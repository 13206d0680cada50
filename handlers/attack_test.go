package handlers_test

// Issue 11, tried as an attacker would: forged and cross-site forms,
// concurrent sign-ins, floods of made-up addresses, probes for who signed.
// Each test here failed on the code before the issue was fixed.

import (
	"context"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"campaigntrack/config"
	"campaigntrack/handlers"
	"campaigntrack/models"
	"campaigntrack/seed"
	"campaigntrack/testdb"
)

// newLoggedApp is newApp with the server's log kept for the test.
func newLoggedApp(t *testing.T, cfg config.Config) (*app, *lockedLog) {
	t.Helper()
	store := testdb.Open(t, testdb.SQLite)
	if _, err := seed.Load(context.Background(), store); err != nil {
		t.Fatal(err)
	}
	log := &lockedLog{}
	e := handlers.New(store, slog.New(slog.NewTextHandler(log, nil)), cfg).Router()
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return &app{t: t, store: store, echo: e, srv: srv}, log
}

// plantedNonce is a well-formed nonce that the server never handed out.
const plantedNonce = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

// forgeries are the ways an attacker on a sibling subdomain (who can set
// cookies for the site and make the victim's browser post to it) or a
// cross-site page tries to pass the CSRF check. Each takes the token the
// victim's page would carry, and returns the form and headers to send,
// and the path suffix (a query string).
var forgeries = []struct {
	name  string
	forge func(form url.Values, token string) (query string, header []string)
}{
	{"a planted cookie and a matching field", func(f url.Values, _ string) (string, []string) {
		f.Set("_csrf", plantedNonce)
		return "", []string{"Cookie", "campaigntrack_csrf=" + plantedNonce, "Sec-Fetch-Site", "same-site"}
	}},
	{"a planted cookie and a matching field, no fetch metadata", func(f url.Values, _ string) (string, []string) {
		f.Set("_csrf", plantedNonce)
		return "", []string{"Cookie", "campaigntrack_csrf=" + plantedNonce}
	}},
	{"an empty cookie and an empty field", func(f url.Values, _ string) (string, []string) {
		f.Set("_csrf", "")
		return "", []string{"Cookie", "campaigntrack_csrf=", "Sec-Fetch-Site", "same-site"}
	}},
	{"the real token in the query string", func(f url.Values, token string) (string, []string) {
		f.Del("_csrf")
		return "?_csrf=" + url.QueryEscape(token), nil
	}},
	{"the real token from a sibling subdomain", func(f url.Values, token string) (string, []string) {
		f.Set("_csrf", token)
		return "", []string{"Sec-Fetch-Site", "same-site"}
	}},
	{"the real token from another site", func(f url.Values, token string) (string, []string) {
		f.Set("_csrf", token)
		return "", []string{"Sec-Fetch-Site", "cross-site"}
	}},
	{"the real token with a foreign Origin", func(f url.Values, token string) (string, []string) {
		f.Set("_csrf", token)
		return "", []string{"Origin", "https://evil.example.org"}
	}},
}

func TestForgedOrCrossSiteFormsReachNoAdminHandler(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		a.user("admin@example.org", models.RoleAdmin)
		b := a.browser()
		b.login("admin@example.org")
		token := b.csrf()
		var tried int
		for _, r := range adminRoutes(a.echo) {
			if r.Method == http.MethodGet {
				continue
			}
			path := fillPath(r.Path)
			for _, f := range forgeries {
				form := url.Values{"title": {"Changed"}, "email": {"x@example.org"}, "role": {"admin"}, "password": {password}, "name": {"X"}}
				query, header := f.forge(form, token)
				if resp := b.postRaw(path+query, form, header...); resp.status != http.StatusForbidden || !strings.Contains(resp.body, "did not come from this site") {
					t.Errorf("%s %s with %s = %d, want 403", r.Method, path, f.name, resp.status)
				}
				tried++
			}
		}
		if tried < 10*len(forgeries) {
			t.Fatalf("only %d forged requests tried", tried)
		}
		if resp := b.postRaw("/logout", url.Values{"_csrf": {plantedNonce}}, "Cookie", "campaigntrack_csrf="+plantedNonce); resp.status != http.StatusForbidden {
			t.Errorf("sign-out with a planted token = %d, want 403", resp.status)
		}
		// Nothing changed: the only audit entry is the account's creation,
		// and the session still works with the real token.
		if entries, _ := a.store.AuditLatest(context.Background(), 10); len(entries) != 1 {
			t.Errorf("forged requests left %d audit entries, want 1", len(entries))
		}
		if got := b.get("/admin"); got.status != http.StatusOK {
			t.Errorf("the session ended: /admin = %d", got.status)
		}
	})
}

func TestForgedOrCrossSitePublicFormsAreRefused(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		a.user("admin@example.org", models.RoleAdmin)
		for _, target := range []struct {
			path string
			form url.Values
		}{
			{signPath, signForm("victim@example.org")},
			{"/login", url.Values{"email": {"admin@example.org"}, "password": {password}}},
		} {
			for _, f := range forgeries {
				b := a.browser()
				token := b.campaignCSRF()
				form := cloneValues(target.form)
				query, header := f.forge(form, token)
				if resp := b.postRaw(target.path+query, form, header...); resp.status != http.StatusForbidden {
					t.Errorf("POST %s with %s = %d, want 403", target.path, f.name, resp.status)
				}
			}
		}
		if a.count() != 0 || a.rows() != 0 {
			t.Errorf("forged signatures stored: count %d, rows %d", a.count(), a.rows())
		}
		// The same forms, sent as a browser on this site sends them, work.
		b := a.browser()
		if r := b.sign(signForm("real@example.org"), "Sec-Fetch-Site", "same-origin", "Origin", a.srv.URL); r.status != http.StatusSeeOther {
			t.Errorf("a same-origin signature = %d, want 303", r.status)
		}
		b.login("admin@example.org")
	})
}

// A token is tied to one visitor: another visitor's token, with the
// attacker's own cookie, is refused.
func TestPublicTokenIsTiedToItsCookie(t *testing.T) {
	t.Parallel()
	a := newApp(t, testdb.Open(t, testdb.SQLite), config.Config{})
	victim, attacker := a.browser(), a.browser()
	victimToken := victim.campaignCSRF()
	attacker.campaignCSRF() // the attacker's own cookie
	form := signForm("victim@example.org")
	form.Set("_csrf", victimToken)
	if r := attacker.postRaw(signPath, form); r.status != http.StatusForbidden {
		t.Errorf("another visitor's token = %d, want 403", r.status)
	}
}

func TestConcurrentWrongSignInsHoldTheLimits(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("target@example.org", models.RoleAdmin)
		for _, tc := range []struct {
			name  string
			email func(i int) string
			limit int
		}{
			{"one account", func(int) string { return "target@example.org" }, models.MaxAccountFailures},
			{"one address", func(i int) string { return "nobody" + strconv.Itoa(i) + "@example.org" }, models.MaxIPFailures},
		} {
			b := a.browser()
			token := b.csrf()
			statuses := map[int]int{}
			var mu sync.Mutex
			var wg sync.WaitGroup
			for i := range 45 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					r := b.postRaw("/login", url.Values{"_csrf": {token}, "email": {tc.email(i)}, "password": {"wrong password " + strconv.Itoa(i)}})
					mu.Lock()
					statuses[r.status]++
					mu.Unlock()
				}()
			}
			wg.Wait()
			if statuses[http.StatusUnauthorized] > tc.limit || statuses[http.StatusUnauthorized]+statuses[http.StatusTooManyRequests]+statuses[http.StatusServiceUnavailable] != 45 {
				t.Errorf("%s: 45 concurrent wrong sign-ins got %v; at most %d may reach the password check", tc.name, statuses, tc.limit)
			}
		}
	})
}

// serveAs sends a request through the router from a client address of
// the test's choosing (the peer address: no proxies are trusted).
func serveAs(e http.Handler, remote, method, target string, body io.Reader, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, body)
	req.RemoteAddr = remote
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

// visit returns the CSRF cookie and token a page gives a client.
func visit(t *testing.T, e http.Handler, remote, path, formSel string) (cookie, token string) {
	t.Helper()
	rec := serveAs(e, remote, http.MethodGet, path, nil)
	for _, c := range rec.Result().Cookies() {
		if c.Name == "campaigntrack_csrf" {
			cookie = c.Value
		}
	}
	doc, err := goquery.NewDocumentFromReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	token = doc.Find(formSel+" input[name=_csrf]").AttrOr("value", "")
	if cookie == "" || token == "" {
		t.Fatalf("GET %s gave no CSRF cookie or token (%d)", path, rec.Code)
	}
	return cookie, token
}

// IPv6: one /64 is one client in every per-address limit, so an attacker
// cannot take a fresh address from its /64 for each request.
func TestIPv6AddressesOfOneNetworkShareTheirLimits(t *testing.T) {
	t.Parallel()
	a := newApp(t, testdb.Open(t, testdb.SQLite), config.Config{SignRateLimit: config.RateLimit{N: 3, Period: time.Minute}})
	addr := func(net string, i int) string {
		return "[2001:db8:" + net + "::" + strconv.FormatInt(int64(i+1), 16) + "]:40000"
	}
	cookie, token := visit(t, a.echo, addr("1", 0), "/campaigns/no-tech-for-ice", "[data-testid=sign-form]")
	sign := func(remote, email string) int {
		form := signForm(email)
		form.Set("_csrf", token)
		return serveAs(a.echo, remote, http.MethodPost, signPath, strings.NewReader(form.Encode()),
			"Content-Type", "application/x-www-form-urlencoded", "Cookie", "campaigntrack_csrf="+cookie).Code
	}
	for i := range 3 {
		if got := sign(addr("1", i), "v6-"+strconv.Itoa(i)+"@example.org"); got != http.StatusSeeOther {
			t.Fatalf("signature %d from 2001:db8:1::/64 = %d", i, got)
		}
	}
	if got := sign(addr("1", 99), "v6-99@example.org"); got != http.StatusTooManyRequests {
		t.Errorf("a fourth signature from another address of the same /64 = %d, want 429", got)
	}
	if got := sign(addr("2", 0), "v6-other@example.org"); got != http.StatusSeeOther {
		t.Errorf("a signature from another /64 = %d, want 303", got)
	}

	// Sign-in: the per-address failures count the /64 too.
	a.user("someone@example.org", models.RoleAdmin)
	cookie, token = visit(t, a.echo, addr("3", 0), "/login", "form[data-testid=login-form]")
	var last int
	for i := range models.MaxIPFailures + 1 {
		form := url.Values{"_csrf": {token}, "email": {"u" + strconv.Itoa(i) + "@example.org"}, "password": {"wrong password"}}
		last = serveAs(a.echo, addr("3", i), http.MethodPost, "/login", strings.NewReader(form.Encode()),
			"Content-Type", "application/x-www-form-urlencoded", "Cookie", "campaigntrack_csrf="+cookie).Code
	}
	if last != http.StatusTooManyRequests {
		t.Errorf("sign-in failure %d from one /64, each from its own address = %d, want 429", models.MaxIPFailures+1, last)
	}
}

// A flood of refused requests with long made-up addresses writes a
// bounded log: lines are cut and budgeted (before: every refusal logged
// its whole URI, 245 MB in 15 s).
func TestRefusedRequestsWriteABoundedLog(t *testing.T) {
	a, log := newLoggedApp(t, config.Config{})
	b := a.browser()
	const n = 3000
	rnd := rand.New(rand.NewPCG(1, 2))
	long := func() string {
		s := make([]byte, 4000)
		for i := range s {
			s[i] = "abcdefghijklmnopqrstuvwxyz0123456789-"[rnd.IntN(37)]
		}
		return string(s)
	}
	for i := range n {
		path := "/campaigns/" + long()
		if i%2 == 0 {
			b.postRaw(path+"/sign", signForm("x@example.org"))
		} else {
			b.get(path)
		}
	}
	out := log.String()
	lines := strings.Count(out, "\n")
	t.Logf("%d refused requests wrote %d log lines, %d bytes", n, lines, len(out))
	if len(out) > 1<<20 || lines > 2*n {
		t.Errorf("%d refused requests wrote %d bytes of log in %d lines; want at most 1 MB", n, len(out), lines)
	}
	for _, line := range strings.Split(out, "\n") {
		if len(line) > 2048 {
			t.Fatalf("a log line of %d bytes: %.300s…", len(line), line)
		}
	}
	if !strings.Contains(out, "lines_left_out=") {
		t.Error("the log does not say that lines were left out")
	}
}

// The public answer to a signature is the same whether the email had
// signed or not: status, redirect, page and htmx fragment.
func TestRepeatSignatureAnswersLikeANewOne(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		b := a.browser()
		form := signForm("ana@example.org")
		first, again := b.sign(form), b.sign(form)
		if first.status != again.status || first.header.Get("Location") != again.header.Get("Location") || first.body != again.body {
			t.Errorf("no JavaScript: new %d %q, repeat %d %q", first.status, first.header.Get("Location"), again.status, again.header.Get("Location"))
		}
		thanks := b.get(again.header.Get("Location"))
		if strings.Contains(strings.ToLower(thanks.body), "already") {
			t.Errorf("the thank-you page tells a repeat apart:\n%s", thanks.body)
		}
		// htmx: a new signature, then the same again, while nobody else
		// signs: the count is the same, so the fragments must be identical.
		htmxNew := b.sign(signForm("bo@example.org"), "HX-Request", "true")
		htmxAgain := b.sign(signForm("bo@example.org"), "HX-Request", "true")
		if htmxNew.status != htmxAgain.status || htmxNew.body != htmxAgain.body {
			t.Errorf("htmx: new %d, repeat %d; the fragments differ:\n%s\n---\n%s", htmxNew.status, htmxAgain.status, htmxNew.body, htmxAgain.body)
		}
		if a.rows() != 2 {
			t.Errorf("rows = %d, want 2", a.rows())
		}
	})
}

// The trailing-slash redirect never turns an escaped "?" or "#" in a path
// into a real one (it was built from the decoded path).
func TestTrailingSlashRedirectKeepsEscapes(t *testing.T) {
	t.Parallel()
	a := newApp(t, testdb.Open(t, testdb.SQLite), config.Config{})
	b := a.browser()
	for _, path := range []string{"/campaigns/no-tech-for-ice%3Fx%2F", "/campaigns/no-tech-for-ice%23top/", "/%2F%2Fevil.example%2F"} {
		r := b.get(path)
		if loc := r.header.Get("Location"); strings.ContainsAny(loc, "?#") || strings.Contains(loc, "evil") {
			t.Errorf("GET %s = %d, Location %q", path, r.status, loc)
		}
		if r.status >= 500 {
			t.Errorf("GET %s = %d", path, r.status)
		}
	}
	if r := b.get("/campaigns/no-tech-for-ice/"); r.status != http.StatusMovedPermanently || r.header.Get("Location") != "/campaigns/no-tech-for-ice" {
		t.Errorf("a plain trailing slash: %d %q", r.status, r.header.Get("Location"))
	}
}
