package models

import (
	"context"
	"errors"
	"time"
)

// Petition is the text people sign: one per campaign.
type Petition struct {
	ID         uint      `json:"-"`
	CampaignID uint      `json:"-"`
	Heading    string    `json:"heading"`
	Body       string    `json:"body"`
	Sources    Sources   `json:"sources"`
	CreatedAt  time.Time `json:"-"`
	UpdatedAt  time.Time `json:"-"`
}

// PetitionFor returns the campaign's petition text, or nil when none has
// been written yet.
func (s *Store) PetitionFor(ctx context.Context, campaignID uint) (*Petition, error) {
	var p Petition
	err := s.db.WithContext(ctx).Where("campaign_id = ?", campaignID).Take(&p).Error
	if err != nil {
		if errors.Is(notFound(err), ErrNotFound) {
			return nil, nil
		}
		return nil, err
	}
	return &p, nil
}
