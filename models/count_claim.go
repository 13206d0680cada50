package models

import (
	"context"
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
	Qualifier  string    `json:"qualifier,omitempty"` // "more than", "about", or empty for an exact figure
	Wording    string    `json:"wording,omitempty"`   // the source's own words, when they differ from the figure
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
