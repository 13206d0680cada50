package views

import (
	"context"
	"time"

	"campaigntrack/models"
)

// The public pages' formats for other packages that print in a language
// of their own (a delivery packet in its packet language): thin wrappers
// over format_lang.go, in the language ctx carries (locale.With).

// WhenInLang is WhenIn in ctx's language: "15 de julio de 2019, 11:00 PDT".
func WhenInLang(ctx context.Context, t *time.Time, dateOnly bool, zone string) string {
	return whenIn(ctx, t, dateOnly, zone)
}

// ClaimFigureLang is ClaimFigure in ctx's language: "más de 270,000".
func ClaimFigureLang(ctx context.Context, c models.CountClaim) string { return claimFigure(ctx, c) }

// DayLang is Day in ctx's language: "2019-07-15" -> "15 de julio de 2019".
func DayLang(ctx context.Context, s string) string { return day(ctx, s) }
