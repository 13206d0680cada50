// Package views renders every page with templ. Each page takes a view model
// shaped like the page; handlers build it from the Store.
package views

import "campaigntrack/models"

// HomeView is the list of campaigns on the front page.
type HomeView struct {
	Campaigns []CampaignCard
}

// CampaignCard is one campaign on the front page.
type CampaignCard struct {
	Slug, Title, Target, Status string
	Headline                    *models.CountClaim // nil when no figure has been reported
	Recorded                    int64              // signatures recorded in this tracker
	Deliveries                  DeliveryProgress
}

// DeliveryProgress counts a campaign's delivery cities.
type DeliveryProgress struct {
	Planned   int // cities the campaign plans to deliver to
	Recorded  int // deliveries on record, in any status
	Delivered int // deliveries that reached the target
}

// NewDeliveryProgress builds the progress from per-status counts.
func NewDeliveryProgress(planned int, byStatus map[string]int) DeliveryProgress {
	p := DeliveryProgress{Planned: planned, Delivered: byStatus[models.DeliveryDelivered]}
	for _, n := range byStatus {
		p.Recorded += n
	}
	if p.Planned < p.Recorded {
		p.Planned = p.Recorded
	}
	return p
}

// CampaignView is the public page of one campaign.
type CampaignView struct {
	Campaign   models.Campaign
	Petition   *models.Petition
	Claims     []models.CountClaim
	Recorded   int64
	Deliveries []models.Delivery
	Progress   DeliveryProgress
	Responses  []models.Response
	Actions    []models.Action
	Coalition  []models.Organisation
}

// GoalPercent is the share of the goal the recorded signatures reach,
// capped at 100.
func (v CampaignView) GoalPercent() int64 {
	if v.Campaign.SignatureGoal <= 0 {
		return 0
	}
	return min(100, v.Recorded*100/v.Campaign.SignatureGoal)
}

// ErrorView is an error page.
type ErrorView struct {
	Status  int
	Title   string
	Message string
}
