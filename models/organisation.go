package models

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"
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

// Validate names each field of a partner that is wrong.
func (o *Organisation) Validate() FieldErrors {
	fe := FieldErrors{}
	if strings.TrimSpace(o.Name) == "" {
		fe.Add("name", "give the organisation's name")
	}
	checkLen(fe, "name", "The name", o.Name, 200)
	checkLen(fe, "role", "The role", o.Role, 500)
	if msg := checkURL(o.URL); msg != "" {
		fe.Add("url", "the link "+msg)
	}
	validateSources(fe, "sources", o.Sources)
	return fe
}

// Organisation returns one partner of a campaign.
func (s *Store) Organisation(ctx context.Context, campaignID, id uint) (*Organisation, error) {
	return getScoped[Organisation](ctx, s, campaignID, id)
}

// CreateOrganisation adds a partner to a campaign, last in display order.
func (s *Store) CreateOrganisation(ctx context.Context, actor Actor, campaignID uint, o *Organisation) error {
	var last int
	if err := s.db.WithContext(ctx).Model(&Organisation{}).Where("campaign_id = ?", campaignID).
		Select("COALESCE(MAX(position), 0)").Scan(&last).Error; err != nil {
		return err
	}
	o.Position = last + 1
	err := createAudited(ctx, s, actor, campaignID, "organisation", o)
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return FieldErrors{"name": "this organisation is already a partner of the campaign"}
	}
	return err
}

// UpdateOrganisation edits a partner of a campaign.
func (s *Store) UpdateOrganisation(ctx context.Context, actor Actor, campaignID, id uint, change func(*Organisation)) (*Organisation, error) {
	o, err := updateAudited(ctx, s, actor, campaignID, "organisation", id, func(o *Organisation) error { change(o); return nil })
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return nil, FieldErrors{"name": "this organisation is already a partner of the campaign"}
	}
	return o, err
}

// DeleteOrganisation removes a partner from a campaign.
func (s *Store) DeleteOrganisation(ctx context.Context, actor Actor, campaignID, id uint) error {
	return deleteAudited[Organisation](ctx, s, actor, campaignID, "organisation", id)
}
