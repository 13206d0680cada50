package models

import (
	"context"
	"time"
)

// Channels a target answers through; "no_reply" puts silence on the record.
var ResponseChannels = []string{"press_statement", "email", "meeting", "on_stage", "social_media", "no_reply"}

// Kinds of answer.
var ResponseKinds = []string{"statement", "refusal", "commitment", "policy_change", "no_comment", "no_reply"}

// Response is what the target said back (or that it said nothing), tied to
// the delivery or action it answers, or to the campaign as a whole when
// both are empty.
type Response struct {
	ID          uint
	CampaignID  uint
	RespondedAt time.Time
	DateOnly    bool   // known to the day only
	TimeZone    string // see LoadZone
	Speaker     string
	SpeakerRole string
	Channel     string // one of ResponseChannels
	Kind        string // one of ResponseKinds
	Quote       string
	Summary     string
	Sources     Sources
	DeliveryID  *uint
	ActionID    *uint
	Notes       string // private: organisers only
	CreatedAt   time.Time
	UpdatedAt   time.Time

	Delivery *Delivery `gorm:"foreignKey:DeliveryID"`
	Action   *Action   `gorm:"foreignKey:ActionID"`
}

// LatestResponses returns a campaign's most recent responses, newest
// first, with the delivery or action each answers.
func (s *Store) LatestResponses(ctx context.Context, campaignID uint, limit int) ([]Response, error) {
	var out []Response
	err := s.db.WithContext(ctx).Preload("Delivery").Preload("Action").
		Where("campaign_id = ?", campaignID).
		Order("responded_at DESC").Order("id DESC").Limit(limit).Find(&out).Error
	return out, err
}
