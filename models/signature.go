package models

import (
	"campaigntrack/locale"

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
	Email       string // as typed (trimmed), for mail
	Identity    string // the email's canonical identity (EmailRules.Identity): one signature per person per campaign, set when stored
	City        string
	Region      string
	Country     string
	PostalCode  string
	Comment     string
	Lang        string // the signer's language (locale codes: en, es), which their mail is written in; empty: English
	ShowName    bool   // the signer agreed to show their first name and city publicly
	SendUpdates bool   // the signer agreed to receive campaign updates
	Origin      string // "web", or where an import came from
	SourceID    *uint  // the first source that had the signer (this site's form, a partner's list); others are in source_signatures
	SignedAt    time.Time
	CreatedAt   time.Time
	ConfirmedAt *time.Time // nil while a web signature waits for its signer to follow the mailed link
	NoticedAt   *time.Time // when a repeat last got a fresh link or notice (the repeat limits; a pending signature expires 7 days after it, or after CreatedAt)

	// NeedsConfirmation asks AddSignatures to store the signature pending
	// and mail its signer a link, rather than count it at once. The
	// handler sets it from the campaign's setting and the mail setup.
	NeedsConfirmation bool `gorm:"-"`

	// Sources names every source that had the signer, in name order,
	// joined by SourcesSep; EachSignature fills it for exports.
	Sources string `gorm:"-"`
}

// Confirmed reports whether the signature counts: confirmed by its
// signer, or imported (its source confirmed it).
func (s *Signature) Confirmed() bool { return s.ConfirmedAt != nil }

// ErrAlreadySigned is returned when the email has signed this petition.
var ErrAlreadySigned = errors.New("this email address has already signed this petition")

// Normalise trims every field, collapses runs of spaces and upper-cases a
// two-letter country code. The email is kept as typed; who its signer is
// (their identity) is decided when it is stored, under the rules of
// identity.go.
func (s *Signature) Normalise() {
	for _, f := range []*string{&s.FirstName, &s.LastName, &s.City, &s.Region, &s.Country, &s.PostalCode} {
		*f = strings.Join(strings.Fields(*f), " ")
	}
	s.Comment = strings.TrimSpace(s.Comment)
	s.Email = strings.TrimSpace(s.Email)
	if len(s.Country) == 2 {
		s.Country = strings.ToUpper(s.Country)
	}
	if l, ok := locale.Parse(s.Lang); ok {
		s.Lang = string(l)
	} else {
		s.Lang = "" // not a language of ours: the mail is in English
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
	CampaignID uint  `gorm:"primaryKey"`
	Slot       int   `gorm:"primaryKey"`
	N          int64 // confirmed and imported signatures: the count
	Pending    int64 // web signatures waiting for their signer's confirmation
}

func (signatureCounter) TableName() string { return "signature_counters" }

// counterSlots is how many rows a campaign's count is spread over.
const counterSlots = 16

// addToCount adds n to the count and pending to the pending count of one
// of the campaign's counter slots inside tx. A confirmation moves one
// from pending to n in one row.
func addToCount(tx *gorm.DB, campaignID uint, n, pending int64) error {
	return tx.Exec(`INSERT INTO signature_counters (campaign_id, slot, n, pending) VALUES (?, ?, ?, ?)
		ON CONFLICT (campaign_id, slot) DO UPDATE SET n = signature_counters.n + excluded.n, pending = signature_counters.pending + excluded.pending`,
		campaignID, rand.IntN(counterSlots), n, pending).Error
}

// KeptCount is a campaign's kept signature count: the signatures that
// count (confirmed and imported) and those waiting for confirmation.
type KeptCount struct {
	Counted int64
	Pending int64
}

// KeptCount reads a campaign's kept counts (never COUNT(*) on a request
// path).
func (s *Store) KeptCount(ctx context.Context, campaignID uint) (KeptCount, error) {
	var k KeptCount
	err := s.db.WithContext(ctx).Model(&signatureCounter{}).
		Where("campaign_id = ?", campaignID).Select("COALESCE(SUM(n), 0) AS counted, COALESCE(SUM(pending), 0) AS pending").Scan(&k).Error
	return k, err
}

// SignatureCount returns the signatures that count for a campaign in this
// tracker (confirmed and imported), read from the kept counter.
func (s *Store) SignatureCount(ctx context.Context, campaignID uint) (int64, error) {
	k, err := s.KeptCount(ctx, campaignID)
	return k.Counted, err
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

// Mail limits on repeats: a signer who signs again while pending gets a
// fresh link at most every RepeatLinkEvery, and one who signs again when
// counted an "already signed" notice at most every RepeatNoticeEvery, so
// a stranger typing someone's address cannot flood their inbox.
const (
	RepeatLinkEvery   = 10 * time.Minute
	RepeatNoticeEvery = 24 * time.Hour
)

// AddSignatures stores signatures in one transaction, with the mail each
// one's signer is owed, and moves the kept counts and tallies in the same
// transaction: no signature is acknowledged without its mail queued, and
// no mail is queued for a signature that was not stored. errs[i] is
// ErrAlreadySigned for a repeat and nil for a new signature; err is a
// failure of the whole batch, in which case nothing was stored.
//
// A new signature with NeedsConfirmation is stored pending (counted apart
// until its signer follows the link) and gets a confirmation link; any
// other counts at once and gets a receipt. A repeat changes no signature
// but may be owed a mail: a fresh link while pending (which also restarts
// its expiry clock), a notice when counted, within the repeat limits:
// the first repeat is always answered, later ones once per limit.
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
		rules, err := loadEmailRules(tx)
		if err != nil {
			return err
		}
		t, st := newTally(), newSourceTally()
		now := time.Now().UTC()
		var mails []OutboxMail
		for campaignID, idx := range byCampaign {
			web, err := webSource(tx, s, campaignID)
			if err != nil {
				return err
			}
			group := make([]*Signature, len(idx))
			for j, i := range idx {
				sig := sigs[i]
				sig.Identity, sig.SourceID = rules.Identity(sig.Email), &web
				// NoticedAt stays empty: the first mail is not a repeat's,
				// so a repeat straight after signing still gets its mail.
				sig.NoticedAt, sig.ConfirmedAt = nil, &now
				if sig.NeedsConfirmation {
					sig.ConfirmedAt = nil
				}
				group[j] = sig
			}
			inserted, err := ins.insert(ctx, campaignID, group, now)
			if err != nil {
				return err
			}
			var repeats []*Signature
			for _, i := range idx {
				sig := sigs[i]
				id, ok := inserted[sig.Identity]
				if !ok {
					errs[i] = ErrAlreadySigned
					repeats = append(repeats, sig)
					continue
				}
				delete(inserted, sig.Identity) // the same person twice in a batch counts once
				sig.ID = id
				if sig.Confirmed() {
					t.add(sig)
					st.join(campaignID, nil, web)
					mails = append(mails, signerMail(sig, MailSigned, now))
				} else {
					t.addPending(campaignID, 1)
					mails = append(mails, signerMail(sig, MailConfirm, now))
				}
			}
			// A repeat still writes its campaign's counter (+0), so a
			// batch of repeats commits a write like a batch of new
			// signatures: without it, a repeat answered measurably sooner,
			// which told whether an address had signed.
			t.counts[campaignID] += 0
			st.touch(campaignID, web) // and the form's source figures (+0), for the same reason
			owed, err := repeatMail(tx, campaignID, repeats, now)
			if err != nil {
				return err
			}
			mails = append(mails, owed...)
		}
		if err := queueMail(tx, mails); err != nil {
			return err
		}
		if err := t.write(tx); err != nil { // the counter before the source figures, the order Recount locks them in
			return err
		}
		return st.write(tx)
	})
	if err != nil {
		return nil, err
	}
	return errs, nil
}

// repeatMail finds the stored signatures of repeats and returns the mail
// they are owed within the repeat limits, stamping the signatures it mails
// (their noticed_at) in tx.
func repeatMail(tx *gorm.DB, campaignID uint, repeats []*Signature, now time.Time) ([]OutboxMail, error) {
	if len(repeats) == 0 {
		return nil, nil
	}
	identities := make([]string, len(repeats))
	for i, r := range repeats {
		identities[i] = r.Identity
	}
	var stored []*Signature
	if err := tx.Select("id, campaign_id, email, first_name, confirmed_at, noticed_at").
		Where("campaign_id = ? AND identity IN ?", campaignID, identities).Find(&stored).Error; err != nil {
		return nil, err
	}
	var out []OutboxMail
	var stamped []uint
	for _, sig := range stored {
		kind, every := MailConfirmAgain, RepeatLinkEvery
		if sig.Confirmed() {
			kind, every = MailAlreadySigned, RepeatNoticeEvery
		}
		if sig.NoticedAt != nil && now.Sub(*sig.NoticedAt) < every {
			continue
		}
		out = append(out, signerMail(sig, kind, now))
		stamped = append(stamped, sig.ID)
	}
	if len(stamped) > 0 {
		if err := tx.Model(&Signature{}).Where("id IN ?", stamped).Update("noticed_at", now).Error; err != nil {
			return nil, err
		}
	}
	return out, nil
}

// SignatureRows counts a campaign's signature rows with COUNT(*): for
// checks and reconciliation, never for a page.
func (s *Store) SignatureRows(ctx context.Context, campaignID uint) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&Signature{}).Where("campaign_id = ?", campaignID).Count(&n).Error
	return n, err
}
