package csvio

import (
	"encoding/csv"
	"io"
	"net/http"
)

// Writer streams a CSV file: the header first, then rows, every cell
// neutralised. Rows collect in a small buffer; Flush sends them on, once a
// batch, so an export never holds the whole file in memory.
type Writer struct {
	csv     *csv.Writer
	flusher http.Flusher // set when w is an HTTP response: Flush sends to the client
	row     []string
}

// NewWriter writes the header to w and returns the writer for the rows.
func NewWriter(w io.Writer, header ...string) (*Writer, error) {
	cw := &Writer{csv: csv.NewWriter(w)}
	cw.flusher, _ = w.(http.Flusher)
	if err := cw.Write(header); err != nil {
		return nil, err
	}
	return cw, nil
}

// Write adds one row, each cell neutralised. The slice is not kept.
func (w *Writer) Write(row []string) error {
	w.row = w.row[:0]
	for _, cell := range row {
		w.row = append(w.row, Neutralise(cell))
	}
	return w.csv.Write(w.row)
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
