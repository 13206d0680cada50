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

// SignatureTable is the columns of a signature export (CSV and XLSX):
// every field an import can fill, where the signature came from and when
// its signer confirmed it (empty while it waits for the signer's
// confirmation, so it does not count), and every source that had the
// signer, separated by "; ". The import reads them back (origin,
// confirmed_at and sources are ignored: an imported signature counts as
// its source confirmed it, and the import's source is the one it is
// credited to). postal_code is text: 02134 keeps its zero.
var SignatureTable = Table{
	{"first_name", Text}, {"last_name", Text}, {"email", Text}, {"city", Text}, {"region", Text},
	{"country", Text}, {"postal_code", Text}, {"comment", Text}, {"show_name", Text},
	{"send_updates", Text}, {"origin", Text}, {"signed_at", When}, {"confirmed_at", When}, {"sources", Text},
}

// SignatureColumns are the names of SignatureTable's columns.
var SignatureColumns = SignatureTable.Names()

// exportBatch is how many signatures are read, written and flushed at a
// time.
const exportBatch = 5000

// SignatureSource is the part of the Store an export reads from.
type SignatureSource interface {
	EachSignature(ctx context.Context, campaignID uint, batch int, fn func([]models.Signature) error) error
}

// WriteSignatures streams a campaign's signatures to w as CSV: the BOM and
// the header, then the rows in batches of 5,000, flushed after each, cells
// neutralised, signed_at in RFC 3339 UTC. It returns how many rows it
// wrote.
func WriteSignatures(ctx context.Context, w io.Writer, src SignatureSource, campaignID uint) (int, error) {
	cw, err := NewWriter(w, SignatureColumns...)
	if err != nil {
		return 0, err
	}
	if err := cw.Flush(); err != nil {
		return 0, err
	}
	return eachSignatureRow(ctx, src, campaignID, cw.Write, cw.Flush)
}

// eachSignatureRow reads a campaign's signatures in batches and passes
// each as a row of SignatureTable to write (the slice is reused), calling
// flush after each batch. It returns how many rows were written.
//
// Reading and writing overlap: while one batch is written out, the next
// is read from the database. At most three batches are in memory.
func eachSignatureRow(ctx context.Context, src SignatureSource, campaignID uint, write func([]string) error, flush func() error) (int, error) {
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
		row := make([]string, len(SignatureTable))
		for batch := range batches {
			if werr == nil {
				if werr = writeBatch(batch, row, write, flush); werr != nil {
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
	err := src.EachSignature(ctx, campaignID, exportBatch, func(rows []models.Signature) error {
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
func writeBatch(batch []models.Signature, row []string, write func([]string) error, flush func() error) error {
	for i := range batch {
		SignatureRow(&batch[i], row)
		if err := write(row); err != nil {
			return err
		}
	}
	return flush()
}

// SignatureRow fills row (of len(SignatureTable)) with s, before
// neutralising: times in RFC 3339 UTC.
func SignatureRow(s *models.Signature, row []string) {
	row[0], row[1], row[2], row[3], row[4], row[5], row[6] = s.FirstName, s.LastName, s.Email, s.City, s.Region, s.Country, s.PostalCode
	row[7], row[8], row[9], row[10] = s.Comment, strconv.FormatBool(s.ShowName), strconv.FormatBool(s.SendUpdates), s.Origin
	row[11] = s.SignedAt.UTC().Format(time.RFC3339)
	row[12] = ""
	if s.ConfirmedAt != nil {
		row[12] = s.ConfirmedAt.UTC().Format(time.RFC3339)
	}
	row[13] = s.Sources
}
