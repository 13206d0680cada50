package models

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Signature is one person's signature on a campaign's petition. Its
// personal fields (email, postal code, full name) never leave the organiser
// area.
type Signature struct {
	ID          uint
	CampaignID  uint
	FirstName   string
	LastName    string
	Email       string // normalised: trimmed, lower-case; one signature per email per campaign
	City        string
	Region      string
	Country     string
	PostalCode  string
	Comment     string
	ShowName    bool   // the signer agreed to show their first name and city publicly
	SendUpdates bool   // the signer agreed to receive campaign updates
	Origin      string // "web", or where an import came from
	SignedAt    time.Time
	CreatedAt   time.Time
}

// signatureCounter is one slot of a campaign's kept signature count. The
// count is the sum of its slots; a write adds to one slot picked at random,
// so concurrent signers do not queue on one hot row (the lesson of the UK
// Parliament petitions site in March 2019). Slots move in the same
// transaction as the signatures they count.
type signatureCounter struct {
	CampaignID uint `gorm:"primaryKey"`
	Slot       int  `gorm:"primaryKey"`
	N          int64
}

func (signatureCounter) TableName() string { return "signature_counters" }

// counterSlots is how many rows a campaign's count is spread over.
const counterSlots = 16

// addToCount adds n to one of the campaign's counter slots inside tx.
func addToCount(tx *gorm.DB, campaignID uint, n int64) error {
	row := signatureCounter{CampaignID: campaignID, Slot: rand.IntN(counterSlots), N: n}
	return tx.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "campaign_id"}, {Name: "slot"}},
		DoUpdates: clause.Assignments(map[string]any{"n": gorm.Expr("signature_counters.n + ?", n)}),
	}).Create(&row).Error
}

// SignatureCount returns the signatures recorded in this tracker for a
// campaign, read from the kept counter (never COUNT(*) on a request path).
func (s *Store) SignatureCount(ctx context.Context, campaignID uint) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&signatureCounter{}).
		Where("campaign_id = ?", campaignID).Select("COALESCE(SUM(n), 0)").Scan(&n).Error
	return n, err
}

// SignatureCounts returns the kept count of every campaign that has one.
func (s *Store) SignatureCounts(ctx context.Context) (map[uint]int64, error) {
	var rows []struct {
		CampaignID uint
		Total      int64
	}
	err := s.db.WithContext(ctx).Model(&signatureCounter{}).
		Select("campaign_id, SUM(n) AS total").Group("campaign_id").Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make(map[uint]int64, len(rows))
	for _, r := range rows {
		out[r.CampaignID] = r.Total
	}
	return out, nil
}

// ErrAlreadySigned is returned when the email has signed this petition.
var ErrAlreadySigned = errors.New("this email address has already signed this petition")

// AddSignature stores one signature and moves the campaign's kept count in
// the same transaction. The email is normalised first; a repeat changes
// nothing and returns ErrAlreadySigned.
func (s *Store) AddSignature(ctx context.Context, sig *Signature) error {
	sig.Email = NormaliseEmail(sig.Email)
	if sig.SignedAt.IsZero() {
		sig.SignedAt = time.Now().UTC()
	}
	if sig.Origin == "" {
		sig.Origin = "web"
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(sig)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrAlreadySigned
		}
		return addToCount(tx, sig.CampaignID, 1)
	})
	return err
}
