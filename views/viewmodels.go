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
	TitleES                     string             // the title in Spanish; empty: none
	Headline                    *models.CountClaim // nil when no figure has been reported
	Recorded                    int64              // signatures recorded in this tracker
	Deliveries                  models.DeliveryProgress
}

// CampaignView is the public page of one campaign.
type CampaignView struct {
	Meta       PageMeta // description and share card
	Campaign   models.Campaign
	Petition   *models.Petition
	Claims     []models.CountClaim
	Kept       models.KeptCount
	Deliveries []models.Delivery
	Progress   models.DeliveryProgress
	Responses  []models.Response
	Actions    []models.Action
	Coalition  []models.Organisation
	Sign       SignView
	PerDay     []models.Tally
	TopRegions models.PlaceCounts // places named only above the public threshold
	TopCities  models.PlaceCounts
	Signers    []models.PublicSigner
	// Notes numbers the page's sources, each given once at the end of the
	// page (see CampaignSourceNotes).
	Notes *SourceNotes
}

// Headline is the figure the overview leads with, or nil when no claim is
// marked as the headline.
func (v CampaignView) Headline() *models.CountClaim {
	if len(v.Claims) > 0 && v.Claims[0].Headline {
		return &v.Claims[0]
	}
	return nil
}

// CampaignSourceNotes numbers the campaign page's sources in the order the
// page cites them: the headline figure, the petition, the reported
// figures, the answers, the actions, then the coalition.
func CampaignSourceNotes(v CampaignView) *SourceNotes {
	var cited [][]models.Source
	if h := v.Headline(); h != nil {
		cited = append(cited, []models.Source{h.Source()})
	}
	if v.Petition != nil {
		cited = append(cited, v.Petition.Sources)
	}
	for _, c := range v.Claims {
		cited = append(cited, []models.Source{c.Source()})
	}
	for _, r := range v.Responses {
		cited = append(cited, r.Sources)
	}
	for _, a := range v.Actions {
		cited = append(cited, a.Sources)
	}
	for _, o := range v.Coalition {
		cited = append(cited, o.Sources)
	}
	return NewSourceNotes(cited...)
}

// Count is the live count of the page.
func (v CampaignView) Count() CountView {
	return CountView{Slug: v.Campaign.Slug, Recorded: v.Kept.Counted, Pending: v.Kept.Pending, Goal: v.Campaign.SignatureGoal}
}

// ErrorView is an error page.
type ErrorView struct {
	Status  int
	Title   string
	Message string
}

// SignForm holds the sign form as typed.
type SignForm struct {
	FirstName, LastName, Email, City, Region, Country, PostalCode, Comment string
	ShowName, SendUpdates                                                  bool
}

// SignView is the sign form with its state: errors beside fields, or the
// outcome of a signature.
type SignView struct {
	Slug    string
	CSRF    string
	Form    SignForm
	Errors  models.FieldErrors
	Open    bool   // the campaign takes signatures
	Signed  bool   // the thanks replaces the form: the same for a new and a repeated signature
	Problem string // why the signature was not taken (not saved, too many): shown above the form
	// Confirming: new signatures wait for their signer to follow a
	// mailed link, so the thanks asks them to look in their mail.
	Confirming bool
}

// CountView is the live count with what it is measured against.
type CountView struct {
	Slug     string
	Recorded int64 // the signatures that count: confirmed and imported
	Pending  int64 // web signatures waiting for their signer's confirmation
	Goal     int64
}

// Empty says there is no count to show yet: nobody recorded here, nobody
// waiting to confirm and no goal to measure against. The public page then
// shows no "0" line.
func (c CountView) Empty() bool { return c.Recorded == 0 && c.Pending == 0 && c.Goal <= 0 }

// Percent is the share of the goal reached, capped at 100.
func (c CountView) Percent() int64 {
	if c.Goal <= 0 {
		return 0
	}
	return min(100, c.Recorded*100/c.Goal)
}

// SignedView is the page a signer lands on without JavaScript.
type SignedView struct {
	Campaign   models.Campaign
	Count      CountView
	Confirming bool // see SignView.Confirming
}

// DeliveriesView is a campaign's public deliveries page.
type DeliveriesView struct {
	Campaign   models.Campaign
	Progress   models.DeliveryProgress
	Deliveries []models.Delivery             // by date
	Markers    []MapMarker                   // the deliveries placed on the map
	Elsewhere  []models.Delivery             // outside the United States, listed beside the map
	Unplaced   []models.Delivery             // in the United States, but the place could not be found
	Located    map[uint]string               // how each marker was placed: "recorded" or "city centre"
	Answers    map[string]models.AnswerState // whether the target answered each delivery
	Carried    map[uint]models.DeliveryCount // the count each delivered delivery carried, by delivery
	Today      string                        // for the CSV's file name
}

// SignerLinkView is the page of a link mailed to a signer (confirm,
// withdraw, stop updates): a button, or what the link did.
type SignerLinkView struct {
	Campaign   models.Campaign
	Heading    string
	Paragraphs []string
	Action     string // where the button posts
	CSRF       string // empty for the one-click unsubscribe, which mail clients post without a cookie
	Button     string // empty: the link can do nothing more
	Done       string // what the button did
	Count      *CountView
}
