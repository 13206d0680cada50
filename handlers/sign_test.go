package handlers_test

import (
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"campaigntrack/config"
	"campaigntrack/models"
	"campaigntrack/testdb"
)

func signForm(email string) url.Values {
	return url.Values{"first_name": {"Ada"}, "last_name": {"Lopez"}, "email": {email}, "city": {"Seattle"},
		"region": {"WA"}, "country": {"US"}, "postal_code": {"98101"}, "show_name": {"on"}}
}

const signPath = "/campaigns/no-tech-for-ice/sign"

func (a *app) count() int64 {
	a.t.Helper()
	c, _ := a.store.CampaignBySlug(context.Background(), "no-tech-for-ice")
	n, err := a.store.SignatureCount(context.Background(), c.ID)
	if err != nil {
		a.t.Fatal(err)
	}
	return n
}

func (a *app) rows() int64 {
	a.t.Helper()
	c, _ := a.store.CampaignBySlug(context.Background(), "no-tech-for-ice")
	n, err := a.store.SignatureRows(context.Background(), c.ID)
	if err != nil {
		a.t.Fatal(err)
	}
	return n
}

// campaignCSRF visits the campaign page, as a signer does, for the token.
func (b *browser) campaignCSRF() string {
	b.t.Helper()
	r := b.get("/campaigns/no-tech-for-ice")
	token, ok := r.doc(b.t).Find(`[data-testid=sign-form] input[name=_csrf]`).Attr("value")
	if !ok || token == "" {
		b.t.Fatal("the campaign page has no sign form with a CSRF token")
	}
	return token
}

func (b *browser) sign(form url.Values, header ...string) response {
	b.t.Helper()
	form = cloneValues(form)
	form.Set("_csrf", b.campaignCSRF())
	return b.postRaw(signPath, form, header...)
}

func TestSignWithoutJavaScript(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		b := a.browser()
		r := b.sign(signForm("ada@example.org"))
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/campaigns/no-tech-for-ice/signed" {
			t.Fatalf("sign: %d %q\n%s", r.status, r.header.Get("Location"), r.body)
		}
		thanks := b.get(r.header.Get("Location"))
		if thanks.doc(t).Find(`[data-testid=sign-thanks]`).Length() != 1 || text(thanks.doc(t).Find(`[data-testid=recorded-count]`)) != "1" {
			t.Fatalf("thank-you page:\n%s", thanks.body)
		}
		page := b.get("/campaigns/no-tech-for-ice").doc(t)
		if got := text(page.Find(`[data-testid=recorded-count]`)); got != "1" {
			t.Errorf("campaign page count = %q", got)
		}
		if got := text(page.Find(`[data-testid=latest-signers]`)); got != "Ada , Seattle" && got != "Ada, Seattle" {
			t.Errorf("latest signers = %q", got)
		}
		// One signer is too few to name their state.
		if got := text(page.Find(`[data-testid=top-regions]`)); got != "Other places 1" {
			t.Errorf("top regions = %q", got)
		}
		if page.Find(`[data-testid=per-day] rect`).Length() != 1 {
			t.Error("no per-day chart bar")
		}
		// Its axes: a labelled count axis, the day written under the bar,
		// the figure above it, and the same as a table.
		if page.Find(`[data-testid=per-day-tick]`).Length() < 2 || text(page.Find(`[data-testid=per-day-peak]`)) != "1" ||
			page.Find(`[data-testid=per-day-date]`).Length() != 1 || page.Find(`[data-testid=per-day-row]`).Length() != 1 {
			t.Errorf("the per-day chart's axes or table are missing: %s", text(page.Find(`[data-testid=per-day]`)))
		}

		// The same email, typed differently, changes nothing and gets the
		// same answer (TestRepeatSignatureAnswersLikeANewOne).
		r = b.sign(signForm("  ADA@Example.org "))
		if r.header.Get("Location") != "/campaigns/no-tech-for-ice/signed" {
			t.Errorf("repeat: %d %q", r.status, r.header.Get("Location"))
		}
		if a.count() != 1 || a.rows() != 1 {
			t.Errorf("after a repeat: count %d, rows %d; want 1 and 1", a.count(), a.rows())
		}
	})
}

func TestSignWithHTMX(t *testing.T) {
	t.Parallel()
	a := newApp(t, testdb.Open(t, testdb.SQLite), config.Config{})
	b := a.browser()
	r := b.sign(signForm("grace@example.org"), "HX-Request", "true")
	if r.status != http.StatusOK {
		t.Fatalf("htmx sign: %d\n%s", r.status, r.body)
	}
	doc := r.doc(t)
	if doc.Find(`[data-testid=sign-thanks]`).Length() != 1 {
		t.Errorf("no thanks in the htmx answer:\n%s", r.body)
	}
	if oob, _ := doc.Find(`#live-count`).Attr("data-hx-swap-oob"); oob != "true" || text(doc.Find(`[data-testid=recorded-count]`)) != "1" {
		t.Errorf("the answer does not update the count in place:\n%s", r.body)
	}
	bad := signForm("not an email")
	bad.Set("first_name", "")
	r = b.sign(bad, "HX-Request", "true")
	if r.status != http.StatusUnprocessableEntity || r.doc(t).Find(`[data-testid=field-error]`).Length() != 2 {
		t.Errorf("htmx bad form: %d\n%s", r.status, r.body)
	}
}

func TestSignRefusesBadInput(t *testing.T) {
	t.Parallel()
	a := newApp(t, testdb.Open(t, testdb.SQLite), config.Config{})
	b := a.browser()
	for _, c := range []struct {
		change map[string]string
		field  string
	}{
		{map[string]string{"first_name": ""}, "first_name"},
		{map[string]string{"first_name": "=HYPERLINK(\"http://evil\")"}, "first_name"},
		{map[string]string{"last_name": "+1"}, "last_name"},
		{map[string]string{"first_name": "@ada"}, "first_name"},
		{map[string]string{"last_name": "-x"}, "last_name"},
		// Full-width signs and formulas behind invisible characters are
		// formulas too (models.LooksLikeFormula).
		{map[string]string{"first_name": "＝HYPERLINK(\"http://evil\",\"x\")"}, "first_name"},
		{map[string]string{"last_name": "＝HYPERLINK(\"http://evil\",\"x\")"}, "last_name"},
		{map[string]string{"first_name": "\u200b=cmd|' /C calc'!A0"}, "first_name"},
		{map[string]string{"last_name": "\u200b=cmd"}, "last_name"},
		{map[string]string{"first_name": "\u00a0\u202e＠SUM(A1)"}, "first_name"},
		{map[string]string{"last_name": "\ufeff－2+3"}, "last_name"},
		{map[string]string{"email": "ada at example"}, "email"},
		{map[string]string{"email": ""}, "email"},
		{map[string]string{"postal_code": strings.Repeat("9", 50)}, "postal_code"},
		{map[string]string{"comment": strings.Repeat("long ", 300)}, "comment"},
		{map[string]string{"city": "Sea\x00ttle"}, "city"},
	} {
		form := signForm("ada@example.org")
		for k, v := range c.change {
			form.Set(k, v)
		}
		r := b.sign(form)
		if r.status != http.StatusUnprocessableEntity {
			t.Errorf("%v: %d, want 422", c.change, r.status)
			continue
		}
		doc := r.doc(t)
		if doc.Find(`[data-testid=field-`+c.field+`] [data-testid=field-error]`).Length() != 1 {
			t.Errorf("%v: no message beside %s", c.change, c.field)
		}
		if v, _ := doc.Find(`#city`).Attr("value"); c.field != "city" && v != "Seattle" {
			t.Errorf("%v: the form lost what was typed (city %q)", c.change, v)
		}
	}
	if a.rows() != 0 || a.count() != 0 {
		t.Fatalf("refused signatures were stored: rows %d, count %d", a.rows(), a.count())
	}
}

func TestSignHoneypotCSRFAndClosedPetition(t *testing.T) {
	t.Parallel()
	a := newApp(t, testdb.Open(t, testdb.SQLite), config.Config{})
	b := a.browser()
	bot := signForm("bot@example.org")
	bot.Set("website", "http://spam.example")
	if r := b.sign(bot); r.status != http.StatusSeeOther {
		t.Errorf("honeypot: %d, want the usual answer", r.status)
	}
	if r := b.postRaw(signPath, signForm("nocsrf@example.org")); r.status != http.StatusForbidden {
		t.Errorf("no CSRF token: %d, want 403", r.status)
	}
	if a.rows() != 0 {
		t.Fatalf("%d rows stored", a.rows())
	}
	token := b.campaignCSRF()
	c, _ := a.store.CampaignBySlug(context.Background(), "no-tech-for-ice")
	a.store.UpdateCampaign(context.Background(), models.CommandLine, c.ID, func(c *models.Campaign) { c.Status = models.CampaignClosed })
	late := signForm("late@example.org")
	late.Set("_csrf", token)
	if r := b.postRaw(signPath, late); r.status != http.StatusConflict {
		t.Errorf("closed petition: %d, want 409", r.status)
	}
}

func TestSignRateLimit(t *testing.T) {
	t.Parallel()
	limit, _ := config.ParseRateLimit("3/min")
	a := newApp(t, testdb.Open(t, testdb.SQLite), config.Config{SignRateLimit: limit})
	b := a.browser()
	for i := range 3 {
		if r := b.sign(signForm(fmt.Sprintf("s%d@example.org", i))); r.status != http.StatusSeeOther {
			t.Fatalf("signature %d: %d", i, r.status)
		}
	}
	r := b.sign(signForm("s4@example.org"))
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" {
		t.Fatalf("fourth signature in a minute: %d, want 429", r.status)
	}
}

// TestConcurrentSignersLoseNothing: 64 signers at once, several
// signatures each; afterwards the kept count equals the rows equals the
// successful answers.
func TestConcurrentSignersLoseNothing(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		const signers, each = 64, 8
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok := 0
		for s := range signers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				b := a.browser()
				token := b.campaignCSRF()
				for i := range each {
					form := signForm(fmt.Sprintf("signer%d.%d@example.org", s, i))
					form.Set("_csrf", token)
					if r := b.postRaw(signPath, form); r.status == http.StatusSeeOther {
						mu.Lock()
						ok++
						mu.Unlock()
					} else {
						t.Errorf("signer %d/%d: %d", s, i, r.status)
					}
				}
			}()
		}
		wg.Wait()
		if ok != signers*each || a.count() != int64(ok) || a.rows() != int64(ok) {
			t.Fatalf("successes %d, count %d, rows %d; want all %d", ok, a.count(), a.rows(), signers*each)
		}
		drift, err := a.store.Recount(context.Background())
		if err != nil || len(drift) != 0 {
			t.Fatalf("recount found drift %+v, %v", drift, err)
		}
		if a.count() != int64(ok) {
			t.Fatalf("count after recount = %d", a.count())
		}
	})
}

// TestCampaignPageCache: a cached page is reused until it expires, and
// every visitor still gets their own CSRF token in the sign form.
func TestCampaignPageCache(t *testing.T) {
	t.Parallel()
	a := newApp(t, testdb.Open(t, testdb.SQLite), config.Config{PageCache: time.Hour})
	one, two := a.browser(), a.browser()
	t1, t2 := one.campaignCSRF(), two.campaignCSRF()
	if t1 == t2 {
		t.Fatal("two visitors got the same CSRF token from the cached page")
	}
	form := signForm("cache@example.org")
	form.Set("_csrf", t2)
	if r := two.postRaw(signPath, form); r.status != http.StatusSeeOther {
		t.Fatalf("sign with the token from the cached page: %d", r.status)
	}
	// The cached page still has no count: nothing was recorded when it
	// was drawn, and an empty count is not shown as "0".
	if n := one.get("/campaigns/no-tech-for-ice").doc(t).Find(`[data-testid=recorded-count]`).Length(); n != 0 {
		t.Errorf("within the cache time the page shows %d counts, want the cached page without one", n)
	}
	if r := one.get("/campaigns/does-not-exist"); r.status != http.StatusNotFound {
		t.Errorf("unknown campaign with the cache on: %d", r.status)
	}
}

// TestCampaignPageGzip: a browser that accepts gzip gets the cached page
// compressed, with its own token inside, and it reads the same as the
// plain page.
func TestCampaignPageGzip(t *testing.T) {
	t.Parallel()
	a := newApp(t, testdb.Open(t, testdb.SQLite), config.Config{PageCache: time.Hour})
	b := a.browser()
	plain := b.get("/campaigns/no-tech-for-ice", "Accept-Encoding", "identity")
	compressed := b.get("/campaigns/no-tech-for-ice", "Accept-Encoding", "gzip, deflate, br")
	if compressed.header.Get("Content-Encoding") != "gzip" || !strings.Contains(strings.Join(compressed.header.Values("Vary"), ","), "Accept-Encoding") {
		t.Fatalf("headers = %v", compressed.header)
	}
	zr, err := gzip.NewReader(strings.NewReader(compressed.body))
	if err != nil {
		t.Fatal(err)
	}
	page, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if string(page) != plain.body {
		t.Fatal("the gzip page differs from the plain one")
	}
	if len(compressed.body)*3 > len(plain.body) {
		t.Errorf("gzip page %d bytes for a %d-byte page", len(compressed.body), len(plain.body))
	}
	if !strings.Contains(string(page), `name="_csrf" value="`+b.csrf()+`"`) {
		t.Error("the gzip page does not carry the visitor's token")
	}
}

// TestSignRateLimitIsPerCampaignNotPerSlugTyped: a signature to a slug
// that names no campaign is a 404 and touches no rate-limit window (none
// is made for it: TestSignFloodToUnknownCampaignsLeavesNoState); the real
// campaign's window counts its own signatures.
func TestSignRateLimitIsPerCampaignNotPerSlugTyped(t *testing.T) {
	t.Parallel()
	limit, _ := config.ParseRateLimit("3/min")
	a := newApp(t, testdb.Open(t, testdb.SQLite), config.Config{SignRateLimit: limit})
	b := a.browser()
	token := b.campaignCSRF()
	for i := range 10 {
		form := signForm(fmt.Sprintf("made-up%d@example.org", i))
		form.Set("_csrf", token)
		if r := b.postRaw(fmt.Sprintf("/campaigns/made-up-%d/sign", i), form); r.status != http.StatusNotFound {
			t.Errorf("signature %d to a made-up slug: %d, want 404", i, r.status)
		}
	}
	for i := range 4 {
		want := map[bool]int{true: http.StatusSeeOther, false: http.StatusTooManyRequests}[i < 3]
		if r := b.sign(signForm(fmt.Sprintf("real%d@example.org", i))); r.status != want {
			t.Errorf("signature %d to the real campaign: %d, want %d", i, r.status, want)
		}
	}
}
