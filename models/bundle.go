package models

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
)

// CampaignBundle is a whole campaign with its records, as the demo data
// file describes it. Responses point at the delivery or action they answer
// by a reference that the bundle itself defines.
type CampaignBundle struct {
	Campaign      Campaign
	Petition      *Petition
	Organisations []Organisation
	Claims        []CountClaim
	Deliveries    []BundleDelivery
	Actions       []BundleAction
	Responses     []BundleResponse
}

// BundleDelivery is a delivery with the reference responses use for it.
type BundleDelivery struct {
	Ref string
	Delivery
}

// BundleAction is an action with the reference responses use for it.
type BundleAction struct {
	Ref string
	Action
}

// BundleResponse is a response naming what it answers by reference.
type BundleResponse struct {
	DeliveryRef string
	ActionRef   string
	Response
}

// ImportBundle stores a campaign bundle in one transaction. When a campaign
// with the bundle's slug already exists nothing is written and created is
// false, so loading the demo data twice never duplicates a record.
func (s *Store) ImportBundle(ctx context.Context, b *CampaignBundle) (created bool, err error) {
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var existing Campaign
		err := tx.Where("slug = ?", b.Campaign.Slug).Take(&existing).Error
		if err == nil {
			return nil
		}
		if !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		c := b.Campaign
		c.ID = 0
		if c.PacketNames == "" {
			c.PacketNames = PacketInitials
		}
		if err := releaseSlug(tx, c.Slug); err != nil {
			return err
		}
		if err := tx.Create(&c).Error; err != nil {
			return fmt.Errorf("campaign %s: %w", c.Slug, err)
		}
		if _, err := webSource(tx, s, c.ID); err != nil {
			return err
		}
		if b.Petition != nil {
			p := *b.Petition
			p.ID, p.CampaignID = 0, c.ID
			if err := tx.Create(&p).Error; err != nil {
				return fmt.Errorf("petition: %w", err)
			}
		}
		for i, o := range b.Organisations {
			o.ID, o.CampaignID = 0, c.ID
			if o.Position == 0 {
				o.Position = i + 1
			}
			if err := tx.Create(&o).Error; err != nil {
				return fmt.Errorf("organisation %q: %w", o.Name, err)
			}
		}
		for _, cl := range b.Claims {
			cl.ID, cl.CampaignID = 0, c.ID
			if err := tx.Create(&cl).Error; err != nil {
				return fmt.Errorf("claim by %q: %w", cl.ClaimedBy, err)
			}
		}
		deliveries := make(map[string]uint)
		for _, d := range b.Deliveries {
			row := d.Delivery
			row.ID, row.CampaignID = 0, c.ID
			row.Normalise()
			if err := tx.Create(&row).Error; err != nil {
				return fmt.Errorf("delivery in %s: %w", row.City, err)
			}
			if d.Ref != "" {
				deliveries[d.Ref] = row.ID
			}
		}
		actions := make(map[string]uint)
		for _, a := range b.Actions {
			row := a.Action
			row.ID, row.CampaignID = 0, c.ID
			if err := tx.Create(&row).Error; err != nil {
				return fmt.Errorf("action %q: %w", row.Title, err)
			}
			if a.Ref != "" {
				actions[a.Ref] = row.ID
			}
		}
		for _, r := range b.Responses {
			row := r.Response
			row.ID, row.CampaignID = 0, c.ID
			row.Delivery, row.Action = nil, nil
			if r.DeliveryRef != "" {
				id, ok := deliveries[r.DeliveryRef]
				if !ok {
					return fmt.Errorf("response by %q answers unknown delivery %q", row.Speaker, r.DeliveryRef)
				}
				row.DeliveryID = &id
			}
			if r.ActionRef != "" {
				id, ok := actions[r.ActionRef]
				if !ok {
					return fmt.Errorf("response by %q answers unknown action %q", row.Speaker, r.ActionRef)
				}
				row.ActionID = &id
			}
			if err := tx.Create(&row).Error; err != nil {
				return fmt.Errorf("response by %q: %w", row.Speaker, err)
			}
		}
		created = true
		return nil
	})
	return created, err
}
