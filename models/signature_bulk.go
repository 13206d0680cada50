package models

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
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
		ins, err := newSignatureInserter(ctx, tx)
		if err != nil {
			return err
		}
		defer ins.close()
		t := newTally()
		now := time.Now().UTC()
		for start := 0; start < len(sigs); start += importBatchRows {
			chunk := sigs[start:min(start+importBatchRows, len(sigs))]
			inserted, err := ins.insert(ctx, campaignID, chunk, now)
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

// signatureInserter inserts rows with multi-row INSERT statements prepared
// once per transaction and row count: preparing a statement of 14,000
// parameters for every chunk cost more than running it.
type signatureInserter struct {
	tx       *sql.Tx
	postgres bool
	stmts    map[int]*sql.Stmt
	args     []any
}

func newSignatureInserter(ctx context.Context, tx *gorm.DB) (*signatureInserter, error) {
	sqlTx, ok := tx.Statement.ConnPool.(*sql.Tx)
	if !ok {
		return nil, fmt.Errorf("insert signatures: not in a database/sql transaction (%T)", tx.Statement.ConnPool)
	}
	return &signatureInserter{tx: sqlTx, postgres: isPostgres(tx), stmts: map[int]*sql.Stmt{}}, nil
}

func (in *signatureInserter) close() {
	for _, st := range in.stmts {
		st.Close()
	}
}

const signatureColumns = 14

// statement returns the prepared INSERT for n rows. ON CONFLICT DO
// NOTHING ... RETURNING gives back only the rows it inserted, on SQLite
// (3.35+) and PostgreSQL alike.
func (in *signatureInserter) statement(ctx context.Context, n int) (*sql.Stmt, error) {
	if st, ok := in.stmts[n]; ok {
		return st, nil
	}
	var b strings.Builder
	b.WriteString(`INSERT INTO signatures (campaign_id, first_name, last_name, email, city, region, country, postal_code, comment, show_name, send_updates, origin, signed_at, created_at) VALUES `)
	p := 0
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		for j := range signatureColumns {
			if j > 0 {
				b.WriteByte(',')
			}
			p++
			if in.postgres {
				b.WriteString("$" + strconv.Itoa(p))
			} else {
				b.WriteByte('?')
			}
		}
		b.WriteByte(')')
	}
	b.WriteString(" ON CONFLICT (campaign_id, email) DO NOTHING RETURNING email")
	st, err := in.tx.PrepareContext(ctx, b.String())
	if err != nil {
		return nil, fmt.Errorf("insert signatures: %w", err)
	}
	in.stmts[n] = st
	return st, nil
}

// insert stores rows and returns the emails that were new.
func (in *signatureInserter) insert(ctx context.Context, campaignID uint, sigs []*Signature, now time.Time) (map[string]bool, error) {
	st, err := in.statement(ctx, len(sigs))
	if err != nil {
		return nil, err
	}
	args := in.args[:0]
	for _, sig := range sigs {
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
	in.args = args
	rows, err := st.QueryContext(ctx, args...)
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
// across batches. fn's error stops the walk; the slice it gets is reused
// for the next batch, and CreatedAt is left empty (exports do not carry
// it). The rows are scanned without GORM's reflection: at
// 300,000 rows that was most of an export's time.
func (s *Store) EachSignature(ctx context.Context, campaignID uint, batch int, fn func([]Signature) error) error {
	var after uint
	out := make([]Signature, 0, batch)
	for {
		out = out[:0]
		rows, err := s.db.WithContext(ctx).Raw(`SELECT id, campaign_id, first_name, last_name, email, city, region, country, postal_code, comment, show_name, send_updates, origin, signed_at
			FROM signatures WHERE campaign_id = ? AND id > ? ORDER BY id LIMIT ?`, campaignID, after, batch).Rows()
		if err != nil {
			return err
		}
		for rows.Next() {
			var sig Signature
			if err := rows.Scan(&sig.ID, &sig.CampaignID, &sig.FirstName, &sig.LastName, &sig.Email, &sig.City, &sig.Region,
				&sig.Country, &sig.PostalCode, &sig.Comment, &sig.ShowName, &sig.SendUpdates, &sig.Origin, &sig.SignedAt); err != nil {
				rows.Close()
				return err
			}
			out = append(out, sig)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return err
		}
		if len(out) == 0 {
			return nil
		}
		if err := fn(out); err != nil {
			return err
		}
		after = out[len(out)-1].ID
		if len(out) < batch {
			return nil
		}
	}
}
