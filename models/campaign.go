package models

import (
	"context"
	"regexp"
	"time"
)

// Campaign statuses.
const (
	CampaignActive = "active"
	CampaignPaused = "paused"
	CampaignWon    = "won"
	CampaignClosed = "closed"
)

// CampaignStatuses lists the statuses a campaign can be in, in the order
// forms offer them.
var CampaignStatuses = []string{CampaignActive, CampaignPaused, CampaignWon, CampaignClosed}

// Campaign is one protest campaign: what it demands of whom, and how many
// signatures and delivery cities it aims for.
type Campaign struct {
	ID                uint      `json:"id"`
	Slug              string    `json:"slug"`
	Title             string    `json:"title"`
	Target            string    `json:"target"`
	Demand            string    `json:"demand"`
	Summary           string    `json:"summary"`
	Status            string    `json:"status"`
	StartsOn          string    `json:"starts_on,omitempty"` // YYYY-MM-DD, or empty when unknown
	EndsOn            string    `json:"ends_on,omitempty"`
	SignatureGoal     int64     `json:"signature_goal"` // 0: no goal set
	DeliveriesPlanned int       `json:"deliveries_planned"`
	CreatedAt         time.Time `json:"created_at"`
	UpdatedAt         time.Time `json:"updated_at"`
}

var slugPattern = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$`)

// ValidSlug reports whether s can be a campaign slug: lower-case letters,
// digits and inner hyphens, at most 64 characters. Anything else in a URL
// cannot name a campaign, so it is a 404 without a query.
func ValidSlug(s string) bool { return slugPattern.MatchString(s) }

// CampaignBySlug returns the campaign with that slug, or ErrNotFound.
func (s *Store) CampaignBySlug(ctx context.Context, slug string) (*Campaign, error) {
	if !ValidSlug(slug) {
		return nil, ErrNotFound
	}
	var c Campaign
	if err := s.db.WithContext(ctx).Where("slug = ?", slug).Take(&c).Error; err != nil {
		return nil, notFound(err)
	}
	return &c, nil
}

// Campaigns lists every campaign, active ones first, newest first.
func (s *Store) Campaigns(ctx context.Context) ([]Campaign, error) {
	var out []Campaign
	err := s.db.WithContext(ctx).
		Order("CASE WHEN status = 'active' THEN 0 ELSE 1 END").
		Order("created_at DESC").Order("id DESC").
		Find(&out).Error
	return out, err
}

// CountCampaigns returns how many campaigns the database holds.
func (s *Store) CountCampaigns(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&Campaign{}).Count(&n).Error
	return n, err
}
