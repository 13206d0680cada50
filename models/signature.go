package models

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"time"
	"unicode"

	"gorm.io/gorm"
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

// ErrAlreadySigned is returned when the email has signed this petition.
var ErrAlreadySigned = errors.New("this email address has already signed this petition")

// Normalise trims every field, collapses runs of spaces, lower-cases the
// email and upper-cases a two-letter country code, so the same signer
// typed twice is the same signer.
func (s *Signature) Normalise() {
	for _, f := range []*string{&s.FirstName, &s.LastName, &s.City, &s.Region, &s.Country, &s.PostalCode} {
		*f = strings.Join(strings.Fields(*f), " ")
	}
	s.Comment = strings.TrimSpace(s.Comment)
	s.Email = NormaliseEmail(s.Email)
	if len(s.Country) == 2 {
		s.Country = strings.ToUpper(s.Country)
	}
	if len(s.Region) == 2 {
		s.Region = strings.ToUpper(s.Region)
	}
}

// Validate names each field of a signature that is wrong. Names that a
// spreadsheet would read as a formula (LooksLikeFormula, the rule the
// exports neutralise by) are refused: a name is shown and exported as the
// signer typed it, and organisers open exports in spreadsheets.
func (s *Signature) Validate() FieldErrors {
	fe := FieldErrors{}
	if s.FirstName == "" {
		fe.Add("first_name", "enter your first name")
	}
	for _, f := range []struct{ field, label, value string }{{"first_name", "Your first name", s.FirstName}, {"last_name", "Your last name", s.LastName}} {
		if LooksLikeFormula(f.value) {
			fe.Add(f.field, f.label+" cannot start with =, +, - or @, in any width or behind invisible characters: a spreadsheet would run it as a formula")
		}
		checkLen(fe, f.field, f.label, f.value, 100)
	}
	if msg := CheckEmail(s.Email); msg != "" {
		fe.Add("email", msg)
	}
	checkLen(fe, "city", "The city", s.City, 100)
	checkLen(fe, "region", "The state or region", s.Region, 100)
	checkLen(fe, "country", "The country", s.Country, 60)
	checkLen(fe, "postal_code", "The postal code", s.PostalCode, 20)
	checkLen(fe, "comment", "The comment", s.Comment, 1000)
	checkWhen(fe, "signed_at", &s.SignedAt) // zero is "now", stamped when stored
	for _, f := range []struct{ field, value string }{
		{"first_name", s.FirstName}, {"last_name", s.LastName}, {"city", s.City}, {"region", s.Region},
		{"country", s.Country}, {"postal_code", s.PostalCode}, {"email", s.Email},
	} {
		if strings.IndexFunc(f.value, unicode.IsControl) >= 0 {
			fe.Add(f.field, "contains control characters")
		}
	}
	return fe
}

// signatureCounter is one slot of a campaign's kept signature count. The
// count is the sum of its slots; a write adds to one slot picked at random,
// so concurrent writers do not queue on one hot row (the lesson of the UK
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
	return tx.Exec(`INSERT INTO signature_counters (campaign_id, slot, n) VALUES (?, ?, ?)
		ON CONFLICT (campaign_id, slot) DO UPDATE SET n = signature_counters.n + excluded.n`,
		campaignID, rand.IntN(counterSlots), n).Error
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

// AddSignature stores one signature through the same path as a batch; see
// AddSignatures.
func (s *Store) AddSignature(ctx context.Context, sig *Signature) error {
	errs, err := s.AddSignatures(ctx, []*Signature{sig})
	if err != nil {
		return err
	}
	return errs[0]
}

// AddSignatures stores signatures in one transaction and moves the kept
// count and tallies in the same transaction. errs[i] is ErrAlreadySigned
// for a repeat (which changes nothing) and nil for a new signature; err is
// a failure of the whole batch, in which case nothing was stored.
// Signatures must be normalised and valid. The rows go in with one
// multi-row INSERT per campaign (see signatureInserter), not one per
// signature.
func (s *Store) AddSignatures(ctx context.Context, sigs []*Signature) (errs []error, err error) {
	errs = make([]error, len(sigs))
	byCampaign := map[uint][]int{}
	for i, sig := range sigs {
		byCampaign[sig.CampaignID] = append(byCampaign[sig.CampaignID], i)
		if sig.Origin == "" {
			sig.Origin = "web"
		}
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ins, err := s.newSignatureInserter(tx)
		if err != nil {
			return err
		}
		t := newTally()
		now := time.Now().UTC()
		for campaignID, idx := range byCampaign {
			group := make([]*Signature, len(idx))
			for j, i := range idx {
				group[j] = sigs[i]
			}
			inserted, err := ins.insert(ctx, campaignID, group, now)
			if err != nil {
				return err
			}
			for _, i := range idx {
				if inserted[sigs[i].Email] {
					delete(inserted, sigs[i].Email) // the same email twice in a batch counts once
					t.add(sigs[i])
				} else {
					errs[i] = ErrAlreadySigned
					// A repeat still writes its campaign's counter (+0), so a
					// batch of repeats commits a write like a batch of new
					// signatures: without it, a repeat answered measurably
					// sooner, which told whether an address had signed.
					t.counts[sigs[i].CampaignID] += 0
				}
			}
		}
		return t.write(tx)
	})
	if err != nil {
		return nil, err
	}
	return errs, nil
}

// SignatureRows counts a campaign's signature rows with COUNT(*): for
// checks and reconciliation, never for a page.
func (s *Store) SignatureRows(ctx context.Context, campaignID uint) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&Signature{}).Where("campaign_id = ?", campaignID).Count(&n).Error
	return n, err
}
