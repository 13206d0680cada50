package handlers_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"campaigntrack/mail/mailtest"
	"campaigntrack/models"
)

// spanishAndEnglishSigners stores two confirmed signers who agreed to
// updates, one who signed in Spanish and one in English, and waits for
// their receipts; it returns how many messages had arrived.
func (a *mailApp) spanishAndEnglishSigners() int {
	a.t.Helper()
	ctx := context.Background()
	c, _ := a.store.CampaignBySlug(ctx, "no-tech-for-ice")
	sigs := []*models.Signature{
		{CampaignID: c.ID, FirstName: "Lucía", Email: "lucia@example.org", SendUpdates: true, Lang: "es"},
		{CampaignID: c.ID, FirstName: "Emma", Email: "emma@example.org", SendUpdates: true, Lang: "en"},
	}
	for _, s := range sigs {
		s.Normalise()
	}
	if _, err := a.store.AddSignatures(ctx, sigs); err != nil {
		a.t.Fatal(err)
	}
	return len(a.smtp.Wait(a.t, 2, 10*time.Second))
}

// sendAndRead sends news to the campaign's signers and returns each
// update as it arrived, by recipient.
func (a *mailApp) sendAndRead(n *models.News, before int) map[string]mailtest.Received {
	a.t.Helper()
	ctx := context.Background()
	c, _ := a.store.CampaignBySlug(ctx, "no-tech-for-ice")
	n.CampaignID = c.ID
	if err := a.store.SendNews(ctx, models.CommandLine, n); err != nil || n.Recipients != 2 {
		a.t.Fatalf("send news: %d recipients, %v", n.Recipients, err)
	}
	all := a.smtp.Wait(a.t, before+2, 10*time.Second)
	out := map[string]mailtest.Received{}
	for _, m := range all[before:] {
		out[m.To[0]] = m
	}
	if len(out) != 2 {
		a.t.Fatalf("updates arrived for %v", out)
	}
	return out
}

func htmlOf(t *testing.T, m mailtest.Received) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(m.HTML))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestNewsReachesEachSignerInTheirLanguage: through the outbox and a real
// SMTP server, news with a Spanish version reaches the signer who signed
// in Spanish in Spanish (subject, body, frame, headers) with the quote as
// said, marked English, and its translation beneath, marked as one; the
// signer who signed in English gets the English, without the translation.
func TestNewsReachesEachSignerInTheirLanguage(t *testing.T) {
	t.Parallel()
	eachMailApp(t, func(t *testing.T, a *mailApp) {
		got := a.sendAndRead(&models.News{Subject: "Amazon answered", Body: "It wrote to us.\n\nThank you.",
			SubjectES: "Amazon respondió", BodyES: "Nos escribió.\n\nGracias.",
			Quote: "We are reviewing it.", QuoteBy: "Amazon", QuoteSource: "email to Mijente", QuoteES: "La estamos revisando."}, a.spanishAndEnglishSigners())

		es := got["lucia@example.org"]
		if s := es.Decoded("Subject"); s != "Amazon respondió" {
			t.Errorf("Spanish signer's subject %q", s)
		}
		if cl := es.Header.Get("Content-Language"); cl != "es" {
			t.Errorf("Spanish signer's Content-Language %q", cl)
		}
		for _, want := range []string{"Hola, Lucía:", "Nos escribió.", "> We are reviewing it.", "— Amazon, email to Mijente", "Traducción: La estamos revisando.", "Darme de baja"} {
			if !strings.Contains(es.Text, want) {
				t.Errorf("the Spanish signer's text part lacks %q:\n%s", want, es.Text)
			}
		}
		if strings.Contains(es.Text, "It wrote to us.") {
			t.Errorf("the Spanish signer got the English body:\n%s", es.Text)
		}
		doc := htmlOf(t, es)
		if doc.Find("html").AttrOr("lang", "") != "es" || doc.Find(`[data-testid=mail-content] > p[lang]`).Length() != 0 {
			t.Errorf("the Spanish HTML: <html lang=%q>, %d paragraphs marked another language", doc.Find("html").AttrOr("lang", ""), doc.Find(`[data-testid=mail-content] > p[lang]`).Length())
		}
		if q := doc.Find(`[data-testid=mail-quote-text]`); q.Text() != "We are reviewing it." || q.AttrOr("lang", "") != "en" {
			t.Errorf("the quote in the Spanish HTML: %q lang=%q", q.Text(), q.AttrOr("lang", ""))
		}
		if tr := doc.Find(`[data-testid=mail-quote-translation]`); tr.Text() != "Traducción: La estamos revisando." {
			t.Errorf("the translation in the Spanish HTML: %q", tr.Text())
		}

		en := got["emma@example.org"]
		if s := en.Decoded("Subject"); s != "Amazon answered" || en.Header.Get("Content-Language") != "en" {
			t.Errorf("English signer's subject %q, Content-Language %q", s, en.Header.Get("Content-Language"))
		}
		if !strings.Contains(en.Text, "Hello Emma,") || !strings.Contains(en.Text, "It wrote to us.") || strings.Contains(en.Text, "Nos escribió") || strings.Contains(en.Text, "Traducción") || strings.Contains(en.Text, "La estamos revisando") {
			t.Errorf("the English signer's text part:\n%s", en.Text)
		}
		doc = htmlOf(t, en)
		if doc.Find("html").AttrOr("lang", "") != "en" || doc.Find(`[data-testid=mail-quote-translation]`).Length() != 0 || doc.Find(`[lang=es], [data-testid=mail-quote-text][lang]`).Length() != 0 {
			t.Errorf("the English HTML: <html lang=%q>, a translation or a marked quote in it", doc.Find("html").AttrOr("lang", ""))
		}
	})
}

// TestNewsWithoutSpanishReachesSpanishSignersMarked: news with no Spanish
// version reaches the signer who signed in Spanish in a Spanish mail (the
// greeting, button and footer, Content-Language and <html lang>), with
// the organiser's English subject and body, the body marked lang="en".
func TestNewsWithoutSpanishReachesSpanishSignersMarked(t *testing.T) {
	t.Parallel()
	eachMailApp(t, func(t *testing.T, a *mailApp) {
		got := a.sendAndRead(&models.News{Subject: "Delivered in Seattle", Body: "We handed the petition over.\n\nThank you."}, a.spanishAndEnglishSigners())
		es := got["lucia@example.org"]
		if s := es.Decoded("Subject"); s != "Delivered in Seattle" || es.Header.Get("Content-Language") != "es" {
			t.Errorf("subject %q, Content-Language %q", s, es.Header.Get("Content-Language"))
		}
		for _, want := range []string{"Hola, Lucía:", "We handed the petition over.", "Ver la petición", "Retirar mi firma"} {
			if !strings.Contains(es.Text, want) {
				t.Errorf("the text part lacks %q:\n%s", want, es.Text)
			}
		}
		doc := htmlOf(t, es)
		if doc.Find("html").AttrOr("lang", "") != "es" {
			t.Errorf("<html lang=%q>", doc.Find("html").AttrOr("lang", ""))
		}
		paras := doc.Find(`[data-testid=mail-content] > p`)
		if g := paras.First(); g.Text() != "Hola, Lucía:" || g.AttrOr("lang", "") != "" {
			t.Errorf("the greeting %q lang=%q", g.Text(), g.AttrOr("lang", ""))
		}
		body := paras.FilterFunction(func(_ int, p *goquery.Selection) bool {
			return p.Text() == "We handed the petition over." || p.Text() == "Thank you."
		})
		body.Each(func(_ int, p *goquery.Selection) {
			if p.AttrOr("lang", "") != "en" {
				t.Errorf("the English paragraph %q is not marked lang=en", p.Text())
			}
		})
		if body.Length() != 2 {
			t.Errorf("%d English paragraphs, want 2", body.Length())
		}
		if en := got["emma@example.org"]; !strings.Contains(en.Text, "Hello Emma,") || htmlOf(t, en).Find(`[data-testid=mail-content] [lang]`).Length() != 0 {
			t.Errorf("the English signer's mail:\n%s", en.Text)
		}
	})
}
