package handlers_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"campaigntrack/models"
	"campaigntrack/views"
)

// TestSpanishAddresses: every public page has a Spanish address under
// /es, in Spanish (<html lang>, the menu, links that stay under /es), with
// alternates naming both; the organiser area, the API and a prefix that
// is not a language of ours have none.
func TestSpanishAddresses(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		b := a.browser()
		for _, p := range []string{"", "/campaigns/no-tech-for-ice", "/campaigns/no-tech-for-ice/deliveries",
			"/campaigns/no-tech-for-ice/count", "/campaigns/no-tech-for-ice/timeline", "/campaigns/no-tech-for-ice/responses",
			"/campaigns/no-tech-for-ice/signed"} {
			r := b.get("/es" + p)
			if r.status != http.StatusOK {
				t.Fatalf("/es%s: %d", p, r.status)
			}
			doc := r.doc(t)
			if lang := doc.Find("html").AttrOr("lang", ""); lang != "es" {
				t.Errorf("/es%s: <html lang=%q>", p, lang)
			}
			if got := text(doc.Find(".skip")); got != "Ir al contenido" {
				t.Errorf("/es%s: skip link %q", p, got)
			}
			en := p
			if en == "" {
				en = "/"
			}
			alt := map[string]string{}
			doc.Find(`link[rel=alternate][hreflang]`).Each(func(_ int, s *goquery.Selection) { alt[s.AttrOr("hreflang", "")] = s.AttrOr("href", "") })
			if !strings.HasSuffix(alt["en"], en) || !strings.HasSuffix(alt["es"], "/es"+p) || alt["x-default"] != alt["en"] {
				t.Errorf("/es%s: alternates %v", p, alt)
			}
			if sw := doc.Find(`[data-testid=language-switch]`); sw.AttrOr("lang", "") != "en" || sw.AttrOr("href", "") != en+"?lang=en" {
				t.Errorf("/es%s: switch %q to %q", p, text(sw), sw.AttrOr("href", ""))
			}
			doc.Find(`nav[data-testid=campaign-menu] a`).Each(func(_ int, s *goquery.Selection) {
				if href := s.AttrOr("href", ""); !strings.HasPrefix(href, "/es/") {
					t.Errorf("/es%s: menu link %q leaves Spanish", p, href)
				}
			})
		}
		for _, p := range []string{"/es/admin", "/es/login", "/es/api/campaigns/no-tech-for-ice", "/es/healthz",
			"/fr/campaigns/no-tech-for-ice", "/xx", "/es/campaigns/no-such-campaign", "/es/es/campaigns/no-tech-for-ice"} {
			if r := b.get(p); r.status != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", p, r.status)
			}
		}
		// The 404 of a Spanish address is in Spanish.
		if lang := b.get("/es/admin").doc(t).Find("html").AttrOr("lang", ""); lang != "es" {
			t.Errorf("/es/admin 404 page: lang %q", lang)
		}
	})
}

// TestLanguageChoice: the switch remembers the choice, "/" then goes to
// "/es" (never the other way, so never a loop); a browser that prefers
// Spanish and has chosen nothing is offered the Spanish page, not sent
// there; a malformed Accept-Language header is ignored.
func TestLanguageChoice(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		b := a.browser()
		r := b.get("/", "Accept-Language", "es-MX,es;q=0.9,en;q=0.5")
		if r.status != http.StatusOK {
			t.Fatalf("/ preferring Spanish: %d (%s)", r.status, r.header.Get("Location"))
		}
		offer := r.doc(t).Find(`[data-testid=language-offer]`)
		if offer.AttrOr("lang", "") != "es" || offer.Find(`a[href="/es?lang=es"]`).Length() != 1 {
			t.Errorf("offer: %q", text(offer))
		}
		if v := r.header.Values("Vary"); !strings.Contains(strings.Join(v, ","), "Accept-Language") {
			t.Errorf("Vary %v", v)
		}
		// No offer for a browser that prefers English, or sends junk.
		for _, h := range []string{"en-US,es;q=0.5", "", ";;;q=\xff", strings.Repeat("es-", 400)} {
			if r := a.browser().get("/", "Accept-Language", h); r.status != http.StatusOK || r.doc(t).Find(`[data-testid=language-offer]`).Length() != 0 {
				t.Errorf("Accept-Language %.20q: %d, offered", h, r.status)
			}
		}
		// The switch: remembered, then sent back to the page without it.
		r = b.get("/campaigns/no-tech-for-ice/deliveries?lang=es")
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/es/campaigns/no-tech-for-ice/deliveries" {
			t.Fatalf("switch: %d %q", r.status, r.header.Get("Location"))
		}
		r = b.get("/", "Accept-Language", "en")
		if r.status != http.StatusFound || r.header.Get("Location") != "/es" {
			t.Fatalf("/ after choosing Spanish: %d %q", r.status, r.header.Get("Location"))
		}
		if r := b.get("/es"); r.status != http.StatusOK {
			t.Fatalf("/es after choosing Spanish: %d", r.status)
		}
		// Back to English: "/" is English again.
		r = b.get("/es?lang=en")
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/" {
			t.Fatalf("switch to English: %d %q", r.status, r.header.Get("Location"))
		}
		if r := b.get("/", "Accept-Language", "es"); r.status != http.StatusOK || r.doc(t).Find(`[data-testid=language-offer]`).Length() != 0 {
			t.Errorf("/ after choosing English: %d, or offered Spanish", r.status)
		}
		// An unknown language is no choice, and the switch never leaves the site.
		for _, p := range []string{"/?lang=fr", "//evil.example/?lang=es", "/admin?lang=es"} {
			r := a.browser().get(p)
			if loc := r.header.Get("Location"); (loc != "" && (!strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//"))) || strings.Contains(r.header.Get("Set-Cookie"), "lang=fr") {
				t.Errorf("%s: %d %q %q", p, r.status, loc, r.header.Get("Set-Cookie"))
			}
		}
	})
}

// TestPagesAreCachedPerLanguage: the English and the Spanish page, and the
// English page with its offer, are kept apart.
func TestPagesAreCachedPerLanguage(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		for i := 0; i < 2; i++ {
			for p, lang := range map[string]string{"/campaigns/no-tech-for-ice": "en", "/es/campaigns/no-tech-for-ice": "es"} {
				if got := a.browser().get(p).doc(t).Find("html").AttrOr("lang", ""); got != lang {
					t.Errorf("%s (request %d): lang %q", p, i, got)
				}
			}
			if a.browser().get("/").doc(t).Find(`[data-testid=language-offer]`).Length() != 0 {
				t.Error("the offer was served to a browser that did not ask")
			}
			if a.browser().get("/", "Accept-Language", "es").doc(t).Find(`[data-testid=language-offer]`).Length() != 1 {
				t.Error("no offer for a browser that prefers Spanish")
			}
		}
	})
}

// TestSpanishOverview: the campaign's own wording in Spanish where it has
// a version in it (the demo campaign has), the rest of the page's words
// from the catalogue, a quote shown as said and marked English, and
// links that stay in Spanish.
func TestSpanishOverview(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		doc := a.browser().get("/es/campaigns/no-tech-for-ice").doc(t)
		title := doc.Find(`[data-testid=campaign-title]`)
		if !strings.Contains(text(title), "deja de venderle tecnología") || title.AttrOr("lang", "") != "" {
			t.Errorf("title %q (lang %q)", text(title), title.AttrOr("lang", ""))
		}
		if got := text(doc.Find(`[data-testid=demand] h2`)); got != "La exigencia" {
			t.Errorf("demand heading %q", got)
		}
		if got := text(doc.Find(`[data-testid=headline-count]`)); got != "más de 270,000" {
			t.Errorf("headline %q", got)
		}
		if got := text(doc.Find(`[data-testid=sign-form] button[type=submit]`)); got != "Firmar" {
			t.Errorf("sign button %q", got)
		}
		if a := doc.Find(`[data-testid=sign-form]`).AttrOr("action", ""); a != "/es/campaigns/no-tech-for-ice/sign" {
			t.Errorf("the form posts to %q", a)
		}
		doc.Find(`[data-testid=responses] blockquote`).Each(func(_ int, s *goquery.Selection) {
			if s.AttrOr("lang", "") != "en" {
				t.Errorf("a quote on the Spanish page is not marked English: %q", text(s))
			}
		})
		// The demo's actions have Spanish titles; the Seattle rally's
		// description, which quotes Jennifer Lee, has none: it is shown in
		// English, marked so.
		doc.Find(`[data-testid=action] h3`).Each(func(_ int, h *goquery.Selection) {
			if h.AttrOr("lang", "") != "" {
				t.Errorf("an action title on the Spanish page is not in Spanish: %q", text(h))
			}
		})
		var rally *goquery.Selection
		doc.Find(`[data-testid=action] p[lang=en]`).Each(func(_ int, p *goquery.Selection) {
			if strings.Contains(text(p), "Our faces should not be weaponised") {
				rally = p
			}
		})
		if rally == nil {
			t.Errorf("the rally's English description is not on the Spanish page marked lang=en")
		}
		// The English page is as it was.
		en := a.browser().get("/campaigns/no-tech-for-ice").doc(t)
		if got := text(en.Find(`[data-testid=headline-count]`)); got != "more than 270,000" {
			t.Errorf("English headline %q", got)
		}
	})
}

// The record pages and the feed in Spanish: their own words from the
// catalogues, a record's Spanish version where it has one, its English
// marked lang="en" where it has none, and quotes as said with their
// translation marked as one.
func TestSpanishRecordPages(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		cp, err := a.store.CampaignBySlug(ctx, "no-tech-for-ice")
		if err != nil {
			t.Fatal(err)
		}
		ds, err := a.store.DeliveriesFor(ctx, cp.ID)
		if err != nil {
			t.Fatal(err)
		}
		var seattle models.Delivery
		for _, d := range ds {
			if d.City == "Seattle" {
				seattle = d
			}
		}
		if _, err := a.store.UpdateDelivery(ctx, models.CommandLine, cp.ID, seattle.ID, func(d *models.Delivery) {
			d.Outcome, d.OutcomeES = "Handed to reception.", "Entregada en la recepción."
		}); err != nil {
			t.Fatal(err)
		}
		rs, err := a.store.ResponsesFor(ctx, cp.ID, models.ResponsesOldestFirst)
		if err != nil {
			t.Fatal(err)
		}
		var quoted models.Response
		for _, r := range rs {
			if r.Quote != "" {
				quoted = r
			}
		}
		if _, err := a.store.UpdateResponse(ctx, models.CommandLine, cp.ID, quoted.ID, func(r *models.Response) { r.QuoteES = "Una traducción de la cita." }); err != nil {
			t.Fatal(err)
		}
		b := a.browser()

		deliveries := b.get("/es/campaigns/no-tech-for-ice/deliveries").doc(t)
		if got := text(deliveries.Find("h1")); got != "Dónde se entregó la petición" {
			t.Errorf("deliveries h1 %q", got)
		}
		row := deliveries.Find("#" + views.DeliveryAnchor(seattle.ID))
		if got := text(row.Find("[data-testid=status]")); got != "Entregada" {
			t.Errorf("Seattle's status %q", got)
		}
		if o := row.Find("[data-testid=outcome]"); text(o) != "Entregada en la recepción." || o.AttrOr("lang", "") != "" {
			t.Errorf("Seattle's outcome %q (lang %q)", text(o), o.AttrOr("lang", ""))
		}
		if got := text(deliveries.Find("[data-testid=map-key]")); !strings.Contains(got, "Entregada") {
			t.Errorf("map key %q", got)
		}

		timeline := b.get("/es/campaigns/no-tech-for-ice/timeline").doc(t)
		if got := text(timeline.Find("h1")); got != "Cronología" {
			t.Errorf("timeline h1 %q", got)
		}
		entry := timeline.Find("#delivery-" + strconv.FormatUint(uint64(seattle.ID), 10))
		if got := text(entry.Find("h4")); got != "Petición entregada en Seattle, WA" {
			t.Errorf("Seattle on the timeline: %q", got)
		}
		if got := text(timeline.Find("[data-testid=timeline-day] h3 time").First()); !strings.Contains(got, " de julio de 2019") {
			t.Errorf("a day on the timeline: %q", got)
		}
		qe := timeline.Find("#response-" + strconv.FormatUint(uint64(quoted.ID), 10))
		if said := qe.Find(`span[lang=en]`).First(); !strings.Contains(quoted.Quote, text(said)) || text(said) == "" {
			t.Errorf("the quote is not shown as said, marked English: %q", text(said))
		}
		if got := text(qe.Find("[data-testid=translation]")); got != "Traducción: Una traducción de la cita." {
			t.Errorf("the quote's translation: %q", got)
		}
		// An action text with no Spanish version: in English, marked.
		if timeline.Find(`[data-kind=action] span[lang=en]`).FilterFunction(func(_ int, s *goquery.Selection) bool {
			return strings.Contains(text(s), "Our faces should not be weaponised")
		}).Length() != 1 {
			t.Errorf("the rally's English description is not on the Spanish timeline marked lang=en")
		}
		if got := timeline.Find("[data-testid=timeline-filter]").AttrOr("action", ""); got != "/es/campaigns/no-tech-for-ice/timeline" {
			t.Errorf("the filter goes to %q", got)
		}

		responses := b.get("/es/campaigns/no-tech-for-ice/responses").doc(t)
		if got := text(responses.Find("h1")); !strings.HasPrefix(got, "Lo que dijo") {
			t.Errorf("responses h1 %q", got)
		}
		if got := text(responses.Find("#response-" + strconv.FormatUint(uint64(quoted.ID), 10) + " [data-testid=quote-translation]")); got != "Traducción: Una traducción de la cita." {
			t.Errorf("the quote's translation on the responses page: %q", got)
		}

		count := b.get("/es/campaigns/no-tech-for-ice/count").doc(t)
		if got := text(count.Find("h1")); got != "Cómo se hace el conteo" {
			t.Errorf("count h1 %q", got)
		}

		// The feed: in Spanish, said so, its ids its own.
		feed := b.get("/es/campaigns/no-tech-for-ice/timeline.atom")
		body := feed.body
		for _, want := range []string{`xml:lang="es"`, ": cronología</title>", "/campaign/" + strconv.FormatUint(uint64(cp.ID), 10) + "/es/delivery-", "Petición entregada en Seattle, WA", "Cuándo: ", "/es/campaigns/no-tech-for-ice/timeline#"} {
			if !strings.Contains(body, want) {
				t.Errorf("the Spanish feed lacks %q", want)
			}
		}
		if en := b.get("/campaigns/no-tech-for-ice/timeline.atom").body; strings.Contains(en, "cronología") || !strings.Contains(en, `xml:lang="en"`) || strings.Contains(en, "/es/delivery-") {
			t.Errorf("the English feed changed language or ids")
		}
	})
}

// TestSpanishRefusals: what a public page refuses, it says in the page's
// language: an unknown campaign or packet, a bad filter.
func TestSpanishRefusals(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		b := a.browser()
		for _, c := range []struct {
			path   string
			status int
			title  string
			says   string
		}{
			{"/es/campaigns/no-such-campaign", http.StatusNotFound, "Página no encontrada", "No hay ninguna campaña en esta dirección"},
			{"/es/campaigns/no-tech-for-ice/packets/NOPE", http.StatusNotFound, "Página no encontrada", "Ningún paquete tiene este código"},
			{"/es/campaigns/no-tech-for-ice/timeline?kind=protest", http.StatusBadRequest, "Solicitud incorrecta", "El filtro de tipo debe ser uno de estos"},
			{"/es/campaigns/no-tech-for-ice/deliveries.csv?status=lost", http.StatusBadRequest, "Solicitud incorrecta", "El filtro de estado debe ser uno de estos"},
		} {
			r := b.get(c.path)
			doc := r.doc(t)
			if r.status != c.status || text(doc.Find("h1")) != c.title || !strings.Contains(text(doc.Find("main")), c.says) || doc.Find("html").AttrOr("lang", "") != "es" {
				t.Errorf("%s: %d, h1 %q, lang %q:\n%s", c.path, r.status, text(doc.Find("h1")), doc.Find("html").AttrOr("lang", ""), text(doc.Find("main")))
			}
		}
	})
}

// TestSpanishShareCard: a Spanish page is shared as itself: its address,
// its Spanish description and a card drawn with its Spanish title.
func TestSpanishShareCard(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		b := a.browser()
		doc := b.get("/es/campaigns/no-tech-for-ice").doc(t)
		meta := func(property string) string {
			return doc.Find(`meta[property="`+property+`"]`).AttrOr("content", "")
		}
		if u := meta("og:url"); !strings.HasSuffix(u, "/es/campaigns/no-tech-for-ice") {
			t.Errorf("og:url %q", u)
		}
		if c := doc.Find(`link[rel=canonical]`).AttrOr("href", ""); !strings.HasSuffix(c, "/es/campaigns/no-tech-for-ice") {
			t.Errorf("canonical %q", c)
		}
		img := meta("og:image")
		if !strings.HasSuffix(img, "/es/campaigns/no-tech-for-ice/share.png") {
			t.Fatalf("og:image %q", img)
		}
		if d := meta("og:description"); d == "" || d == b.get("/campaigns/no-tech-for-ice").doc(t).Find(`meta[property="og:description"]`).AttrOr("content", "") {
			t.Errorf("the Spanish description is the English one: %q", d)
		}
		es, en := b.get("/es/campaigns/no-tech-for-ice/share.png"), b.get("/campaigns/no-tech-for-ice/share.png")
		if es.status != http.StatusOK || !strings.HasPrefix(es.body, "\x89PNG") || es.body == en.body {
			t.Errorf("Spanish card: %d, %d bytes, same as the English: %v", es.status, len(es.body), es.body == en.body)
		}
	})
}
