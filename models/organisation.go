package models

import (
	"context"
	"time"
)

// Organisation is a coalition partner of a campaign, with the part it played.
type Organisation struct {
	ID         uint      `json:"-"`
	CampaignID uint      `json:"-"`
	Name       string    `json:"name"`
	Role       string    `json:"role"`
	URL        string    `json:"url,omitempty"`
	Position   int       `json:"-"` // display order
	Sources    Sources   `json:"sources"`
	CreatedAt  time.Time `json:"-"`
	UpdatedAt  time.Time `json:"-"`
}

// OrganisationsFor lists a campaign's coalition in display order.
func (s *Store) OrganisationsFor(ctx context.Context, campaignID uint) ([]Organisation, error) {
	var out []Organisation
	err := s.db.WithContext(ctx).Where("campaign_id = ?", campaignID).
		Order("position").Order("name").Find(&out).Error
	return out, err
}
