package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"campaigntrack/models"
)

// pageForm reads the form sel of a page as a browser would send it: text
// boxes and text areas as they are, each select's chosen option (else its
// first), check boxes only when checked. The CSRF token is left to post.
func pageForm(t *testing.T, doc *goquery.Document, sel string) url.Values {
	t.Helper()
	form := doc.Find(sel)
	if form.Length() != 1 {
		t.Fatalf("%d forms %s on the page", form.Length(), sel)
	}
	v := url.Values{}
	form.Find("input[name], textarea[name], select[name]").Each(func(_ int, s *goquery.Selection) {
		name := s.AttrOr("name", "")
		switch {
		case name == "_csrf":
		case goquery.NodeName(s) == "textarea":
			v.Set(name, s.Text())
		case goquery.NodeName(s) == "select":
			opt := s.Find("option[selected]")
			if opt.Length() == 0 {
				opt = s.Find("option")
			}
			v.Set(name, opt.First().AttrOr("value", ""))
		case s.AttrOr("type", "") == "checkbox":
			if _, on := s.Attr("checked"); on {
				v.Set(name, s.AttrOr("value", "on"))
			}
		default:
			v.Set(name, s.AttrOr("value", ""))
		}
	})
	return v
}

// spanishField checks the control named name on an edit page: it holds
// want, says its text is Spanish, and carries the hint it names.
func spanishField(t *testing.T, doc *goquery.Document, what, name, want string) {
	t.Helper()
	ctl := doc.Find(`[data-testid=field-` + name + `] [name=` + name + `]`)
	if ctl.Length() != 1 {
		t.Errorf("%s: no %s field", what, name)
		return
	}
	got := ctl.AttrOr("value", "")
	if goquery.NodeName(ctl) == "textarea" {
		got = ctl.Text()
	}
	if got != want {
		t.Errorf("%s: %s = %q, want %q", what, name, got, want)
	}
	if ctl.AttrOr("lang", "") != "es" {
		t.Errorf("%s: %s has no lang=es", what, name)
	}
	if !strings.Contains(ctl.AttrOr("aria-describedby", ""), name+"-hint") || doc.Find("#"+name+"-hint").Length() != 1 {
		t.Errorf("%s: %s is not described by its hint", what, name)
	}
}

// refusedField returns the message a refused form (422) shows beside a
// field, failing when there is none or the field is not described by it.
func refusedField(t *testing.T, r response, what, name string) string {
	t.Helper()
	if r.status != http.StatusUnprocessableEntity {
		t.Errorf("%s: status %d, want 422", what, r.status)
		return ""
	}
	doc := r.doc(t)
	msg := doc.Find(`[data-testid=field-` + name + `] [data-testid=field-error]`)
	if msg.Length() != 1 {
		t.Errorf("%s: no message beside %s", what, name)
		return ""
	}
	if !strings.Contains(doc.Find(`[name=`+name+`]`).AttrOr("aria-describedby", ""), name+"-error") {
		t.Errorf("%s: %s is not described by its message", what, name)
	}
	return text(msg)
}

// TestAdminFormsKeepTheSpanishVersions: every admin form that edits a
// public text takes its Spanish version, on adding a record and on
// editing it, and the edit form shows what was saved; the Spanish campaign
// page then shows the Spanish title.
func TestAdminFormsKeepTheSpanishVersions(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		a.user("organiser@example.org", models.RoleOrganiser)
		b := a.browser()
		b.login("organiser@example.org")
		base := "/admin/campaigns/no-tech-for-ice"
		cp, err := a.store.CampaignBySlug(ctx, "no-tech-for-ice")
		if err != nil {
			t.Fatal(err)
		}
		// save posts an edit form back as the page gives it, with change.
		save := func(what, page, sel string, change url.Values) {
			t.Helper()
			form := pageForm(t, b.get(page).doc(t), sel)
			for k, v := range change {
				form[k] = v
			}
			if r := b.post(page, form); r.status != http.StatusSeeOther {
				t.Fatalf("%s: %d\n%s", what, r.status, r.body)
			}
		}

		// The campaign's settings.
		save("settings", base+"/settings", "[data-testid=campaign-form]", url.Values{
			"title_es": {"#NoTecnologíaParaICE"}, "demand_es": {"Dejen de vender tecnología a ICE"}, "summary_es": {"Una campaña de Mijente."}})
		doc := b.get(base + "/settings").doc(t)
		spanishField(t, doc, "settings", "title_es", "#NoTecnologíaParaICE")
		spanishField(t, doc, "settings", "demand_es", "Dejen de vender tecnología a ICE")
		spanishField(t, doc, "settings", "summary_es", "Una campaña de Mijente.")
		if got := text(doc.Find("#title_es-hint")); got != "Shown on the Spanish pages; where empty, the English is shown." {
			t.Errorf("title_es hint = %q", got)
		}
		public := a.browser().get("/es/campaigns/no-tech-for-ice")
		title := public.doc(t).Find(`[data-testid=campaign-title]`)
		if public.status != http.StatusOK || text(title) != "#NoTecnologíaParaICE" {
			t.Errorf("the Spanish page's title: %d %q", public.status, text(title))
		}
		if _, marked := title.Attr("lang"); marked {
			t.Error("the Spanish title is marked as another language")
		}

		// The petition text, written and then rewritten.
		for _, heading := range []string{"Amazon: dejen de ayudar a ICE", "Amazon: corten los lazos con ICE"} {
			save("petition", base+"/petition", "[data-testid=petition-form]", url.Values{
				"heading": {"Amazon: stop powering ICE"}, "heading_es": {heading}, "body_es": {"Pedimos a Amazon…"}})
			doc = b.get(base + "/petition").doc(t)
			spanishField(t, doc, "petition", "heading_es", heading)
			spanishField(t, doc, "petition", "body_es", "Pedimos a Amazon…")
		}

		// A claim, added and edited.
		r := b.post(base+"/claims", url.Values{"count": {"300000"}, "wording": {"more than 300,000"},
			"wording_es": {"más de 300.000"}, "claimed_by": {"Mijente"}, "source_name": {"Mijente blog"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("add claim: %d\n%s", r.status, r.body)
		}
		claims, _ := a.store.ClaimsFor(ctx, cp.ID)
		var claimID uint
		for _, c := range claims {
			if c.Wording == "more than 300,000" {
				claimID = c.ID
			}
		}
		claimPage := base + "/claims/" + itoa(claimID)
		spanishField(t, b.get(claimPage).doc(t), "new claim", "wording_es", "más de 300.000")
		save("claim", claimPage, "form[data-testid=claim-form]", url.Values{"wording_es": {"más de trescientas mil"}})
		spanishField(t, b.get(claimPage).doc(t), "edited claim", "wording_es", "más de trescientas mil")

		// A delivery, added with its packet in Spanish and edited.
		r = b.post(base+"/deliveries", url.Values{"city": {"Tucson"}, "region": {"AZ"}, "country": {"US"}, "status": {"planned"},
			"outcome_es": {"Se entregó en la recepción."}, "packet_lang": {"es"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("add delivery: %d\n%s", r.status, r.body)
		}
		ds, _ := a.store.Deliveries(ctx, cp.ID, models.DeliveryFilter{City: "Tucson"})
		if len(ds) != 1 || ds[0].PacketLang != "es" {
			t.Fatalf("the Tucson delivery: %+v", ds)
		}
		deliveryPage := base + "/deliveries/" + itoa(ds[0].ID)
		doc = b.get(deliveryPage).doc(t)
		spanishField(t, doc, "new delivery", "outcome_es", "Se entregó en la recepción.")
		if got := doc.Find(`select[name=packet_lang] option[selected]`).AttrOr("value", ""); got != "es" {
			t.Errorf("new delivery: packet_lang = %q, want es", got)
		}
		save("delivery", deliveryPage, "form[data-testid=delivery-form]", url.Values{"outcome_es": {"Nadie la recibió."}, "packet_lang": {"en"}})
		doc = b.get(deliveryPage).doc(t)
		spanishField(t, doc, "edited delivery", "outcome_es", "Nadie la recibió.")
		if got := doc.Find(`select[name=packet_lang] option[selected]`).AttrOr("value", ""); got != "en" {
			t.Errorf("edited delivery: packet_lang = %q, want en", got)
		}

		// A new delivery's packet is in English unless chosen otherwise.
		sel := b.get(base + "/deliveries").doc(t).Find(`[data-testid=field-packet_lang] select[name=packet_lang]`)
		if got := sel.Find("option[selected]").AttrOr("value", ""); got != "en" || text(sel.Find(`option[value=es]`)) != "Español" {
			t.Errorf("the new-delivery form's packet language: selected %q, options %q", got, text(sel))
		}

		// An action from the quick log, then edited in full.
		r = b.post(base+"/actions", url.Values{"kind": {"rally"}, "title": {"Rally in Tucson"}, "title_es": {"Mitin en Tucson"},
			"occurred_at": {"2019-07-20"}, "city": {"Tucson"}, "region": {"AZ"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("log action: %d\n%s", r.status, r.body)
		}
		actions, _ := a.store.ActionsFor(ctx, cp.ID, models.ActionFilter{City: "Tucson"})
		if len(actions) != 1 {
			t.Fatalf("%d actions in Tucson", len(actions))
		}
		actionPage := base + "/actions/" + itoa(actions[0].ID)
		spanishField(t, b.get(actionPage).doc(t), "new action", "title_es", "Mitin en Tucson")
		save("action", actionPage, "form[data-testid=action-form]", url.Values{"title_es": {"Marcha en Tucson"}, "description_es": {"Unas doscientas personas."}})
		doc = b.get(actionPage).doc(t)
		spanishField(t, doc, "edited action", "title_es", "Marcha en Tucson")
		spanishField(t, doc, "edited action", "description_es", "Unas doscientas personas.")

		// A response, added and edited: its quote stays as said.
		r = b.post(base+"/responses", url.Values{"answers": {"campaign"}, "kind": {"statement"}, "channel": {"press_statement"},
			"responded_at": {"2019-07-21"}, "speaker": {"Amazon spokesperson"}, "quote": {"We comply with the law."},
			"quote_es": {"Cumplimos la ley."}, "summary_es": {"Respuesta a la prensa."}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("add response: %d\n%s", r.status, r.body)
		}
		responses, _ := a.store.ResponsesFor(ctx, cp.ID, models.ResponsesNewestFirst)
		var responseID uint
		for _, rs := range responses {
			if rs.Quote == "We comply with the law." {
				responseID = rs.ID
			}
		}
		responsePage := base + "/responses/" + itoa(responseID)
		doc = b.get(responsePage).doc(t)
		spanishField(t, doc, "new response", "quote_es", "Cumplimos la ley.")
		spanishField(t, doc, "new response", "summary_es", "Respuesta a la prensa.")
		if got := text(doc.Find("#quote_es-hint")); got != "The quote is always shown as said; this is shown beside it, marked as a translation." {
			t.Errorf("quote_es hint = %q", got)
		}
		save("response", responsePage, "form[data-testid=response-form]", url.Values{"quote_es": {"Respetamos la ley."}, "summary_es": {"Dicho a un diario."}})
		doc = b.get(responsePage).doc(t)
		spanishField(t, doc, "edited response", "quote_es", "Respetamos la ley.")
		spanishField(t, doc, "edited response", "summary_es", "Dicho a un diario.")
		if got := doc.Find(`textarea[name=quote]`).Text(); got != "We comply with the law." {
			t.Errorf("the quote became %q", got)
		}
	})
}

// TestSpanishVersionsTooLongOrBadAreFieldErrors: a Spanish text over its
// English one's limit, a translation with nothing to translate and a
// packet language that is not one of ours are each a message beside the
// field (422), never a failed page, and nothing is saved.
func TestSpanishVersionsTooLongOrBadAreFieldErrors(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		a.user("organiser@example.org", models.RoleOrganiser)
		b := a.browser()
		b.login("organiser@example.org")
		base := "/admin/campaigns/no-tech-for-ice"
		long := func(n int) []string { return []string{strings.Repeat("é", n+1)} }

		before, err := a.store.CampaignBySlug(ctx, "no-tech-for-ice")
		if err != nil {
			t.Fatal(err)
		}
		settings := pageForm(t, b.get(base+"/settings").doc(t), "[data-testid=campaign-form]")
		settings["title_es"] = long(200)
		if msg := refusedField(t, b.post(base+"/settings", settings), "settings", "title_es"); msg != "The Spanish title must be at most 200 characters" {
			t.Errorf("title_es: %q", msg)
		}
		if cp, _ := a.store.CampaignBySlug(ctx, "no-tech-for-ice"); cp.TitleES != before.TitleES {
			t.Errorf("a refused title was saved: %q", cp.TitleES)
		}
		settings["title_es"], settings["summary_es"] = nil, long(5000)
		refusedField(t, b.post(base+"/settings", settings), "settings", "summary_es")

		petition := url.Values{"heading": {"Amazon: stop powering ICE"}, "heading_es": long(300)}
		if msg := refusedField(t, b.post(base+"/petition", petition), "petition", "heading_es"); msg != "The Spanish heading must be at most 300 characters" {
			t.Errorf("heading_es: %q", msg)
		}

		claim := url.Values{"count": {"300000"}, "claimed_by": {"Mijente"}, "source_name": {"Mijente blog"}, "wording_es": {"más de 300.000"}}
		if msg := refusedField(t, b.post(base+"/claims", claim), "claim without wording", "wording_es"); !strings.Contains(msg, "give their words too") {
			t.Errorf("wording_es without wording: %q", msg)
		}

		delivery := url.Values{"city": {"Tucson"}, "region": {"AZ"}, "country": {"US"}, "status": {"planned"}, "outcome_es": long(5000)}
		if msg := refusedField(t, b.post(base+"/deliveries", delivery), "delivery", "outcome_es"); msg != "The Spanish outcome must be at most 5000 characters" {
			t.Errorf("outcome_es: %q", msg)
		}
		delivery["outcome_es"], delivery["packet_lang"] = nil, []string{"fr"}
		if msg := refusedField(t, b.post(base+"/deliveries", delivery), "delivery", "packet_lang"); !strings.Contains(msg, "en (English) or es (Spanish)") {
			t.Errorf("packet_lang: %q", msg)
		}

		action := url.Values{"kind": {"rally"}, "title": {"Rally in Tucson"}, "occurred_at": {"2019-07-20"}, "title_es": long(300)}
		if msg := refusedField(t, b.post(base+"/actions", action), "action", "title_es"); msg != "The Spanish title must be at most 300 characters" {
			t.Errorf("action title_es: %q", msg)
		}

		response := url.Values{"answers": {"campaign"}, "kind": {"statement"}, "channel": {"press_statement"},
			"responded_at": {"2019-07-21"}, "speaker": {"Amazon"}, "quote": {"We comply."}, "quote_es": long(5000)}
		refusedField(t, b.post(base+"/responses", response), "response", "quote_es")
		response["quote_es"], response["summary_es"] = nil, long(2000)
		if msg := refusedField(t, b.post(base+"/responses", response), "response", "summary_es"); msg != "The Spanish summary must be at most 2000 characters" {
			t.Errorf("response summary_es: %q", msg)
		}

		if ds, _ := a.store.Deliveries(ctx, before.ID, models.DeliveryFilter{City: "Tucson"}); len(ds) != 0 {
			t.Errorf("a refused delivery was saved: %+v", ds)
		}
	})
}

// TestDashboardSaysWhatIsNotInSpanish: the campaign's overview in the
// admin counts, kind by kind, the public texts with a Spanish version and
// those still English only, and links to the Spanish page.
func TestDashboardSaysWhatIsNotInSpanish(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		a.user("organiser@example.org", models.RoleOrganiser)
		b := a.browser()
		b.login("organiser@example.org")
		doc := b.get("/admin/campaigns/no-tech-for-ice").doc(t)
		row := doc.Find(`[data-testid=spanish-texts][data-kind=action_descriptions]`)
		if got := text(row.Find("td").First()); got != "5 of 6" {
			t.Errorf("action descriptions in Spanish: %q", got)
		}
		if got := text(row.Find("[data-testid=spanish-missing]")); got != "1" {
			t.Errorf("action descriptions English only: %q", got)
		}
		if n := doc.Find(`[data-testid=spanish-texts]`).Length(); n != 8 {
			t.Errorf("%d kinds of text counted, want 8", n)
		}
		if href := doc.Find(`[data-testid=spanish-page]`).AttrOr("href", ""); href != "/es/campaigns/no-tech-for-ice" {
			t.Errorf("the Spanish page link goes to %q", href)
		}
	})
}
