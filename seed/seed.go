// Package seed holds the demo campaign: the #NoTechForICE petition to
// Amazon, built from the two seed documents (a Seattle Times / TNS article
// and a page of sourced facts). Every claim, delivery, action, response and
// partner in it carries its source; what the sources do not say is left
// empty.
package seed

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"time"

	"campaigntrack/models"
)

//go:embed no-tech-for-ice.json
var noTechForICE []byte

// Names lists the values --seed accepts.
var Names = []string{"demo", "none"}

// Demo returns the demo campaign as a bundle ready for the Store.
func Demo() (*models.CampaignBundle, error) { return Parse(noTechForICE) }

// Load stores the demo campaign unless a campaign with its slug exists.
func Load(ctx context.Context, store *models.Store) (created bool, err error) {
	b, err := Demo()
	if err != nil {
		return false, err
	}
	return store.ImportBundle(ctx, b)
}

// file is the shape of a seed data file.
type file struct {
	Campaign struct {
		Slug    string `json:"slug"`
		Title   string `json:"title"`
		Target  string `json:"target"`
		Demand  string `json:"demand"`
		Summary string `json:"summary"`
		// Spanish versions of the campaign's own wording, written by us
		// (quotes and sources stay as said).
		TitleES           string `json:"title_es"`
		DemandES          string `json:"demand_es"`
		SummaryES         string `json:"summary_es"`
		Status            string `json:"status"`
		StartsOn          string `json:"starts_on"`
		EndsOn            string `json:"ends_on"`
		SignatureGoal     int64  `json:"signature_goal"`
		DeliveriesPlanned int    `json:"deliveries_planned"`
	} `json:"campaign"`
	Petition *struct {
		Heading   string         `json:"heading"`
		Body      string         `json:"body"`
		HeadingES string         `json:"heading_es"`
		BodyES    string         `json:"body_es"`
		Sources   models.Sources `json:"sources"`
	} `json:"petition"`
	Organisations []struct {
		Name    string         `json:"name"`
		Role    string         `json:"role"`
		URL     string         `json:"url"`
		Sources models.Sources `json:"sources"`
	} `json:"organisations"`
	Claims []struct {
		Count      int64  `json:"count"`
		Qualifier  string `json:"qualifier"`
		Wording    string `json:"wording"`
		WordingES  string `json:"wording_es"` // a translation of the source's words, shown as one
		ClaimedBy  string `json:"claimed_by"`
		ClaimedOn  string `json:"claimed_on"`
		SourceName string `json:"source_name"`
		SourceURL  string `json:"source_url"`
		Headline   bool   `json:"headline"`
		Notes      string `json:"notes"`
	} `json:"claims"`
	Deliveries []struct {
		Ref                 string         `json:"ref"`
		City                string         `json:"city"`
		Region              string         `json:"region"`
		Country             string         `json:"country"`
		Venue               string         `json:"venue"`
		Address             string         `json:"address"`
		Latitude            *float64       `json:"latitude"`
		Longitude           *float64       `json:"longitude"`
		Kind                string         `json:"kind"`
		ScheduledAt         string         `json:"scheduled_at"`
		DeliveredAt         string         `json:"delivered_at"`
		Status              string         `json:"status"`
		Recipient           string         `json:"recipient"`
		SignaturesDelivered *int64         `json:"signatures_delivered"`
		DeliveryForm        string         `json:"delivery_form"`
		Outcome             string         `json:"outcome"`
		OutcomeES           string         `json:"outcome_es"`
		LeadOrganisation    string         `json:"lead_organisation"`
		Attendance          string         `json:"attendance"`
		MediaPresent        bool           `json:"media_present"`
		Sources             models.Sources `json:"sources"`
		Notes               string         `json:"notes"`
	} `json:"deliveries"`
	Actions []struct {
		Ref           string         `json:"ref"`
		Kind          string         `json:"kind"`
		Title         string         `json:"title"`
		TitleES       string         `json:"title_es"`
		Description   string         `json:"description"`
		DescriptionES string         `json:"description_es"`
		OccurredAt    string         `json:"occurred_at"`
		Place         string         `json:"place"`
		City          string         `json:"city"`
		Region        string         `json:"region"`
		Country       string         `json:"country"`
		Attendance    string         `json:"attendance"`
		Organisations string         `json:"organisations"`
		Sources       models.Sources `json:"sources"`
		Notes         string         `json:"notes"`
	} `json:"actions"`
	Responses []struct {
		DeliveryRef string         `json:"delivery_ref"`
		ActionRef   string         `json:"action_ref"`
		RespondedAt string         `json:"responded_at"`
		Speaker     string         `json:"speaker"`
		SpeakerRole string         `json:"speaker_role"`
		Channel     string         `json:"channel"`
		Kind        string         `json:"kind"`
		Quote       string         `json:"quote"`
		QuoteES     string         `json:"quote_es"` // a translation of the quote, shown as one
		Summary     string         `json:"summary"`
		SummaryES   string         `json:"summary_es"`
		Sources     models.Sources `json:"sources"`
		Notes       string         `json:"notes"`
	} `json:"responses"`
}

// Parse reads a seed data file. Times are a date (2019-07-15: known to the
// day only, stored at noon UTC so the date reads the same in every US and
// European time zone) or an RFC 3339 time.
func Parse(data []byte) (*models.CampaignBundle, error) {
	var f file
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("seed data: %w", err)
	}
	if !models.ValidSlug(f.Campaign.Slug) {
		return nil, fmt.Errorf("seed data: campaign slug %q is not a valid slug", f.Campaign.Slug)
	}
	b := &models.CampaignBundle{Campaign: models.Campaign{
		Slug: f.Campaign.Slug, Title: f.Campaign.Title, Target: f.Campaign.Target,
		Demand: f.Campaign.Demand, Summary: f.Campaign.Summary, Status: f.Campaign.Status,
		TitleES: f.Campaign.TitleES, DemandES: f.Campaign.DemandES, SummaryES: f.Campaign.SummaryES,
		StartsOn: f.Campaign.StartsOn, EndsOn: f.Campaign.EndsOn,
		SignatureGoal: f.Campaign.SignatureGoal, DeliveriesPlanned: f.Campaign.DeliveriesPlanned,
		ConfirmSignatures: true,
	}}
	if b.Campaign.Status == "" {
		b.Campaign.Status = models.CampaignActive
	}
	if p := f.Petition; p != nil {
		b.Petition = &models.Petition{Heading: p.Heading, Body: p.Body, HeadingES: p.HeadingES, BodyES: p.BodyES, Sources: p.Sources}
	}
	for _, o := range f.Organisations {
		b.Organisations = append(b.Organisations, models.Organisation{Name: o.Name, Role: o.Role, URL: o.URL, Sources: o.Sources})
	}
	for _, c := range f.Claims {
		b.Claims = append(b.Claims, models.CountClaim{
			Count: c.Count, Qualifier: c.Qualifier, Wording: c.Wording, WordingES: c.WordingES, ClaimedBy: c.ClaimedBy,
			ClaimedOn: c.ClaimedOn, SourceName: c.SourceName, SourceURL: c.SourceURL,
			Headline: c.Headline, Notes: c.Notes,
		})
	}
	for _, d := range f.Deliveries {
		scheduled, sDateOnly, err := parseWhen(d.ScheduledAt)
		if err != nil {
			return nil, fmt.Errorf("seed data: delivery %s: scheduled_at: %w", d.Ref, err)
		}
		delivered, dDateOnly, err := parseWhen(d.DeliveredAt)
		if err != nil {
			return nil, fmt.Errorf("seed data: delivery %s: delivered_at: %w", d.Ref, err)
		}
		b.Deliveries = append(b.Deliveries, models.BundleDelivery{Ref: d.Ref, Delivery: models.Delivery{
			City: d.City, Region: d.Region, Country: d.Country, Venue: d.Venue, Address: d.Address,
			Latitude: d.Latitude, Longitude: d.Longitude, Kind: d.Kind,
			ScheduledAt: scheduled, DeliveredAt: delivered, ScheduledDateOnly: sDateOnly, DateOnly: dDateOnly,
			TimeZone: models.ZoneFor(d.Country, d.Region),
			Status:   d.Status, Recipient: d.Recipient, SignaturesDelivered: d.SignaturesDelivered,
			DeliveryForm: d.DeliveryForm, Outcome: d.Outcome, OutcomeES: d.OutcomeES, LeadOrganisation: d.LeadOrganisation,
			Attendance: d.Attendance, MediaPresent: d.MediaPresent, Sources: d.Sources, Notes: d.Notes,
		}})
	}
	for _, a := range f.Actions {
		at, dateOnly, err := parseWhen(a.OccurredAt)
		if err != nil || at == nil {
			return nil, fmt.Errorf("seed data: action %s: occurred_at: %v", a.Ref, errOrMissing(err))
		}
		b.Actions = append(b.Actions, models.BundleAction{Ref: a.Ref, Action: models.Action{
			Kind: a.Kind, Title: a.Title, TitleES: a.TitleES, Description: a.Description, DescriptionES: a.DescriptionES, OccurredAt: *at, DateOnly: dateOnly, TimeZone: models.ZoneFor(a.Country, a.Region),
			Place: a.Place, City: a.City, Region: a.Region, Country: a.Country, Attendance: a.Attendance,
			Organisations: a.Organisations, Sources: a.Sources, Notes: a.Notes,
		}})
	}
	for _, r := range f.Responses {
		at, dateOnly, err := parseWhen(r.RespondedAt)
		if err != nil || at == nil {
			return nil, fmt.Errorf("seed data: response by %s: responded_at: %v", r.Speaker, errOrMissing(err))
		}
		b.Responses = append(b.Responses, models.BundleResponse{DeliveryRef: r.DeliveryRef, ActionRef: r.ActionRef, Response: models.Response{
			RespondedAt: *at, DateOnly: dateOnly, Speaker: r.Speaker, SpeakerRole: r.SpeakerRole,
			Channel: r.Channel, Kind: r.Kind, Quote: r.Quote, QuoteES: r.QuoteES, Summary: r.Summary, SummaryES: r.SummaryES, Sources: r.Sources, Notes: r.Notes,
		}})
	}
	return b, nil
}

func parseWhen(s string) (t *time.Time, dateOnly bool, err error) {
	if s == "" {
		return nil, false, nil
	}
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		d = d.Add(12 * time.Hour)
		return &d, true, nil
	}
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return nil, false, fmt.Errorf("%q is neither a date (2019-07-15) nor an RFC 3339 time", s)
	}
	v = v.UTC()
	return &v, false, nil
}

func errOrMissing(err error) error {
	if err != nil {
		return err
	}
	return fmt.Errorf("missing")
}
