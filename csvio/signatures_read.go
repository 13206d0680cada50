package csvio

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"campaigntrack/models"
)

// column is a field of a signature a CSV column can fill.
type column int

const (
	colFirstName column = iota
	colLastName
	colName
	colEmail
	colPostalCode
	colCity
	colRegion
	colCountry
	colSignedAt
	colComment
	colShowName
	colSendUpdates
	numColumns
)

// columnNames are the canonical names, used in messages.
var columnNames = [numColumns]string{
	"first_name", "last_name", "name", "email", "postal_code", "city", "region", "country",
	"signed_at", "comment", "show_name", "send_updates",
}

// headerAliases maps a header, trimmed and lower-cased, to the field it
// fills (see headerColumn). Any other column is ignored.
var headerAliases = map[string]column{
	"first_name": colFirstName, "firstname": colFirstName, "first name": colFirstName, "given_name": colFirstName,
	"last_name": colLastName, "lastname": colLastName, "surname": colLastName, "family_name": colLastName,
	"name": colName, "full_name": colName,
	"email": colEmail, "email_address": colEmail, "e-mail": colEmail,
	"zip": colPostalCode, "zip_code": colPostalCode, "postal_code": colPostalCode, "postcode": colPostalCode, "postal": colPostalCode,
	"city": colCity, "town": colCity,
	"state": colRegion, "region": colRegion, "province": colRegion, "state_province": colRegion,
	"country": colCountry, "country_code": colCountry,
	"created_at": colSignedAt, "signed_at": colSignedAt, "date": colSignedAt, "timestamp": colSignedAt,
	"comment":   colComment,
	"show_name": colShowName, "public": colShowName,
	"send_updates": colSendUpdates, "opt_in": colSendUpdates, "can_contact": colSendUpdates,
}

// headerColumn finds the field a header names: trimmed, in any case, and
// with spaces read as underscores ("Last Name" is last_name).
func headerColumn(h string) (column, bool) {
	h = strings.ToLower(strings.TrimSpace(h))
	if c, ok := headerAliases[h]; ok {
		return c, true
	}
	c, ok := headerAliases[strings.Join(strings.Fields(h), "_")]
	return c, ok
}

// dateLayouts are the forms a signing date may take; those without a
// zone are UTC.
var dateLayouts = []string{time.RFC3339, time.DateTime, time.DateOnly, "01/02/2006"}

const dateHint = "use 2019-07-15, 2019-07-15 14:30:00, 07/15/2019 or RFC 3339 (2019-07-15T14:30:00Z)"

// Row is one data row of a signature CSV: a valid signature, or the reason
// it is refused.
type Row struct {
	Line      int               // the line the row begins on (the header is line 1)
	Signature *models.Signature // nil when the row is invalid
	Reason    string            // why the row is invalid, e.g. "email: this does not look like an email address"
	Record    []string          // an invalid row's fields as read (nil when they could not be parsed)
}

// SignatureReader reads signatures from a CSV file one row at a time.
type SignatureReader struct {
	// Header is the file's header row as read.
	Header []string
	csv    *csv.Reader
	count  *countingReader
	cols   [numColumns]int // the index of each field's column, or -1
	rows   int
	line   int // the line the last record read began on
}

// NewSignatureReader reads the header of a signature CSV (UTF-8, with or
// without a byte-order mark, lines ending in CRLF or LF) and refuses a
// file that cannot be imported: one with no email column, or no name.
func NewSignatureReader(r io.Reader) (*SignatureReader, error) {
	count := &countingReader{r: r}
	br := bufio.NewReaderSize(count, 64<<10)
	if bom, err := br.Peek(3); err == nil && bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	} else if len(bom) >= 2 && (bytes.HasPrefix(bom, []byte("\xff\xfe")) || bytes.HasPrefix(bom, []byte("\xfe\xff"))) {
		return nil, errors.New("the file is UTF-16 text: save it as CSV in UTF-8")
	}
	sr := &SignatureReader{csv: csv.NewReader(br), count: count}
	sr.csv.FieldsPerRecord = -1 // rows of the wrong width are reported, not fatal
	sr.csv.LazyQuotes = false
	sr.csv.ReuseRecord = true
	header, err := sr.csv.Read()
	switch {
	case errors.Is(err, io.EOF):
		return nil, errors.New("the file is empty: it needs a header row naming the columns, then one row per signature")
	case err != nil:
		return nil, fmt.Errorf("cannot read the header row: %w", err)
	}
	sr.Header = append([]string(nil), header...)
	sr.line = 1
	for i := range sr.cols {
		sr.cols[i] = -1
	}
	for i, h := range sr.Header {
		if c, ok := headerColumn(h); ok && sr.cols[c] < 0 {
			sr.cols[c] = i
		}
	}
	if sr.cols[colEmail] < 0 {
		return nil, fmt.Errorf("the file has no email column: name one column email (or email_address, e-mail); the header row is %q", models.Clip(strings.Join(sr.Header, ","), 200))
	}
	if sr.cols[colFirstName] < 0 && sr.cols[colName] < 0 {
		return nil, fmt.Errorf("the file has no first_name column: name one column first_name (or firstname, first name, given_name), or give whole names in a name column; the header row is %q", models.Clip(strings.Join(sr.Header, ","), 200))
	}
	return sr, nil
}

// BytesRead is how much of the file has been read so far.
func (sr *SignatureReader) BytesRead() int64 { return sr.count.n }

// Rows is how many data rows have been read so far.
func (sr *SignatureReader) Rows() int { return sr.rows }

// Next returns the next data row, valid or not, or io.EOF after the last.
// A row that cannot be parsed as CSV is returned as invalid and reading
// goes on with the next; an error reading the file itself stops the read
// with an error naming the line. Rows whose fields are all empty are
// skipped.
func (sr *SignatureReader) Next() (Row, error) {
	for {
		before := sr.csv.InputOffset()
		rec, err := sr.csv.Read()
		if errors.Is(err, io.EOF) {
			return Row{}, io.EOF
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) && sr.csv.InputOffset() > before {
			sr.rows++
			sr.line = pe.StartLine
			return Row{Line: pe.StartLine, Reason: fmt.Sprintf("cannot be read as CSV: %v (line %d, column %d)", pe.Err, pe.Line, pe.Column)}, nil
		}
		if err != nil {
			return Row{}, fmt.Errorf("reading the file after line %d: %w", sr.line, err)
		}
		sr.line, _ = sr.csv.FieldPos(0)
		if blank(rec) {
			continue
		}
		sr.rows++
		row := Row{Line: sr.line}
		if reason := sr.check(rec); reason != "" {
			row.Reason, row.Record = reason, append([]string(nil), rec...)
			return row, nil
		}
		sig, fe := sr.signature(rec)
		if len(fe) > 0 {
			row.Reason, row.Record = fe.Error(), append([]string(nil), rec...)
			return row, nil
		}
		row.Signature = sig
		return row, nil
	}
}

// check refuses a record that cannot be read field by field: the wrong
// number of fields, text that is not UTF-8, a NUL character.
func (sr *SignatureReader) check(rec []string) string {
	if len(rec) != len(sr.Header) {
		return fmt.Sprintf("has %d fields, the header has %d", len(rec), len(sr.Header))
	}
	for i, f := range rec {
		if !utf8.ValidString(f) {
			return fmt.Sprintf("column %d is not UTF-8 text: save the file as CSV in UTF-8", i+1)
		}
		if strings.IndexByte(f, 0) >= 0 {
			return fmt.Sprintf("column %d contains a NUL character", i+1)
		}
	}
	return ""
}

// signature builds, normalises and validates the signature of a record.
func (sr *SignatureReader) signature(rec []string) (*models.Signature, models.FieldErrors) {
	get := func(c column) string {
		if i := sr.cols[c]; i >= 0 {
			return rec[i]
		}
		return ""
	}
	s := &models.Signature{
		FirstName: get(colFirstName), LastName: get(colLastName), Email: get(colEmail),
		City: get(colCity), Region: get(colRegion), Country: get(colCountry), PostalCode: get(colPostalCode),
		Comment: get(colComment),
	}
	if sr.cols[colFirstName] < 0 {
		first, last := splitName(get(colName))
		s.FirstName = first
		if strings.TrimSpace(s.LastName) == "" {
			s.LastName = last
		}
	}
	var bad [3]string
	s.SignedAt, bad[0] = parseDate(get(colSignedAt))
	s.ShowName, bad[1] = parseBool(get(colShowName))
	s.SendUpdates, bad[2] = parseBool(get(colSendUpdates))
	s.Normalise()
	fe := s.Validate()
	for i, c := range [3]column{colSignedAt, colShowName, colSendUpdates} {
		if bad[i] != "" {
			fe.Add(columnNames[c], bad[i])
		}
	}
	return s, fe
}

// splitName splits a whole name on its last space: "Mary Ann Lopez" is
// first name "Mary Ann", last name "Lopez".
func splitName(name string) (first, last string) {
	name = strings.Join(strings.Fields(name), " ")
	if i := strings.LastIndexByte(name, ' '); i > 0 {
		return name[:i], name[i+1:]
	}
	return name, ""
}

// parseDate reads a signing date; empty is the zero time (the import
// stamps it with the time of import).
func parseDate(s string) (time.Time, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, ""
	}
	// Try first the layout the value looks like: a failed parse costs an
	// allocation, and there are 300,000 rows.
	likely := time.RFC3339
	switch {
	case len(s) == len(time.DateOnly):
		likely = time.DateOnly
		if strings.IndexByte(s, '/') >= 0 {
			likely = "01/02/2006"
		}
	case len(s) == len(time.DateTime) && s[10] == ' ':
		likely = time.DateTime
	}
	if t, err := time.Parse(likely, s); err == nil {
		return inRange(s, t)
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return inRange(s, t)
		}
	}
	return time.Time{}, fmt.Sprintf("%q is not a date: %s", models.Clip(s, 40), dateHint)
}

// inRange applies the year range every stored time keeps to a signing
// date (models.CheckYear), with the message the deliveries CSV and the
// organiser forms give.
func inRange(s string, t time.Time) (time.Time, string) {
	if err := models.CheckYear(s, t); err != nil {
		return time.Time{}, err.Error()
	}
	return t.UTC(), ""
}

// parseBool reads yes or no; empty is no.
func parseBool(s string) (bool, string) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "yes", "1", "y":
		return true, ""
	case "false", "no", "0", "n", "":
		return false, ""
	}
	return false, fmt.Sprintf("%q is not yes or no: use true/false, yes/no, 1/0 or y/n", models.Clip(s, 40))
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// countingReader counts the bytes read through it, for progress.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
