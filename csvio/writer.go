package csvio

import (
	"encoding/csv"
	"io"
	"net/http"
	"strings"
)

// Writer streams a CSV file: the header first, then rows, every cell
// neutralised. Rows collect in a small buffer; Flush sends them on, once a
// batch, so an export never holds the whole file in memory.
type Writer struct {
	csv     *csv.Writer
	flusher http.Flusher // set when w is an HTTP response: Flush sends to the client
	row     []string
}

// BOM is the UTF-8 byte-order mark every CSV download begins with. Excel
// reads a CSV without one in the legacy code page of the machine, so
// "Zoë Nguyễn" shows as "ZoÃ« Nguyá»…n"; with it, as UTF-8. Every reader of
// campaigntrack's CSVs (the signature and deliveries imports) skips it.
const BOM = "\ufeff"

// NewWriter writes the byte-order mark and the header to w and returns the
// writer for the rows. It is the one place a CSV download gets its BOM.
func NewWriter(w io.Writer, header ...string) (*Writer, error) {
	if _, err := io.WriteString(w, BOM); err != nil {
		return nil, err
	}
	return NewPlainWriter(w, header...)
}

// NewPlainWriter is NewWriter without the byte-order mark, for a file that
// scripts read and hash rather than people open in a spreadsheet: the
// delivery packet's manifest.csv, whose SHA-256 is printed on the packet
// and recomputed by sha256sum.
func NewPlainWriter(w io.Writer, header ...string) (*Writer, error) {
	cw := &Writer{csv: csv.NewWriter(w)}
	cw.flusher, _ = w.(http.Flusher)
	if err := cw.Write(header); err != nil {
		return nil, err
	}
	return cw, nil
}

// WriteStored sends a CSV kept as text (an import's rejects, kept on its
// job's row) as a download: with the byte-order mark, once, whether the
// text was stored with one or (before exports had it) without.
func WriteStored(w io.Writer, stored string) error {
	if !strings.HasPrefix(stored, BOM) {
		if _, err := io.WriteString(w, BOM); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, stored)
	return err
}

// Write adds one row, each cell neutralised. The slice is not kept.
func (w *Writer) Write(row []string) error {
	w.row = w.row[:0]
	for _, cell := range row {
		w.row = append(w.row, Neutralise(cell))
	}
	return w.csv.Write(w.row)
}

// WriteNumeric is Write for a row with numeric columns: a cell whose
// numeric entry is true and which is a plain decimal number ("-122.3",
// "270000") is written as it is, so a spreadsheet reads a negative
// coordinate as a number and not as the text "'-122.3". A number is not a
// formula; anything else in such a column, and every other cell, is
// neutralised.
func (w *Writer) WriteNumeric(row []string, numeric []bool) error {
	w.row = w.row[:0]
	for i, cell := range row {
		if i < len(numeric) && numeric[i] && plainNumber(cell) {
			w.row = append(w.row, cell)
		} else {
			w.row = append(w.row, Neutralise(cell))
		}
	}
	return w.csv.Write(w.row)
}

// plainNumber reports whether s is a decimal number with nothing else in
// it: an optional minus sign, digits, and optionally a point and more
// digits. No exponent, no spaces, no second sign: "-1+1" is a formula.
func plainNumber(s string) bool {
	s = strings.TrimPrefix(s, "-")
	whole, frac, hasPoint := strings.Cut(s, ".")
	return digits(whole) && (!hasPoint || digits(frac))
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Flush writes the buffered rows to the underlying writer (and, for an
// HTTP response, on to the client) and reports any write error so far.
func (w *Writer) Flush() error {
	w.csv.Flush()
	if err := w.csv.Error(); err != nil {
		return err
	}
	if w.flusher != nil {
		w.flusher.Flush()
	}
	return nil
}
