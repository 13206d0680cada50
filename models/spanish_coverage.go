package models

import (
	"context"
	"strings"
)

// Kinds of text the public reads that may have a Spanish version, as
// SpanishCoverage counts them, in the order the organiser's overview lists
// them.
const (
	TextsCampaign           = "campaign"            // title, demand, summary
	TextsPetition           = "petition"            // heading, body
	TextsClaimWordings      = "claim_wordings"      // a translation of the source's words
	TextsOutcomes           = "outcomes"            // a delivery's outcome
	TextsActionTitles       = "action_titles"       // an action's title
	TextsActionDescriptions = "action_descriptions" // an action's description
	TextsResponseSummaries  = "response_summaries"  // a response's summary
	TextsQuotes             = "quotes"              // a translation of a quote, shown beside it
)

// TextCoverage is how many of a campaign's texts of one kind have a
// Spanish version, of those there are (empty texts are not counted).
type TextCoverage struct {
	Kind              string
	Translated, Total int64
}

// Missing is how many texts of the kind have no Spanish version yet.
func (c TextCoverage) Missing() int64 { return c.Total - c.Translated }

// SpanishCoverage counts, for each kind of text the public reads, how
// many of a campaign's texts have a Spanish version: where one is
// missing, the Spanish pages show the English, marked as English. A
// kind the campaign has no text of is left out. Counts only: one query
// a kind, whatever the campaign's size.
func (s *Store) SpanishCoverage(ctx context.Context, campaignID uint) ([]TextCoverage, error) {
	db := s.db.WithContext(ctx)
	var c Campaign
	if err := db.Select("title", "title_es", "demand", "demand_es", "summary", "summary_es").Where("id = ?", campaignID).Take(&c).Error; err != nil {
		return nil, notFound(err)
	}
	var out []TextCoverage
	pairs := func(kind string, texts ...[2]string) {
		cv := TextCoverage{Kind: kind}
		for _, t := range texts {
			if strings.TrimSpace(t[0]) == "" {
				continue
			}
			cv.Total++
			if strings.TrimSpace(t[1]) != "" {
				cv.Translated++
			}
		}
		if cv.Total > 0 {
			out = append(out, cv)
		}
	}
	pairs(TextsCampaign, [2]string{c.Title, c.TitleES}, [2]string{c.Demand, c.DemandES}, [2]string{c.Summary, c.SummaryES})
	p, err := s.PetitionFor(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	if p != nil {
		pairs(TextsPetition, [2]string{p.Heading, p.HeadingES}, [2]string{p.Body, p.BodyES})
	}
	// The tables and columns are these constants, never input.
	for _, k := range []struct{ kind, table, column string }{
		{TextsClaimWordings, "count_claims", "wording"},
		{TextsOutcomes, "deliveries", "outcome"},
		{TextsActionTitles, "actions", "title"},
		{TextsActionDescriptions, "actions", "description"},
		{TextsResponseSummaries, "responses", "summary"},
		{TextsQuotes, "responses", "quote"},
	} {
		var cv TextCoverage
		if err := db.Raw("SELECT COUNT(*) AS total, COALESCE(SUM(CASE WHEN "+k.column+"_es <> '' THEN 1 ELSE 0 END), 0) AS translated FROM "+k.table+
			" WHERE campaign_id = ? AND "+k.column+" <> ''", campaignID).Scan(&cv).Error; err != nil {
			return nil, err
		}
		if cv.Total > 0 {
			cv.Kind = k.kind
			out = append(out, cv)
		}
	}
	return out, nil
}
