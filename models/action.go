package models

import (
	"context"
	"time"
)

// Kinds of coalition action.
var ActionKinds = []string{"rally", "march", "strike", "walk_out", "delivery", "disruption", "press_conference", "online_action"}

// Action is something the coalition did: a rally, a strike, a disruption.
type Action struct {
	ID            uint
	CampaignID    uint
	Kind          string // one of ActionKinds
	Title         string
	Description   string
	OccurredAt    time.Time
	DateOnly      bool   // known to the day only
	TimeZone      string // where it happened: see LoadZone
	Place         string
	City          string
	Region        string
	Country       string
	Attendance    string // as reported: "several dozen", "about 15"
	Organisations string // who took part, as named by the sources
	Sources       Sources
	Notes         string // private: organisers only
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// LatestActions returns a campaign's most recent actions, newest first.
func (s *Store) LatestActions(ctx context.Context, campaignID uint, limit int) ([]Action, error) {
	var out []Action
	err := s.db.WithContext(ctx).Where("campaign_id = ?", campaignID).
		Order("occurred_at DESC").Order("id DESC").Limit(limit).Find(&out).Error
	return out, err
}
