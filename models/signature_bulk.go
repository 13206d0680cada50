package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// ImportResult counts what a bulk import did with its rows.
type ImportResult struct {
	Imported   int // new signatures stored
	Duplicates int // emails that had signed already (before or earlier in the file)
}

// importBatchRows is how many rows go into one INSERT statement: 13
// parameters a row stays well under SQLite's limit of 32,766.
const importBatchRows = 1000

// ImportSignatures stores a batch of signatures for a campaign in one
// transaction, all or nothing: the rows, the kept count and the tallies
// move together, so a failure loses nothing imported by earlier batches
// and leaves no half batch behind. Signatures must be normalised and
// valid; an email that has signed already is counted as a duplicate and
// changes nothing.
func (s *Store) ImportSignatures(ctx context.Context, campaignID uint, sigs []*Signature) (ImportResult, error) {
	var res ImportResult
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res = ImportResult{}
		t := newTally()
		now := time.Now().UTC()
		for start := 0; start < len(sigs); start += importBatchRows {
			chunk := sigs[start:min(start+importBatchRows, len(sigs))]
			inserted, err := insertSignatures(tx, campaignID, chunk, now)
			if err != nil {
				return err
			}
			for _, sig := range chunk {
				if inserted[sig.Email] {
					t.add(sig)
					res.Imported++
					delete(inserted, sig.Email) // a second row with the same email is a duplicate
				} else {
					res.Duplicates++
				}
			}
		}
		return t.write(tx)
	})
	if err != nil {
		return ImportResult{}, err
	}
	return res, nil
}

// insertSignatures inserts rows with one statement and returns the emails
// that were new: ON CONFLICT DO NOTHING ... RETURNING gives back only the
// rows it inserted, on SQLite (3.35+) and PostgreSQL alike.
func insertSignatures(tx *gorm.DB, campaignID uint, sigs []*Signature, now time.Time) (map[string]bool, error) {
	var b strings.Builder
	b.WriteString(`INSERT INTO signatures (campaign_id, first_name, last_name, email, city, region, country, postal_code, comment, show_name, send_updates, origin, signed_at, created_at) VALUES `)
	args := make([]any, 0, len(sigs)*14)
	for i, sig := range sigs {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("(?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
		sig.CampaignID = campaignID
		if sig.SignedAt.IsZero() {
			sig.SignedAt = now
		}
		if sig.Origin == "" {
			sig.Origin = "import"
		}
		args = append(args, campaignID, sig.FirstName, sig.LastName, sig.Email, sig.City, sig.Region, sig.Country,
			sig.PostalCode, sig.Comment, sig.ShowName, sig.SendUpdates, sig.Origin, sig.SignedAt.UTC(), now)
	}
	b.WriteString(" ON CONFLICT (campaign_id, email) DO NOTHING RETURNING email")
	rows, err := tx.Raw(b.String(), args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("insert signatures: %w", err)
	}
	defer rows.Close()
	inserted := make(map[string]bool, len(sigs))
	for rows.Next() {
		var email string
		if err := rows.Scan(&email); err != nil {
			return nil, err
		}
		inserted[email] = true
	}
	return inserted, rows.Err()
}

// EachSignature streams a campaign's signatures in id order, batch rows
// at a time, without holding them all in memory or a transaction open
// across batches. fn's error stops the walk.
func (s *Store) EachSignature(ctx context.Context, campaignID uint, batch int, fn func([]Signature) error) error {
	var after uint
	rows := make([]Signature, 0, batch)
	for {
		rows = rows[:0]
		if err := s.db.WithContext(ctx).Where("campaign_id = ? AND id > ?", campaignID, after).
			Order("id").Limit(batch).Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil
		}
		if err := fn(rows); err != nil {
			return err
		}
		after = rows[len(rows)-1].ID
		if len(rows) < batch {
			return nil
		}
	}
}
