package models

import (
	"context"
	"time"
)

// Delivery statuses, in the order of the status flow.
const (
	DeliveryPlanned   = "planned"
	DeliveryUnderWay  = "under_way"
	DeliveryDelivered = "delivered"
	DeliveryRefused   = "refused"
	DeliveryPostponed = "postponed"
	DeliveryCancelled = "cancelled"
)

// DeliveryStatuses lists every delivery status in flow order.
var DeliveryStatuses = []string{DeliveryPlanned, DeliveryUnderWay, DeliveryDelivered, DeliveryRefused, DeliveryPostponed, DeliveryCancelled}

// Kinds of place a petition is delivered to.
var DeliveryKinds = []string{"headquarters", "office", "warehouse", "executive_home", "store", "event", "other"}

// Delivery is the hand-over of the petition at one place: a record of its
// own, because where, when, to whom and how it went is the campaign's story.
type Delivery struct {
	ID                  uint
	CampaignID          uint
	City                string
	Region              string // state or region
	Country             string // ISO 3166-1 alpha-2
	Venue               string
	Address             string
	Latitude            *float64
	Longitude           *float64
	Kind                string // one of DeliveryKinds, or empty when unknown
	ScheduledAt         *time.Time
	DeliveredAt         *time.Time
	DateOnly            bool // the times are known to the day only
	Status              string
	Recipient           string
	SignaturesDelivered *int64
	DeliveryForm        string // boxes, printouts, usb, digital
	Outcome             string
	LeadOrganisation    string
	Attendance          string // as reported: "70+", "about five"
	MediaPresent        bool
	Sources             Sources
	Notes               string // private: organisers only
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

// When is the delivery's time: when it happened, or else when it was
// planned for.
func (d Delivery) When() *time.Time {
	if d.DeliveredAt != nil {
		return d.DeliveredAt
	}
	return d.ScheduledAt
}

// DeliveriesFor lists a campaign's deliveries by date, then city.
func (s *Store) DeliveriesFor(ctx context.Context, campaignID uint) ([]Delivery, error) {
	var out []Delivery
	err := s.db.WithContext(ctx).Where("campaign_id = ?", campaignID).
		Order("COALESCE(delivered_at, scheduled_at)").Order("city").Order("id").Find(&out).Error
	return out, err
}

// DeliveryStatusCounts returns how many deliveries a campaign has in each
// status.
func (s *Store) DeliveryStatusCounts(ctx context.Context, campaignID uint) (map[string]int, error) {
	all, err := s.deliveryStatusCounts(ctx, &campaignID)
	if err != nil {
		return nil, err
	}
	return all[campaignID], nil
}

// AllDeliveryStatusCounts returns the status counts of every campaign.
func (s *Store) AllDeliveryStatusCounts(ctx context.Context) (map[uint]map[string]int, error) {
	return s.deliveryStatusCounts(ctx, nil)
}

func (s *Store) deliveryStatusCounts(ctx context.Context, campaignID *uint) (map[uint]map[string]int, error) {
	var rows []struct {
		CampaignID uint
		Status     string
		N          int
	}
	q := s.db.WithContext(ctx).Model(&Delivery{}).Select("campaign_id, status, COUNT(*) AS n").Group("campaign_id, status")
	if campaignID != nil {
		q = q.Where("campaign_id = ?", *campaignID)
	}
	if err := q.Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[uint]map[string]int)
	for _, r := range rows {
		if out[r.CampaignID] == nil {
			out[r.CampaignID] = make(map[string]int)
		}
		out[r.CampaignID][r.Status] = r.N
	}
	if campaignID != nil && out[*campaignID] == nil {
		out[*campaignID] = map[string]int{}
	}
	return out, nil
}
