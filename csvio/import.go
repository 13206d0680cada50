package csvio

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"campaigntrack/models"
)

// BatchSize is how many valid rows go to the Store in one transaction:
// each batch is all or nothing. Larger batches mean fewer passes over the
// email index; at 300,000 real-looking addresses 10,000 took 5.8 s and
// 50,000 3.7 s.
const BatchSize = 50_000

// progressEvery is how often, in rows read, an import reports progress
// between batches.
const progressEvery = 1000

// SignatureImporter is the part of the Store an import writes to: one
// batch, one transaction, all or nothing.
type SignatureImporter interface {
	ImportSignatures(ctx context.Context, campaignID, sourceID uint, sigs []*models.Signature) (models.ImportResult, error)
}

// Summary is what an import did with a file's rows.
type Summary struct {
	Rows       int // data rows read
	Imported   int // new signatures stored
	Duplicates int // rows of people who had signed already, before or earlier in the file
	Credited   int // of the duplicates, people who had signed through another source, now credited to this one too
	Invalid    int // rows refused, each listed in the reject file
}

func (s Summary) String() string {
	out := fmt.Sprintf("%d rows read: %d imported, %d duplicates, %d invalid", s.Rows, s.Imported, s.Duplicates, s.Invalid)
	if s.Credited > 0 {
		out += fmt.Sprintf("; %d of the duplicates had signed through another source and are now credited to this one too", s.Credited)
	}
	return out
}

// Progress is an import on its way.
type Progress struct {
	Summary
	Bytes  int64 // bytes of the file read so far
	Stored bool  // a batch has just been stored
}

// ImportOptions tune an import; the zero value imports with origin
// "import" and lists no rejects.
type ImportOptions struct {
	// SourceID is the signature source every row is attributed to
	// (required).
	SourceID uint
	// Origin is recorded on each signature: where it came from.
	Origin string
	// BatchSize overrides BatchSize (for tests).
	BatchSize int
	// Rejects receives the reject CSV: the file's own columns, then line
	// and reason, every cell neutralised. Its header is written with the
	// first invalid row, so a file with none gets nothing.
	Rejects io.Writer
	// RejectsLimit, when above zero, caps what is written to Rejects: rows
	// that would go past it are left out, and a last row says how many.
	RejectsLimit int
	// Progress, when set, is called every 1,000 rows read and after each
	// batch is stored.
	Progress func(Progress)
}

// BatchError is a batch the Store refused. Nothing of that batch was
// stored; the earlier batches were, and stay.
type BatchError struct {
	Line int     // the line the failed batch began on
	Done Summary // what the earlier batches did
	Err  error
}

func (e *BatchError) Error() string {
	return fmt.Sprintf("storing the batch of rows from line %d on failed, so none of that batch was stored; "+
		"the %d signatures imported by earlier batches (up to line %d) are stored and stay: %v",
		e.Line, e.Done.Imported, e.Line-1, e.Err)
}

func (e *BatchError) Unwrap() error { return e.Err }

// Origin is what a signature imported from the named file records as
// where it came from.
func Origin(filename string) string {
	return models.Clip("import: "+filename, 100)
}

// CheckHeader reads the header of a signature CSV and reports why the
// file cannot be imported, or nil.
func CheckHeader(r io.Reader) error {
	_, err := NewSignatureReader(r)
	return err
}

// Import reads a signature CSV from r and stores its valid rows for the
// campaign in batches of BatchSize, each batch all or nothing. Invalid
// rows are counted and listed in opt.Rejects with their line and reason.
// A file that cannot be imported at all (no email column) is refused
// before anything is stored. When a batch fails, the error is a
// *BatchError saying what the earlier batches stored; the Summary
// returned with any error counts what was done before it.
func Import(ctx context.Context, store SignatureImporter, campaignID uint, r io.Reader, opt ImportOptions) (Summary, error) {
	sr, err := NewSignatureReader(r)
	if err != nil {
		return Summary{}, err
	}
	if opt.SourceID == 0 {
		return Summary{}, errors.New("import: no signature source given: every row is attributed to one")
	}
	if opt.BatchSize <= 0 {
		opt.BatchSize = BatchSize
	}
	if opt.Origin == "" {
		opt.Origin = "import"
	}
	im := &importer{ctx: ctx, store: store, campaignID: campaignID, opt: opt, sr: sr,
		rejects: &rejectWriter{w: opt.Rejects, limit: opt.RejectsLimit, header: sr.Header}}
	return im.run()
}

// importer is one run of Import. Reading and storing overlap: one
// goroutine reads and checks rows and fills the next batch while the
// Store writes the last one.
type importer struct {
	ctx        context.Context
	store      SignatureImporter
	campaignID uint
	opt        ImportOptions
	sr         *SignatureReader
	rejects    *rejectWriter

	mu    sync.Mutex // guards sum and bytes, and makes Progress calls one at a time
	sum   Summary
	bytes int64
}

// batch is a full batch of valid rows on its way to the Store.
type batch struct {
	sigs []*models.Signature
	line int // the line its first row is on
}

func (im *importer) run() (Summary, error) {
	batches := make(chan batch)
	stop := make(chan struct{})
	var readErr error
	go func() {
		defer close(batches)
		readErr = im.read(batches, stop)
	}()
	for b := range batches {
		if err := im.flush(b); err != nil {
			close(stop)
			for range batches { // wait for the reader to stop
			}
			return err.Done, err
		}
	}
	// The reader has returned: readErr and the reject file are ours now.
	if readErr != nil {
		return im.summary(), readErr
	}
	if err := im.rejects.close(); err != nil {
		return im.summary(), fmt.Errorf("writing the rejected rows: %w", err)
	}
	im.mu.Lock()
	defer im.mu.Unlock()
	im.report(false)
	return im.sum, nil
}

// read reads the file to its end, listing invalid rows in the reject file
// and sending full batches of valid ones to be stored, the last one
// possibly short. It stops early when stop closes.
func (im *importer) read(batches chan<- batch, stop <-chan struct{}) error {
	var rows, invalid int
	b := batch{sigs: make([]*models.Signature, 0, im.opt.BatchSize)}
	send := func() bool {
		im.publish(rows, invalid, false)
		select {
		case batches <- b:
			b = batch{sigs: make([]*models.Signature, 0, im.opt.BatchSize)}
			return true
		case <-stop:
			return false
		}
	}
	for {
		row, err := im.sr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		rows++
		if row.Signature == nil {
			invalid++
			if err := im.rejects.write(row); err != nil {
				return fmt.Errorf("writing the rejected row of line %d: %w", row.Line, err)
			}
		} else {
			if len(b.sigs) == 0 {
				b.line = row.Line
			}
			row.Signature.Origin = im.opt.Origin
			b.sigs = append(b.sigs, row.Signature)
			if len(b.sigs) == im.opt.BatchSize && !send() {
				return nil
			}
		}
		if rows%progressEvery == 0 {
			im.publish(rows, invalid, true)
		}
	}
	if len(b.sigs) > 0 && !send() {
		return nil
	}
	im.publish(rows, invalid, false)
	return nil
}

// publish records how far reading has got, and reports it when asked.
func (im *importer) publish(rows, invalid int, report bool) {
	im.mu.Lock()
	defer im.mu.Unlock()
	im.sum.Rows, im.sum.Invalid, im.bytes = rows, invalid, im.sr.BytesRead()
	if report {
		im.report(false)
	}
}

// flush stores a batch in one transaction.
func (im *importer) flush(b batch) *BatchError {
	if err := im.ctx.Err(); err != nil {
		return &BatchError{Line: b.line, Done: im.summary(), Err: err}
	}
	res, err := im.store.ImportSignatures(im.ctx, im.campaignID, im.opt.SourceID, b.sigs)
	if err != nil {
		return &BatchError{Line: b.line, Done: im.summary(), Err: err}
	}
	im.mu.Lock()
	defer im.mu.Unlock()
	im.sum.Imported += res.Imported
	im.sum.Duplicates += res.Duplicates
	im.sum.Credited += res.Credited
	im.report(true)
	return nil
}

func (im *importer) summary() Summary {
	im.mu.Lock()
	defer im.mu.Unlock()
	return im.sum
}

// report calls Progress; im.mu is held.
func (im *importer) report(stored bool) {
	if im.opt.Progress != nil {
		im.opt.Progress(Progress{Summary: im.sum, Bytes: im.bytes, Stored: stored})
	}
}

// rejectWriter writes the reject CSV: the file's columns, then line and
// reason. Each row goes to w in one Write, whole, so a cap never cuts a
// row in half.
type rejectWriter struct {
	w       io.Writer
	limit   int
	header  []string
	started bool
	written int
	left    int // rows left out by the cap
	buf     bytes.Buffer
	row     []string
}

func (rw *rejectWriter) write(row Row) error {
	if rw.w == nil {
		return nil
	}
	if !rw.started {
		rw.started = true
		// A reject file is opened in a spreadsheet to be fixed: it starts
		// with the BOM, as every CSV download does (see BOM).
		if _, err := io.WriteString(rw.w, BOM); err != nil {
			return err
		}
		if err := rw.emit(append(append([]string(nil), rw.header...), "line", "reason"), false); err != nil {
			return err
		}
	}
	// The file's columns, padded when the row is short; line and reason
	// under their headers; any surplus fields after them, so nothing of
	// the row is lost.
	rw.row = rw.row[:0]
	for i := range rw.header {
		cell := ""
		if i < len(row.Record) {
			cell = row.Record[i]
		}
		rw.row = append(rw.row, cell)
	}
	rw.row = append(rw.row, strconv.Itoa(row.Line), row.Reason)
	if len(row.Record) > len(rw.header) {
		rw.row = append(rw.row, row.Record[len(rw.header):]...)
	}
	return rw.emit(rw.row, true)
}

// emit writes one row, neutralised and made safe to store as text, unless
// the cap is reached.
func (rw *rejectWriter) emit(row []string, capped bool) error {
	rw.buf.Reset()
	cw := csv.NewWriter(&rw.buf)
	for i, cell := range row {
		row[i] = Neutralise(strings.ReplaceAll(strings.ToValidUTF8(cell, "\uFFFD"), "\x00", ""))
	}
	if err := cw.Write(row); err != nil {
		return err
	}
	cw.Flush()
	if capped && rw.limit > 0 && rw.written+rw.buf.Len() > rw.limit {
		rw.left++
		return nil
	}
	rw.written += rw.buf.Len()
	_, err := rw.w.Write(rw.buf.Bytes())
	return err
}

// close ends the file with a note when the cap left rows out.
func (rw *rejectWriter) close() error {
	if rw.left == 0 {
		return nil
	}
	note := make([]string, len(rw.header)+2)
	note[len(note)-1] = fmt.Sprintf("%d more invalid rows are not listed here: this list stops at %d KB. "+
		"Import the file with the command line (campaigntrack signatures import) for a full reject file.", rw.left, rw.limit/1024)
	return rw.emit(note, false)
}
