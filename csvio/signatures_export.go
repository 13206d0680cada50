package csvio

import (
	"context"
	"errors"
	"io"
	"strconv"
	"sync/atomic"
	"time"

	"campaigntrack/models"
)

// SignatureColumns are the columns of a signature export, every field an
// import can fill, where the signature came from and when its signer
// confirmed it (empty while it waits for the signer's confirmation, so it
// does not count), and every source that had the signer, separated by
// "; ". The import reads them back (origin, confirmed_at and sources are
// ignored: an imported signature counts as its source confirmed it, and
// the import's source is the one it is credited to).
var SignatureColumns = []string{
	"first_name", "last_name", "email", "city", "region", "country", "postal_code",
	"comment", "show_name", "send_updates", "origin", "signed_at", "confirmed_at", "sources",
}

// exportBatch is how many signatures are read, written and flushed at a
// time.
const exportBatch = 5000

// SignatureSource is the part of the Store an export reads from.
type SignatureSource interface {
	EachSignature(ctx context.Context, campaignID uint, batch int, fn func([]models.Signature) error) error
}

// WriteSignatures streams a campaign's signatures to w as CSV: the header,
// then the rows in batches of 5,000, flushed after each, cells
// neutralised, signed_at in RFC 3339 UTC. It returns how many rows it
// wrote.
//
// Reading and writing overlap: while one batch is written out, the next
// is read from the database. At most three batches are in memory.
func WriteSignatures(ctx context.Context, w io.Writer, src SignatureSource, campaignID uint) (int, error) {
	cw, err := NewWriter(w, SignatureColumns...)
	if err != nil {
		return 0, err
	}
	if err := cw.Flush(); err != nil {
		return 0, err
	}
	batches := make(chan []models.Signature)
	spare := make(chan []models.Signature, 1) // a written batch's slice, for the next copy
	var (
		n       int
		werr    error
		stopped atomic.Bool // the writer failed: stop reading
	)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for batch := range batches {
			if werr == nil {
				if werr = writeBatch(cw, batch); werr != nil {
					stopped.Store(true)
				} else {
					n += len(batch)
				}
			}
			select {
			case spare <- batch[:0]:
			default:
			}
		}
	}()
	err = src.EachSignature(ctx, campaignID, exportBatch, func(rows []models.Signature) error {
		if stopped.Load() {
			return errWriteFailed
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		var batch []models.Signature // EachSignature reuses rows: copy them
		select {
		case batch = <-spare:
		default:
		}
		batches <- append(batch, rows...)
		return nil
	})
	close(batches)
	<-done
	if werr != nil {
		return n, werr
	}
	return n, err
}

var errWriteFailed = errors.New("writing the export failed")

// writeBatch writes one batch of signatures and flushes it.
func writeBatch(cw *Writer, batch []models.Signature) error {
	row := make([]string, len(SignatureColumns))
	for i := range batch {
		s := &batch[i]
		row[0], row[1], row[2], row[3], row[4], row[5], row[6] = s.FirstName, s.LastName, s.Email, s.City, s.Region, s.Country, s.PostalCode
		row[7], row[8], row[9], row[10] = s.Comment, strconv.FormatBool(s.ShowName), strconv.FormatBool(s.SendUpdates), s.Origin
		row[11] = s.SignedAt.UTC().Format(time.RFC3339)
		row[12] = ""
		if s.ConfirmedAt != nil {
			row[12] = s.ConfirmedAt.UTC().Format(time.RFC3339)
		}
		row[13] = s.Sources
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	return cw.Flush()
}
