// Package packet renders delivery packets: the petition as it is handed over, as PDF volumes of a
// cover, a summary of where the signers are, and the signers, RowsPerPage to a page. It renders
// data already prepared (which signers, their printed text, the manifest's hash, the code); it
// decides nothing about them.
//
// Every character printed goes through Printable: the fonts (DejaVu Sans and its bold, embedded and
// subset) print Latin with every diacritic, Greek, Cyrillic, Armenian, Georgian, Hebrew and Arabic
// letters; a character they lack is shown by its code point, never dropped. fpdf draws characters
// left to right as stored and shapes nothing, so this package joins Arabic letters itself (shape.go)
// and draws each line in visual order (bidi.go): Hebrew and Arabic names print as they are read,
// and pdftotext reads them back as typed.
package packet

import (
	"errors"
	"fmt"
	"io"
	"iter"
	"strconv"
	"time"

	"campaigntrack/locale"
)

// RowsPerPage is how many signers a signer page holds.
const RowsPerPage = 55

// Line is one printed signer: Number is its position in the whole packet (1-based), Text what is printed.
type Line struct {
	Number int
	Text   string
}

// Place is a count of signers in a state or city.
type Place struct {
	Label string
	N     int64
}

// Volume is everything one PDF volume prints. Its fixed text (headings, labels, footers) is printed
// in Lang; the texts it is given are printed as they are, so the caller gives them in Lang too.
type Volume struct {
	Lang locale.Lang // the language the volume prints in; "" is English
	// The cover (printed first in every volume).
	Title, Target, Demand, Petition string      // the campaign's title, target, demand, and petition text (paragraphs split on blank lines)
	PetitionNote                    string      // a line printed above the petition text, as that it is in another language than Lang ("" for none)
	Place, When, Recipient          string      // the delivery's place ("Seattle, WA"), its date/time in words, who received it
	Draft                           bool        // not yet delivered: "DRAFT" marked on every page (header band), and on the cover
	CountLine                       string      // e.g. "270,123 signatures at delivery, counted 15 July 2019 at 10:02 UTC"
	Printed                         int64       // how many signers the whole packet prints
	Sources                         [][]string  // rows of the by-source table, already formatted: name, partner, received, unique, shared
	Claims                          [][2]string // press/partner claims: the claim text, its source
	Code, CheckURL, ManifestSHA256  string      // the verification code, the public check page's URL, the manifest's hash (hex)
	VolumeNo, Volumes               int
	VolumeLabel                     string // what this volume holds: "Washington" or "Signatures 1–50,000"
	NamesNote                       string // what each signer line shows: "first name, last initial, city and state"
	Unprintable                     int    // names in the whole packet that could not be printed as written
	UnprintableNote                 string // how they appear instead (pass UnprintableNoteIn(Lang))
	// The summary (printed after the cover in every volume; a table is skipped when empty).
	States, Cities []Place
	OtherPlaces    int64 // signers in places too small to name
	// The signers: streamed, in order; nil for a counts-only packet (then no signer pages at all).
	Lines     iter.Seq[Line]
	LineCount int // how many Lines yields (so page N of M is known before rendering)
	// Made is the PDF's creation date (its metadata, not printed); zero means now. Set it to make
	// the same volume twice into the same bytes.
	Made time.Time
}

// SignerPages is how many signer pages n lines take.
func SignerPages(n int) int {
	if n <= 0 {
		return 0
	}
	return (n + RowsPerPage - 1) / RowsPerPage
}

// CoverAndSummaryPages is how many pages come before the first signer page of v: its cover pages
// and its summary pages. The i-th line Lines yields (0-based, within this volume) is on PDF page
// CoverAndSummaryPages(v) + i/RowsPerPage + 1. It depends on whether Lines is nil (a counts-only
// cover says so), not on what Lines yields nor on LineCount, and not on the value of ManifestSHA256
// (any 64 hex digits set alike), so it can be called before the manifest is hashed.
func CoverAndSummaryPages(v Volume) int {
	loadFaces()
	if errFontsUnusable != nil {
		return 0
	}
	return len(layoutFront(v))
}

// WriteVolume renders v as one PDF to w. Signer pages hold RowsPerPage lines each, numbered on their
// own ("Signatures page N of M", M = SignerPages(v.LineCount)), each footed with the code, "page N of
// M" and the range of signature numbers it holds ("Signatures 1–55"). Cover and summary pages are
// footed with the code too. Draft volumes say DRAFT on every page.
//
// Nothing is written to w unless the whole volume rendered: an error (Lines yielding more or fewer
// lines than LineCount, a failure in the PDF library) leaves w untouched.
func WriteVolume(w io.Writer, v Volume) error {
	loadFaces()
	if errFontsUnusable != nil {
		return errFontsUnusable
	}
	if v.Lines == nil && v.LineCount != 0 {
		return fmt.Errorf("packet: LineCount is %d but Lines is nil", v.LineCount)
	}
	if v.LineCount < 0 {
		return fmt.Errorf("packet: LineCount is %d", v.LineCount)
	}
	d := newDrawer(v)
	front := layoutFront(v)
	sections := map[string]int{}
	for _, p := range front {
		sections[p.section]++
	}
	seen := map[string]int{}
	for _, p := range front {
		seen[p.section]++
		d.page()
		for _, o := range p.ops {
			d.op(o)
		}
		d.footer(sectionPage(v.Lang, p.section, seen[p.section], sections[p.section]), volumeOf(v))
	}
	if err := d.signers(v); err != nil {
		return err
	}
	if err := d.pdf.Error(); err != nil {
		return fmt.Errorf("packet: %w", err)
	}
	return d.pdf.Output(w)
}

func volumeOf(v Volume) string {
	if v.Volumes <= 0 {
		return ""
	}
	return locale.TIn(v.Lang, "packet.pdf.volume_of", "Volume", strconv.Itoa(v.VolumeNo), "Volumes", strconv.Itoa(v.Volumes))
}

// errLineCount is what WriteVolume says when Lines and LineCount disagree.
var errLineCount = errors.New("packet: Lines yielded a different number of lines than LineCount")
