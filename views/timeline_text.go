package views

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"

	"campaigntrack/locale"
	"campaigntrack/models"
)

// What a timeline entry says, in the page's language: the one place the
// timeline page, its Atom feed and the list of what still waits for an
// answer put a record into words. The record's own texts are shown in
// the language they are in (locale.Pick), a quote as said with its
// translation marked as one.

// TextPart is a piece of an entry's text and the language it is in.
type TextPart struct {
	Text string
	In   locale.Lang
	// Translation marks a translation of the part before it (a quote's):
	// shown as "Translation: …", never as the words said.
	Translation bool
}

// EntryTitle is a timeline entry's heading: "Petition delivered in
// Seattle, WA", "Amazon: statement by Werner Vogels", an action's title,
// "More than 270,000 signatures, claimed by KPIX".
func EntryTitle(ctx context.Context, e models.TimelineEntry) (string, locale.Lang) {
	here := locale.Of(ctx)
	switch {
	case e.Delivery != nil:
		return deliveryTitle(ctx, *e.Delivery), here
	case e.Action != nil:
		return locale.Pick(ctx, e.Action.Title, e.Action.TitleES)
	case e.Response != nil:
		return responseTitle(ctx, e.Target, *e.Response), here
	case e.Claim != nil:
		return locale.N(ctx, "timeline.claimed", e.Claim.Count, "Figure", upperFirst(claimFigure(ctx, *e.Claim)), "Who", e.Claim.ClaimedBy), here
	case e.Reached > 0:
		return locale.N(ctx, "timeline.collected", e.Reached), here
	}
	return label(ctx, e.Kind), here
}

// EntryBody is what a timeline entry tells beyond its title, part by
// part: a delivery's venue and outcome, an action's description, a
// response's quote (or, for silence, what the source says of it), a
// claim's wording, a milestone's totals.
func EntryBody(ctx context.Context, e models.TimelineEntry) []TextPart {
	here := locale.Of(ctx)
	var out []TextPart
	add := func(text string, in locale.Lang) {
		if text != "" {
			out = append(out, TextPart{Text: text, In: in})
		}
	}
	// quoted is words as said (taken to be English, as every source is
	// so far) and, on a page in another language, their translation.
	quoted := func(said, translation string) {
		if said == "" {
			return
		}
		add(said, locale.English)
		if here != locale.English && translation != "" {
			out = append(out, TextPart{Text: translation, In: here, Translation: true})
		}
	}
	switch {
	case e.Delivery != nil:
		d := e.Delivery
		if d.Venue != "" {
			add(locale.T(ctx, "timeline.at_venue", "Venue", strings.TrimSuffix(d.Venue, ".")), here)
		}
		add(locale.Pick(ctx, d.Outcome, d.OutcomeES))
	case e.Action != nil:
		add(locale.Pick(ctx, e.Action.Description, e.Action.DescriptionES))
	case e.Response != nil:
		r := e.Response
		if r.Quote != "" {
			quoted(r.Quote, r.QuoteES)
		} else {
			add(locale.Pick(ctx, r.Summary, r.SummaryES)) // silence has no quote: what the source says of it
		}
	case e.Claim != nil:
		quoted(e.Claim.Wording, e.Claim.WordingES)
	case e.Reached > 0:
		add(locale.T(ctx, "timeline.collected_body", "Reached", num(ctx, e.Reached), "Total", num(ctx, e.Total)), here)
	}
	return out
}

// PlainText is the parts as one plain text, for the feed: a translation
// marked as one.
func PlainText(ctx context.Context, parts []TextPart) string {
	var b []string
	for _, p := range parts {
		if p.Translation {
			b = append(b, locale.T(ctx, "overview.translation", "Text", p.Text))
		} else {
			b = append(b, p.Text)
		}
	}
	return strings.Join(b, " ")
}

// deliveryTitle is a delivery in words: "Petition delivered in Seattle,
// WA", "Delivery planned in San Francisco, CA".
func deliveryTitle(ctx context.Context, d models.Delivery) string {
	place := d.Place()
	var s string
	var known bool
	if place != "" {
		s, known = locale.Lookup(ctx, "timeline.delivery_in."+d.Status, "Place", place)
	} else {
		s, known = locale.Lookup(ctx, "timeline.delivery."+d.Status)
	}
	if !known { // a status the catalogues do not know
		s = locale.T(ctx, "timeline.delivery_other", "Status", label(ctx, d.Status))
		if place != "" {
			s = locale.T(ctx, "timeline.delivery_other_in", "Status", label(ctx, d.Status), "Place", place)
		}
	}
	return s
}

// responseTitle is "Amazon: statement by Werner Vogels", "Amazon: no
// reply". A no reply names no speaker (its speaker, if any, is who was
// asked); a speaker who is the company itself is not named twice.
func responseTitle(ctx context.Context, who string, r models.Response) string {
	kind := strings.ToLower(label(ctx, r.Kind))
	speaker := strings.TrimSpace(r.Speaker)
	switch {
	case who == "" && speaker == "":
		return locale.T(ctx, "timeline.response_anon", "Kind", kind)
	case who == "":
		return locale.T(ctx, "timeline.response", "Who", speaker, "Kind", kind)
	case r.Kind == models.ResponseNoReply || speaker == "" || strings.EqualFold(speaker, who):
		return locale.T(ctx, "timeline.response", "Who", who, "Kind", kind)
	default:
		return locale.T(ctx, "timeline.response_by", "Who", who, "Kind", kind, "Speaker", speaker)
	}
}

// awaitingTitle names a delivery or action still owed an answer.
func awaitingTitle(ctx context.Context, a models.AwaitingAnswer) (string, locale.Lang) {
	switch {
	case a.Delivery != nil:
		return deliveryTitle(ctx, *a.Delivery), locale.Of(ctx)
	case a.Action != nil:
		return locale.Pick(ctx, a.Action.Title, a.Action.TitleES)
	}
	return "", locale.Of(ctx)
}

// upperFirst upper-cases a text's first letter: "more than 270,000" is
// "More than 270,000".
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
