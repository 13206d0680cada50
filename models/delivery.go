package models

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"campaigntrack/locale"
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

// deliveryFlow says where a delivery may move from each status. A delivery
// that went wrong can be planned again; one that was delivered is done (a
// mistake is corrected with the full edit form, which is audited too).
var deliveryFlow = map[string][]string{
	DeliveryPlanned:   {DeliveryUnderWay, DeliveryDelivered, DeliveryRefused, DeliveryPostponed, DeliveryCancelled},
	DeliveryUnderWay:  {DeliveryDelivered, DeliveryRefused, DeliveryPostponed, DeliveryCancelled},
	DeliveryPostponed: {DeliveryPlanned, DeliveryUnderWay, DeliveryDelivered, DeliveryCancelled},
	DeliveryRefused:   {DeliveryPlanned},
	DeliveryCancelled: {DeliveryPlanned},
	DeliveryDelivered: {},
}

// NextDeliveryStatuses lists the statuses a delivery may move to next.
func NextDeliveryStatuses(status string) []string { return deliveryFlow[status] }

// Kinds of place a petition is delivered to.
var DeliveryKinds = []string{"headquarters", "office", "warehouse", "executive_home", "store", "event", "other"}

// Forms a petition is handed over in.
var DeliveryForms = []string{"boxes", "printouts", "usb", "digital"}

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
	ScheduledDateOnly   bool   // the planned time is known to the day only
	DateOnly            bool   // the delivery time is known to the day only
	TimeZone            string // where it happened: see LoadZone
	Status              string
	Recipient           string
	SignaturesDelivered *int64
	DeliveryForm        string // one of DeliveryForms, or empty
	Outcome             string
	OutcomeES           string `gorm:"column:outcome_es"`  // the outcome in Spanish; empty: none
	PacketLang          string `gorm:"column:packet_lang"` // the language its packet prints the petition in (locale codes: en, es)
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

// WhenDateOnly says whether When is known to the day only.
func (d Delivery) WhenDateOnly() bool {
	if d.DeliveredAt != nil {
		return d.DateOnly
	}
	return d.ScheduledDateOnly
}

// Place is the delivery's city, region and country as one line.
func (d Delivery) Place() string {
	parts := []string{d.City}
	if d.Region != "" {
		parts = append(parts, d.Region)
	}
	if d.Country != "" && !strings.EqualFold(d.Country, "US") {
		parts = append(parts, d.Country)
	}
	return strings.Join(parts, ", ")
}

// Done says whether the delivery reached its end: delivered, refused or
// cancelled.
func (d Delivery) Done() bool {
	return d.Status == DeliveryDelivered || d.Status == DeliveryRefused || d.Status == DeliveryCancelled
}

// Validate names each field of a delivery that is wrong.
func (d *Delivery) Validate() FieldErrors {
	fe := FieldErrors{}
	if strings.TrimSpace(d.City) == "" {
		fe.Add("city", "give the city the petition is delivered in")
	}
	checkLen(fe, "city", "The city", d.City, 200)
	checkLen(fe, "region", "The state or region", d.Region, 100)
	if d.Country != "" && !isCountryCode(d.Country) {
		fe.Add("country", "give the country as its two-letter code, for example US")
	}
	checkLen(fe, "venue", "The venue", d.Venue, 500)
	checkLen(fe, "address", "The address", d.Address, 500)
	if (d.Latitude == nil) != (d.Longitude == nil) {
		if d.Latitude == nil {
			fe.Add("latitude", "give the latitude with the longitude, or neither")
		} else {
			fe.Add("longitude", "give the longitude with the latitude, or neither")
		}
	}
	if d.Latitude != nil && (math.IsNaN(*d.Latitude) || *d.Latitude < -90 || *d.Latitude > 90) {
		fe.Add("latitude", "the latitude must be between -90 and 90")
	}
	if d.Longitude != nil && (math.IsNaN(*d.Longitude) || *d.Longitude < -180 || *d.Longitude > 180) {
		fe.Add("longitude", "the longitude must be between -180 and 180")
	}
	if d.Kind != "" && !slices.Contains(DeliveryKinds, d.Kind) {
		fe.Add("kind", "the kind of place must be one of "+strings.Join(DeliveryKinds, ", ")+", or empty")
	}
	if !slices.Contains(DeliveryStatuses, d.Status) {
		fe.Add("status", "the status must be one of "+strings.Join(DeliveryStatuses, ", "))
	}
	if d.Status == DeliveryDelivered && d.DeliveredAt == nil {
		fe.Add("delivered_at", "a delivered petition needs the date (and if known the time) it was delivered")
	}
	if d.Status == DeliveryPlanned && d.DeliveredAt != nil {
		fe.Add("delivered_at", "a planned delivery has no delivery time yet: clear it, or change the status")
	}
	checkWhen(fe, "scheduled_at", d.ScheduledAt)
	checkWhen(fe, "delivered_at", d.DeliveredAt)
	if _, err := LoadZone(d.TimeZone); err != nil {
		fe.Add("time_zone", err.Error())
	}
	checkLen(fe, "recipient", "The recipient", d.Recipient, 300)
	if d.SignaturesDelivered != nil && (*d.SignaturesDelivered < 0 || *d.SignaturesDelivered > 10_000_000_000) {
		fe.Add("signatures_delivered", "the signatures delivered must be a whole number from 0")
	}
	if d.DeliveryForm != "" && !slices.Contains(DeliveryForms, d.DeliveryForm) {
		fe.Add("delivery_form", "the form must be one of "+strings.Join(DeliveryForms, ", ")+", or empty")
	}
	checkLen(fe, "outcome", "The outcome", d.Outcome, 5000)
	checkLen(fe, "outcome_es", "The Spanish outcome", d.OutcomeES, 5000)
	if !validPacketLang(d.PacketLang) {
		fe.Add("packet_lang", "choose the language the packet prints the petition in: en (English) or es (Spanish)")
	}
	checkLen(fe, "lead_organisation", "The lead organisation", d.LeadOrganisation, 300)
	checkLen(fe, "attendance", "The attendance", d.Attendance, 100)
	validateSources(fe, "sources", d.Sources)
	checkLen(fe, "notes", "The notes", d.Notes, 10000)
	return fe
}

// validPacketLang reports whether s is a language a packet can print the
// petition in (a locale code, as Normalise writes it), or empty: a row
// stored before there was a choice, or by a loader that does not
// normalise, prints in English.
func validPacketLang(s string) bool {
	return s == "" || slices.Contains(locale.All, locale.Lang(s))
}

func isCountryCode(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}

// Normalise tidies what a form or a file gave: trimmed text, an upper-case
// country, and the place's own time zone when none was given.
func (d *Delivery) Normalise() {
	for _, p := range []*string{&d.City, &d.Region, &d.Country, &d.Venue, &d.Address, &d.Recipient,
		&d.Outcome, &d.OutcomeES, &d.LeadOrganisation, &d.Attendance, &d.Notes, &d.TimeZone, &d.Kind, &d.Status, &d.DeliveryForm, &d.PacketLang} {
		*p = strings.TrimSpace(*p)
	}
	d.Country = strings.ToUpper(d.Country)
	if l, ok := locale.Parse(d.PacketLang); ok {
		d.PacketLang = string(l) // "ES" is es; anything else is left for Validate to name
	} else if d.PacketLang == "" {
		d.PacketLang = string(locale.English)
	}
	// Times are stored in UTC, so they sort the same on both engines (the
	// SQLite driver keeps a time's offset in the text it stores); the zone
	// says how to show them.
	for _, t := range []**time.Time{&d.ScheduledAt, &d.DeliveredAt} {
		if *t != nil {
			u := (*t).UTC()
			*t = &u
		}
	}
	if d.Status == "" {
		d.Status = DeliveryPlanned
	}
	if d.TimeZone == "" {
		d.TimeZone = ZoneFor(d.Country, d.Region)
	}
}

// DeliveryFilter narrows a campaign's deliveries; empty fields match all.
type DeliveryFilter struct {
	Status string
	City   string // matched without regard to case
}

// DeliveriesFor lists a campaign's deliveries by date, then city.
func (s *Store) DeliveriesFor(ctx context.Context, campaignID uint) ([]Delivery, error) {
	return s.Deliveries(ctx, campaignID, DeliveryFilter{})
}

// Deliveries lists a campaign's deliveries that match f, by date (those
// without one last), then city.
func (s *Store) Deliveries(ctx context.Context, campaignID uint, f DeliveryFilter) ([]Delivery, error) {
	var out []Delivery
	q := s.db.WithContext(ctx).Where("campaign_id = ?", campaignID)
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.City != "" {
		q = q.Where("LOWER(city) = ?", strings.ToLower(f.City))
	}
	err := q.Order("COALESCE(delivered_at, scheduled_at) IS NULL").Order("COALESCE(delivered_at, scheduled_at)").
		Order("city").Order("id").Find(&out).Error
	return out, err
}

// Delivery returns one delivery of a campaign.
func (s *Store) Delivery(ctx context.Context, campaignID, id uint) (*Delivery, error) {
	return getScoped[Delivery](ctx, s, campaignID, id)
}

// CreateDelivery logs a delivery, audited.
// A delivery logged as delivered freezes the count, as marking it does.
func (s *Store) CreateDelivery(ctx context.Context, actor Actor, campaignID uint, d *Delivery) error {
	d.Normalise()
	return createAuditedThen(ctx, s, actor, campaignID, "delivery", d, func(tx *gorm.DB, d *Delivery) error {
		if !becameDelivered(nil, d) {
			return nil
		}
		_, err := s.recordDeliveryCount(tx, actor, d, time.Now())
		return err
	})
}

// UpdateDelivery edits a delivery, audited field by field. An edit that
// makes it delivered freezes the count, as marking it does.
func (s *Store) UpdateDelivery(ctx context.Context, actor Actor, campaignID, id uint, change func(*Delivery)) (*Delivery, error) {
	return updateAuditedThen(ctx, s, actor, campaignID, "delivery", id, func(d *Delivery) error {
		change(d)
		d.Normalise()
		return nil
	}, func(tx *gorm.DB, before, after *Delivery) error {
		if !becameDelivered(before, after) {
			return nil
		}
		_, err := s.recordDeliveryCount(tx, actor, after, time.Now())
		return err
	})
}

// DeleteDelivery removes a delivery; responses that answered it stay, now
// answering the campaign.
func (s *Store) DeleteDelivery(ctx context.Context, actor Actor, campaignID, id uint) error {
	return deleteAudited[Delivery](ctx, s, actor, campaignID, "delivery", id)
}

// ErrStatusFlow is wrapped by a move the status flow does not allow.
var ErrStatusFlow = errors.New("not allowed by the status flow")

// MoveDelivery moves a delivery along its status flow, letting change fill
// in what the move records (the outcome, the time). A delivery marked
// delivered without a time is stamped now.
//
// Marking a delivery delivered freezes the count at that moment (total and
// per source) in the same transaction: see RecordDeliveryCount.
func (s *Store) MoveDelivery(ctx context.Context, actor Actor, campaignID, id uint, to string, now time.Time, change func(*Delivery)) (*Delivery, error) {
	return updateAuditedThen(ctx, s, actor, campaignID, "delivery", id, func(d *Delivery) error {
		if !slices.Contains(deliveryFlow[d.Status], to) {
			return FieldErrors{"status": fmt.Sprintf("a delivery that is %s cannot be marked %s", StatusLabel(d.Status), StatusLabel(to))}
		}
		d.Status = to
		if change != nil {
			change(d)
		}
		if to == DeliveryDelivered && d.DeliveredAt == nil {
			t := now.UTC().Truncate(time.Minute)
			d.DeliveredAt, d.DateOnly = &t, false
		}
		if to == DeliveryPlanned {
			d.DeliveredAt = nil
		}
		d.Normalise()
		return nil
	}, func(tx *gorm.DB, before, d *Delivery) error {
		if !becameDelivered(before, d) {
			return nil
		}
		_, err := s.recordDeliveryCount(tx, actor, d, now)
		return err
	})
}

// StatusLabel is a status in words: "under way".
func StatusLabel(status string) string { return strings.ReplaceAll(status, "_", " ") }

// DeliveryImport is what an import of delivery rows did.
type DeliveryImport struct {
	Created, Updated, Unchanged int
	// Refused lists the rows that, merged into the delivery on record they
	// match, would make it invalid (a file without a delivered_at column
	// marking a delivery delivered): by index into the rows given.
	Refused []RefusedRow
}

// RefusedRow is a row of an import left out, with why.
type RefusedRow struct {
	Index  int
	Errors FieldErrors
}

// DeliveryKey is what identifies a delivery in a file with no id column:
// its city, region, country and venue, in any case. ImportDeliveries
// matches rows to deliveries by it.
func DeliveryKey(d *Delivery) string {
	return strings.ToLower(strings.TrimSpace(d.City) + "\x00" + strings.TrimSpace(d.Region) + "\x00" +
		strings.TrimSpace(d.Country) + "\x00" + strings.TrimSpace(d.Venue))
}

// ImportDeliveries stores rows read from a file in one transaction: a row
// whose city, region, country and venue match a delivery of the campaign
// updates it, any other row adds one. Every change is audited.
//
// columns names the file's columns (nil: all of them). An update changes
// only the fields the file carries: a column left out of the file, the
// private notes and what a CSV cannot say (whether the press was there,
// the names of sources) are kept. A source address already on record
// keeps its name, and sources known by name only stay.
//
// Rows must be valid: a row that is not fails the whole call, so a caller
// checks them first and passes only the good ones.
func (s *Store) ImportDeliveries(ctx context.Context, actor Actor, campaignID uint, rows []Delivery, columns []string) (DeliveryImport, error) {
	var res DeliveryImport
	for i := range rows {
		rows[i].Normalise()
		rows[i].CampaignID = campaignID
		if fe := rows[i].Validate(); len(fe) > 0 {
			return res, fmt.Errorf("row %d: %w", i+1, fe)
		}
	}
	has := func(string) bool { return true }
	if columns != nil {
		has = func(c string) bool { return slices.Contains(columns, c) }
	}
	now := time.Now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res = DeliveryImport{}
		var existing []Delivery
		if err := tx.Where("campaign_id = ?", campaignID).Order("id").Find(&existing).Error; err != nil {
			return err
		}
		byKey := make(map[string]*Delivery, len(existing))
		for i := range existing {
			if _, dup := byKey[DeliveryKey(&existing[i])]; !dup {
				byKey[DeliveryKey(&existing[i])] = &existing[i]
			}
		}
		for i := range rows {
			row := rows[i]
			before, ok := byKey[DeliveryKey(&row)]
			if !ok {
				row.ID = 0
				if err := tx.Create(&row).Error; err != nil {
					return err
				}
				if err := writeAudit(tx, actor, &campaignID, AuditCreate, "delivery", row.ID, diff(nil, &row)); err != nil {
					return err
				}
				if becameDelivered(nil, &row) {
					if _, err := s.recordDeliveryCount(tx, actor, &row, now); err != nil {
						return err
					}
				}
				copied := row
				byKey[DeliveryKey(&row)] = &copied
				res.Created++
				continue
			}
			after := *before
			applyColumns(&after, &row, has)
			if fe := after.Validate(); len(fe) > 0 {
				res.Refused = append(res.Refused, RefusedRow{Index: i, Errors: fe})
				continue
			}
			changes := diff(before, &after)
			if len(changes) == 0 {
				res.Unchanged++
				continue
			}
			if err := tx.Save(&after).Error; err != nil {
				return err
			}
			if err := writeAudit(tx, actor, &campaignID, AuditUpdate, "delivery", after.ID, changes); err != nil {
				return err
			}
			if becameDelivered(before, &after) {
				if _, err := s.recordDeliveryCount(tx, actor, &after, now); err != nil {
					return err
				}
			}
			*before = after
			res.Updated++
		}
		return nil
	})
	return res, err
}

// applyColumns copies onto d what a file's row carries, column by column.
func applyColumns(d, row *Delivery, has func(string) bool) {
	set := func(col string, apply func()) {
		if has(col) {
			apply()
		}
	}
	set("city", func() { d.City = row.City })
	set("region", func() { d.Region = row.Region })
	set("country", func() { d.Country = row.Country })
	set("venue", func() { d.Venue = row.Venue })
	set("address", func() { d.Address = row.Address })
	set("latitude", func() { d.Latitude = row.Latitude })
	set("longitude", func() { d.Longitude = row.Longitude })
	set("kind", func() { d.Kind = row.Kind })
	set("status", func() { d.Status = row.Status })
	set("scheduled_at", func() { d.ScheduledAt, d.ScheduledDateOnly = row.ScheduledAt, row.ScheduledDateOnly })
	set("delivered_at", func() { d.DeliveredAt, d.DateOnly = row.DeliveredAt, row.DateOnly })
	if has("scheduled_at") || has("delivered_at") {
		d.TimeZone = row.TimeZone
	}
	set("recipient", func() { d.Recipient = row.Recipient })
	set("signatures_delivered", func() { d.SignaturesDelivered = row.SignaturesDelivered })
	set("delivery_form", func() { d.DeliveryForm = row.DeliveryForm })
	set("outcome", func() { d.Outcome = row.Outcome })
	set("outcome_es", func() { d.OutcomeES = row.OutcomeES })
	set("packet_lang", func() { d.PacketLang = row.PacketLang })
	set("lead_organisation", func() { d.LeadOrganisation = row.LeadOrganisation })
	set("attendance", func() { d.Attendance = row.Attendance })
	set("source_urls", func() { d.Sources = mergeSources(d.Sources, row.Sources) })
}

// mergeSources takes a file's list of sources as the new list, keeping the
// name of each address already on record, and the sources on record that
// have a name but no address (an export does not carry them), unless the
// file names them too: importing a file twice changes nothing.
func mergeSources(onRecord, fromFile Sources) Sources {
	names := make(map[string]string, len(onRecord))
	for _, src := range onRecord {
		if src.URL != "" && src.Name != "" {
			names[src.URL] = src.Name
		}
	}
	out := Sources{}
	for _, src := range fromFile {
		if src.Name == "" {
			src.Name = names[src.URL]
		}
		out = append(out, src)
	}
	for _, src := range onRecord {
		if src.URL == "" && !slices.Contains(fromFile, src) {
			out = append(out, src)
		}
	}
	return out
}
