package models

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Kinds of timeline entry, in the order entries of the same moment are
// listed: what was reached, then what was delivered, then what was done,
// then what the company said back.
const (
	TimelineMilestone = "milestone"
	TimelineDelivery  = "delivery"
	TimelineAction    = "action"
	TimelineResponse  = "response"
)

// TimelineKinds lists every kind of timeline entry, for validating a kind
// filter taken from a request.
var TimelineKinds = []string{TimelineMilestone, TimelineDelivery, TimelineAction, TimelineResponse}

// SignatureMilestones are the totals of a campaign's own signatures the
// timeline marks the day of.
var SignatureMilestones = []int64{1_000, 10_000, 50_000, 100_000, 250_000, 500_000, 1_000_000}

// SignaturesHereSource is the source of a milestone counted from the
// signatures this tracker collected itself.
var SignaturesHereSource = Source{Name: "signatures collected on campaigntrack"}

// TimelineEntry is one moment of a campaign's story, as the public
// timeline and its feed show it. It holds nothing private: no record's
// notes reach it.
type TimelineEntry struct {
	Kind     string // one of TimelineKinds
	At       time.Time
	DateOnly bool   // At is known to the day only
	TimeZone string // where it happened: see LoadZone
	// The record the entry tells of, its notes left out; the pages put it
	// in words in their language (views/timeline_text.go). One is set:
	// Delivery, Action, Response (with Target, the company's name), Claim
	// (a reported total) or, for a milestone counted here, Reached (the
	// milestone) and Total (the day's closing total).
	Delivery *Delivery
	Action   *Action
	Response *Response
	Target   string
	Claim    *CountClaim
	Reached  int64
	Total    int64
	City     string // the city of a delivery or action, or of what a response answers; "" for milestones
	Sources  Sources
	// Status is a delivery's status, an action's kind, a response's kind,
	// or for a milestone "claim" (a reported total) or "signatures" (a
	// total counted here).
	Status string
	// Anchor is a stable id for the entry on the page and in the feed:
	// "delivery-12", "claim-3", "signatures-10000".
	Anchor   string
	RecordID uint // the record's id; 0 for a signature milestone
	// Updated is when the record was last changed (for a signature
	// milestone, the day it was reached), so a feed reader sees a
	// corrected entry as changed.
	Updated time.Time
}

// TimelineFilter narrows a timeline; empty fields match all.
type TimelineFilter struct {
	Kind string // one of TimelineKinds; any other matches nothing
	City string // matched without regard to case; milestones have no city, so a city leaves them out
}

// Timeline is a campaign's story in one list, oldest first: its
// deliveries (at the delivery time, or else the planned one; a delivery
// with neither is left out), actions, the company's responses, and
// milestones: each dated signature total a source reported, and the first
// day the signatures collected here reached each of SignatureMilestones.
// Entries of the same moment are listed milestone, delivery, action,
// response, then by record id. A day-only entry counts as the start of its
// day (UTC), before the timed entries of that day: its hour is unknown.
func (s *Store) Timeline(ctx context.Context, campaignID uint, f TimelineFilter) ([]TimelineEntry, error) {
	var c Campaign
	if err := s.db.WithContext(ctx).Where("id = ?", campaignID).Take(&c).Error; err != nil {
		return nil, notFound(err)
	}
	f.City = strings.TrimSpace(f.City)
	want := func(kind string) bool { return f.Kind == "" || f.Kind == kind }
	var out []TimelineEntry

	if want(TimelineMilestone) && f.City == "" {
		ms, err := s.milestones(ctx, campaignID)
		if err != nil {
			return nil, err
		}
		out = append(out, ms...)
	}

	// Deliveries and actions are loaded for a response timeline too: a
	// response's city is the city of what it answers. A campaign has tens
	// of them, not thousands, so one query each is cheaper than joins.
	db := s.db.WithContext(ctx)
	deliveryCity, actionCity := map[uint]string{}, map[uint]string{}
	if f.Kind != TimelineMilestone {
		var deliveries []Delivery
		if err := db.Omit("notes").Where("campaign_id = ?", campaignID).Find(&deliveries).Error; err != nil {
			return nil, err
		}
		for i := range deliveries {
			d := &deliveries[i]
			deliveryCity[d.ID] = d.City
			if want(TimelineDelivery) && d.When() != nil {
				out = append(out, deliveryEntry(d))
			}
		}
		var actions []Action
		if err := db.Omit("notes").Where("campaign_id = ?", campaignID).Find(&actions).Error; err != nil {
			return nil, err
		}
		for i := range actions {
			a := &actions[i]
			actionCity[a.ID] = a.City
			if want(TimelineAction) {
				out = append(out, TimelineEntry{
					Kind: TimelineAction, At: a.OccurredAt, DateOnly: a.DateOnly, TimeZone: a.TimeZone,
					Action: a, City: a.City, Sources: a.Sources, Status: a.Kind,
					Anchor: "action-" + idString(a.ID), RecordID: a.ID, Updated: a.UpdatedAt,
				})
			}
		}
	}
	if want(TimelineResponse) {
		var responses []Response
		if err := db.Omit("notes").Where("campaign_id = ?", campaignID).Find(&responses).Error; err != nil {
			return nil, err
		}
		who := TargetName(c.Target)
		for i := range responses {
			r := &responses[i]
			e := TimelineEntry{
				Kind: TimelineResponse, At: r.RespondedAt, DateOnly: r.DateOnly, TimeZone: r.TimeZone,
				Response: r, Target: who, Sources: r.Sources, Status: r.Kind,
				Anchor: "response-" + idString(r.ID), RecordID: r.ID, Updated: r.UpdatedAt,
			}
			switch {
			case r.DeliveryID != nil:
				e.City = deliveryCity[*r.DeliveryID]
			case r.ActionID != nil:
				e.City = actionCity[*r.ActionID]
			}
			out = append(out, e)
		}
	}

	if f.City != "" {
		out = slices.DeleteFunc(out, func(e TimelineEntry) bool { return !strings.EqualFold(e.City, f.City) })
	}
	// Stable, so milestones of one day keep their rising order.
	slices.SortStableFunc(out, func(x, y TimelineEntry) int {
		return cmp.Or(sortTime(x).Compare(sortTime(y)),
			cmp.Compare(slices.Index(TimelineKinds, x.Kind), slices.Index(TimelineKinds, y.Kind)),
			cmp.Compare(x.RecordID, y.RecordID))
	})
	return out, nil
}

// sortTime places a day-only entry at the start of its day, whatever hour
// it was stored at (the demo loader stores noon, forms midnight), so the
// entries of one day are ordered by kind, not by an hour nobody knows.
func sortTime(e TimelineEntry) time.Time {
	if e.DateOnly {
		return utcDay(e.At)
	}
	return e.At
}

func deliveryEntry(d *Delivery) TimelineEntry {
	e := TimelineEntry{
		Kind: TimelineDelivery, TimeZone: d.TimeZone, City: d.City, Sources: d.Sources, Status: d.Status,
		Anchor: "delivery-" + idString(d.ID), RecordID: d.ID, Updated: d.UpdatedAt, Delivery: d,
	}
	e.At, e.DateOnly = *d.When(), d.WhenDateOnly()
	return e
}

// TargetName is how pages name the company: the campaign's
// target up to any parenthesis or comma ("Amazon (Amazon Web Services)" is
// "Amazon"). Not the target's first word, which would make "The Home
// Office" "The".
func TargetName(target string) string {
	if i := strings.IndexAny(target, "(,;"); i >= 0 {
		target = target[:i]
	}
	return strings.TrimSpace(target)
}

// milestones lists a campaign's dated count claims and the days its own
// signatures reached each of SignatureMilestones (from the kept tallies by
// day, so no signature row is read).
func (s *Store) milestones(ctx context.Context, campaignID uint) ([]TimelineEntry, error) {
	var out []TimelineEntry
	var claims []CountClaim
	if err := s.db.WithContext(ctx).Omit("notes").Where("campaign_id = ? AND claimed_on <> ''", campaignID).
		Find(&claims).Error; err != nil {
		return nil, err
	}
	for i := range claims {
		c := &claims[i]
		day, err := time.Parse(time.DateOnly, c.ClaimedOn)
		if err != nil {
			continue // validation keeps these out; an old row's typo is no reason to fail the page
		}
		e := TimelineEntry{
			Kind: TimelineMilestone, At: day, DateOnly: true, Claim: c,
			Status: "claim", Anchor: "claim-" + idString(c.ID), RecordID: c.ID, Updated: c.UpdatedAt,
		}
		if src := c.Source(); src.Name != "" || src.URL != "" {
			e.Sources = Sources{src}
		}
		out = append(out, e)
	}

	days, err := s.SignaturesPerDay(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	var total int64
	next := 0
	for _, d := range days {
		total += d.N
		for next < len(SignatureMilestones) && total >= SignatureMilestones[next] {
			day, err := time.Parse(time.DateOnly, d.Label)
			if err != nil {
				return nil, fmt.Errorf("signature tally day %q: %w", d.Label, err)
			}
			m := SignatureMilestones[next]
			out = append(out, TimelineEntry{
				Kind: TimelineMilestone, At: day, DateOnly: true,
				Reached: m, Total: total,
				Sources: Sources{SignaturesHereSource},
				Status:  "signatures", Anchor: "signatures-" + strconv.FormatInt(m, 10), Updated: day,
			})
			next++
		}
	}
	return out, nil
}

func idString(id uint) string { return strconv.FormatUint(uint64(id), 10) }
