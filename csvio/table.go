package csvio

// Kind is what a column of an export holds. It decides how a cell is
// written in both formats, so the CSV and the XLSX of an export cannot
// drift apart: they are written from the same Table and the same rows.
type Kind uint8

const (
	// Text is written as text: in a CSV neutralised against formulas (see
	// Neutralise), in an XLSX as a string cell, which a spreadsheet neither
	// evaluates nor reinterprets (a ZIP code 02134 keeps its zero).
	Text Kind = iota
	// Number is a plain decimal ("-122.3", "270000"): bare in a CSV, a
	// number cell in an XLSX. Anything else in such a column is Text.
	Number
	// When is a time as ISO 8601: a date ("2019-07-15") or a date and time
	// with its offset ("2019-07-15T10:00:00-07:00", "…Z"). A CSV writes it
	// as it is; an XLSX as a real date or date-time cell, at the clock time
	// the CSV shows (a spreadsheet has no time zones).
	When
)

// Column is one column of an export: its name in the header, and its kind.
type Column struct {
	Name string
	Kind Kind
}

// Table is the columns of an export, in order.
type Table []Column

// Names are the table's column names, the header of its CSV and XLSX.
func (t Table) Names() []string {
	out := make([]string, len(t))
	for i, c := range t {
		out[i] = c.Name
	}
	return out
}

// numeric marks the Number columns, for Writer.WriteNumeric.
func (t Table) numeric() []bool {
	out := make([]bool, len(t))
	for i, c := range t {
		out[i] = c.Kind == Number
	}
	return out
}
