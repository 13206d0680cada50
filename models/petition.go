package models

import (
	"context"
	"errors"
	"strings"
	"time"
)

// Petition is the text people sign: one per campaign.
type Petition struct {
	ID         uint      `json:"-"`
	CampaignID uint      `json:"-"`
	Heading    string    `json:"heading"`
	Body       string    `json:"body"`
	HeadingES  string    `json:"heading_es,omitempty" gorm:"column:heading_es"` // Spanish versions; empty: none
	BodyES     string    `json:"body_es,omitempty" gorm:"column:body_es"`
	Sources    Sources   `json:"sources"`
	CreatedAt  time.Time `json:"-"`
	UpdatedAt  time.Time `json:"-"`
}

// PetitionFor returns the campaign's petition text, or nil when none has
// been written yet.
func (s *Store) PetitionFor(ctx context.Context, campaignID uint) (*Petition, error) {
	var p Petition
	err := s.db.WithContext(ctx).Where("campaign_id = ?", campaignID).Take(&p).Error
	if err != nil {
		if errors.Is(notFound(err), ErrNotFound) {
			return nil, nil
		}
		return nil, err
	}
	return &p, nil
}

// Validate names each field of the petition text that is wrong.
func (p *Petition) Validate() FieldErrors {
	fe := FieldErrors{}
	if strings.TrimSpace(p.Heading) == "" {
		fe.Add("heading", "give the petition a heading")
	}
	checkLen(fe, "heading", "The heading", p.Heading, 300)
	checkLen(fe, "heading_es", "The Spanish heading", p.HeadingES, 300)
	checkLen(fe, "body", "The text", p.Body, 20000)
	checkLen(fe, "body_es", "The Spanish text", p.BodyES, 20000)
	validateSources(fe, "sources", p.Sources)
	return fe
}

// SavePetition creates or replaces a campaign's petition text, audited:
// the heading, body and sources of text, in English and in Spanish. The
// text's other fields (its id, campaign and times) are not read.
func (s *Store) SavePetition(ctx context.Context, actor Actor, campaignID uint, text Petition) (*Petition, error) {
	existing, err := s.PetitionFor(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	set := func(p *Petition) {
		p.Heading, p.Body, p.HeadingES, p.BodyES, p.Sources = text.Heading, text.Body, text.HeadingES, text.BodyES, text.Sources
	}
	if existing == nil {
		p := &Petition{}
		set(p)
		return p, createAudited(ctx, s, actor, campaignID, "petition", p)
	}
	return updateAudited(ctx, s, actor, campaignID, "petition", existing.ID, func(p *Petition) error {
		set(p)
		return nil
	})
}
