package handlers_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/labstack/echo/v4"

	"campaigntrack/config"
	"campaigntrack/handlers"
	"campaigntrack/models"
	"campaigntrack/seed"
	"campaigntrack/testdb"
)

const password = "a long enough password"

// app is the real router behind a real HTTP server, over a seeded database.
type app struct {
	t     *testing.T
	store *models.Store
	echo  *echo.Echo
	srv   *httptest.Server
}

func newApp(t *testing.T, store *models.Store, cfg config.Config) *app {
	t.Helper()
	if _, err := seed.Load(context.Background(), store); err != nil {
		t.Fatal(err)
	}
	e := handlers.New(store, slog.New(slog.NewTextHandler(io.Discard, nil)), cfg).Router()
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return &app{t: t, store: store, echo: e, srv: srv}
}

// eachApp runs fn once per database engine.
func eachApp(t *testing.T, fn func(t *testing.T, a *app)) {
	testdb.Each(t, func(t *testing.T, store *models.Store) { fn(t, newApp(t, store, config.Config{})) })
}

func (a *app) user(email, role string) *models.User {
	a.t.Helper()
	u, err := a.store.CreateUser(context.Background(), models.CommandLine, email, role, password)
	if err != nil {
		a.t.Fatal(err)
	}
	return u
}

// browser is a client with its own cookies, like one person's browser.
type browser struct {
	t    *testing.T
	a    *app
	http *http.Client
}

func (a *app) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: a.t, a: a, http: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

type response struct {
	status int
	header http.Header
	body   string
}

func (r response) doc(t *testing.T) *goquery.Document {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func (b *browser) do(req *http.Request) response {
	b.t.Helper()
	resp, err := b.http.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return response{resp.StatusCode, resp.Header, string(body)}
}

func (b *browser) get(path string, header ...string) response {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.a.srv.URL+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return b.do(req)
}

// csrf returns the CSRF token a page would give this browser now: the
// admin area's (its session's) when signed in, else the sign-in form's.
func (b *browser) csrf() string {
	b.t.Helper()
	page := b.get("/admin")
	if page.status != http.StatusOK {
		page = b.get("/login")
	}
	token := page.doc(b.t).Find("input[name=_csrf]").First().AttrOr("value", "")
	if token == "" {
		b.t.Fatalf("no CSRF token on /admin or /login (%d)", page.status)
	}
	return token
}

// post sends a form with the browser's CSRF token.
func (b *browser) post(path string, form url.Values) response {
	b.t.Helper()
	form = cloneValues(form)
	form.Set("_csrf", b.csrf())
	return b.postRaw(path, form)
}

// postRaw sends a form as it is, token or not.
func (b *browser) postRaw(path string, form url.Values, header ...string) response {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.a.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return b.do(req)
}

func (b *browser) login(email string) {
	b.t.Helper()
	r := b.post("/login", url.Values{"email": {email}, "password": {password}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin" {
		b.t.Fatalf("sign in as %s: %d %s\n%s", email, r.status, r.header.Get("Location"), r.body)
	}
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// adminRoutes lists every route registered under /admin, with its path
// parameters filled in, taken from the router itself so a new route cannot
// be forgotten.
func adminRoutes(e *echo.Echo) []*echo.Route {
	var out []*echo.Route
	for _, r := range e.Routes() {
		if r.Method != echo.RouteNotFound && (r.Path == "/admin" || strings.HasPrefix(r.Path, "/admin/")) {
			out = append(out, r)
		}
	}
	return out
}

func fillPath(p string) string {
	return strings.NewReplacer(":slug", "no-tech-for-ice", ":id", "1").Replace(p)
}

func TestEveryAdminRouteRefusesAnonymous(t *testing.T) {
	t.Parallel()
	a := newApp(t, testdb.Open(t, testdb.SQLite), config.Config{})
	routes := adminRoutes(a.echo)
	if len(routes) < 20 {
		t.Fatalf("only %d admin routes found", len(routes))
	}
	anon := a.browser()
	for _, r := range routes {
		path := fillPath(r.Path)
		req, _ := http.NewRequest(r.Method, a.srv.URL+path, strings.NewReader(""))
		resp := anon.do(req)
		switch r.Method {
		case http.MethodGet:
			if resp.status != http.StatusSeeOther || !strings.HasPrefix(resp.header.Get("Location"), "/login?next=") {
				t.Errorf("anonymous GET %s = %d %s, want a redirect to /login", path, resp.status, resp.header.Get("Location"))
			}
			if j := anon.get(path, "Accept", "application/json"); j.status != http.StatusUnauthorized {
				t.Errorf("anonymous JSON GET %s = %d, want 401", path, j.status)
			}
		default:
			if resp.status != http.StatusUnauthorized {
				t.Errorf("anonymous %s %s = %d, want 401", r.Method, path, resp.status)
			}
		}
	}
}

func TestEveryStateChangingAdminRouteNeedsCSRFAndAnEditor(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		a.user("organiser@example.org", models.RoleOrganiser)
		a.user("viewer@example.org", models.RoleViewer)
		organiser, viewer := a.browser(), a.browser()
		organiser.login("organiser@example.org")
		viewer.login("viewer@example.org")
		var changing int
		for _, r := range adminRoutes(a.echo) {
			if r.Method == http.MethodGet {
				continue
			}
			changing++
			path := fillPath(r.Path)
			form := url.Values{"title": {"Changed"}, "email": {"x@example.org"}, "role": {"admin"}, "password": {password}, "name": {"X"}}
			if resp := organiser.postRaw(path, form); resp.status != http.StatusForbidden {
				t.Errorf("%s %s without a CSRF token = %d, want 403", r.Method, path, resp.status)
			}
			form.Set("_csrf", "forged-token-value-000000000000000")
			if resp := organiser.postRaw(path, form); resp.status != http.StatusForbidden {
				t.Errorf("%s %s with a wrong CSRF token = %d, want 403", r.Method, path, resp.status)
			}
			if resp := viewer.post(path, form); resp.status != http.StatusForbidden {
				t.Errorf("viewer %s %s = %d, want 403", r.Method, path, resp.status)
			}
		}
		if changing < 10 {
			t.Fatalf("only %d state-changing admin routes found", changing)
		}
		// None of those refused requests changed anything.
		if entries, _ := a.store.AuditLatest(context.Background(), 10); len(entries) != 2 {
			t.Errorf("refused requests left %d audit entries, want only the two accounts' creation", len(entries))
		}
	})
}

func TestViewerReadsButCannotEdit(t *testing.T) {
	t.Parallel()
	a := newApp(t, testdb.Open(t, testdb.SQLite), config.Config{})
	a.user("viewer@example.org", models.RoleViewer)
	b := a.browser()
	b.login("viewer@example.org")
	for _, path := range []string{"/admin", "/admin/campaigns/no-tech-for-ice", "/admin/campaigns/no-tech-for-ice/claims", "/admin/campaigns/no-tech-for-ice/partners", "/admin/campaigns/no-tech-for-ice/audit"} {
		if r := b.get(path); r.status != http.StatusOK {
			t.Errorf("viewer GET %s = %d", path, r.status)
		}
	}
	for _, path := range []string{"/admin/campaigns/new", "/admin/campaigns/no-tech-for-ice/settings", "/admin/users"} {
		if r := b.get(path); r.status != http.StatusForbidden {
			t.Errorf("viewer GET %s = %d, want 403", path, r.status)
		}
	}
}

func TestSignInFailuresAllReadTheSame(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		a.user("admin@example.org", models.RoleAdmin)
		off := a.user("off@example.org", models.RoleOrganiser)
		if err := a.store.SetDisabled(context.Background(), models.CommandLine, off.ID, true); err != nil {
			t.Fatal(err)
		}
		var messages []string
		for _, c := range [][2]string{{"admin@example.org", "not the password"}, {"off@example.org", password}, {"nobody@example.org", password}} {
			r := a.browser().post("/login", url.Values{"email": {c[0]}, "password": {c[1]}})
			if r.status != http.StatusUnauthorized {
				t.Errorf("sign in %s: %d, want 401", c[0], r.status)
			}
			messages = append(messages, text(r.doc(t).Find(`[data-testid=login-message]`)))
		}
		if messages[0] == "" || messages[0] != messages[1] || messages[1] != messages[2] {
			t.Errorf("sign-in failures read differently: %q", messages)
		}
		r := a.browser().post("/login", url.Values{"email": {""}, "password": {""}})
		if r.status != http.StatusUnprocessableEntity || r.doc(t).Find(`[data-testid=field-error]`).Length() != 2 {
			t.Errorf("empty sign-in form: %d, want 422 with a message beside each field", r.status)
		}
	})
}

func TestTenthWrongSignInIsThrottled(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		a.user("admin@example.org", models.RoleAdmin)
		b := a.browser()
		for i := 1; i <= 9; i++ {
			// A forged X-Forwarded-For does not make each try look new.
			r := b.postRaw("/login", url.Values{"email": {"admin@example.org"}, "password": {"wrong password " + string(rune('a'+i))}, "_csrf": {b.csrf()}},
				"X-Forwarded-For", "198.51.100."+string(rune('0'+i)))
			if r.status != http.StatusUnauthorized {
				t.Fatalf("wrong try %d: %d, want 401", i, r.status)
			}
		}
		r := b.post("/login", url.Values{"email": {"admin@example.org"}, "password": {"wrong again"}})
		if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" {
			t.Fatalf("tenth wrong try: %d (Retry-After %q), want 429", r.status, r.header.Get("Retry-After"))
		}
		// Even the right password waits out the throttle.
		r = a.browser().post("/login", url.Values{"email": {"admin@example.org"}, "password": {password}})
		if r.status != http.StatusTooManyRequests {
			t.Errorf("right password while throttled: %d, want 429", r.status)
		}
		if !strings.Contains(text(r.doc(t).Find(`[data-testid=login-message]`)), "Try again after") {
			t.Errorf("throttle message: %q", r.body)
		}
	})
}

func TestSignInSessionAndSignOut(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		a.user("admin@example.org", models.RoleAdmin)
		b := a.browser()
		r := b.post("/login", url.Values{"email": {"ADMIN@example.org "}, "password": {password}, "next": {"/admin/campaigns/no-tech-for-ice"}})
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin/campaigns/no-tech-for-ice" {
			t.Fatalf("sign in: %d %q", r.status, r.header.Get("Location"))
		}
		var session *http.Cookie
		for _, c := range (&http.Response{Header: r.header}).Cookies() {
			if c.Name == handlers.SessionCookie {
				session = c
			}
		}
		if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Secure {
			t.Fatalf("session cookie = %+v, want HttpOnly, SameSite=Lax, not Secure over plain HTTP", session)
		}
		page := b.get("/admin")
		if page.status != http.StatusOK || text(page.doc(t).Find(`[data-testid=signed-in-as]`)) != "admin@example.org (admin)" {
			t.Fatalf("GET /admin after sign-in: %d\n%s", page.status, page.body)
		}
		if page.header.Get("Cache-Control") != "no-store" {
			t.Errorf("admin pages may be cached: %q", page.header.Get("Cache-Control"))
		}
		// An open redirect through next is refused.
		r = a.browser().post("/login", url.Values{"email": {"admin@example.org"}, "password": {password}, "next": {"https://evil.example/admin"}})
		if r.header.Get("Location") != "/admin" {
			t.Errorf("next to another site led to %q", r.header.Get("Location"))
		}

		if r := b.post("/logout", nil); r.status != http.StatusSeeOther {
			t.Fatalf("sign out: %d", r.status)
		}
		// The old session cookie no longer works: the session ended on the server.
		stale := a.browser()
		u, _ := url.Parse(a.srv.URL)
		stale.http.Jar.SetCookies(u, []*http.Cookie{session})
		if r := stale.get("/admin"); r.status != http.StatusSeeOther {
			t.Errorf("GET /admin with a signed-out session = %d, want a redirect to sign in", r.status)
		}
	})
}

func TestDisablingAUserEndsTheirSession(t *testing.T) {
	t.Parallel()
	a := newApp(t, testdb.Open(t, testdb.SQLite), config.Config{})
	a.user("admin@example.org", models.RoleAdmin)
	org := a.user("organiser@example.org", models.RoleOrganiser)
	b := a.browser()
	b.login("organiser@example.org")
	if err := a.store.SetDisabled(context.Background(), models.CommandLine, org.ID, true); err != nil {
		t.Fatal(err)
	}
	if r := b.get("/admin"); r.status != http.StatusSeeOther {
		t.Errorf("a disabled user's session still works: %d", r.status)
	}
}

func TestSecureCookiesAndHSTS(t *testing.T) {
	t.Parallel()
	a := newApp(t, testdb.Open(t, testdb.SQLite), config.Config{SecureCookies: true})
	r := a.browser().get("/login")
	if r.header.Get("Strict-Transport-Security") == "" {
		t.Error("no HSTS with secure cookies on")
	}
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if !c.Secure {
			t.Errorf("cookie %s is not Secure", c.Name)
		}
	}
}

func TestOrganiserEditsAreShownAndAudited(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		a.user("organiser@example.org", models.RoleOrganiser)
		b := a.browser()
		b.login("organiser@example.org")
		base := "/admin/campaigns/no-tech-for-ice"

		// A bad claim: each wrong field is named, the form keeps what was typed.
		r := b.post(base+"/claims", url.Values{"count": {"lots"}, "claimed_by": {"Mijente"}, "source_url": {"javascript:alert(1)"}})
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("bad claim: %d", r.status)
		}
		doc := r.doc(t)
		for _, f := range []string{"count", "source_url"} {
			if doc.Find(`[data-testid=field-`+f+`] [data-testid=field-error]`).Length() != 1 {
				t.Errorf("no message beside %s", f)
			}
		}
		if v, _ := doc.Find(`input[name=claimed_by]`).Attr("value"); v != "Mijente" {
			t.Errorf("the form lost what was typed: claimed_by = %q", v)
		}

		r = b.post(base+"/claims", url.Values{"count": {"300,000"}, "qualifier": {"more than"}, "claimed_by": {"Mijente"},
			"claimed_on": {"2019-08-01"}, "source_name": {"Mijente blog"}, "source_url": {"https://mijente.net/"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("good claim: %d\n%s", r.status, r.body)
		}
		if got := text(b.get(r.header.Get("Location")).doc(t).Find(`[data-testid=flash]`)); got != "Claim added." {
			t.Errorf("flash = %q", got)
		}
		public := a.browser().get("/campaigns/no-tech-for-ice")
		if !strings.Contains(public.body, "more than 300,000") || !strings.Contains(public.body, "Mijente blog") {
			t.Error("the new claim is not on the public page with its source")
		}

		r = b.post(base+"/settings", url.Values{"slug": {"no-tech-for-ice"}, "title": {"#NoTechForICE"}, "target": {"Amazon"},
			"demand": {"Stop selling technology to ICE"}, "status": {"active"}, "signature_goal": {"500000"}, "deliveries_planned": {"9"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("save settings: %d\n%s", r.status, r.body)
		}
		r = b.post(base+"/settings", url.Values{"slug": {"Not A Slug!"}, "title": {""}, "target": {"Amazon"}, "demand": {"x"}, "status": {"won-ish"}, "signature_goal": {"-5"}})
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("bad settings: %d", r.status)
		}
		for _, f := range []string{"slug", "title", "status", "signature_goal"} {
			if r.doc(t).Find(`[data-testid=field-`+f+`] [data-testid=field-error]`).Length() != 1 {
				t.Errorf("bad settings: no message beside %s", f)
			}
		}

		audit := b.get(base + "/audit")
		entries := audit.doc(t).Find(`[data-testid=audit-entry]`)
		if entries.Length() != 2 {
			t.Fatalf("audit log has %d entries, want the claim and the settings", entries.Length())
		}
		first := text(entries.First())
		if !strings.Contains(first, "organiser@example.org") || !strings.Contains(first, "Signature goal") || !strings.Contains(first, "500000") {
			t.Errorf("latest audit entry = %q", first)
		}
		history := b.get(base + "/settings").doc(t).Find(`[data-testid=audit-entry]`)
		if history.Length() != 1 {
			t.Errorf("the settings page shows %d history entries, want 1", history.Length())
		}
	})
}

func TestCreateCampaignAndPartner(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		a.user("organiser@example.org", models.RoleOrganiser)
		b := a.browser()
		b.login("organiser@example.org")
		r := b.post("/admin/campaigns", url.Values{"slug": {"palantir-ice"}, "title": {"Palantir: drop ICE"}, "target": {"Palantir"},
			"demand": {"End the ICE contracts"}, "status": {"active"}, "signature_goal": {"10000"}, "deliveries_planned": {"3"}})
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin/campaigns/palantir-ice" {
			t.Fatalf("create campaign: %d %q\n%s", r.status, r.header.Get("Location"), r.body)
		}
		r = b.post("/admin/campaigns", url.Values{"slug": {"palantir-ice"}, "title": {"Again"}, "target": {"X"}, "demand": {"Y"}, "status": {"active"}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(text(r.doc(t).Find(`[data-testid=field-slug]`)), "already uses") {
			t.Errorf("duplicate slug: %d", r.status)
		}
		r = b.post("/admin/campaigns/palantir-ice/partners", url.Values{"name": {"Mijente"}, "role": {"Lead"}, "sources": {"Mijente | https://mijente.net/"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("add partner: %d\n%s", r.status, r.body)
		}
		public := a.browser().get("/campaigns/palantir-ice")
		if public.status != http.StatusOK || !strings.Contains(text(public.doc(t).Find(`[data-testid=coalition]`)), "Mijente") {
			t.Errorf("the new campaign's page: %d", public.status)
		}
		if !strings.Contains(text(public.doc(t).Find(`[data-testid=goal-progress]`)), "10,000") {
			t.Error("the goal is not shown")
		}
	})
}

// TestNoSignerEmailOnPublicRoutes signs the petition, then requests every
// public route of the router and looks for the signer's email.
func TestNoSignerEmailOnPublicRoutes(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		c, _ := a.store.CampaignBySlug(ctx, "no-tech-for-ice")
		const email = "private.signer@example.org"
		b := a.browser()
		// Sign through the public form, as a supporter does.
		form := url.Values{"first_name": {"Private"}, "last_name": {"Signer"}, "email": {email}, "city": {"Seattle"},
			"region": {"WA"}, "country": {"US"}, "postal_code": {"98101"}, "comment": {"Reach me at " + email}, "show_name": {"on"}}
		if r := b.sign(form); r.status != http.StatusSeeOther {
			t.Fatalf("signing: %d\n%s", r.status, r.body)
		}
		var crawled int
		for _, r := range a.echo.Routes() {
			if r.Method != http.MethodGet || strings.HasPrefix(r.Path, "/admin") {
				continue
			}
			path := fillPath(r.Path)
			if strings.Contains(path, "*") {
				continue // the assets route serves only embedded files
			}
			for _, accept := range []string{"text/html", "application/json", "text/csv"} {
				resp := b.get(path, "Accept", accept)
				crawled++
				if strings.Contains(strings.ToLower(resp.body), email) {
					t.Errorf("GET %s (%s) shows a signer's email", path, accept)
				}
			}
		}
		if crawled < 12 {
			t.Fatalf("crawled only %d responses", crawled)
		}
		if n, _ := a.store.SignatureCount(ctx, c.ID); n != 1 {
			t.Fatalf("count = %d", n)
		}
	})
}

// TestForwardedForIsBelievedOnlyFromTrustedProxies: the per-address
// throttle counts the peer unless a trusted proxy forwarded the request.
func TestForwardedForIsBelievedOnlyFromTrustedProxies(t *testing.T) {
	t.Parallel()
	failFromManyAddresses := func(a *app) response {
		b := a.browser()
		for i := range models.MaxIPFailures {
			b.postRaw("/login", url.Values{"email": {"user" + strconv.Itoa(i) + "@example.org"}, "password": {"wrong password"}, "_csrf": {b.csrf()}},
				"X-Forwarded-For", "203.0.113."+strconv.Itoa(i+1))
		}
		return b.postRaw("/login", url.Values{"email": {"last@example.org"}, "password": {"wrong password"}, "_csrf": {b.csrf()}},
			"X-Forwarded-For", "203.0.113.200")
	}
	direct := newApp(t, testdb.Open(t, testdb.SQLite), config.Config{})
	if r := failFromManyAddresses(direct); r.status != http.StatusTooManyRequests {
		t.Errorf("no trusted proxy: a forged X-Forwarded-For dodged the per-address limit (%d)", r.status)
	}
	proxies, _ := config.ParseProxies("127.0.0.1")
	behindProxy := newApp(t, testdb.Open(t, testdb.SQLite), config.Config{TrustedProxies: proxies})
	if r := failFromManyAddresses(behindProxy); r.status != http.StatusUnauthorized {
		t.Errorf("behind a trusted proxy, clients at different addresses were throttled together (%d)", r.status)
	}
}
