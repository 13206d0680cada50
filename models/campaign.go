package models

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Campaign statuses.
const (
	CampaignActive = "active"
	CampaignPaused = "paused"
	CampaignWon    = "won"
	CampaignClosed = "closed"
)

// CampaignStatuses lists the statuses a campaign can be in, in the order
// forms offer them.
var CampaignStatuses = []string{CampaignActive, CampaignPaused, CampaignWon, CampaignClosed}

// Campaign is one protest campaign: what it demands of whom, and how many
// signatures and delivery cities it aims for.
type Campaign struct {
	ID      uint   `json:"id"`
	Slug    string `json:"slug"`
	Title   string `json:"title"`
	Target  string `json:"target"`
	Demand  string `json:"demand"`
	Summary string `json:"summary"`
	// The Spanish versions of the texts above; empty where there is
	// none (the English is shown, marked as English).
	TitleES           string `json:"title_es,omitempty" gorm:"column:title_es"`
	DemandES          string `json:"demand_es,omitempty" gorm:"column:demand_es"`
	SummaryES         string `json:"summary_es,omitempty" gorm:"column:summary_es"`
	Status            string `json:"status"`
	StartsOn          string `json:"starts_on,omitempty"` // YYYY-MM-DD, or empty when unknown
	EndsOn            string `json:"ends_on,omitempty"`
	SignatureGoal     int64  `json:"signature_goal"` // 0: no goal set
	DeliveriesPlanned int    `json:"deliveries_planned"`
	// ConfirmSignatures: a web signature counts only once its signer
	// follows the mailed link (while an SMTP server is set up).
	ConfirmSignatures bool `json:"confirm_signatures"`
	// PacketNames is what a delivery packet prints of each signer
	// (PacketInitials, PacketFullNames or PacketCountsOnly).
	PacketNames string    `json:"packet_names"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

var slugPattern = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$`)

// ValidSlug reports whether s can be a campaign slug: lower-case letters,
// digits and inner hyphens, at most 64 characters. Anything else in a URL
// cannot name a campaign, so it is a 404 without a query.
func ValidSlug(s string) bool { return slugPattern.MatchString(s) }

// CampaignBySlug returns the campaign with that slug, or ErrNotFound.
func (s *Store) CampaignBySlug(ctx context.Context, slug string) (*Campaign, error) {
	if !ValidSlug(slug) {
		return nil, ErrNotFound
	}
	var c Campaign
	if err := s.db.WithContext(ctx).Where("slug = ?", slug).Take(&c).Error; err != nil {
		return nil, notFound(err)
	}
	return &c, nil
}

// CampaignByID returns the campaign with that id, or ErrNotFound.
func (s *Store) CampaignByID(ctx context.Context, id uint) (*Campaign, error) {
	var c Campaign
	if err := s.db.WithContext(ctx).Where("id = ?", id).Take(&c).Error; err != nil {
		return nil, notFound(err)
	}
	return &c, nil
}

// campaignSlug is an address a campaign had before a rename: requests for
// it are sent on to the campaign's current address (migration 7).
type campaignSlug struct {
	Slug       string `gorm:"primaryKey"`
	CampaignID uint
	CreatedAt  time.Time
}

func (campaignSlug) TableName() string { return "campaign_slugs" }

// CampaignSlugRedirect returns the current slug of the campaign that was
// once at slug, or ErrNotFound. A live slug always wins over a past one, so
// call it only when CampaignBySlug has found no campaign: normal requests
// then pay nothing for it. A chain of renames (a to b to c) answers c for
// a, since every past slug names the campaign, not the next slug.
func (s *Store) CampaignSlugRedirect(ctx context.Context, slug string) (string, error) {
	if !ValidSlug(slug) {
		return "", ErrNotFound
	}
	var to []string
	err := s.db.WithContext(ctx).Model(&campaignSlug{}).
		Joins("JOIN campaigns ON campaigns.id = campaign_slugs.campaign_id").
		Where("campaign_slugs.slug = ?", slug).Limit(1).Pluck("campaigns.slug", &to).Error
	if err != nil {
		return "", err
	}
	if len(to) == 0 {
		return "", ErrNotFound
	}
	return to[0], nil
}

// moveSlug records, in a rename's transaction, that the campaign at from
// is now at to: from redirects to it from then on, and to, now live again
// (a rename back) or taken from another campaign's past, redirects nowhere,
// so no slug both redirects and serves and no rename makes a loop.
func moveSlug(tx *gorm.DB, campaignID uint, from, to string) error {
	if err := releaseSlug(tx, to); err != nil {
		return err
	}
	// A row for from can only be left by a create racing a rename; the
	// rename is the later fact.
	return tx.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "slug"}},
		DoUpdates: clause.AssignmentColumns([]string{"campaign_id", "created_at"}),
	}).Create(&campaignSlug{Slug: from, CampaignID: campaignID, CreatedAt: time.Now().UTC()}).Error
}

// releaseSlug forgets that slug was ever another address, because a
// campaign now has it.
func releaseSlug(tx *gorm.DB, slug string) error {
	return tx.Where("slug = ?", slug).Delete(&campaignSlug{}).Error
}

// Campaigns lists every campaign, active ones first, newest first.
func (s *Store) Campaigns(ctx context.Context) ([]Campaign, error) {
	var out []Campaign
	err := s.db.WithContext(ctx).
		Order("CASE WHEN status = 'active' THEN 0 ELSE 1 END").
		Order("created_at DESC").Order("id DESC").
		Find(&out).Error
	return out, err
}

// CountCampaigns returns how many campaigns the database holds.
func (s *Store) CountCampaigns(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&Campaign{}).Count(&n).Error
	return n, err
}

// Validate checks a campaign's settings and names each field that is wrong.
func (c *Campaign) Validate() FieldErrors {
	fe := FieldErrors{}
	if !slices.Contains(PacketNameSettings, c.PacketNames) {
		fe.Add("packet_names", "choose what a delivery packet prints of each signer: first names and initials, full names, or counts only")
	}
	if !ValidSlug(c.Slug) {
		fe.Add("slug", "use lower-case letters, digits and hyphens, up to 64 characters, for example no-tech-for-ice")
	}
	if strings.TrimSpace(c.Title) == "" {
		fe.Add("title", "give the campaign a title")
	}
	checkLen(fe, "title", "The title", c.Title, 200)
	checkLen(fe, "title_es", "The Spanish title", c.TitleES, 200)
	if strings.TrimSpace(c.Target) == "" {
		fe.Add("target", "name the company or body the campaign targets")
	}
	checkLen(fe, "target", "The target", c.Target, 200)
	if strings.TrimSpace(c.Demand) == "" {
		fe.Add("demand", "say what the campaign demands")
	}
	checkLen(fe, "demand", "The demand", c.Demand, 2000)
	checkLen(fe, "demand_es", "The Spanish demand", c.DemandES, 2000)
	checkLen(fe, "summary", "The summary", c.Summary, 5000)
	checkLen(fe, "summary_es", "The Spanish summary", c.SummaryES, 5000)
	if !slices.Contains(CampaignStatuses, c.Status) {
		fe.Add("status", "choose one of: "+strings.Join(CampaignStatuses, ", "))
	}
	if msg := checkDate(c.StartsOn); msg != "" {
		fe.Add("starts_on", msg)
	}
	if msg := checkDate(c.EndsOn); msg != "" {
		fe.Add("ends_on", msg)
	}
	if c.StartsOn != "" && c.EndsOn != "" && c.EndsOn < c.StartsOn {
		fe.Add("ends_on", "the end date is before the start date")
	}
	if c.SignatureGoal < 0 || c.SignatureGoal > 1_000_000_000 {
		fe.Add("signature_goal", "the goal must be between 0 (no goal) and 1,000,000,000")
	}
	if c.DeliveriesPlanned < 0 || c.DeliveriesPlanned > 1000 {
		fe.Add("deliveries_planned", "the number of planned delivery cities must be between 0 and 1,000")
	}
	return fe
}

// checkDate reports why s is not a YYYY-MM-DD date in the years the
// tracker keeps (ParseDate), or "" when it is one or empty.
func checkDate(s string) string {
	if s == "" {
		return ""
	}
	if _, err := ParseDate(s); err != nil {
		return err.Error()
	}
	return ""
}

// slugTaken is the field error for a slug another campaign uses.
const slugTaken = "another campaign already uses this address"

// CreateCampaign adds a campaign, audited.
func (s *Store) CreateCampaign(ctx context.Context, actor Actor, c *Campaign) error {
	if c.Status == "" {
		c.Status = CampaignActive
	}
	if c.PacketNames == "" {
		c.PacketNames = PacketInitials
	}
	if err := c.Validate().Err(); err != nil {
		return err
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&Campaign{}).Where("slug = ?", c.Slug).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return FieldErrors{"slug": slugTaken}
		}
		if err := releaseSlug(tx, c.Slug); err != nil {
			return err
		}
		if err := tx.Create(c).Error; err != nil {
			return err
		}
		if _, err := webSource(tx, s, c.ID); err != nil { // the form's source, before any other can take its name
			return err
		}
		return writeAudit(tx, actor, &c.ID, AuditCreate, "campaign", c.ID, diff(nil, c))
	})
}

// UpdateCampaign lets change edit a campaign's settings, validates them and
// saves them with an audit entry of the fields that changed.
func (s *Store) UpdateCampaign(ctx context.Context, actor Actor, id uint, change func(*Campaign)) (*Campaign, error) {
	var after Campaign
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var before Campaign
		if err := tx.Take(&before, id).Error; err != nil {
			return notFound(err)
		}
		after = before
		change(&after)
		after.ID = id
		if err := after.Validate().Err(); err != nil {
			return err
		}
		if after.Slug != before.Slug {
			var n int64
			if err := tx.Model(&Campaign{}).Where("slug = ? AND id <> ?", after.Slug, id).Count(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				return FieldErrors{"slug": slugTaken}
			}
			if err := moveSlug(tx, id, before.Slug, after.Slug); err != nil {
				return err
			}
		}
		if err := tx.Save(&after).Error; err != nil {
			return err
		}
		return writeAudit(tx, actor, &id, AuditUpdate, "campaign", id, diff(&before, &after))
	})
	if err != nil {
		return nil, err
	}
	return &after, nil
}
