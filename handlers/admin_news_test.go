package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"campaigntrack/config"
	"campaigntrack/models"
	"campaigntrack/testdb"
)

const newsBase = "/admin/campaigns/no-tech-for-ice/news"

// seededCampaign is the seeded campaign as stored.
func (a *app) seededCampaign() *models.Campaign {
	a.t.Helper()
	cp, err := a.store.CampaignBySlug(context.Background(), "no-tech-for-ice")
	if err != nil {
		a.t.Fatal(err)
	}
	return cp
}

// signersForNews stores the signers news may go to: two it goes to (a
// confirmed web signer and an imported one, both asking for updates) and
// two it does not (a confirmed one who did not ask, a pending one who
// did).
func (a *app) signersForNews() {
	a.t.Helper()
	a.addSigner("Ana", "ana@example.org", true, false)
	a.addSigner("Bob", "bob@example.org", false, false)
	a.addSigner("Cleo", "cleo@example.org", true, true)
	imported := &models.Signature{CampaignID: a.seededCampaign().ID, FirstName: "Dan", Email: "dan@example.org", SendUpdates: true, Origin: "import"}
	imported.Normalise()
	if _, err := a.store.ImportSignatures(context.Background(), imported.CampaignID, testdb.Source(a.t, a.store, imported.CampaignID, "Test list"), []*models.Signature{imported}); err != nil {
		a.t.Fatal(err)
	}
}

// updates is every news message in the outbox, whatever its status.
func (a *app) updates() []models.OutboxMail {
	a.t.Helper()
	var out []models.OutboxMail
	for _, status := range models.MailStatuses {
		for _, m := range a.outbox(status) {
			if m.Kind == models.MailUpdate {
				out = append(out, m)
			}
		}
	}
	return out
}

// newsFormValues reads a news form as the browser would send it.
func newsFormValues(doc *goquery.Document) url.Values {
	form := doc.Find(`form[data-testid=news-form]`)
	v := url.Values{}
	form.Find("input[name], textarea[name]").Each(func(_ int, s *goquery.Selection) {
		name := s.AttrOr("name", "")
		if name == "_csrf" {
			return
		}
		if goquery.NodeName(s) == "textarea" {
			v.Set(name, s.Text())
		} else {
			v.Set(name, s.AttrOr("value", ""))
		}
	})
	return v
}

// TestTellTheSignersOfADelivery: a delivered delivery offers "Tell the
// signers"; the form is prefilled from it; the preview shows the message
// and how many it goes to; sending queues one message for each confirmed
// signer who asked for updates and no one else, audited with its subject
// and count; the progress page counts them and reloads while any is
// queued; a second Send of the same news sends nothing.
func TestTellTheSignersOfADelivery(t *testing.T) {
	t.Parallel()
	eachApp(t, tellTheSignersOfADelivery)
}

func tellTheSignersOfADelivery(t *testing.T, a *app) {
	ctx := context.Background()
	cp := a.seededCampaign()
	a.signersForNews()
	ds, err := a.store.DeliveriesFor(ctx, cp.ID)
	if err != nil {
		t.Fatal(err)
	}
	var seattle *models.Delivery
	delivered := 0
	for i, d := range ds {
		if d.Status == models.DeliveryDelivered {
			delivered++
		}
		if d.City == "Seattle" {
			seattle = &ds[i]
		}
	}
	org := a.organiser()

	list := org.get("/admin/campaigns/no-tech-for-ice/deliveries").doc(t)
	links := list.Find(`[data-testid=tell-the-signers]`)
	if links.Length() != delivered {
		t.Errorf("%d “Tell the signers” links on the deliveries, want one for each of the %d delivered", links.Length(), delivered)
	}
	want := newsBase + "/new?delivery=" + itoa(seattle.ID)
	if list.Find(`#delivery-`+itoa(seattle.ID)+` [data-testid=tell-the-signers]`).AttrOr("href", "") != want {
		t.Errorf("Seattle's link is not %s", want)
	}
	if org.get("/admin/campaigns/no-tech-for-ice/deliveries/"+itoa(seattle.ID)).doc(t).Find(`[data-testid=tell-the-signers]`).Length() != 1 {
		t.Error("the delivery's own page has no “Tell the signers”")
	}

	page := org.get(want)
	doc := page.doc(t)
	if page.status != http.StatusOK {
		t.Fatalf("GET %s: %d\n%s", want, page.status, page.body)
	}
	form := newsFormValues(doc)
	if got := form.Get("subject"); got != "The petition was delivered to "+cp.Target+" in Seattle" {
		t.Errorf("prefilled subject %q", got)
	}
	for _, part := range []string{"On 15 July 2019", "delivered to Amazon", "Seattle, WA", "Main reception desk"} {
		if !strings.Contains(form.Get("body"), part) {
			t.Errorf("prefilled body lacks %q:\n%s", part, form.Get("body"))
		}
	}
	if form.Get("record_kind") != "delivery" || form.Get("record_id") != itoa(seattle.ID) {
		t.Errorf("the form names record %q %q", form.Get("record_kind"), form.Get("record_id"))
	}
	if got := text(doc.Find(`[data-testid=news-recipients] strong`)); got != "2" {
		t.Errorf("the form says it goes to %q signers, want 2 (Ana and the imported Dan)", got)
	}
	if doc.Find(`[data-testid=news-send-button]`).Length() != 0 {
		t.Error("the form offers Send before a preview")
	}

	preview := org.post(newsBase+"/preview", form)
	pdoc := preview.doc(t)
	if preview.status != http.StatusOK {
		t.Fatalf("preview: %d\n%s", preview.status, preview.body)
	}
	// The preview shows the message as a signer who signed in English gets
	// it, and (see TestNewsInSpanish) as one who signed in Spanish.
	en := pdoc.Find(`[data-testid=news-preview-en]`)
	if got := text(en.Find(`[data-testid=mail-text]`)); !strings.Contains(got, "Hello Ana,") || !strings.Contains(got, "Main reception desk") {
		t.Errorf("the preview's text part: %q", got)
	}
	if got := text(en.Find(`[data-testid=mail-subject]`)); got != form.Get("subject") {
		t.Errorf("the preview's subject: %q", got)
	}
	if f := en.Find(`iframe[data-testid=mail-html]`); f.AttrOr("sandbox", "x") != "" || !strings.Contains(f.AttrOr("srcdoc", ""), "Main reception desk") {
		t.Error("the preview's HTML part is not in a sandboxed frame")
	}
	if got := text(pdoc.Find(`[data-testid=news-send-button]`)); got != "Send to 2 signers" {
		t.Errorf("the preview's send button: %q", got)
	}
	if len(a.updates()) != 0 {
		t.Fatal("a preview queued messages")
	}

	sent := org.post(newsBase, newsFormValues(pdoc))
	if sent.status != http.StatusSeeOther || !strings.HasPrefix(sent.header.Get("Location"), newsBase+"/") {
		t.Fatalf("send: %d %q\n%s", sent.status, sent.header.Get("Location"), sent.body)
	}
	progressPath := sent.header.Get("Location")
	got := map[string]bool{}
	for _, m := range a.updates() {
		got[m.ToEmail] = true
	}
	if len(got) != 2 || !got["ana@example.org"] || !got["dan@example.org"] || len(a.updates()) != 2 {
		t.Errorf("news queued for %v, want ana and dan once each", got)
	}
	entries, err := a.store.AuditForCampaign(ctx, cp.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	changes := entries[0].ChangeSet()
	if entries[0].Action != models.AuditSend || entries[0].RecordType != "news" || entries[0].UserEmail != "renamer@example.org" ||
		changes["Subject"].After != form.Get("subject") || changes["Recipients"].After != float64(2) {
		t.Errorf("the send's audit entry: %s by %s, %+v", entries[0].Action, entries[0].UserEmail, changes)
	}

	progress := org.get(progressPath)
	if progress.status != http.StatusOK || progress.header.Get("Refresh") != "5" {
		t.Errorf("progress while queued: %d, Refresh %q", progress.status, progress.header.Get("Refresh"))
	}
	pg := progress.doc(t)
	if q := text(pg.Find(`[data-testid=news-count-queued] dd`)); q != "2" || text(pg.Find(`[data-testid=news-recipient-count]`)) != "2" {
		t.Errorf("progress: %q queued of %q", q, text(pg.Find(`[data-testid=news-recipient-count]`)))
	}
	if n := pg.Find(`[data-testid=news-body] p`).Length(); n < 2 {
		t.Errorf("the news's body is shown in %d paragraphs", n)
	}
	a.keepQueued()
	progress = org.get(progressPath)
	if k := text(progress.doc(t).Find(`[data-testid=news-count-kept] dd`)); k != "2" || progress.header.Get("Refresh") != "" {
		t.Errorf("progress once kept: %q kept, Refresh %q", k, progress.header.Get("Refresh"))
	}

	// A second click of Send: nothing more is queued, and the browser
	// lands on the news already sent.
	again := org.post(newsBase, newsFormValues(pdoc))
	if again.status != http.StatusSeeOther || again.header.Get("Location") != progressPath {
		t.Errorf("send again: %d %q, want a redirect to %s", again.status, again.header.Get("Location"), progressPath)
	}
	if n := len(a.updates()); n != 2 {
		t.Errorf("the same news sent twice: %d messages", n)
	}
	items := org.get(newsBase).doc(t).Find(`[data-testid=news-item]`)
	if items.Length() != 1 || !strings.Contains(text(items), form.Get("subject")) {
		t.Errorf("news list: %d items, %q", items.Length(), text(items))
	}
}

// TestTellTheSignersOfAResponse: a response's news carries its quote, who
// said it and its source.
func TestTellTheSignersOfAResponse(t *testing.T) {
	t.Parallel()
	a := newApp(t, testdb.Open(t, testdb.SQLite), config.Config{})
	rs, err := a.store.ResponsesFor(context.Background(), a.seededCampaign().ID, models.ResponsesNewestFirst)
	if err != nil {
		t.Fatal(err)
	}
	var r *models.Response
	for i := range rs {
		if rs[i].Speaker == "AWS spokesperson" {
			r = &rs[i]
		}
	}
	org := a.organiser()
	if n := org.get("/admin/campaigns/no-tech-for-ice/responses").doc(t).Find(`[data-testid=tell-the-signers]`).Length(); n != len(rs) {
		t.Errorf("%d “Tell the signers” links on the responses, want %d", n, len(rs))
	}
	page := org.get(newsBase + "/new?response=" + itoa(r.ID))
	if page.status != http.StatusOK {
		t.Fatalf("news of a response: %d\n%s", page.status, page.body)
	}
	form := newsFormValues(page.doc(t))
	if form.Get("quote") != r.Quote || form.Get("quote_by") != "AWS spokesperson (Spokesperson, Amazon Web Services)" || form.Get("quote_source") == "" {
		t.Errorf("prefilled quote %q by %q from %q", form.Get("quote"), form.Get("quote_by"), form.Get("quote_source"))
	}
	if !strings.Contains(form.Get("body"), "12 July 2019") || !strings.Contains(form.Get("subject"), "Amazon") {
		t.Errorf("prefilled subject %q, body %q", form.Get("subject"), form.Get("body"))
	}
	preview := org.post(newsBase+"/preview", form)
	if got := text(preview.doc(t).Find(`[data-testid=mail-text]`)); preview.status != http.StatusOK || !strings.Contains(got, "AWS spokesperson") {
		t.Errorf("preview of a response's news: %d %q", preview.status, got)
	}
}

// TestNewsRefusesBadInput: a subject with CR/LF (a header injection) is
// named beside the field with 422, in the preview and the send alike, and
// nothing is queued; a record of no campaign's, or a delivery not yet
// delivered, gets a clear page, never a 500.
func TestNewsRefusesBadInput(t *testing.T) {
	t.Parallel()
	a := newApp(t, testdb.Open(t, testdb.SQLite), config.Config{})
	a.signersForNews()
	org := a.organiser()
	bad := url.Values{"subject": {"Delivered\r\nBcc: everyone@example.org"}, "body": {"It went well."}}
	for _, path := range []string{newsBase + "/preview", newsBase} {
		r := org.post(path, bad)
		if r.status != http.StatusUnprocessableEntity {
			t.Errorf("POST %s with CR/LF in the subject: %d, want 422", path, r.status)
			continue
		}
		if msg := text(r.doc(t).Find(`[data-testid=field-subject] [data-testid=field-error]`)); !strings.Contains(msg, "one line") {
			t.Errorf("POST %s: the subject's message is %q", path, msg)
		}
	}
	r := org.post(newsBase, url.Values{"subject": {"Hello"}, "body": {"News."}, "record_kind": {"delivery"}, "record_id": {"99999"}})
	if r.status != http.StatusUnprocessableEntity || r.doc(t).Find(`[data-testid=field-error]`).Length() == 0 {
		t.Errorf("news of no campaign's delivery: %d", r.status)
	}
	if n := len(a.updates()); n != 0 {
		t.Errorf("refused news queued %d messages", n)
	}
	for path, want := range map[string]int{
		newsBase + "/new?delivery=99999": http.StatusNotFound,
		newsBase + "/new?response=abc":   http.StatusNotFound,
		newsBase + "/99999":              http.StatusNotFound,
	} {
		if r := org.get(path); r.status != want {
			t.Errorf("GET %s = %d, want %d", path, r.status, want)
		}
	}
	ds, _ := a.store.DeliveriesFor(context.Background(), a.seededCampaign().ID)
	for _, d := range ds {
		if d.Status == models.DeliveryPlanned {
			if r := org.get(newsBase + "/new?delivery=" + itoa(d.ID)); r.status != http.StatusConflict {
				t.Errorf("news of a planned delivery: %d, want 409", r.status)
			}
		}
	}
}

// TestViewerCannotSendNews: a viewer reads the news but cannot write,
// preview or send it, and is offered no “Tell the signers”.
func TestViewerCannotSendNews(t *testing.T) {
	t.Parallel()
	a := newApp(t, testdb.Open(t, testdb.SQLite), config.Config{})
	a.signersForNews()
	a.user("viewer@example.org", models.RoleViewer)
	viewer := a.browser()
	viewer.login("viewer@example.org")
	form := url.Values{"subject": {"Hello"}, "body": {"News."}}
	for _, path := range []string{newsBase, newsBase + "/preview"} {
		if r := viewer.post(path, form); r.status != http.StatusForbidden {
			t.Errorf("viewer POST %s = %d, want 403", path, r.status)
		}
	}
	if r := viewer.get(newsBase + "/new"); r.status != http.StatusForbidden {
		t.Errorf("viewer GET the news form = %d, want 403", r.status)
	}
	if r := viewer.get(newsBase); r.status != http.StatusOK {
		t.Errorf("viewer GET the news list = %d", r.status)
	}
	if n := viewer.get("/admin/campaigns/no-tech-for-ice/deliveries").doc(t).Find(`[data-testid=tell-the-signers]`).Length(); n != 0 {
		t.Errorf("a viewer is offered %d “Tell the signers” links", n)
	}
	if n := len(a.updates()); n != 0 {
		t.Errorf("a viewer queued %d messages", n)
	}
}

// TestNewsSentAtOnceTwiceQueuesOnce: two Sends of the same news at the
// same moment (a double click that reaches the server twice) queue it
// once; the other lands on the news already sent.
func TestNewsSentAtOnceTwiceQueuesOnce(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		a.signersForNews()
		org := a.organiser()
		form := url.Values{"subject": {"The petition was delivered"}, "body": {"It went well."}, "_csrf": {org.csrf()}}
		const clicks = 4
		locations := make(chan string, clicks)
		var wg sync.WaitGroup
		for range clicks {
			wg.Go(func() {
				r := org.postRaw(newsBase, form)
				locations <- strconv.Itoa(r.status) + " " + r.header.Get("Location")
			})
		}
		wg.Wait()
		close(locations)
		seen := map[string]int{}
		for l := range locations {
			seen[l]++
		}
		if len(seen) != 1 {
			t.Errorf("the sends answered %v, want every one a redirect to the one news", seen)
		}
		news, err := a.store.NewsOf(context.Background(), a.seededCampaign().ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(news) != 1 || len(a.updates()) != 2 {
			t.Errorf("%d news and %d messages, want 1 news to 2 signers", len(news), len(a.updates()))
		}
	})
}
