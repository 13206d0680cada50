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
	"strconv"
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
		if len(m.To) != 1 || m.To[0] != "Ana.Lopez@Example.org" || !strings.Contains(m.Decoded("Subject"), "onfirm") { // the address as typed
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

// confirmedSigners stores signers straight through the store: n confirmed
// who agreed to updates, and beside them one confirmed who did not and
// one pending who did.
func (a *mailApp) confirmedSigners(n int) {
	a.t.Helper()
	ctx := context.Background()
	c, _ := a.store.CampaignBySlug(ctx, "no-tech-for-ice")
	var sigs []*models.Signature
	for i := range n {
		sigs = append(sigs, &models.Signature{CampaignID: c.ID, FirstName: "Signer", Email: "s" + strings.Repeat("x", i%3) + strconv.Itoa(i) + "@example.org", SendUpdates: true})
	}
	sigs = append(sigs, &models.Signature{CampaignID: c.ID, FirstName: "Quiet", Email: "quiet@example.org"})
	sigs = append(sigs, &models.Signature{CampaignID: c.ID, FirstName: "Waiting", Email: "waiting@example.org", SendUpdates: true, NeedsConfirmation: true})
	if _, err := a.store.AddSignatures(ctx, sigs); err != nil {
		a.t.Fatal(err)
	}
}

// TestUpdateReachesOnlyConfirmedSignersWhoAgreed: news goes to confirmed
// signers who agreed to updates, each message with both unsubscribe
// headers, and the one-click POST (no cookie, no CSRF) stops updates.
func TestUpdateReachesOnlyConfirmedSignersWhoAgreed(t *testing.T) {
	t.Parallel()
	eachMailApp(t, func(t *testing.T, a *mailApp) {
		ctx := context.Background()
		a.confirmedSigners(3)
		receipts := len(a.smtp.Wait(t, 5, 10*time.Second)) // 3 receipts, 1 receipt, 1 confirmation link
		c, _ := a.store.CampaignBySlug(ctx, "no-tech-for-ice")
		n := &models.News{CampaignID: c.ID, Subject: "Delivered in Seattle", Body: "We handed the petition over.\n\nThank you.",
			Quote: "We are reviewing it.", QuoteBy: "Amazon", QuoteSource: "email to Mijente"}
		if err := a.store.SendNews(ctx, models.CommandLine, n); err != nil || n.Recipients != 3 {
			t.Fatalf("send news: %d recipients, %v", n.Recipients, err)
		}
		all := a.smtp.Wait(t, receipts+3, 10*time.Second)
		updates := all[receipts:]
		a.noMore(receipts + 3)
		for _, m := range updates {
			if strings.Contains(m.To[0], "quiet") || strings.Contains(m.To[0], "waiting") {
				t.Errorf("an update went to %s", m.To[0])
			}
			lu := m.Header.Get("List-Unsubscribe")
			if !strings.HasPrefix(lu, "<http") || !strings.Contains(lu, "/unsubscribe/") || m.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
				t.Errorf("unsubscribe headers: %q %q", lu, m.Header.Get("List-Unsubscribe-Post"))
			}
			if !strings.Contains(m.Text, "We are reviewing it.") || !strings.Contains(m.Text, "email to Mijente") {
				t.Errorf("the quote or its source is missing:\n%s", m.Text)
			}
		}
		// One-click: a mail client's POST, with no cookie and no token.
		lu := strings.Trim(updates[0].Header.Get("List-Unsubscribe"), "<>")
		path := lu[strings.Index(lu, "/campaigns/"):]
		req, _ := http.NewRequest(http.MethodPost, a.srv.URL+path, strings.NewReader("List-Unsubscribe=One-Click"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("one-click unsubscribe: %d", resp.StatusCode)
		}
		if got, _ := a.store.NewsRecipients(ctx, c.ID); got != 2 {
			t.Errorf("after one unsubscribed, news would go to %d, want 2", got)
		}
		if a.count() != 4 {
			t.Errorf("unsubscribing changed the count: %d", a.count())
		}
		entries, _ := a.store.AuditForCampaign(ctx, c.ID, 10)
		found := false
		for _, e := range entries {
			if e.Action == models.AuditSend && strings.Contains(e.Changes, "Delivered in Seattle") {
				found = true
			}
		}
		if !found {
			t.Error("the send is not in the audit log")
		}
	})
}

// TestExpiryDeletesUnconfirmed: pending signatures past seven days are
// deleted with their mail; the counts stay right.
func TestExpiryDeletesUnconfirmed(t *testing.T) {
	t.Parallel()
	eachMailApp(t, func(t *testing.T, a *mailApp) {
		ctx := context.Background()
		a.confirmedSigners(2)
		if a.pending() != 1 || a.count() != 3 {
			t.Fatalf("before: pending %d count %d", a.pending(), a.count())
		}
		if n, err := a.store.ExpirePending(ctx, time.Now().Add(6*24*time.Hour)); err != nil || n != 0 {
			t.Fatalf("after six days: %d expired, %v", n, err)
		}
		n, err := a.store.ExpirePending(ctx, time.Now().Add(8*24*time.Hour))
		if err != nil || n != 1 || a.pending() != 0 || a.count() != 3 || a.rows() != 3 {
			t.Fatalf("after eight days: %d expired (%v), pending %d, count %d, rows %d", n, err, a.pending(), a.count(), a.rows())
		}
		if drifts, err := a.store.Recount(ctx); err != nil || len(drifts) != 0 {
			t.Errorf("recount: %+v %v", drifts, err)
		}
	})
}

// TestUnreachableAndRefusingSMTP: a server that is down leaves messages
// queued with the error kept for the Mail page; one that refuses for now
// (451) leaves them queued for a retry, one that refuses for good (550)
// fails them; once the server is back, queued mail goes.
func TestUnreachableAndRefusingSMTP(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		smtp := mailtest.Start(t)
		a := newMailApp(t, store, smtp)
		ctx := context.Background()
		smtp.Stop()
		a.browser().sign(signForm("ed@example.org"))
		stats := waitStats(t, store, func(s models.MailStats) bool { return len(s.Errors) > 0 })
		if stats.ByStatus[models.MailQueued] != 1 || !strings.Contains(stats.Errors[0].Error, "SMTP") {
			t.Fatalf("server down: %+v", stats)
		}

		smtp.Restart(t)
		smtp.Refuse(550, "5.1.1 no such mailbox")
		// The queued message waits its retry; an organiser may call it now.
		if _, err := store.RetryMailNow(ctx, models.CommandLine, time.Now()); err != nil {
			t.Fatal(err)
		}
		waitStats(t, store, func(s models.MailStats) bool { return s.ByStatus[models.MailFailed] == 1 })

		smtp.Refuse(451, "4.3.0 try again later")
		a.browser().sign(signForm("fi@example.org"))
		stats = waitStats(t, store, func(s models.MailStats) bool {
			for _, e := range s.Errors {
				if strings.Contains(e.Error, "451") {
					return true
				}
			}
			return false
		})
		if stats.ByStatus[models.MailQueued] != 1 {
			t.Fatalf("451: %+v", stats)
		}
		smtp.Refuse(0, "")
		// The organiser presses "Try every queued message now".
		org := a.organiser()
		if page := org.get("/admin/mail"); page.doc(t).Find(`[data-testid=mail-retry]`).Length() != 1 {
			t.Fatalf("no retry button on the Mail page with a message queued:\n%s", page.body)
		}
		if r := org.post("/admin/mail/retry", url.Values{}); r.status != http.StatusSeeOther {
			t.Fatalf("retry: %d\n%s", r.status, r.body)
		}
		entries, _ := store.AuditLatest(ctx, 5)
		if len(entries) == 0 || entries[0].RecordType != "mail_outbox" {
			t.Errorf("the retry is not in the audit log: %+v", entries)
		}
		waitStats(t, store, func(s models.MailStats) bool { return s.ByStatus[models.MailSent] == 1 })
		for _, e := range stats.Errors {
			if strings.Contains(e.Error, "@example.org") {
				t.Errorf("an error names the signer's address: %q", e.Error)
			}
		}
	})
}

func waitStats(t *testing.T, store *models.Store, ok func(models.MailStats) bool) models.MailStats {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		s, err := store.MailStats(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if ok(s) {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("the outbox did not get there: %+v", s)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
