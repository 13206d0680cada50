package models

import "unicode"

// LooksLikeFormula is the one answer to "would a spreadsheet read this
// cell as a formula?" (CSV injection, OWASP). The exports neutralise such
// a cell (csvio.Neutralise) and the sign form and signature imports refuse
// such a name (Signature.Validate); both ask here, so what one lets
// through the other catches.
//
// A cell is a formula when its first visible character is =, +, - or @,
// or a full-width or small form of one (＝ ＋ － ＠, ﹦ ﹢ ﹣ ﹫), which
// spreadsheets that fold character widths read as the ASCII sign. Before
// it, what a reader cannot see is skipped: white space of any kind (NBSP,
// the Unicode spaces), control characters, format characters (zero-width
// space and joiners, word joiner, byte-order mark, bidi marks, embeddings
// and isolates, soft hyphen: Unicode's Cf) and the fillers and selectors
// that draw nothing. A tab, carriage return or line feed before the first
// visible character makes it a formula too, whatever follows: some
// spreadsheets move to the next cell on them, and OWASP lists tab and CR
// as triggers. An empty cell, or one of invisible characters only, is
// not a formula.
//
// The rule looks only at the start: "Ana-María" and "a=b" are text.
// Whether a plain negative number ("-73.98") may stay a number is the
// writer's choice per column (csvio.Writer.WriteNumeric), not this rule's.
func LooksLikeFormula(s string) bool {
	for _, r := range s {
		switch {
		case r > ' ' && r < 0x7F: // visible ASCII, the usual first character: decided at once
			return formulaSign(r)
		case r == '\t' || r == '\r' || r == '\n':
			return true
		case invisible(r):
			continue
		}
		return formulaSign(r)
	}
	return false
}

// invisible reports a character that draws nothing before a cell's text.
func invisible(r rune) bool {
	switch {
	case unicode.IsSpace(r), unicode.IsControl(r), unicode.Is(unicode.Cf, r), unicode.Is(unicode.Variation_Selector, r):
		return true
	}
	switch r {
	case '\u034F', // combining grapheme joiner
		'\u115F', '\u1160', '\u3164', '\uFFA0', // Hangul fillers
		'\u2800': // braille blank
		return true
	}
	return false
}

// formulaSign reports a character a spreadsheet reads as the start of a
// formula: the ASCII sign or its full-width or small compatibility form.
func formulaSign(r rune) bool {
	switch r {
	case '=', '+', '-', '@',
		'\uFF1D', '\uFF0B', '\uFF0D', '\uFF20', // full-width ＝ ＋ － ＠
		'\uFE66', '\uFE62', '\uFE63', '\uFE6B': // small ﹦ ﹢ ﹣ ﹫
		return true
	}
	return false
}
