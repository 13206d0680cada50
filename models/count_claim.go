package models

import (
	"context"
	"slices"
	"strings"
	"time"
)

// CountClaim is a signature total as someone reported it. Sources disagree
// (200,000, 250,000, 270,000 and 275,000 were all reported for the same
// petition), so the tracker keeps each claim with who made it, when and
// where, and never picks one "true" number.
type CountClaim struct {
	ID         uint      `json:"-"`
	CampaignID uint      `json:"-"`
	Count      int64     `json:"count"`
	Qualifier  string    `json:"qualifier,omitempty"`        // "more than", "about", or empty for an exact figure
	Wording    string    `json:"wording,omitempty"`          // the source's own words, when they differ from the figure
	WordingES  string    `json:"-" gorm:"column:wording_es"` // a Spanish translation of the wording, shown as one
	ClaimedBy  string    `json:"claimed_by"`
	ClaimedOn  string    `json:"claimed_at,omitempty"` // YYYY-MM-DD, empty when unknown
	SourceName string    `json:"source_name"`
	SourceURL  string    `json:"source_url"`
	Headline   bool      `json:"headline"` // the figure a campaign leads with on its cards
	Notes      string    `json:"-"`
	CreatedAt  time.Time `json:"-"`
	UpdatedAt  time.Time `json:"-"`
}

// Source returns the claim's source as a Source.
func (c CountClaim) Source() Source { return Source{Name: c.SourceName, URL: c.SourceURL} }

// ClaimsFor lists a campaign's count claims, the headline claim first, then
// by date.
func (s *Store) ClaimsFor(ctx context.Context, campaignID uint) ([]CountClaim, error) {
	var out []CountClaim
	err := s.db.WithContext(ctx).Where("campaign_id = ?", campaignID).
		Order("headline DESC").Order("CASE WHEN claimed_on = '' THEN 1 ELSE 0 END").Order("claimed_on").Order("id").Find(&out).Error
	return out, err
}

// HeadlineClaims returns each campaign's headline claim, keyed by campaign:
// the one marked headline, or else the largest.
func (s *Store) HeadlineClaims(ctx context.Context) (map[uint]CountClaim, error) {
	var all []CountClaim
	if err := s.db.WithContext(ctx).Order("headline DESC").Order("count DESC").Order("id").Find(&all).Error; err != nil {
		return nil, err
	}
	out := make(map[uint]CountClaim)
	for _, c := range all {
		if _, ok := out[c.CampaignID]; !ok {
			out[c.CampaignID] = c
		}
	}
	return out, nil
}

// ClaimQualifiers are the words a source may put before its figure.
var ClaimQualifiers = []string{"", "more than", "about", "nearly", "at least"}

// Validate names each field of a claim that is wrong. A claim must say who
// made it and where it was reported: a figure without a source is exactly
// what the tracker exists to avoid.
func (c *CountClaim) Validate() FieldErrors {
	fe := FieldErrors{}
	if c.Count <= 0 || c.Count > 10_000_000_000 {
		fe.Add("count", "give the figure as a whole number above zero, for example 270000")
	}
	if !slices.Contains(ClaimQualifiers, c.Qualifier) {
		fe.Add("qualifier", `choose "more than", "about", "nearly", "at least" or none`)
	}
	checkLen(fe, "wording", "The wording", c.Wording, 500)
	if strings.TrimSpace(c.Wording) == "" && strings.TrimSpace(c.WordingES) != "" {
		fe.Add("wording_es", "a translation is shown beside the source's words: give their words too, or leave this empty")
	}
	checkLen(fe, "wording_es", "The translation of the source's words", c.WordingES, 500)
	if strings.TrimSpace(c.ClaimedBy) == "" {
		fe.Add("claimed_by", "say who claimed this figure")
	}
	checkLen(fe, "claimed_by", "Claimed by", c.ClaimedBy, 300)
	if msg := checkDate(c.ClaimedOn); msg != "" {
		fe.Add("claimed_on", msg)
	}
	if strings.TrimSpace(c.SourceName) == "" && strings.TrimSpace(c.SourceURL) == "" {
		fe.Add("source_name", "name the source or give its address: every figure shown carries its source")
	}
	checkLen(fe, "source_name", "The source", c.SourceName, 500)
	if msg := checkURL(c.SourceURL); msg != "" {
		fe.Add("source_url", "the address "+msg)
	}
	return fe
}

// Claim returns one claim of a campaign.
func (s *Store) Claim(ctx context.Context, campaignID, id uint) (*CountClaim, error) {
	return getScoped[CountClaim](ctx, s, campaignID, id)
}

// CreateClaim adds a claim to a campaign. A new headline claim takes the
// headline from the others.
func (s *Store) CreateClaim(ctx context.Context, actor Actor, campaignID uint, c *CountClaim) error {
	if err := createAudited(ctx, s, actor, campaignID, "claim", c); err != nil {
		return err
	}
	if c.Headline {
		return s.clearOtherHeadlines(ctx, actor, campaignID, c.ID)
	}
	return nil
}

// UpdateClaim edits a claim of a campaign.
func (s *Store) UpdateClaim(ctx context.Context, actor Actor, campaignID, id uint, change func(*CountClaim)) (*CountClaim, error) {
	c, err := updateAudited(ctx, s, actor, campaignID, "claim", id, func(c *CountClaim) error { change(c); return nil })
	if err != nil {
		return nil, err
	}
	if c.Headline {
		return c, s.clearOtherHeadlines(ctx, actor, campaignID, c.ID)
	}
	return c, nil
}

// DeleteClaim removes a claim from a campaign.
func (s *Store) DeleteClaim(ctx context.Context, actor Actor, campaignID, id uint) error {
	return deleteAudited[CountClaim](ctx, s, actor, campaignID, "claim", id)
}

func (s *Store) clearOtherHeadlines(ctx context.Context, actor Actor, campaignID, keep uint) error {
	var others []uint
	if err := s.db.WithContext(ctx).Model(&CountClaim{}).
		Where("campaign_id = ? AND headline = ? AND id <> ?", campaignID, true, keep).Pluck("id", &others).Error; err != nil {
		return err
	}
	for _, id := range others {
		if _, err := updateAudited(ctx, s, actor, campaignID, "claim", id, func(c *CountClaim) error { c.Headline = false; return nil }); err != nil {
			return err
		}
	}
	return nil
}
