package models

import (
	"context"
	"strings"
)

// DeliveryProgress is how far a campaign's deliveries have come. It is the
// one rule for it: the home page, the campaign page, the deliveries page,
// the JSON and the admin all show these numbers.
//
// A place is a city, region and country, in any case: a city with two
// deliveries (a morning rally and an evening hand-over) is one city. A
// cancelled delivery names no place the campaign goes to; a place counts
// as delivered when one of its deliveries was.
type DeliveryProgress struct {
	Planned   int            // the campaign's own number of planned delivery cities
	Named     int            // distinct places with a delivery on record that is not cancelled
	Cities    int            // the cities the campaign goes to: Named, or Planned when larger
	Delivered int            // distinct places delivered to
	Statuses  map[string]int // deliveries on record in each status, every status present
}

// Unnamed is how many of the cities planned have no delivery on record
// yet: the sources name fewer cities than the plan.
func (p DeliveryProgress) Unnamed() int { return p.Cities - p.Named }

// Progress counts a campaign's deliveries by the rule above.
func Progress(ds []Delivery, planned int) DeliveryProgress {
	p := DeliveryProgress{Planned: planned, Statuses: make(map[string]int, len(DeliveryStatuses))}
	for _, s := range DeliveryStatuses {
		p.Statuses[s] = 0
	}
	places, delivered := map[string]bool{}, map[string]bool{}
	for _, d := range ds {
		key := strings.ToLower(d.City + "\x00" + d.Region + "\x00" + d.Country)
		if d.Status != DeliveryCancelled {
			places[key] = true
		}
		if d.Status == DeliveryDelivered {
			delivered[key] = true
		}
		p.Statuses[d.Status]++
	}
	p.Named, p.Delivered = len(places), len(delivered)
	p.Cities = max(p.Named, planned)
	return p
}

// DeliveryProgressFor is the progress of one campaign's deliveries.
func (s *Store) DeliveryProgressFor(ctx context.Context, cp *Campaign) (DeliveryProgress, error) {
	all, err := s.deliveryProgress(ctx, []Campaign{*cp})
	return all[cp.ID], err
}

// AllDeliveryProgress is the progress of each campaign given, by id.
func (s *Store) AllDeliveryProgress(ctx context.Context, cs []Campaign) (map[uint]DeliveryProgress, error) {
	return s.deliveryProgress(ctx, cs)
}

// deliveryProgress reads only what the rule needs: a campaign has tens of
// deliveries, not thousands, so the rule runs in Go rather than as a
// second version of it in SQL.
func (s *Store) deliveryProgress(ctx context.Context, cs []Campaign) (map[uint]DeliveryProgress, error) {
	ids := make([]uint, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	var ds []Delivery
	if len(ids) > 0 {
		if err := s.db.WithContext(ctx).Select("campaign_id", "city", "region", "country", "status").
			Where("campaign_id IN ?", ids).Find(&ds).Error; err != nil {
			return nil, err
		}
	}
	by := make(map[uint][]Delivery, len(cs))
	for _, d := range ds {
		by[d.CampaignID] = append(by[d.CampaignID], d)
	}
	out := make(map[uint]DeliveryProgress, len(cs))
	for _, c := range cs {
		out[c.ID] = Progress(by[c.ID], c.DeliveriesPlanned)
	}
	return out, nil
}
