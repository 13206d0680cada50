// Package csvio reads and writes the CSV files organisers exchange with
// campaigntrack: signature exports streamed a batch at a time, and
// signature imports read, checked and stored in batches, with the rows it
// refuses written to a reject file.
package csvio

import (
	"strings"

	"campaigntrack/models"
)

// Neutralise defends a cell against CSV injection (OWASP): a cell a
// spreadsheet would read as a formula (models.LooksLikeFormula: =, +, -,
// @ or their full-width forms as the first visible character, or a tab,
// CR or LF before it) gets a leading single quote, which spreadsheets show
// as text. The rule is the one the sign form applies to names, so the two
// cannot drift apart.
func Neutralise(cell string) string {
	if models.LooksLikeFormula(cell) {
		return "'" + cell
	}
	return cell
}

// Unneutralise undoes Neutralise: a cell that is ' followed by what
// Neutralise quotes loses the ', and what is left is trimmed (as every
// cell an import reads is). A value that itself began with ' and a formula
// reads back without its '; no other cell changes.
func Unneutralise(cell string) string {
	if strings.HasPrefix(cell, "'") && models.LooksLikeFormula(cell[1:]) {
		return strings.TrimSpace(cell[1:])
	}
	return cell
}
