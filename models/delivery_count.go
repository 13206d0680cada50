package models

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// DeliveryCount is the count a delivery carried: how many people had
// signed, in all and by source, at the moment it was marked delivered (or
// when an organiser recorded it again). Records are kept, never edited:
// the latest is the delivery's count, the others its history, each in the
// audit log.
type DeliveryCount struct {
	ID         uint
	CampaignID uint
	DeliveryID uint
	Total      int64
	Sources    FrozenSources
	RecordedAt time.Time
	UserID     *uint
	UserEmail  string
}

func (DeliveryCount) TableName() string { return "delivery_counts" }

// FrozenSource is one source's figures in a frozen count.
type FrozenSource struct {
	Name     string `json:"name"`
	Partner  string `json:"partner"`
	Claimed  *int64 `json:"claimed"`
	Received int64  `json:"received"`
	Unique   int64  `json:"unique"`
	Shared   int64  `json:"shared"`
}

// FrozenSources is stored as a JSON array in one text column.
type FrozenSources []FrozenSource

// Value implements driver.Valuer.
func (f FrozenSources) Value() (driver.Value, error) {
	if f == nil {
		return "[]", nil
	}
	b, err := json.Marshal(f)
	return string(b), err
}

// Scan implements sql.Scanner.
func (f *FrozenSources) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case nil:
		*f = nil
		return nil
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		return fmt.Errorf("frozen sources: cannot scan %T", src)
	}
	if len(b) == 0 {
		*f = nil
		return nil
	}
	return json.Unmarshal(b, f)
}

// becameDelivered reports whether a change marks a delivery delivered:
// the moment its count is frozen.
func becameDelivered(before, after *Delivery) bool {
	return after.Status == DeliveryDelivered && (before == nil || before.Status != DeliveryDelivered)
}

// recordDeliveryCount freezes the campaign's count now for a delivery,
// inside tx, with its audit entry.
func (s *Store) recordDeliveryCount(tx *gorm.DB, actor Actor, d *Delivery, now time.Time) (*DeliveryCount, error) {
	figures, err := s.sourceFigures(tx, d.CampaignID)
	if err != nil {
		return nil, err
	}
	rec := &DeliveryCount{CampaignID: d.CampaignID, DeliveryID: d.ID, Total: figures.People,
		RecordedAt: now.UTC(), UserID: actor.UserID, UserEmail: actor.Email}
	for _, f := range figures.Sources {
		if f.Received == 0 && f.Claimed == nil {
			continue // a source with nothing in it and no claim carried nothing
		}
		rec.Sources = append(rec.Sources, FrozenSource{Name: f.Name, Partner: f.Partner, Claimed: f.Claimed, Received: f.Received, Unique: f.Unique, Shared: f.Shared})
	}
	if err := tx.Create(rec).Error; err != nil {
		return nil, err
	}
	campaignID := d.CampaignID
	changes := map[string]Change{
		"delivery_id": {After: d.ID}, "total": {After: rec.Total}, "sources": {After: rec.Sources},
		"recorded_at": {After: rec.RecordedAt},
	}
	if err := writeAudit(tx, actor, &campaignID, AuditCreate, "delivery_count", rec.ID, changes); err != nil {
		return nil, err
	}
	return rec, nil
}

// RecordDeliveryCount freezes the count again for a delivered delivery
// (an organiser's correction: a late import, a withdrawal); audited. A
// delivery not delivered is refused.
func (s *Store) RecordDeliveryCount(ctx context.Context, actor Actor, campaignID, deliveryID uint, now time.Time) (*DeliveryCount, error) {
	var rec *DeliveryCount
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var d Delivery
		if err := tx.Where("id = ? AND campaign_id = ?", deliveryID, campaignID).Take(&d).Error; err != nil {
			return notFound(err)
		}
		if d.Status != DeliveryDelivered {
			return FieldErrors{"status": "only a delivered delivery carries a count: mark it delivered first"}
		}
		var err error
		rec, err = s.recordDeliveryCount(tx, actor, &d, now)
		return err
	})
	return rec, err
}

// DeliveryCountHistory lists a delivery's frozen counts, the latest first.
func (s *Store) DeliveryCountHistory(ctx context.Context, campaignID, deliveryID uint) ([]DeliveryCount, error) {
	var out []DeliveryCount
	err := s.db.WithContext(ctx).Where("campaign_id = ? AND delivery_id = ?", campaignID, deliveryID).
		Order("id DESC").Find(&out).Error
	return out, err
}

// DeliveryCounts returns the latest frozen count of each of a campaign's
// deliveries that has one, keyed by delivery.
func (s *Store) DeliveryCounts(ctx context.Context, campaignID uint) (map[uint]DeliveryCount, error) {
	var all []DeliveryCount
	err := s.db.WithContext(ctx).Where("id IN (SELECT MAX(id) FROM delivery_counts WHERE campaign_id = ? GROUP BY delivery_id)", campaignID).
		Find(&all).Error
	if err != nil {
		return nil, err
	}
	out := make(map[uint]DeliveryCount, len(all))
	for _, c := range all {
		out[c.DeliveryID] = c
	}
	return out, nil
}
