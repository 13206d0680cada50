package csvio

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"campaigntrack/models"
)

// DeliveryTable is the columns of the public deliveries CSV and XLSX, in
// the order an export writes them; this order is the documented header.
// An import reads the same columns in any order.
//
// The file holds nothing private: no notes, and nothing about who logged a
// delivery. Nor does it carry media_present, so that cannot come back in
// through an import. Sources are written twice: source_urls has the
// addresses alone, one space apart, for a script; sources names each
// source, with its address in <…> when it has one, as the actions and
// responses CSVs do, so a source known by name only ("The Seattle Times",
// a reprint whose address was not recorded) is in the file too.
var DeliveryTable = Table{
	{"city", Text}, {"region", Text}, {"country", Text}, {"venue", Text}, {"address", Text},
	{"latitude", Number}, {"longitude", Number}, {"kind", Text}, {"status", Text},
	{"scheduled_at", When}, {"delivered_at", When}, {"recipient", Text}, {"signatures_delivered", Number},
	{"delivery_form", Text}, {"outcome", Text}, {"lead_organisation", Text}, {"attendance", Text},
	{"source_urls", Text}, {"sources", Text}, {"outcome_es", Text}, {"packet_lang", Text},
}

// DeliveryColumns are the names of DeliveryTable's columns.
var DeliveryColumns = DeliveryTable.Names()

// The index of each column in DeliveryColumns.
const (
	dCity = iota
	dRegion
	dCountry
	dVenue
	dAddress
	dLatitude
	dLongitude
	dKind
	dStatus
	dScheduledAt
	dDeliveredAt
	dRecipient
	dSignatures
	dForm
	dOutcome
	dLead
	dAttendance
	dSourceURLs
	dSources
	dOutcomeES
	dPacketLang
	numDeliveryColumns
)

// Limits of a deliveries file: a campaign has a few dozen deliveries, so
// anything near these is a wrong file, refused before it fills memory.
const (
	MaxDeliveryRows  = 10_000
	MaxDeliveryBytes = 5 << 20
)

// flushEvery is how many rows a record export writes between flushes.
const flushEvery = 500

// DeliveryRow is a delivery as a row of the deliveries CSV, in the order of
// DeliveryColumns, before neutralising (WriteDeliveries neutralises it).
// Times are ISO 8601 where the delivery happened, with the offset, or the
// date alone when only the day is known; coordinates are plain decimals;
// a line break inside a text is written as LF (see text).
func DeliveryRow(d *models.Delivery) []string {
	row := make([]string, numDeliveryColumns)
	row[dCity], row[dRegion], row[dCountry] = text(d.City), text(d.Region), text(d.Country)
	row[dVenue], row[dAddress] = text(d.Venue), text(d.Address)
	row[dLatitude], row[dLongitude] = formatFloat(d.Latitude), formatFloat(d.Longitude)
	row[dKind], row[dStatus] = text(d.Kind), text(d.Status)
	row[dScheduledAt] = models.FormatWhen(d.ScheduledAt, d.ScheduledDateOnly, d.TimeZone)
	row[dDeliveredAt] = models.FormatWhen(d.DeliveredAt, d.DateOnly, d.TimeZone)
	row[dRecipient] = text(d.Recipient)
	if d.SignaturesDelivered != nil {
		row[dSignatures] = strconv.FormatInt(*d.SignaturesDelivered, 10)
	}
	row[dForm], row[dOutcome], row[dLead], row[dAttendance] = text(d.DeliveryForm), text(d.Outcome), text(d.LeadOrganisation), text(d.Attendance)
	row[dSourceURLs], row[dSources] = sourceURLs(d.Sources), sourcesText(d.Sources)
	row[dOutcomeES], row[dPacketLang] = text(d.OutcomeES), text(d.PacketLang)
	return row
}

// WriteDeliveries writes deliveries as the public deliveries CSV: UTF-8,
// RFC 4180 quoting, lines ending in LF (as every export of campaigntrack),
// the header first, then one row per delivery, flushed every 500 rows.
// Every cell is neutralised against formulas except a plain number in
// latitude, longitude or signatures_delivered.
func WriteDeliveries(w io.Writer, ds []models.Delivery) error {
	return writeRecords(w, DeliveryTable, ds, DeliveryRow)
}

// writeRecords streams rows of records to w: the BOM and the header, then
// a row per record, flushed every flushEvery rows and at the end.
func writeRecords[T any](w io.Writer, table Table, records []T, row func(*T) []string) error {
	cw, err := NewWriter(w, table.Names()...)
	if err != nil {
		return err
	}
	numeric := table.numeric()
	for i := range records {
		if err := cw.WriteNumeric(row(&records[i]), numeric); err != nil {
			return err
		}
		if i%flushEvery == flushEvery-1 {
			if err := cw.Flush(); err != nil {
				return err
			}
		}
	}
	return cw.Flush()
}

// text is a text cell: a line break is written as LF whatever it was
// stored as. A browser sends a textarea's line breaks as CRLF and a file
// import gives LF (encoding/csv reads CRLF inside a quoted cell as LF), so
// without this the same outcome would export as different bytes depending
// on how it came in, and an exported file read back would not export the
// same again.
func text(s string) string {
	return strings.ReplaceAll(s, "\r\n", "\n")
}

func formatFloat(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

// sourceURLs is the source_urls cell: the addresses, one space apart.
// Sources known by name only have no address and are left out.
func sourceURLs(s models.Sources) string {
	return text(strings.Join(s.URLs(), " "))
}

// parseSourcesText reads a sources cell as sourcesText writes it: sources
// separated by "; ", each a name, an address in <…>, or a name and then
// its address in <…> ("The Seattle Times; KPIX <https://kpix.example/a>").
// A "; " inside <…>, or inside brackets in a name, does not separate
// sources. A name that holds "; " outside brackets, or ends in <…>, cannot
// be told from two sources; the form and source_urls
// (models.ParseSources) remain for those.
func parseSourcesText(cell string) (models.Sources, error) {
	out := models.Sources{}
	for _, part := range splitSources(cell) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		var src models.Source
		if strings.HasSuffix(part, ">") {
			if i := strings.LastIndex(part, "<"); i >= 0 {
				src.Name, src.URL = strings.TrimSpace(part[:i]), strings.TrimSpace(part[i+1:len(part)-1])
			}
		}
		if src.URL == "" {
			src.Name = part
		}
		if strings.ContainsFunc(src.URL, unicode.IsSpace) {
			return out, fmt.Errorf("source %d: the address %q contains a space: write each source as a name, an address in <…>, or both, separated by \"; \"", len(out)+1, models.Clip(src.URL, 80))
		}
		out = append(out, src)
	}
	return out, nil
}

// splitSources splits a sources cell at each "; " outside <…>, (…) and
// […]: "The Seattle Times (reprint; address not recorded)" is one source.
func splitSources(cell string) []string {
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(cell); i++ {
		switch cell[i] {
		case '<', '(', '[':
			depth++
		case '>', ')', ']':
			if depth > 0 {
				depth--
			}
		case ';':
			if depth == 0 && i+1 < len(cell) && cell[i+1] == ' ' {
				parts = append(parts, cell[start:i])
				start = i + 2
				i++
			}
		}
	}
	return append(parts, cell[start:])
}

// RowError is what is wrong with one field of one row of a file.
type RowError struct {
	Line    int    // the line the row begins on; the header is line 1
	Field   string // the column, e.g. "latitude"; empty when the row as a whole is wrong
	Message string
}

// Error reads "line 3, latitude: the latitude must be between -90 and 90".
func (e RowError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("line %d: %s", e.Line, e.Message)
	}
	return fmt.Sprintf("line %d, %s: %s", e.Line, e.Field, e.Message)
}

var errTooLarge = fmt.Errorf("the file is larger than %d MB: a deliveries file has a row per delivery, so this is probably not one (or split it)", MaxDeliveryBytes>>20)

// ReadDeliveries reads a deliveries CSV, as WriteDeliveries writes it or as
// organisers prepare it in a spreadsheet. It returns the rows that are
// valid deliveries with the line each began on, and what is wrong with the
// others: one RowError per bad field (or one for the row when it cannot be
// read at all). err is set only when the file as a whole cannot be read:
// empty, not CSV, no city column, more than 10,000 rows or 5 MB; then
// nothing else is returned.
//
// The file is UTF-8 (with or without the byte-order mark an export writes), lines end in LF or CRLF,
// and its first row names the columns of DeliveryColumns, in any order and
// any case, trimmed, with spaces read as underscores; only city is
// required, other columns are ignored. Cells are trimmed, and a leading '
// that an export put before =, +, -, @, a tab or a CR is taken off again.
// Rows whose cells are all empty are skipped.
//
// Each row is parsed (see deliveryReader.delivery), normalised and
// validated as the Store would, so every row returned can be passed to
// Store.ImportDeliveries. Two rows with the same city, region, country and
// venue, the key ImportDeliveries matches existing deliveries by, would
// silently overwrite each other: the second is refused.
func ReadDeliveries(r io.Reader) (rows []models.Delivery, lines []int, errs []RowError, err error) {
	f, err := ReadDeliveryFile(r)
	if err != nil {
		return nil, nil, nil, err
	}
	return f.Rows, f.Lines, f.Errors, nil
}

// DeliveryFile is a deliveries CSV as read: the good rows with the line
// each began on, what is wrong with the others, and the columns the file
// has, so an import updates only what the file carries.
type DeliveryFile struct {
	Rows    []models.Delivery
	Lines   []int
	Errors  []RowError
	Columns []string // of DeliveryColumns, in that order
}

// RefusedRowErrors names the rows an import left out, by line and field.
func RefusedRowErrors(f *DeliveryFile, refused []models.RefusedRow) []RowError {
	var out []RowError
	for _, r := range refused {
		fields := make([]string, 0, len(r.Errors))
		for k := range r.Errors {
			fields = append(fields, k)
		}
		slices.Sort(fields)
		for _, k := range fields {
			out = append(out, RowError{Line: f.Lines[r.Index], Field: k, Message: r.Errors[k] + " (with what is on record for this delivery)"})
		}
	}
	return out
}

// ReadDeliveryFile is ReadDeliveries, telling also which columns the file
// has.
func ReadDeliveryFile(r io.Reader) (*DeliveryFile, error) {
	br := bufio.NewReader(&capReader{r: r, left: MaxDeliveryBytes})
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	} else if bytes.HasPrefix(bom, []byte("\xff\xfe")) || bytes.HasPrefix(bom, []byte("\xfe\xff")) {
		return nil, errors.New("the file is UTF-16 text: save it as CSV in UTF-8")
	}
	dr := &deliveryReader{csv: csv.NewReader(br), seen: map[string]int{}}
	dr.csv.FieldsPerRecord = -1 // rows of the wrong width are reported, not fatal
	if err := dr.readHeader(); err != nil {
		return nil, err
	}
	file := &DeliveryFile{}
	n := 0
	for {
		before := dr.csv.InputOffset()
		rec, err := dr.csv.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if errors.Is(err, errTooLarge) {
			return nil, err
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) && dr.csv.InputOffset() > before {
			// A broken row: report it and go on with the next one.
			if n++; n > MaxDeliveryRows {
				return nil, errTooManyRows
			}
			file.Errors = append(file.Errors, RowError{Line: pe.StartLine, Message: fmt.Sprintf("cannot be read as CSV: %v (line %d, column %d); check the quotes", pe.Err, pe.Line, pe.Column)})
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("cannot read the file after line %d: %w", dr.line, err)
		}
		dr.line, _ = dr.csv.FieldPos(0)
		if blank(rec) {
			continue
		}
		if n++; n > MaxDeliveryRows {
			return nil, errTooManyRows
		}
		d, bad := dr.delivery(rec)
		if len(bad) > 0 {
			file.Errors = append(file.Errors, bad...)
			continue
		}
		file.Rows, file.Lines = append(file.Rows, d), append(file.Lines, dr.line)
	}
	for c, i := range dr.cols {
		// The Store knows a delivery's sources by source_urls; a file that
		// names them in sources alone carries them too.
		if i >= 0 || c == dSourceURLs && dr.cols[dSources] >= 0 {
			file.Columns = append(file.Columns, DeliveryColumns[c])
		}
	}
	return file, nil
}

var errTooManyRows = fmt.Errorf("the file has more than %d rows: a deliveries file has a row per delivery, so this is probably not one (or split it)", MaxDeliveryRows)

// deliveryReader reads the rows of a deliveries CSV after its header.
type deliveryReader struct {
	csv     *csv.Reader
	header  []string
	cols    [numDeliveryColumns]int // the index of each column in the file, or -1
	line    int                     // the line the current record began on
	seen    map[string]int          // the line of each place and venue read so far
	invalid [numDeliveryColumns]bool
}

// readHeader reads the header row and finds the columns.
func (dr *deliveryReader) readHeader() error {
	header, err := dr.csv.Read()
	switch {
	case errors.Is(err, io.EOF):
		return errors.New("the file is empty: it needs a header row naming the columns (city, region, country, venue, …, as in an export), then one row per delivery")
	case errors.Is(err, errTooLarge):
		return err
	case err != nil:
		return fmt.Errorf("cannot read the header row as CSV: %w", err)
	}
	dr.header, dr.line = slices.Clone(header), 1
	for i := range dr.cols {
		dr.cols[i] = -1
	}
	for i, h := range header {
		c := slices.Index(DeliveryColumns, headerName(h))
		if c < 0 {
			continue
		}
		if dr.cols[c] >= 0 {
			return fmt.Errorf("the header names the column %s twice (columns %d and %d): keep one", DeliveryColumns[c], dr.cols[c]+1, i+1)
		}
		dr.cols[c] = i
	}
	if dr.cols[dCity] < 0 {
		return fmt.Errorf("the file has no city column: its first row must name the columns, with at least city (the columns of an export are %s); the header row is %q",
			strings.Join(DeliveryColumns, ","), models.Clip(strings.Join(header, ","), 200))
	}
	return nil
}

// headerName is a column's name as matched: trimmed, lower-case, inner
// spaces read as underscores ("Scheduled At" is scheduled_at).
func headerName(h string) string {
	return strings.Join(strings.Fields(strings.ToLower(h)), "_")
}

// cell is the value of a column in rec: trimmed, and without the ' an
// export put before a cell a spreadsheet would read as a formula. An
// absent column, or one whose text cannot be stored, is empty.
func (dr *deliveryReader) cell(rec []string, c int) string {
	i := dr.cols[c]
	if i < 0 || dr.invalid[c] {
		return ""
	}
	return Unneutralise(strings.TrimSpace(rec[i]))
}

// delivery parses, normalises and validates one record. The errors come
// one per bad field, in the order of the file's columns.
func (dr *deliveryReader) delivery(rec []string) (models.Delivery, []RowError) {
	var d models.Delivery
	if len(rec) != len(dr.header) {
		return d, []RowError{{Line: dr.line, Message: fmt.Sprintf("has %d fields, the header has %d: check the row's commas and quotes", len(rec), len(dr.header))}}
	}
	fe := models.FieldErrors{}
	dr.invalid = [numDeliveryColumns]bool{}
	for c, i := range dr.cols {
		switch {
		case i < 0:
		case !utf8.ValidString(rec[i]):
			fe.Add(DeliveryColumns[c], "the text is not UTF-8: save the file as CSV in UTF-8")
			dr.invalid[c] = true
		case strings.IndexByte(rec[i], 0) >= 0:
			fe.Add(DeliveryColumns[c], "contains a NUL character")
			dr.invalid[c] = true
		}
	}
	get := func(c int) string { return dr.cell(rec, c) }

	d.City, d.Region, d.Country = get(dCity), get(dRegion), strings.ToUpper(get(dCountry))
	d.Venue, d.Address, d.Recipient = get(dVenue), get(dAddress), get(dRecipient)
	d.Outcome, d.LeadOrganisation, d.Attendance = get(dOutcome), get(dLead), get(dAttendance)
	d.OutcomeES, d.PacketLang = get(dOutcomeES), strings.ToLower(get(dPacketLang))
	d.Kind = keyword(get(dKind))
	d.DeliveryForm = strings.ToLower(get(dForm))
	var msg string
	if d.Status, msg = parseStatus(get(dStatus)); msg != "" {
		fe.Add("status", msg)
	}
	// The values a form takes too are read by the models' parsers, so a
	// row and the delivery form refuse a value with the same message.
	var err error
	d.Latitude, err = models.ParseLatitude(get(dLatitude))
	fe.AddError("latitude", err)
	d.Longitude, err = models.ParseLongitude(get(dLongitude))
	fe.AddError("longitude", err)
	d.SignaturesDelivered, err = models.ParseOptionalWhole(get(dSignatures))
	fe.AddError("signatures_delivered", err)
	sourcesFrom := "source_urls"
	if named := get(dSources); named != "" {
		sourcesFrom = "sources"
		d.Sources, err = parseSourcesText(named)
	} else {
		d.Sources, err = models.ParseSources(get(dSourceURLs))
	}
	fe.AddError(sourcesFrom, err)

	// Times without an offset are read where the delivery is, and keep the
	// offset they were given in; the record's zone is where its times were
	// given (models.RecordZone). A file names no zone: its times carry
	// their offsets.
	loc, _ := models.ReadingZone("", d.Country, d.Region) // a place's own zone always loads
	scheduled, err := models.ParseGiven(get(dScheduledAt), loc)
	fe.AddError("scheduled_at", err)
	delivered, err := models.ParseGiven(get(dDeliveredAt), loc)
	fe.AddError("delivered_at", err)
	d.ScheduledAt, d.ScheduledDateOnly = scheduled.At, scheduled.DateOnly // Normalise stores them in UTC
	d.DeliveredAt, d.DateOnly = delivered.At, delivered.DateOnly
	d.TimeZone = models.RecordZone("", d.Country, d.Region, scheduled, delivered)
	d.Normalise()
	for field, m := range d.Validate() {
		if field == "sources" {
			field = sourcesFrom // the column the sources came from
		}
		fe.Add(field, m)
	}
	if len(fe) == 0 {
		key := models.DeliveryKey(&d)
		if first, dup := dr.seen[key]; dup {
			fe.Add("venue", fmt.Sprintf("line %d has the same city, region, country and venue; an import matches deliveries by these, so this row would overwrite that one: give each delivery its own venue", first))
		} else {
			dr.seen[key] = dr.line
		}
	}
	if len(fe) == 0 {
		return d, nil
	}
	return d, dr.rowErrors(fe)
}

// rowErrors lists fe in the order of the file's columns, then fields
// whose column the file lacks, in the order of DeliveryColumns, then any
// other field by name.
func (dr *deliveryReader) rowErrors(fe models.FieldErrors) []RowError {
	out := make([]RowError, 0, len(fe))
	for field, msg := range fe {
		out = append(out, RowError{Line: dr.line, Field: field, Message: msg})
	}
	rank := func(field string) int {
		c := slices.Index(DeliveryColumns, field)
		switch {
		case c < 0:
			return 2 * len(dr.header)
		case dr.cols[c] >= 0:
			return dr.cols[c]
		}
		return len(dr.header) + c
	}
	slices.SortFunc(out, func(a, b RowError) int {
		if ra, rb := rank(a.Field), rank(b.Field); ra != rb {
			return ra - rb
		}
		return strings.Compare(a.Field, b.Field)
	})
	return out
}

// keyword reads a value of a fixed list as people write it: lower-case,
// spaces and hyphens as underscores ("Executive home" is executive_home).
func keyword(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return r == '_' || r == '-' || unicode.IsSpace(r)
	}), "_")
}

// parseStatus reads a status; empty is planned.
func parseStatus(s string) (string, string) {
	if s == "" {
		return models.DeliveryPlanned, ""
	}
	v := keyword(s)
	if v == "canceled" { // the US spelling
		v = models.DeliveryCancelled
	}
	if slices.Contains(models.DeliveryStatuses, v) {
		return v, ""
	}
	return s, fmt.Sprintf("%q is not a status: use one of %s (or leave it empty for planned)", models.Clip(s, 40), strings.Join(models.DeliveryStatuses, ", "))
}

// capReader reads at most left bytes from r and then fails with
// errTooLarge if there is more.
type capReader struct {
	r    io.Reader
	left int64
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		var one [1]byte
		n, err := c.r.Read(one[:])
		if n > 0 {
			return 0, errTooLarge
		}
		return 0, err
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}
