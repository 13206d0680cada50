package packet

import (
	"math"
	"strings"
	"unicode"
)

// Page geometry, in points, for US Letter (612 × 792 pt). Every page has a header band at the top and
// a footer at the bottom; signer pages put RowsPerPage rows of rowHeight between them.
const (
	pageW, pageH = 612.0, 792.0
	marginX      = 54.0 // 0.75 in left and right
	contentW     = pageW - 2*marginX

	bandTop, bandH = 30.0, 20.0 // the header band (filled and saying DRAFT on a draft)
	footerRule     = 738.0
	footerBase     = 752.0

	flowTop    = 68.0  // where cover and summary text starts
	flowBottom = 726.0 // and where it must stop

	signerHeadBase = 66.0 // signer pages: the column headings' baseline
	rowsTop        = 73.0
	rowHeight      = 11.8 // 55 × 11.8 = 649 pt: rows end at 722
	numberW        = 52.0 // the signature-number column, right-aligned
	nameX          = marginX + numberW + 8
	nameW          = pageW - marginX - nameX

	bodySize    = 10.0 // a signer line, when it fits
	minOneLine  = 7.0  // below this a long line wraps within its row instead of shrinking further
	footerSize  = 8.0
	textSize    = 10.0 // cover and summary text
	leading     = 1.3  // line height as a multiple of the font size in flowing text
	maxRowLines = 400  // a line longer than this many wrapped lines is shrunk onto one (never cut)
)

// textWidth is how wide s prints, in points, at size pt. s must already be Printable.
func textWidth(s string, b bool, size float64) float64 {
	f := regular
	if b {
		f = bold
	}
	w := 0
	for _, r := range s {
		if r >= 0 && r < 65536 {
			w += int(f.width[r])
		}
	}
	return float64(w) * size / 1000
}

// pdfSize is size as fpdf writes it (two decimals), rounded down so that measured text still fits.
func pdfSize(size float64) float64 { return math.Floor(size*100) / 100 }

// wrap breaks s into lines no wider than maxW at size pt. It breaks at spaces (the space at a break is
// not printed) and, inside a word longer than a line, between characters (never before a combining
// mark). Every other character of s is on one of the lines, in order.
func wrap(s string, b bool, size, maxW float64) []string {
	var lines []string
	for _, hard := range strings.Split(s, "\n") {
		lines = append(lines, wrapLine(hard, b, size, maxW)...)
	}
	return lines
}

func wrapLine(s string, b bool, size, maxW float64) []string {
	if textWidth(s, b, size) <= maxW {
		return []string{s}
	}
	var lines []string
	var cur strings.Builder
	curW := 0.0
	spaceW := textWidth(" ", b, size)
	flush := func() {
		lines = append(lines, cur.String())
		cur.Reset()
		curW = 0
	}
	for i, word := range strings.Split(s, " ") {
		ww := textWidth(word, b, size)
		switch {
		case i == 0:
		case cur.Len() > 0 && curW+spaceW+ww <= maxW:
			cur.WriteByte(' ')
			curW += spaceW
		case cur.Len() > 0:
			flush()
		default:
			// a space at the start of a line (s began with spaces, or two spaces in a row): keep it
			cur.WriteByte(' ')
			curW += spaceW
		}
		if curW+ww <= maxW {
			cur.WriteString(word)
			curW += ww
			continue
		}
		for _, piece := range breakWord(word, b, size, maxW-curW, maxW) {
			if cur.Len() > 0 && curW+textWidth(piece, b, size) > maxW {
				flush()
			}
			cur.WriteString(piece)
			curW += textWidth(piece, b, size)
		}
	}
	flush()
	return lines
}

// breakWord splits a word wider than a line into pieces: the first fits in first, the others in maxW.
// A piece always holds at least one character, so this ends even when one glyph is wider than a line.
func breakWord(word string, b bool, size, first, maxW float64) []string {
	var pieces []string
	room, start, w := first, 0, 0.0
	for i, r := range word {
		rw := textWidth(string(r), b, size)
		if i > start && w+rw > room && !unicode.Is(unicode.Mn, r) {
			pieces = append(pieces, word[start:i])
			start, w, room = i, 0, maxW
		}
		w += rw
	}
	return append(pieces, word[start:])
}

// rowFit is how one signer line is set in its row: at size pt, on len(lines) lines.
type rowFit struct {
	size  float64
	lines []string
}

// fitRow sets text (already Printable) in a signer row without losing a character: at bodySize when
// it fits; shrunk down to minOneLine when that makes it fit; else wrapped on 2, 3, … lines at the size
// that many lines allow in one row. Only a line past any real name (maxRowLines lines) is simply
// shrunk onto one line, however small.
func fitRow(text string) rowFit {
	w := textWidth(text, false, bodySize)
	if w <= nameW {
		return rowFit{bodySize, []string{text}}
	}
	if s := pdfSize(bodySize * nameW / w); s >= minOneLine {
		return rowFit{s, []string{text}}
	}
	for n := 2; n <= maxRowLines; n++ {
		size := pdfSize(math.Min(minOneLine, rowHeight/float64(n)/1.05))
		if size < 0.01 {
			break
		}
		if lines := wrap(text, false, size, nameW); len(lines) <= n {
			return rowFit{size, lines}
		}
	}
	return rowFit{math.Max(0.01, pdfSize(bodySize*nameW/w)), []string{text}}
}
