package views

import (
	"context"
	"strings"
	"time"

	"campaigntrack/locale"
	"campaigntrack/models"
)

// The formats of the public pages, in the request's language (ctx): the
// one place a date, a record's time or a claim's figure is written. The
// English ones in format.go (WhenIn, Day, ClaimFigure), for the organiser
// area, are these in English.

// num is n as the page's language writes it.
func num(ctx context.Context, n int64) string { return locale.Number(ctx, n) }

// day is a YYYY-MM-DD date in the page's language ("15 de julio de
// 2019"); anything else is returned as it is.
func day(ctx context.Context, s string) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return locale.Date(ctx, t)
}

// whenIn is WhenIn in the page's language: the day alone when only the
// day is known, else the day and time in the record's zone.
func whenIn(ctx context.Context, t *time.Time, dateOnly bool, zone string) string {
	if t == nil {
		return ""
	}
	if dateOnly {
		return locale.Date(ctx, t.UTC())
	}
	return locale.DateTime(ctx, t.In(models.ZoneOrUTC(zone)))
}

// pick is the version of a text for the page's language (locale.Pick),
// for where the language it is in is not marked (a <title>).
func pick(ctx context.Context, en, es string) string {
	s, _ := locale.Pick(ctx, en, es)
	return s
}

// claimFigure is ClaimFigure in the page's language: "more than 270,000",
// "más de 270,000". The qualifiers are models.ClaimQualifiers, each in
// the catalogue as "claim.qualifier.<words with _>".
func claimFigure(ctx context.Context, c models.CountClaim) string {
	n := num(ctx, c.Count)
	if c.Qualifier == "" {
		return n
	}
	return locale.T(ctx, "claim.qualifier."+strings.ReplaceAll(c.Qualifier, " ", "_"), "Figure", n)
}

// label is a stored code (a status, a kind, a channel) in words in the
// page's language: the catalogue's "label.<code>", or Label's English
// reading for a code the catalogue does not know.
func label(ctx context.Context, code string) string {
	if code == "" {
		return ""
	}
	if s, ok := locale.Lookup(ctx, "label."+code); ok {
		return s
	}
	return Label(code)
}

// answers is Answers in the page's language: what a response answers.
func answers(ctx context.Context, r models.Response) string {
	switch {
	case r.Delivery != nil:
		return locale.T(ctx, "overview.answers_delivery", "City", r.Delivery.City)
	case r.Action != nil:
		return locale.T(ctx, "overview.answers_action", "Action", pick(ctx, r.Action.Title, r.Action.TitleES))
	default:
		return locale.T(ctx, "overview.answers_campaign")
	}
}
