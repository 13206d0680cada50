// Package csvio reads and writes the CSV files organisers exchange with
// campaigntrack: signature exports streamed a batch at a time, and
// signature imports read, checked and stored in batches, with the rows it
// refuses written to a reject file.
package csvio

// Neutralise defends a cell against CSV injection (OWASP): a cell that
// begins with =, +, -, @, a tab or a carriage return would be read by a
// spreadsheet as a formula, so it gets a leading single quote, which
// spreadsheets show as text.
func Neutralise(cell string) string {
	if cell == "" {
		return cell
	}
	switch cell[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + cell
	}
	return cell
}
