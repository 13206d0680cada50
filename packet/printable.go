package packet

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"campaigntrack/locale"
)

// UnprintableNoteIn says in words, in the language l, how unprintable characters appear (for the
// cover).
func UnprintableNoteIn(l locale.Lang) string { return locale.TIn(l, "packet.pdf.unprintable_note") }

// UnprintableNote is UnprintableNoteIn(locale.English).
var UnprintableNote = UnprintableNoteIn(locale.English)

// Printable returns s as the embedded fonts print it, and whether it is unchanged. A character the
// fonts have no glyph for is never dropped silently: it is replaced by a visible stand-in (for example
// its code point "U+4E2D" in brackets), so the printed text still tells what was there.
//
// s is first put in Unicode normal form C, so a letter typed as a base and a combining accent prints
// as the one precomposed letter the fonts hold; that changes no character as read, so ok stays true.
// ok is false when any character had to be replaced: one outside the Basic Multilingual Plane (fpdf
// writes 16-bit codes only), one neither font maps to a glyph, a control character, a byte that is
// not UTF-8 (shown as [0xFF]), an Arabic or N'Ko letter the fonts cannot join as written, or an
// explicit bidirectional control. Stand-ins are ASCII, so Printable(Printable(s)) is Printable(s).
func Printable(s string) (printed string, ok bool) {
	loadFaces()
	if errFontsUnusable != nil {
		panic(errFontsUnusable) // the embedded fonts are part of the binary; tests parse them
	}
	s = norm.NFC.String(s)
	if fullyPrintable(s) {
		return s, true
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	inRun := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		var standIn string
		switch {
		case r == utf8.RuneError && size == 1:
			standIn = fmt.Sprintf("0x%02X", s[i])
		case !printableRune(r):
			standIn = fmt.Sprintf("U+%04X", r)
		}
		i += size
		if standIn == "" {
			if inRun {
				b.WriteByte(']')
				inRun = false
			}
			b.WriteRune(r)
			continue
		}
		if inRun {
			b.WriteByte(' ')
		} else {
			b.WriteByte('[')
			inRun = true
		}
		b.WriteString(standIn)
	}
	if inRun {
		b.WriteByte(']')
	}
	return b.String(), false
}

func fullyPrintable(s string) bool {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return false
			}
		}
		if !printableRune(r) {
			return false
		}
	}
	return true
}

// printableRune: the fonts draw r. Control characters (a tab, a newline in a name) are never
// printable, whatever the font maps them to: they would move or vanish instead of showing.
func printableRune(r rune) bool {
	if r < 0x80 {
		return r >= 0x20 && r < 0x7F
	}
	if r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 {
		return false // explicit bidirectional embeddings, overrides and isolates: shown, not obeyed
	}
	return !unicode.IsControl(r) && printableCoverage.has(r) && arabicPrintable(r)
}

// printText is what the drawer is given of any text: Printable, then shaped (its Arabic letters
// joined); still in reading order, as measured and wrapped. The drawer puts each line in visual
// order as it draws it.
func printText(s string) string {
	p, _ := Printable(s)
	return shape(p)
}
