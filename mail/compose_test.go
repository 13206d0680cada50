package mail

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"

	"campaigntrack/locale"
	"campaigntrack/mail/mailtest"
	"campaigntrack/views"
)

var (
	testCampaign = Campaign{
		Title: "No Tech for ICE", Target: "Amazon (Amazon Web Services)",
		Demand: "Stop selling technology to US Immigration and Customs Enforcement (ICE).",
		URL:    "https://campaign.example/campaigns/no-tech-for-ice",
	}
	testSigner = Signer{FirstName: "Ana", To: Address{Name: "Ana Pérez", Email: "ana@example.org"}}
	testLinks  = Links{
		Confirm:     "https://campaign.example/confirm/c0nf1rm-t0ken",
		Withdraw:    "https://campaign.example/withdraw/w1thdr4w-t0ken",
		Unsubscribe: "https://campaign.example/unsubscribe/uns-t0ken",
	}
	testNews = News{Subject: "We delivered the petition", Body: "Today we handed 120,000 signatures to Amazon.\n\nThey answered:\r\n\r\nThank you all."}
)

// everyMessage is each message a signer can get, by name.
func everyMessage(cp Campaign, s Signer, n News, l Links) map[string]Message {
	return map[string]Message{
		"Confirmation":       Confirmation(cp, s, l, false),
		"Confirmation again": Confirmation(cp, s, l, true),
		"AlreadySigned":      AlreadySigned(cp, s, l),
		"Signed":             Signed(cp, s, l),
		"Update":             Update(cp, s, n, l),
	}
}

func TestComposeEveryMessage(t *testing.T) {
	for name, m := range everyMessage(testCampaign, testSigner, testNews, testLinks) {
		if m.Text == "" || m.HTML == "" {
			t.Errorf("%s: text %d bytes, HTML %d bytes; want both parts", name, len(m.Text), len(m.HTML))
		}
		if m.To != testSigner.To {
			t.Errorf("%s: to %+v, want %+v", name, m.To, testSigner.To)
		}
		for part, body := range map[string]string{"text": m.Text, "HTML": m.HTML} {
			if !strings.Contains(body, testLinks.Withdraw) {
				t.Errorf("%s: the %s part has no withdraw link", name, part)
			}
			if !strings.Contains(body, "Hello Ana,") {
				t.Errorf("%s: the %s part does not greet Ana", name, part)
			}
			if !strings.Contains(body, "No Tech for ICE") {
				t.Errorf("%s: the %s part does not name the campaign", name, part)
			}
		}
		if name != "Update" && !strings.Contains(m.Subject, testCampaign.Title) {
			t.Errorf("%s: subject %q does not name the campaign", name, m.Subject)
		}
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(m.HTML))
		if err != nil {
			t.Fatal(err)
		}
		if lang, _ := doc.Find("html").Attr("lang"); lang != "en" {
			t.Errorf("%s: <html lang=%q>", name, lang)
		}
		if n := doc.Find("script, img, link, style, iframe, form").Length(); n > 0 {
			t.Errorf("%s: HTML has %d script, image, stylesheet, frame or form elements", name, n)
		}
		if title := doc.Find("title").Text(); title != m.Subject {
			t.Errorf("%s: <title> %q, subject %q", name, title, m.Subject)
		}
		if m.Headers["Auto-Submitted"] != "auto-generated" {
			t.Errorf("%s: Auto-Submitted = %q", name, m.Headers["Auto-Submitted"])
		}
	}
}

func TestConfirmation(t *testing.T) {
	for _, again := range []bool{false, true} {
		m := Confirmation(testCampaign, testSigner, testLinks, again)
		doc, _ := goquery.NewDocumentFromReader(strings.NewReader(m.HTML))
		if href, _ := doc.Find(`[data-testid="mail-action"]`).Attr("href"); href != testLinks.Confirm {
			t.Errorf("again=%v: the button goes to %q, want %q", again, href, testLinks.Confirm)
		}
		text := strings.Join(strings.Fields(m.Text), " ") // unwrapped
		for _, want := range []string{"counts only once you confirm", "valid for 7 days", "If you did not sign", testLinks.Confirm} {
			if !strings.Contains(text, want) {
				t.Errorf("again=%v: the text part does not say %q:\n%s", again, want, m.Text)
			}
		}
		if strings.Contains(m.Text, testLinks.Unsubscribe) {
			t.Errorf("again=%v: a confirmation offers unsubscribe from news it does not send", again)
		}
		if again != strings.Contains(text, "fresh link") {
			t.Errorf("again=%v: text says fresh link: %v", again, !again)
		}
	}
}

func TestUpdateHeadersAndBody(t *testing.T) {
	m := Update(testCampaign, testSigner, testNews, testLinks)
	if got := m.Headers["List-Unsubscribe"]; got != "<"+testLinks.Unsubscribe+">" {
		t.Errorf("List-Unsubscribe = %q", got)
	}
	if got := m.Headers["List-Unsubscribe-Post"]; got != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe-Post = %q", got)
	}
	if m.Subject != testNews.Subject {
		t.Errorf("subject %q, want %q", m.Subject, testNews.Subject)
	}
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(m.HTML))
	var paras []string
	doc.Find(`[data-testid="mail-content"] > p`).Each(func(_ int, p *goquery.Selection) { paras = append(paras, p.Text()) })
	want := []string{"Hello Ana,", "Today we handed 120,000 signatures to Amazon.", "They answered:", "Thank you all."}
	if strings.Join(paras[:4], "|") != strings.Join(want, "|") {
		t.Errorf("paragraphs %q, want %q first", paras, want)
	}
	for _, u := range []string{testLinks.Unsubscribe, testLinks.Withdraw} {
		if doc.Find(`[data-testid="mail-link"][href="`+u+`"]`).Length() != 1 || !strings.Contains(m.Text, "\n"+u+"\n") {
			t.Errorf("%s is not a footer link in both parts", u)
		}
	}

	// Without an unsubscribe link there is nothing for the headers to name.
	noUnsub := testLinks
	noUnsub.Unsubscribe = ""
	if m := Update(testCampaign, testSigner, testNews, noUnsub); m.Headers["List-Unsubscribe"] != "" || m.Headers["List-Unsubscribe-Post"] != "" {
		t.Errorf("headers %v without an unsubscribe link", m.Headers)
	}
}

// TestUpdateHeadersArrive: both List-Unsubscribe headers reach the server
// exactly as RFC 8058 wants them.
func TestUpdateHeadersArrive(t *testing.T) {
	srv := mailtest.Start(t)
	tr := transport(t, srv.URL(), nil)
	m := Update(testCampaign, testSigner, testNews, testLinks)
	m.From = Address{Name: "Stop the Raids", Email: "news@campaign.example"}
	send(t, tr, m)
	r := srv.Wait(t, 1, 5*time.Second)[0]
	if got := r.Header.Get("List-Unsubscribe"); got != "<"+testLinks.Unsubscribe+">" {
		t.Errorf("List-Unsubscribe = %q", got)
	}
	if got := r.Header.Get("List-Unsubscribe-Post"); got != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe-Post = %q", got)
	}
	if r.Text != strings.ReplaceAll(m.Text, "\n", "\r\n") && r.Text != m.Text {
		t.Errorf("text arrived as %q, sent %q", r.Text, m.Text)
	}
	if !strings.Contains(r.HTML, testLinks.Withdraw) {
		t.Error("the HTML part arrived without the withdraw link")
	}
}

func TestQuote(t *testing.T) {
	n := testNews
	n.Quote = &Quote{Text: "We take these concerns seriously.", Who: "Amazon", Source: "statement to the press"}
	m := Update(testCampaign, testSigner, n, testLinks)
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(m.HTML))
	if q := doc.Find(`[data-testid="mail-quote"]`).Text(); !strings.Contains(q, "We take these concerns seriously.") || !strings.Contains(q, "— Amazon, statement to the press") {
		t.Errorf("HTML quote %q", q)
	}
	if !strings.Contains(m.Text, "> We take these concerns seriously.\n") || !strings.Contains(m.Text, "— Amazon, statement to the press") {
		t.Errorf("text quote missing:\n%s", m.Text)
	}
}

func TestComposeGreetingWithoutName(t *testing.T) {
	for _, first := range []string{"", "  ", "\r\n"} {
		s := testSigner
		s.FirstName = first
		for name, m := range everyMessage(testCampaign, s, testNews, testLinks) {
			if !strings.HasPrefix(m.Text, "Hello,\n") {
				t.Errorf("%s, first name %q: text begins %q", name, first, m.Text[:min(20, len(m.Text))])
			}
		}
	}
}

// TestComposeEscapesHTML: what a signer or organiser typed is text in
// the HTML part, never markup.
func TestComposeEscapesHTML(t *testing.T) {
	s := testSigner
	s.FirstName = `<script>alert("name")</script>`
	cp := testCampaign
	cp.Title = `Stop <b onmouseover="x()">raids</b>`
	n := News{Subject: "<script>s</script>", Body: "<script>alert('news')</script>\n\n<img src=https://tracker.example/p.gif>",
		Quote: &Quote{Text: "<iframe src=x>", Who: "<a href=javascript:x>Amazon</a>"}}
	for name, m := range everyMessage(cp, s, n, testLinks) {
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(m.HTML))
		if err != nil {
			t.Fatal(err)
		}
		if k := doc.Find("script, img, iframe, b").Length(); k > 0 {
			t.Errorf("%s: %d elements came from typed text", name, k)
		}
		if strings.Contains(m.HTML, "<script") || !strings.Contains(m.HTML, "&lt;script&gt;") {
			t.Errorf("%s: <script> is not escaped in the HTML part", name)
		}
		doc.Find("a").Each(func(_ int, a *goquery.Selection) {
			if href, _ := a.Attr("href"); !strings.HasPrefix(href, "https://") {
				t.Errorf("%s: link to %q", name, href)
			}
		})
	}
}

// TestComposeDropsBadLinks: a link that is not http(s) is left out of
// both parts rather than written out.
func TestComposeDropsBadLinks(t *testing.T) {
	l := Links{Confirm: "javascript:alert(1)", Withdraw: "https://campaign.example/w/x\r\nBcc: evil@x.example", Unsubscribe: "/relative"}
	for name, m := range everyMessage(testCampaign, testSigner, testNews, l) {
		for _, bad := range []string{"javascript:", "Bcc", "/relative"} {
			if strings.Contains(m.Text, bad) || strings.Contains(m.HTML, bad) {
				t.Errorf("%s: %q made it into the message", name, bad)
			}
		}
		if len(m.Headers["List-Unsubscribe"]) > 0 {
			t.Errorf("%s: List-Unsubscribe %q", name, m.Headers["List-Unsubscribe"])
		}
	}
}

func TestRenderText(t *testing.T) {
	long := "https://campaign.example/withdraw/" + strings.Repeat("x", 80)
	b := views.MailBody{
		Greeting:   "Hello Zoë,",
		Paragraphs: []string{strings.Repeat("Ünïcödé words wrap at seventy-two columns. ", 6)},
		Action:     &views.MailLink{Label: "Confirm my signature", URL: "https://campaign.example/c/1"},
		Footer:     []string{"Why you get this."},
		Links:      []views.MailLink{{Label: "Withdraw my signature", URL: long}},
	}
	got := renderText(b)
	for _, line := range strings.Split(got, "\n") {
		if utf8.RuneCountInString(line) > textWidth && line != long {
			t.Errorf("line of %d runes: %q", utf8.RuneCountInString(line), line)
		}
	}
	for _, want := range []string{"Hello Zoë,\n\n", "Confirm my signature:\nhttps://campaign.example/c/1\n", "\n-- \n", "Withdraw my signature:\n" + long + "\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("text lacks %q:\n%s", want, got)
		}
	}
	if !strings.HasSuffix(got, "\n") || strings.HasSuffix(got, "\n\n") {
		t.Errorf("text should end with one newline: %q", got[len(got)-5:])
	}
}

func TestParagraphs(t *testing.T) {
	got := Paragraphs("One\nline.\r\n\r\n\n  Two.  \n \t\nThree\r\rFour")
	want := []string{"One line.", "Two.", "Three", "Four"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("paragraphs = %q, want %q", got, want)
	}
}

// spanishNews is news with a Spanish version and a translated quote.
var spanishNews = News{
	Subject: "We delivered the petition", Body: "Today we handed it to Amazon.\n\nThank you all.",
	SubjectES: "Entregamos la petición", BodyES: "Hoy se la entregamos a Amazon.\n\nGracias a todos.",
	Quote: &Quote{Text: "We are reviewing it.", Who: "Amazon", Source: "email", TextES: "La estamos revisando."},
}

// mailDoc parses a message's HTML part.
func mailDoc(t *testing.T, m Message) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(m.HTML))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestUpdateInTheSignersLanguage: a Spanish signer gets the Spanish
// version, unmarked in a Spanish mail; an English signer the English,
// with no translation of the quote.
func TestUpdateInTheSignersLanguage(t *testing.T) {
	es := testSigner
	es.Lang = locale.Spanish
	m := Update(testCampaign, es, spanishNews, testLinks)
	doc := mailDoc(t, m)
	if m.Subject != "Entregamos la petición" || m.Headers["Content-Language"] != "es" || doc.Find("html").AttrOr("lang", "") != "es" {
		t.Errorf("Spanish signer: subject %q, Content-Language %q, <html lang=%q>", m.Subject, m.Headers["Content-Language"], doc.Find("html").AttrOr("lang", ""))
	}
	if !strings.Contains(m.Text, "Hoy se la entregamos a Amazon.") || strings.Contains(m.Text, "Today we handed") {
		t.Errorf("Spanish signer's text part:\n%s", m.Text)
	}
	if n := doc.Find(`[data-testid="mail-content"] > p[lang]`).Length(); n != 0 {
		t.Errorf("%d paragraphs of the Spanish version are marked as another language", n)
	}

	m = Update(testCampaign, testSigner, spanishNews, testLinks)
	doc = mailDoc(t, m)
	if m.Subject != "We delivered the petition" || m.Headers["Content-Language"] != "en" || !strings.Contains(m.Text, "Today we handed it to Amazon.") || strings.Contains(m.Text, "Hoy") {
		t.Errorf("English signer: subject %q, Content-Language %q, text:\n%s", m.Subject, m.Headers["Content-Language"], m.Text)
	}
	if doc.Find(`[data-testid="mail-quote-translation"]`).Length() != 0 || strings.Contains(m.Text, "La estamos revisando") {
		t.Error("an English signer got the quote's Spanish translation")
	}
	if _, marked := doc.Find(`[data-testid="mail-quote-text"]`).Attr("lang"); marked {
		t.Error("the quote is marked as another language in an English mail")
	}
}

// TestUpdateWithoutSpanishVersion: news with no Spanish version reaches a
// Spanish signer in a Spanish mail with the English body, marked lang="en"
// (its preheader too); the message still says Spanish.
func TestUpdateWithoutSpanishVersion(t *testing.T) {
	es := testSigner
	es.Lang = locale.Spanish
	m := Update(testCampaign, es, testNews, testLinks)
	doc := mailDoc(t, m)
	if m.Subject != testNews.Subject || m.Headers["Content-Language"] != "es" || doc.Find("html").AttrOr("lang", "") != "es" {
		t.Errorf("subject %q, Content-Language %q, <html lang=%q>", m.Subject, m.Headers["Content-Language"], doc.Find("html").AttrOr("lang", ""))
	}
	paras := doc.Find(`[data-testid="mail-content"] > p`)
	if g := paras.First(); g.Text() != "Hola, Ana:" || g.AttrOr("lang", "") != "" {
		t.Errorf("greeting %q lang=%q, want the Spanish greeting unmarked", g.Text(), g.AttrOr("lang", ""))
	}
	body := paras.FilterFunction(func(_ int, p *goquery.Selection) bool { return strings.Contains(p.Text(), "120,000") })
	if body.Length() != 1 || body.AttrOr("lang", "") != "en" {
		t.Errorf("the English body in a Spanish mail: %d paragraphs, lang=%q", body.Length(), body.AttrOr("lang", ""))
	}
	if doc.Find(`[data-testid="mail-preheader"]`).AttrOr("lang", "") != "en" {
		t.Error("the English preheader is not marked lang=en")
	}
	if doc.Find(`[data-testid="mail-action"]`).Text() != "Ver la petición" {
		t.Errorf("the button in a Spanish mail: %q", doc.Find(`[data-testid="mail-action"]`).Text())
	}
}

// TestQuoteAndItsTranslation: a Spanish signer gets the quote as said,
// marked English, and its translation beneath it labelled as one, in both
// parts; a translation without its quote is not sent.
func TestQuoteAndItsTranslation(t *testing.T) {
	es := testSigner
	es.Lang = locale.Spanish
	m := Update(testCampaign, es, spanishNews, testLinks)
	doc := mailDoc(t, m)
	q := doc.Find(`[data-testid="mail-quote-text"]`)
	if q.Text() != "We are reviewing it." || q.AttrOr("lang", "") != "en" {
		t.Errorf("the quote in a Spanish mail: %q lang=%q", q.Text(), q.AttrOr("lang", ""))
	}
	tr := doc.Find(`[data-testid="mail-quote-translation"]`)
	if tr.Text() != "Traducción: La estamos revisando." || tr.AttrOr("lang", "") != "" || tr.ParentsFiltered("blockquote").Length() != 0 {
		t.Errorf("the translation: %q lang=%q, inside the quote: %v", tr.Text(), tr.AttrOr("lang", ""), tr.ParentsFiltered("blockquote").Length() != 0)
	}
	want := "> We are reviewing it.\n\n  — Amazon, email\n\nTraducción: La estamos revisando.\n"
	if !strings.Contains(m.Text, want) {
		t.Errorf("the text part lacks %q:\n%s", want, m.Text)
	}

	noQuote := spanishNews
	noQuote.Quote = nil
	if m := Update(testCampaign, es, noQuote, testLinks); strings.Contains(m.Text, "Traducción") || strings.Contains(m.HTML, "Traducción") {
		t.Error("a translation was sent without a quote")
	}
}
