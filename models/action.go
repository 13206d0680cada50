package models

import (
	"context"
	"slices"
	"strings"
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
	TitleES       string `gorm:"column:title_es"` // Spanish versions; empty: none
	DescriptionES string `gorm:"column:description_es"`
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

// Validate names each field of an action that is wrong.
func (a *Action) Validate() FieldErrors {
	fe := FieldErrors{}
	if !slices.Contains(ActionKinds, a.Kind) {
		fe.Add("kind", "the kind of action must be one of "+strings.Join(ActionKinds, ", "))
	}
	if strings.TrimSpace(a.Title) == "" {
		fe.Add("title", "give the action a title, for example \"Rally outside the Spheres\"")
	}
	checkLen(fe, "title", "The title", a.Title, 300)
	checkLen(fe, "title_es", "The Spanish title", a.TitleES, 300)
	checkLen(fe, "description", "The description", a.Description, 5000)
	checkLen(fe, "description_es", "The Spanish description", a.DescriptionES, 5000)
	if a.OccurredAt.IsZero() {
		fe.Add("occurred_at", "give the date (and if known the time) the action took place")
	}
	checkWhen(fe, "occurred_at", &a.OccurredAt)
	checkLen(fe, "place", "The place", a.Place, 200)
	checkLen(fe, "city", "The city", a.City, 200)
	checkLen(fe, "region", "The state or region", a.Region, 200)
	if a.Country != "" && !isCountryCode(a.Country) {
		fe.Add("country", "give the country as its two-letter code, for example US")
	}
	checkLen(fe, "attendance", "The attendance", a.Attendance, 100)
	checkLen(fe, "organisations", "The organisations", a.Organisations, 1000)
	if _, err := LoadZone(a.TimeZone); err != nil {
		fe.Add("time_zone", err.Error())
	}
	validateSources(fe, "sources", a.Sources)
	checkLen(fe, "notes", "The notes", a.Notes, 10000)
	return fe
}

// Normalise tidies what a form or a file gave: trimmed text, an upper-case
// country, the time in UTC (stored times are UTC everywhere, so SQLite,
// which compares them as text, orders them right), and the place's own
// time zone when none was given. A day-only action keeps an empty zone: its
// date is shown as it is, whatever the zone.
func (a *Action) Normalise() {
	for _, p := range []*string{&a.Kind, &a.Title, &a.Description, &a.TitleES, &a.DescriptionES, &a.TimeZone, &a.Place, &a.City,
		&a.Region, &a.Country, &a.Attendance, &a.Organisations, &a.Notes} {
		*p = strings.TrimSpace(*p)
	}
	a.Country = strings.ToUpper(a.Country)
	a.OccurredAt = a.OccurredAt.UTC()
	if a.TimeZone == "" && !a.DateOnly {
		a.TimeZone = ZoneFor(a.Country, a.Region)
	}
}

// ActionFilter narrows a campaign's actions; empty fields match all.
type ActionFilter struct {
	Kind string
	City string // matched without regard to case
}

// ActionsFor lists a campaign's actions that match f, oldest first.
func (s *Store) ActionsFor(ctx context.Context, campaignID uint, f ActionFilter) ([]Action, error) {
	var out []Action
	q := s.db.WithContext(ctx).Where("campaign_id = ?", campaignID)
	if f.Kind != "" {
		q = q.Where("kind = ?", f.Kind)
	}
	if f.City != "" {
		q = q.Where("LOWER(city) = ?", strings.ToLower(strings.TrimSpace(f.City)))
	}
	err := q.Order("occurred_at").Order("id").Find(&out).Error
	return out, err
}

// LatestActions returns a campaign's most recent actions, newest first.
func (s *Store) LatestActions(ctx context.Context, campaignID uint, limit int) ([]Action, error) {
	var out []Action
	err := s.db.WithContext(ctx).Where("campaign_id = ?", campaignID).
		Order("occurred_at DESC").Order("id DESC").Limit(limit).Find(&out).Error
	return out, err
}

// Action returns one action of a campaign, or ErrNotFound.
func (s *Store) Action(ctx context.Context, campaignID, id uint) (*Action, error) {
	return getScoped[Action](ctx, s, campaignID, id)
}

// CreateAction logs an action, audited.
func (s *Store) CreateAction(ctx context.Context, actor Actor, campaignID uint, a *Action) error {
	a.Normalise()
	return createAudited(ctx, s, actor, campaignID, "action", a)
}

// UpdateAction edits an action, audited field by field.
func (s *Store) UpdateAction(ctx context.Context, actor Actor, campaignID, id uint, change func(*Action)) (*Action, error) {
	return updateAudited(ctx, s, actor, campaignID, "action", id, func(a *Action) error {
		change(a)
		a.Normalise()
		return nil
	})
}

// DeleteAction removes an action; responses that answered it stay, now
// answering the campaign (the schema sets their action_id to NULL).
func (s *Store) DeleteAction(ctx context.Context, actor Actor, campaignID, id uint) error {
	return deleteAudited[Action](ctx, s, actor, campaignID, "action", id)
}
