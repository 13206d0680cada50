package handlers_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"campaigntrack/config"
	"campaigntrack/handlers"
	"campaigntrack/mail"
	"campaigntrack/mail/mailtest"
	"campaigntrack/models"
	"campaigntrack/seed"
	"campaigntrack/testdb"
)

// mailApp is the app with its outbox's sender running against a real SMTP
// server (mailtest, an SMTP server on loopback), as serve runs it.
type mailApp struct {
	*app
	smtp *mailtest.Server
}

func newMailApp(t *testing.T, store *models.Store, smtpServer *mailtest.Server) *mailApp {
	t.Helper()
	if _, err := seed.Load(context.Background(), store); err != nil {
		t.Fatal(err)
	}
	cfg := config.Config{}
	if smtpServer != nil {
		s, err := mail.ParseSMTPURL(smtpServer.URL())
		if err != nil {
			t.Fatal(err)
		}
		cfg.SMTP = &s
	}
	h := handlers.New(store, slog.New(slog.NewTextHandler(io.Discard, nil)), cfg)
	e := h.Router()
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	h.Mail().Poll = 10 * time.Millisecond
	go func() { h.Mail().Run(ctx, true); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return &mailApp{app: &app{t: t, store: store, echo: e, srv: srv}, smtp: smtpServer}
}

func eachMailApp(t *testing.T, fn func(t *testing.T, a *mailApp)) {
	testdb.Each(t, func(t *testing.T, store *models.Store) { fn(t, newMailApp(t, store, mailtest.Start(t))) })
}

var linkPattern = regexp.MustCompile(`https?://[^/\s]+(/campaigns/[a-z0-9-]+/(confirm|withdraw|unsubscribe)/[0-9]+\.[A-Za-z0-9_-]+)`)

// links are the paths of the signer links in a message's text part.
func links(t *testing.T, m mailtest.Received) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, l := range linkPattern.FindAllStringSubmatch(m.Text, -1) {
		out[l[2]] = l[1]
	}
	if out["withdraw"] == "" {
		t.Fatalf("no withdraw link in the message:\n%s", m.Text)
	}
	return out
}

func (a *mailApp) pending() int64 {
	a.t.Helper()
	c, _ := a.store.CampaignBySlug(context.Background(), "no-tech-for-ice")
	k, err := a.store.KeptCount(context.Background(), c.ID)
	if err != nil {
		a.t.Fatal(err)
	}
	return k.Pending
}

// press opens a link's page and presses its button, as a signer does.
func (b *browser) press(path string) response {
	b.t.Helper()
	page := b.get(path)
	if page.status != http.StatusOK {
		b.t.Fatalf("%s: %d\n%s", path, page.status, page.body)
	}
	form := url.Values{}
	if token, ok := page.doc(b.t).Find(`[data-testid=signer-link-form] input[name=_csrf]`).Attr("value"); ok {
		form.Set("_csrf", token)
	}
	return b.postRaw(path, form)
}

// noMore waits a moment and fails if more than n messages arrived.
func (a *mailApp) noMore(n int) {
	a.t.Helper()
	time.Sleep(300 * time.Millisecond)
	if got := len(a.smtp.Messages()); got != n {
		a.t.Fatalf("%d messages arrived, want %d", got, n)
	}
}

// TestSignConfirmWithdraw: a signature with confirmation on waits for its
// link; the link's page confirms nothing until its button is pressed;
// confirming counts it, withdrawing takes it and its data away.
func TestSignConfirmWithdraw(t *testing.T) {
	t.Parallel()
	eachMailApp(t, func(t *testing.T, a *mailApp) {
		b := a.browser()
		form := signForm("Ana.Lopez@Example.org")
		form.Set("send_updates", "on")
		r := b.sign(form)
		if r.status != http.StatusSeeOther {
			t.Fatalf("sign: %d\n%s", r.status, r.body)
		}
		thanks := b.get(r.header.Get("Location"))
		if !strings.Contains(text(thanks.doc(t).Find(`[data-testid=sign-thanks]`)), "Check your email") {
			t.Errorf("the thanks does not ask to check the mail: %q", text(thanks.doc(t).Find(`[data-testid=sign-thanks]`)))
		}
		if a.count() != 0 || a.pending() != 1 {
			t.Fatalf("before confirming: count %d, pending %d", a.count(), a.pending())
		}
		var js struct {
			Count   int64 `json:"signature_count"`
			Pending int64 `json:"signatures_pending"`
		}
		if err := json.Unmarshal([]byte(b.get("/api/campaigns/no-tech-for-ice").body), &js); err != nil || js.Count != 0 || js.Pending != 1 {
			t.Errorf("JSON: %+v %v", js, err)
		}
		msgs := a.smtp.Wait(t, 1, 10*time.Second)
		m := msgs[0]
		if len(m.To) != 1 || m.To[0] != "ana.lopez@example.org" || !strings.Contains(m.Decoded("Subject"), "onfirm") {
			t.Fatalf("confirmation mail: to %v, subject %q", m.To, m.Decoded("Subject"))
		}
		if m.HTML == "" || !strings.Contains(m.HTML, "/withdraw/") {
			t.Errorf("the HTML part is missing or has no withdraw link")
		}
		l := links(t, m)
		if l["confirm"] == "" {
			t.Fatalf("no confirm link:\n%s", m.Text)
		}

		// A scanner fetching the link confirms nothing.
		if page := b.get(l["confirm"]); page.status != http.StatusOK || a.count() != 0 {
			t.Fatalf("GET of the link: %d, count %d", page.status, a.count())
		}
		if r := b.press(l["confirm"]); r.status != http.StatusOK || a.count() != 1 || a.pending() != 0 {
			t.Fatalf("confirm: %d, count %d, pending %d\n%s", r.status, a.count(), a.pending(), r.body)
		}
		if r := b.get(l["confirm"]); r.status != http.StatusOK || !strings.Contains(r.body, "already") || a.count() != 1 {
			t.Errorf("a used link: %d, count %d", r.status, a.count())
		}

		// Signing again when counted: one "already signed" notice a day.
		b.sign(form)
		again := a.smtp.Wait(t, 2, 10*time.Second)[1]
		if !strings.Contains(strings.ToLower(again.Text), "already") || links(t, again)["confirm"] != "" {
			t.Errorf("the repeat's mail:\n%s", again.Text)
		}
		b.sign(form)
		a.noMore(2)

		// Withdrawing: the count goes back, the data goes.
		if r := b.press(l["withdraw"]); r.status != http.StatusOK || a.count() != 0 || a.rows() != 0 {
			t.Fatalf("withdraw: %d, count %d, rows %d\n%s", r.status, a.count(), a.rows(), r.body)
		}
		for _, status := range models.MailStatuses {
			rows, err := a.store.OutboxPage(context.Background(), status, 0, 100)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range rows {
				if m.ToEmail != "" || m.ToName != "" || m.SignatureID != nil {
					t.Errorf("a %s message still names the signer after the withdrawal: %+v", status, m)
				}
			}
		}
		for _, path := range []string{l["withdraw"], l["confirm"]} {
			if r := b.get(path); r.status != http.StatusGone || !strings.Contains(r.body, "sign again") {
				t.Errorf("%s after withdrawal: %d", path, r.status)
			}
		}
		if drifts, err := a.store.Recount(context.Background()); err != nil || len(drifts) != 0 {
			t.Errorf("recount: %+v %v", drifts, err)
		}
		// The same address may sign again.
		b.sign(form)
		a.smtp.Wait(t, 3, 10*time.Second)
		if a.pending() != 1 {
			t.Errorf("signing again after withdrawing: pending %d", a.pending())
		}
	})
}

// TestRepeatWhilePendingGetsOneFreshLink: the first repeat of a pending
// signature brings a new link; more repeats within ten minutes bring none.
func TestRepeatWhilePendingGetsOneFreshLink(t *testing.T) {
	t.Parallel()
	eachMailApp(t, func(t *testing.T, a *mailApp) {
		b := a.browser()
		b.sign(signForm("bo@example.org"))
		a.smtp.Wait(t, 1, 10*time.Second)
		b.sign(signForm("bo@example.org"))
		fresh := a.smtp.Wait(t, 2, 10*time.Second)[1]
		if links(t, fresh)["confirm"] == "" {
			t.Fatalf("the fresh mail has no confirm link:\n%s", fresh.Text)
		}
		b.sign(signForm("bo@example.org"))
		b.sign(signForm("bo@example.org"))
		a.noMore(2)
		if a.pending() != 1 || a.count() != 0 {
			t.Errorf("pending %d, count %d", a.pending(), a.count())
		}
	})
}

// TestBadSignerLinks: forged, altered, cross-purpose and cross-campaign
// tokens get a clear page, never a 500, and change nothing.
func TestBadSignerLinks(t *testing.T) {
	t.Parallel()
	eachMailApp(t, func(t *testing.T, a *mailApp) {
		b := a.browser()
		b.sign(signForm("cy@example.org"))
		l := links(t, a.smtp.Wait(t, 1, 10*time.Second)[0])
		confirm := l["confirm"]
		token := confirm[strings.LastIndex(confirm, "/")+1:]
		id := token[:strings.Index(token, ".")]
		bad := []string{
			"/campaigns/no-tech-for-ice/confirm/" + id + ".AAAAAAAAAAAAAAAAAAAAAA",
			"/campaigns/no-tech-for-ice/confirm/" + token + "x",
			"/campaigns/no-tech-for-ice/confirm/" + id,
			"/campaigns/no-tech-for-ice/confirm/%00%ff",
			"/campaigns/no-tech-for-ice/confirm/" + strings.Repeat("9", 40) + "." + token[len(id)+1:],
			"/campaigns/no-tech-for-ice/withdraw/" + token, // a confirm token used to withdraw
			"/campaigns/no-tech-for-ice/unsubscribe/" + token,
		}
		for _, path := range bad {
			for _, method := range []string{http.MethodGet, http.MethodPost} {
				var r response
				if method == http.MethodGet {
					r = b.get(path)
				} else {
					r = b.postRaw(path, url.Values{})
				}
				if r.status != http.StatusNotFound && r.status != http.StatusForbidden {
					t.Errorf("%s %s: %d", method, path, r.status)
				}
			}
		}
		if a.pending() != 1 || a.rows() != 1 {
			t.Errorf("bad links changed something: pending %d, rows %d", a.pending(), a.rows())
		}
		// A confirmation without the page's CSRF token is refused.
		if r := b.postRaw(confirm, url.Values{}); r.status != http.StatusForbidden || a.count() != 0 {
			t.Errorf("confirm without a token: %d, count %d", r.status, a.count())
		}
	})
}

// TestOutboxOnlyConfirmsNothing: with no SMTP server, signatures count at
// once (no one could receive a link), their receipts are kept in the
// outbox, and nothing is sent.
func TestOutboxOnlyConfirmsNothing(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		a := newMailApp(t, store, nil)
		b := a.browser()
		b.sign(signForm("di@example.org"))
		if a.count() != 1 || a.pending() != 0 {
			t.Fatalf("outbox-only: count %d, pending %d", a.count(), a.pending())
		}
		deadline := time.Now().Add(10 * time.Second)
		for {
			stats, _ := store.MailStats(context.Background())
			n := stats.ByStatus[models.MailKept]
			if n == 1 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the receipt was not kept in the outbox (%d kept)", n)
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}
