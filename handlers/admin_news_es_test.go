package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"campaigntrack/config"
	"campaigntrack/models"
	"campaigntrack/testdb"
)

const spanishNewsHint = "Signers who signed in Spanish get this version; where it is empty they get the English."

// TestNewsFormTakesASpanishVersion: the news form has a Spanish subject,
// message and translation of the quote beside the English, each marked
// lang="es" with its hint; a refused form keeps them as typed; the preview
// shows the message as a Spanish signer gets it; the progress page shows
// the Spanish version sent.
func TestNewsFormTakesASpanishVersion(t *testing.T) {
	t.Parallel()
	a := newApp(t, testdb.Open(t, testdb.SQLite), config.Config{})
	a.signersForNews()
	org := a.organiser()

	doc := org.get(newsBase + "/new").doc(t)
	for _, name := range []string{"subject_es", "body_es", "quote_es"} {
		spanishField(t, doc, "blank news form", name, "")
	}
	for name, want := range map[string]string{"subject_es": spanishNewsHint, "body_es": spanishNewsHint,
		"quote_es": "The quote is always sent as said; signers who signed in Spanish get this beneath it, marked as a translation."} {
		if got := text(doc.Find("#" + name + "-hint")); got != want {
			t.Errorf("%s hint = %q", name, got)
		}
	}
	for name, want := range map[string]string{"subject_es": "Subject in Spanish (optional)", "body_es": "Message in Spanish (optional)",
		"quote_es": "Translation of the quote into Spanish (optional)"} {
		if got := text(doc.Find(`label[for=` + name + `]`)); got != want {
			t.Errorf("%s label = %q", name, got)
		}
	}
	if doc.Find(`fieldset [name=quote_es]`).Length() != 1 {
		t.Error("the quote's translation is not in the quote's fieldset")
	}

	// Refused (no English message): the Spanish version is kept.
	form := url.Values{"subject": {"Amazon answered"}, "subject_es": {"Amazon respondió"},
		"body_es": {"Dijo esto.\n\nGracias."}, "quote": {"We comply with the law."}, "quote_es": {"Cumplimos la ley."}}
	r := org.post(newsBase+"/preview", form)
	if msg := refusedField(t, r, "news without a message", "body"); msg == "" {
		return
	}
	doc = r.doc(t)
	spanishField(t, doc, "refused news", "subject_es", "Amazon respondió")
	spanishField(t, doc, "refused news", "body_es", "Dijo esto.\n\nGracias.")
	spanishField(t, doc, "refused news", "quote_es", "Cumplimos la ley.")

	// Previewed: as an English signer and as a Spanish one gets it.
	form.Set("body", "It said this.\n\nThank you.")
	r = org.post(newsBase+"/preview", form)
	if r.status != http.StatusOK {
		t.Fatalf("preview: %d\n%s", r.status, r.body)
	}
	doc = r.doc(t)
	en, es := doc.Find(`[data-testid=news-preview-en]`), doc.Find(`[data-testid=news-preview-es]`)
	if got := text(en.Find(`[data-testid=mail-subject]`)); got != "Amazon answered" {
		t.Errorf("the English preview's subject: %q", got)
	}
	if got := text(es.Find(`[data-testid=mail-subject]`)); got != "Amazon respondió" {
		t.Errorf("the Spanish preview's subject: %q", got)
	}
	esText := es.Find(`[data-testid=mail-text]`).Text()
	for _, want := range []string{"Hola, Ana:", "Dijo esto.", "> We comply with the law.", "Traducción: Cumplimos la ley.", "Ver la petición"} {
		if !strings.Contains(esText, want) {
			t.Errorf("the Spanish preview's text part lacks %q:\n%s", want, esText)
		}
	}
	if strings.Contains(en.Find(`[data-testid=mail-text]`).Text(), "Cumplimos") {
		t.Error("the English preview carries the Spanish translation")
	}
	html, err := goquery.NewDocumentFromReader(strings.NewReader(es.Find(`iframe[data-testid=mail-html]`).AttrOr("srcdoc", "")))
	if err != nil {
		t.Fatal(err)
	}
	if html.Find("html").AttrOr("lang", "") != "es" || html.Find(`[data-testid=mail-quote-text]`).AttrOr("lang", "") != "en" {
		t.Errorf("the Spanish preview's HTML: <html lang=%q>, quote lang=%q", html.Find("html").AttrOr("lang", ""), html.Find(`[data-testid=mail-quote-text]`).AttrOr("lang", ""))
	}

	// Sent: the progress page shows both versions.
	sent := org.post(newsBase, newsFormValues(doc))
	if sent.status != http.StatusSeeOther {
		t.Fatalf("send: %d\n%s", sent.status, sent.body)
	}
	pg := org.get(sent.header.Get("Location")).doc(t)
	if got := text(pg.Find(`[data-testid=news-subject]`)); got != "Amazon answered" {
		t.Errorf("progress: subject %q", got)
	}
	if s := pg.Find(`[data-testid=news-subject-es]`); text(s) != "Amazon respondió" || s.AttrOr("lang", "") != "es" {
		t.Errorf("progress: Spanish subject %q lang=%q", text(s), s.AttrOr("lang", ""))
	}
	if b := pg.Find(`[data-testid=news-body-es]`); b.Find("p").Length() != 2 || b.AttrOr("lang", "") != "es" {
		t.Errorf("progress: Spanish body %q in %d paragraphs", text(b), b.Find("p").Length())
	}
	if got := text(pg.Find(`[data-testid=news-quote-es]`)); got != "Cumplimos la ley." {
		t.Errorf("progress: the quote's translation %q", got)
	}

	// News without a Spanish version says so.
	sent = org.post(newsBase, url.Values{"subject": {"Thank you"}, "body": {"That is all."}})
	if sent.status != http.StatusSeeOther {
		t.Fatalf("send: %d\n%s", sent.status, sent.body)
	}
	if pg := org.get(sent.header.Get("Location")).doc(t); pg.Find(`[data-testid=news-no-spanish]`).Length() != 1 || pg.Find(`[data-testid=news-spanish]`).Length() != 0 {
		t.Error("news without a Spanish version is not said to have none")
	}
}

// TestNewsSpanishVersionTooLongOrBad: a Spanish subject, message or
// translation over its English one's limit, a Spanish subject of two
// lines and a translation with no quote are each a message beside the
// field (422), never a failed page, and nothing is queued.
func TestNewsSpanishVersionTooLongOrBad(t *testing.T) {
	t.Parallel()
	a := newApp(t, testdb.Open(t, testdb.SQLite), config.Config{})
	a.signersForNews()
	org := a.organiser()
	long := func(n int) []string { return []string{strings.Repeat("ñ", n+1)} }
	for _, c := range []struct {
		name string
		set  url.Values
		want string
	}{
		{"subject_es", url.Values{"subject_es": long(150)}, "The Spanish subject must be at most 150 characters"},
		{"subject_es", url.Values{"subject_es": {"Entregada\r\nBcc: todos@example.org"}}, "one line"},
		{"body_es", url.Values{"body_es": long(10000)}, "The Spanish message must be at most 10000 characters"},
		{"quote_es", url.Values{"quote": {"We comply."}, "quote_es": long(2000)}, "The translation of the quote must be at most 2000 characters"},
		{"quote_es", url.Values{"quote_es": {"Cumplimos."}}, "give the quote too"},
	} {
		for _, path := range []string{newsBase + "/preview", newsBase} {
			form := url.Values{"subject": {"Delivered"}, "body": {"It went well."}}
			for k, v := range c.set {
				form[k] = v
			}
			r := org.post(path, form)
			if msg := refusedField(t, r, "POST "+path+" "+c.name, c.name); !strings.Contains(msg, c.want) {
				t.Errorf("POST %s: %s's message %q, want %q", path, c.name, msg, c.want)
			}
			if got := r.doc(t).Find(`[name=` + c.name + `]`); got.Length() != 1 {
				t.Errorf("POST %s: the refused form has no %s", path, c.name)
			}
		}
	}
	if n := len(a.updates()); n != 0 {
		t.Errorf("refused news queued %d messages", n)
	}
}

// TestSpanishDraftOfADelivery: news of a delivery comes with a Spanish
// draft beside the English: the same sentences from the catalogue, the
// delivery's Spanish outcome, the date as Spanish writes it.
func TestSpanishDraftOfADelivery(t *testing.T) {
	t.Parallel()
	a := newApp(t, testdb.Open(t, testdb.SQLite), config.Config{})
	ds, err := a.store.DeliveriesFor(context.Background(), a.seededCampaign().ID)
	if err != nil {
		t.Fatal(err)
	}
	var seattle *models.Delivery
	for i := range ds {
		if ds[i].City == "Seattle" {
			seattle = &ds[i]
		}
	}
	if seattle == nil || seattle.OutcomeES == "" {
		t.Fatal("the seeded Seattle delivery has no Spanish outcome to draft from")
	}
	form := newsFormValues(a.organiser().get(newsBase + "/new?delivery=" + itoa(seattle.ID)).doc(t))
	if got := form.Get("subject_es"); got != "La petición fue entregada a Amazon (Amazon Web Services) en Seattle" {
		t.Errorf("Spanish subject %q", got)
	}
	for _, part := range []string{"El 15 de julio de 2019, la petición fue entregada a Amazon", "Seattle, WA", "La recibió: Main reception desk.", seattle.OutcomeES, "Fuente: "} {
		if !strings.Contains(form.Get("body_es"), part) {
			t.Errorf("the Spanish draft lacks %q:\n%s", part, form.Get("body_es"))
		}
	}
	if strings.Contains(form.Get("body_es"), seattle.Outcome) || strings.Contains(form.Get("body_es"), "July") {
		t.Errorf("the Spanish draft has English in it:\n%s", form.Get("body_es"))
	}
	if form.Get("quote_es") != "" {
		t.Errorf("a delivery's news prefills a quote translation: %q", form.Get("quote_es"))
	}
}

// TestSpanishDraftOfAResponse: news of a response comes with a Spanish
// draft (the summary's Spanish version, the action's Spanish title) and
// the quote's Spanish translation; the quote stays as said.
func TestSpanishDraftOfAResponse(t *testing.T) {
	t.Parallel()
	a := newApp(t, testdb.Open(t, testdb.SQLite), config.Config{})
	rs, err := a.store.ResponsesFor(context.Background(), a.seededCampaign().ID, models.ResponsesNewestFirst)
	if err != nil {
		t.Fatal(err)
	}
	org := a.organiser()
	checked := 0
	for _, r := range rs {
		if r.Quote == "" || r.QuoteES == "" || r.SummaryES == "" {
			continue
		}
		checked++
		form := newsFormValues(org.get(newsBase + "/new?response=" + itoa(r.ID)).doc(t))
		if form.Get("quote") != r.Quote || form.Get("quote_es") != r.QuoteES {
			t.Errorf("response %d: quote %q, translation %q", r.ID, form.Get("quote"), form.Get("quote_es"))
		}
		if got := form.Get("subject_es"); !strings.HasPrefix(got, "Amazon") || !strings.Contains(got, "la petición") {
			t.Errorf("response %d: Spanish subject %q", r.ID, got)
		}
		body := form.Get("body_es")
		if !strings.HasPrefix(body, "El ") || !strings.Contains(body, " de julio de 2019") || !strings.Contains(body, r.SummaryES) {
			t.Errorf("response %d: Spanish draft:\n%s", r.ID, body)
		}
		if r.Action != nil && r.Action.TitleES != "" && !strings.Contains(body, "«"+r.Action.TitleES+"»") {
			t.Errorf("response %d: the Spanish draft does not name the action by its Spanish title %q:\n%s", r.ID, r.Action.TitleES, body)
		}
	}
	if checked == 0 {
		t.Fatal("no seeded response has a quote, its translation and a Spanish summary")
	}
}

// TestNewsFormSaysWhoSignedInSpanish: the form says how many of the
// signers it goes to signed in Spanish, so an organiser knows whether a
// Spanish version is worth writing.
func TestNewsFormSaysWhoSignedInSpanish(t *testing.T) {
	t.Parallel()
	a := newApp(t, testdb.Open(t, testdb.SQLite), config.Config{})
	org := a.organiser()
	if got := text(org.get(newsBase + "/new").doc(t).Find(`[data-testid=news-recipients-es]`)); got != "" {
		t.Errorf("with no signer: %q", got)
	}
	a.signersForNews() // Ana and Dan get news, in English
	if got := text(org.get(newsBase + "/new").doc(t).Find(`[data-testid=news-recipients-es]`)); got != "None of them signed in Spanish." {
		t.Errorf("no Spanish signer: %q", got)
	}
	cp := a.seededCampaign()
	for _, email := range []string{"lucia@example.org", "mateo@example.org"} {
		sig := &models.Signature{CampaignID: cp.ID, FirstName: "Lucía", Email: email, SendUpdates: true, Lang: "es"}
		sig.Normalise()
		if err := a.store.AddSignature(context.Background(), sig); err != nil {
			t.Fatal(err)
		}
	}
	doc := org.get(newsBase + "/new").doc(t)
	if got := text(doc.Find(`[data-testid=news-recipients] strong`)); got != "4" {
		t.Errorf("recipients %q, want 4", got)
	}
	if got := text(doc.Find(`[data-testid=news-recipients-es]`)); got != "Of them, 2 signed in Spanish and get the Spanish version where there is one." {
		t.Errorf("two Spanish signers: %q", got)
	}
}
