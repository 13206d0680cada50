package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"campaigntrack/config"
	"campaigntrack/mail"
	"campaigntrack/models"
	"campaigntrack/testdb"
)

// confirmForm is the seeded campaign's settings form as sent, with the
// confirmation box ticked or not.
func confirmForm(confirm bool) url.Values {
	f := settingsForm("A summary.")
	if confirm {
		f.Set("confirm_signatures", "on")
	}
	return f
}

// TestConfirmSettingTurnsOffAndOn: the settings form's "Ask signers to
// confirm by email" box saves both ways, each change audited, says whether
// it applies now (an SMTP server is set up or not), and a new campaign's
// form has it ticked.
func TestConfirmSettingTurnsOffAndOn(t *testing.T) {
	t.Parallel()
	a := newApp(t, testdb.Open(t, testdb.SQLite), config.Config{})
	b := a.organiser()
	ctx := context.Background()
	const settings = "/admin/campaigns/no-tech-for-ice/settings"

	page := b.get(settings)
	box := page.doc(t).Find(`input[name=confirm_signatures]`)
	if _, checked := box.Attr("checked"); page.status != http.StatusOK || box.Length() != 1 || !checked {
		t.Fatalf("settings form: %d, confirmation box %d, checked %v; want it ticked (the seed's setting)", page.status, box.Length(), checked)
	}
	if state := text(page.doc(t).Find(`[data-testid=confirm-setting-state]`)); !strings.Contains(state, "No SMTP server is set up now") {
		t.Errorf("without --smtp-url the setting's note says %q", state)
	}

	for _, confirm := range []bool{false, true} {
		if r := b.post(settings, confirmForm(confirm)); r.status != http.StatusSeeOther {
			t.Fatalf("save with confirmation %v: %d\n%s", confirm, r.status, r.body)
		}
		cp, err := a.store.CampaignBySlug(ctx, "no-tech-for-ice")
		if err != nil {
			t.Fatal(err)
		}
		if cp.ConfirmSignatures != confirm {
			t.Errorf("after saving with the box %v, ConfirmSignatures = %v", confirm, cp.ConfirmSignatures)
		}
		history, err := a.store.AuditForRecord(ctx, "campaign", cp.ID)
		if err != nil {
			t.Fatal(err)
		}
		if ch, ok := history[0].ChangeSet()["ConfirmSignatures"]; !ok || ch.After != confirm || ch.Before != !confirm {
			t.Errorf("latest audit entry %+v, want ConfirmSignatures %v to %v", history[0].ChangeSet(), !confirm, confirm)
		}
		_, checked := b.get(settings).doc(t).Find(`input[name=confirm_signatures]`).Attr("checked")
		if checked != confirm {
			t.Errorf("the form shows the box ticked %v after saving %v", checked, confirm)
		}
	}

	if _, checked := b.get("/admin/campaigns/new").doc(t).Find(`input[name=confirm_signatures]`).Attr("checked"); !checked {
		t.Error("a new campaign's form does not ask signers to confirm by default")
	}

	// With an SMTP server set up, the note says the setting applies now.
	mailing := newApp(t, testdb.Open(t, testdb.SQLite), config.Config{SMTP: &mail.SMTP{Host: "127.0.0.1", Port: 2525}})
	state := text(mailing.organiser().get(settings).doc(t).Find(`[data-testid=confirm-setting-state]`))
	if !strings.Contains(state, "An SMTP server is set up now") {
		t.Errorf("with --smtp-url the setting's note says %q", state)
	}
}

// addSigner stores a web signature on the seeded campaign, counted at
// once (confirmed) or pending, with or without updates.
func (a *app) addSigner(first, email string, updates, pending bool) *models.Signature {
	a.t.Helper()
	ctx := context.Background()
	cp, err := a.store.CampaignBySlug(ctx, "no-tech-for-ice")
	if err != nil {
		a.t.Fatal(err)
	}
	sig := &models.Signature{CampaignID: cp.ID, FirstName: first, Email: email, City: "Seattle", Region: "WA", Country: "US",
		SendUpdates: updates, NeedsConfirmation: pending}
	sig.Normalise()
	if err := a.store.AddSignature(ctx, sig); err != nil {
		a.t.Fatal(err)
	}
	return sig
}

// outbox is every message of a status, newest first.
func (a *app) outbox(status string) []models.OutboxMail {
	a.t.Helper()
	rows, err := a.store.OutboxPage(context.Background(), status, 0, 1000)
	if err != nil {
		a.t.Fatal(err)
	}
	return rows
}

// keepQueued does what the sender does with no SMTP server: every queued
// message is marked kept.
func (a *app) keepQueued() {
	a.t.Helper()
	var ids []uint
	for _, m := range a.outbox(models.MailQueued) {
		ids = append(ids, m.ID)
	}
	if err := a.store.MarkMailKept(context.Background(), ids, time.Now()); err != nil {
		a.t.Fatal(err)
	}
}

// TestMailPageOutboxOnly: with no SMTP server the Mail page says nothing
// leaves the machine, counts the kept messages and lists them for an
// organiser, whose message page shows the mail as the signer gets it (the
// text part, the HTML part in a sandboxed frame); a purged message says
// its address was removed. A viewer sees the counts but no address, not
// even inside a server's error, and cannot open the list or a message.
func TestMailPageOutboxOnly(t *testing.T) {
	t.Parallel()
	eachApp(t, mailPageOutboxOnly)
}

func mailPageOutboxOnly(t *testing.T, a *app) {
	ctx := context.Background()
	a.addSigner("Ana", "ana@example.org", true, false)
	a.keepQueued()
	kept := a.outbox(models.MailKept)
	if len(kept) != 1 {
		t.Fatalf("%d kept messages, want Ana's receipt", len(kept))
	}
	a.addSigner("Bob", "bob@example.org", false, false)
	failed := a.outbox(models.MailQueued)[0]
	if err := a.store.MarkMailFailed(ctx, failed.ID, "550 5.1.1 <bob@example.org>: Recipient address rejected"); err != nil {
		t.Fatal(err)
	}

	org := a.organiser()
	page := org.get("/admin/mail")
	doc := page.doc(t)
	if page.status != http.StatusOK {
		t.Fatalf("GET /admin/mail: %d\n%s", page.status, page.body)
	}
	if mode := text(doc.Find(`[data-testid=mail-mode]`)); !strings.Contains(mode, "nothing leaves this machine") {
		t.Errorf("outbox-only mode reads %q", mode)
	}
	for status, want := range map[string]string{models.MailKept: "1", models.MailFailed: "1", models.MailQueued: "0", models.MailSent: "0"} {
		if got := text(doc.Find(`[data-testid=mail-count-` + status + `] dd`)); got != want {
			t.Errorf("%s count %q, want %s", status, got, want)
		}
	}
	if got := text(doc.Find(`[data-testid=mail-error] code`)); !strings.Contains(got, "bob@example.org") {
		t.Errorf("an organiser's latest errors: %q", got)
	}
	row := doc.Find(`[data-testid=mail-row]`)
	if row.Length() != 1 || text(row.Find(`[data-testid=mail-to]`)) != "ana@example.org" {
		t.Fatalf("kept messages listed: %d, %q", row.Length(), text(row))
	}
	href := row.Find("a").AttrOr("href", "")
	if href != "/admin/mail/"+itoa(kept[0].ID) {
		t.Fatalf("the kept message links to %q", href)
	}
	if r := org.get("/admin/mail/messages?status=failed"); !strings.Contains(text(r.doc(t).Find(`[data-testid=mail-to]`)), "bob@example.org") {
		t.Errorf("failed messages list: %d\n%s", r.status, r.body)
	}

	msg := org.get(href)
	mdoc := msg.doc(t)
	if msg.status != http.StatusOK {
		t.Fatalf("GET %s: %d\n%s", href, msg.status, msg.body)
	}
	if got := text(mdoc.Find(`[data-testid=mail-text]`)); !strings.Contains(got, "Hello Ana,") || !strings.Contains(got, "/campaigns/no-tech-for-ice/withdraw/") {
		t.Errorf("the text part shown: %q", got)
	}
	if got := text(mdoc.Find(`[data-testid=mail-to]`)); got != "Ana <ana@example.org>" {
		t.Errorf("To: %q", got)
	}
	frame := mdoc.Find(`iframe[data-testid=mail-html]`)
	if sandbox, ok := frame.Attr("sandbox"); !ok || sandbox != "" || !strings.Contains(frame.AttrOr("srcdoc", ""), "Hello Ana,") {
		t.Errorf("the HTML part's frame: sandbox %q (%v), srcdoc %.80q", sandbox, ok, frame.AttrOr("srcdoc", ""))
	}
	// The frame holds the mail as a document, not its markup as text.
	if framed, err := goquery.NewDocumentFromReader(strings.NewReader(frame.AttrOr("srcdoc", ""))); err != nil || !strings.Contains(framed.Find(`[data-testid=mail-content]`).Text(), "Hello Ana,") {
		t.Errorf("the frame's document has no mail content (its markup escaped as text?): %.120q", frame.AttrOr("srcdoc", ""))
	}
	if csp := msg.header.Get("Content-Security-Policy"); !strings.Contains(csp, "style-src 'self' 'unsafe-inline'") || !strings.Contains(csp, "script-src 'self';") {
		t.Errorf("a message page's policy: %q", csp)
	}

	// Once purged, the message cannot be made again.
	if _, err := a.store.PurgeMail(ctx, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got := text(org.get(href).doc(t).Find(`[data-testid=mail-message-problem]`)); !strings.Contains(got, "address was removed") {
		t.Errorf("a purged message's page: %q", got)
	}

	a.user("viewer@example.org", models.RoleViewer)
	viewer := a.browser()
	viewer.login("viewer@example.org")
	vpage := viewer.get("/admin/mail")
	if vpage.status != http.StatusOK || strings.Contains(vpage.body, "@example.org</") || strings.Contains(vpage.body, "bob@example.org") || strings.Contains(vpage.body, "ana@example.org") {
		t.Errorf("a viewer's Mail page: %d, addresses shown\n%s", vpage.status, vpage.body)
	}
	if vdoc := vpage.doc(t); vdoc.Find(`[data-testid=mail-list]`).Length() != 0 || !strings.Contains(text(vdoc.Find(`[data-testid=mail-error] code`)), "(address hidden)") {
		t.Errorf("a viewer's Mail page lists messages or shows an error's address")
	}
	for _, path := range []string{"/admin/mail/messages", "/admin/mail/messages?status=failed", href} {
		if r := viewer.get(path); r.status != http.StatusForbidden {
			t.Errorf("viewer GET %s = %d, want 403", path, r.status)
		}
	}
}

// TestMailPageNamesTheServerNotItsPassword: with an SMTP server set up the
// Mail page names it, its password hidden, and lists failed messages by
// default.
func TestMailPageNamesTheServerNotItsPassword(t *testing.T) {
	t.Parallel()
	smtp := &mail.SMTP{Host: "mail.example.org", Port: 587, Username: "news", Password: "s3cret-pass"}
	a := newApp(t, testdb.Open(t, testdb.SQLite), config.Config{SMTP: smtp})
	a.addSigner("Ana", "ana@example.org", true, false)
	page := a.organiser().get("/admin/mail")
	doc := page.doc(t)
	if got := text(doc.Find(`[data-testid=mail-server]`)); page.status != http.StatusOK || got != "smtp://news:xxxxx@mail.example.org:587" {
		t.Errorf("Mail page: %d, server shown as %q", page.status, got)
	}
	if strings.Contains(page.body, "s3cret-pass") {
		t.Error("the Mail page shows the SMTP password")
	}
	if got := text(doc.Find(`[data-testid=mail-count-queued] dd`)); got != "1" {
		t.Errorf("queued count %q, want Ana's receipt", got)
	}
	if got := text(doc.Find(`#mail-list-heading`)); !strings.Contains(got, "Failed") {
		t.Errorf("with mail sent, the list shows %q, want the failed messages", got)
	}
}
