package packet

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"campaigntrack/locale"
)

// drawer puts pages into one fpdf document. fpdf keeps the whole document in memory until Output,
// so a volume is one PDF in memory and nothing reaches the writer before it is whole. Measured
// (BenchmarkWriteVolume, 2-core machine): a 50,000-line volume (910 signer pages) renders in about
// 0.5 s into a 1.9 MiB PDF with 45-80 MiB of heap in use at its peak; six of them one after another
// (300,000 signers) take 2.8 s in a process of 41 MiB maximum RSS. Most of what it allocates
// (1.1 GiB a volume, all short-lived) is fpdf's new zlib writer for every page.
type drawer struct {
	pdf      *fpdf.Fpdf
	v        Volume
	bold     bool
	size     float64
	title    string // the running head: "Delivery packet · <title>"
	volume   string // "Volume 1 of 6"
	draft    string // the header band's mark on a draft: "DRAFT — NOT DELIVERED"
	headSize float64
	number   func(int64) string // a signer's number as v.Lang writes it (see rowNumbers)
}

const family = "dejavu"

func newDrawer(v Volume) *drawer {
	pdf := fpdf.New("P", "pt", "Letter", "")
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(marginX, flowTop, marginX)
	pdf.AddUTF8FontFromBytes(family, "", regularTTF)
	pdf.AddUTF8FontFromBytes(family, "B", boldTTF)
	pdf.SetCatalogSort(true)
	made := v.Made
	if made.IsZero() {
		made = time.Now()
	}
	pdf.SetCreationDate(made.UTC())
	pdf.SetModificationDate(made.UTC())
	meta, _ := Printable(v.Title) // the metadata holds text in reading order, as typed
	pdf.SetTitle(locale.TIn(v.Lang, "packet.pdf.meta_title", "Title", meta), true)
	title := printText(v.Title)
	pdf.SetSubject(volumeOf(v), true)
	pdf.SetCreator("campaigntrack", true)
	pdf.SetLineWidth(0.5)
	pdf.SetFont(family, "", bodySize)
	d := &drawer{pdf: pdf, v: v, size: bodySize, volume: volumeOf(v), draft: locale.TIn(v.Lang, "packet.pdf.draft_mark"), number: rowNumbers(v.Lang)}
	d.title, d.headSize = runningHead(v.Lang, title, d.draftMark(), d.volume)
	return d
}

// draftMark is what the header band says before the running head: the draft mark on a draft, else nothing.
func (d *drawer) draftMark() string {
	if d.v.Draft {
		return d.draft
	}
	return ""
}

// runningHead fits the title into the header band beside the draft mark and the volume: shrunk down
// to 6 pt, then, since the cover prints the title whole, cut with an ellipsis.
func runningHead(l locale.Lang, title, draftMark, volume string) (string, float64) {
	head := locale.TIn(l, "packet.pdf.running_head", "Title", title)
	room := contentW - 24 - textWidth(volume, false, 8.5)
	if draftMark != "" {
		room -= textWidth(draftMark+"  ", true, 8.5)
	}
	size := 8.5
	if w := textWidth(head, false, size); w > room {
		size = max(6, pdfSize(size*room/w))
	}
	if textWidth(head, false, size) <= room {
		return head, size
	}
	runes := []rune(head)
	for len(runes) > 0 && textWidth(string(runes)+"…", false, size) > room {
		runes = runes[:len(runes)-1]
	}
	return string(runes) + "…", size
}

func (d *drawer) font(b bool, size float64) {
	if b != d.bold || size != d.size {
		style := ""
		if b {
			style = "B"
		}
		d.pdf.SetFont(family, style, size)
		d.bold, d.size = b, size
	}
}

func (d *drawer) text(x, y float64, b bool, size float64, s string) {
	if s == "" {
		return
	}
	d.font(b, size)
	d.pdf.Text(x, y, visual(s))
}

func (d *drawer) op(o op) {
	switch o.kind {
	case opText:
		d.text(o.x, o.y, o.bold, o.size, o.text)
	case opRule:
		d.pdf.SetDrawColor(160, 160, 160)
		d.pdf.Line(o.x, o.y, o.x+o.w, o.y)
	}
}

// page starts a page with its header band: grey, or red and saying DRAFT on a draft.
func (d *drawer) page() {
	d.pdf.AddPage()
	const size = 8.5
	base := bandTop + bandH/2 + 3
	x := marginX
	if d.v.Draft {
		d.pdf.SetFillColor(170, 20, 20)
		d.pdf.Rect(marginX-6, bandTop, contentW+12, bandH, "F")
		d.pdf.SetTextColor(255, 255, 255)
		d.text(x, base, true, size, d.draft)
		x += textWidth(d.draft+"  ", true, size)
	} else {
		d.pdf.SetFillColor(232, 232, 232)
		d.pdf.Rect(marginX-6, bandTop, contentW+12, bandH, "F")
	}
	d.text(x, base, false, d.headSize, d.title)
	d.text(pageW-marginX-textWidth(d.volume, false, size), base, false, size, d.volume)
	// Black text on a black fill: fpdf then writes text without a colour change around each string.
	d.pdf.SetTextColor(0, 0, 0)
	d.pdf.SetFillColor(0, 0, 0)
}

// footer foots the current page: the code at the left, where the page is in its section in the
// middle, and right what the page holds.
func (d *drawer) footer(middle, right string) {
	d.pdf.SetDrawColor(160, 160, 160)
	d.pdf.Line(marginX, footerRule, pageW-marginX, footerRule)
	left := locale.TIn(d.v.Lang, "packet.pdf.footer_code", "Code", printText(d.v.Code))
	if d.v.Draft {
		left = locale.TIn(d.v.Lang, "packet.pdf.footer_draft", "Footer", left)
	}
	d.text(marginX, footerBase, false, footerSize, left)
	d.text(pageW/2-textWidth(middle, false, footerSize)/2, footerBase, false, footerSize, middle)
	d.text(pageW-marginX-textWidth(right, false, footerSize), footerBase, false, footerSize, right)
}

// signers draws the signer pages: RowsPerPage rows each, in the order Lines yields them.
func (d *drawer) signers(v Volume) error {
	if v.Lines == nil {
		return nil
	}
	l := v.Lang
	pages := SignerPages(v.LineCount)
	names := locale.TIn(l, "packet.pdf.col_signer")
	if v.NamesNote != "" {
		names = locale.TIn(l, "packet.pdf.col_signer_shows", "Names", printText(v.NamesNote))
	}
	number := locale.TIn(l, "packet.pdf.col_number")
	n, page, first, last := 0, 0, 0, 0
	endPage := func() {
		d.footer(locale.TIn(l, "packet.pdf.signer_page", "Page", strconv.Itoa(page), "Pages", strconv.Itoa(pages)),
			locale.TIn(l, "packet.pdf.signer_range", "First", locale.NumberIn(l, int64(first)), "Last", locale.NumberIn(l, int64(last))))
	}
	for line := range v.Lines {
		if n == v.LineCount {
			n++ // one too many: stop reading
			break
		}
		row := n % RowsPerPage
		if row == 0 {
			if n > 0 {
				endPage()
			}
			page++
			first = line.Number
			d.page()
			d.text(marginX+numberW-textWidth(number, true, 8.5), signerHeadBase, true, 8.5, number)
			d.text(nameX, signerHeadBase, true, 8.5, names)
			d.pdf.SetDrawColor(160, 160, 160)
			d.pdf.Line(marginX, signerHeadBase+4, pageW-marginX, signerHeadBase+4)
			d.pdf.SetDrawColor(215, 215, 215)
		}
		d.row(row, line)
		last = line.Number
		n++
	}
	if n > v.LineCount {
		return fmt.Errorf("%w: more than %d", errLineCount, v.LineCount)
	}
	if n < v.LineCount {
		return fmt.Errorf("%w: %d, not %d", errLineCount, n, v.LineCount)
	}
	if n > 0 {
		endPage()
	}
	return nil
}

// row draws one signer: its number right-aligned, its text fitted to the row (see fitRow), and a
// faint rule under every fifth row to guide the eye along the page.
func (d *drawer) row(row int, line Line) {
	top := rowsTop + float64(row)*rowHeight
	num := d.number(int64(line.Number))
	d.text(marginX+numberW-textWidth(num, false, bodySize), top+rowHeight/2+0.36*bodySize, false, bodySize, num)
	fit := fitRow(printText(line.Text))
	pitch := rowHeight / float64(len(fit.lines))
	for i, l := range fit.lines {
		d.text(nameX, top+pitch*float64(i)+pitch/2+0.36*fit.size, false, fit.size, l)
	}
	if row%5 == 4 && row != RowsPerPage-1 {
		d.pdf.Line(marginX, top+rowHeight, pageW-marginX, top+rowHeight)
	}
}

// rowNumbers writes signers' numbers as the language l does. locale.NumberIn takes 1.5 µs a call
// (x/text's printer): once a row, 75 ms of a 50,000-line volume's 0.8 s. So the language's digit
// grouping is read once, from two numbers it writes, and applied to each number here; a language
// whose numbers these two do not describe (one that groups only from five digits up, say) goes
// through locale.NumberIn for every number.
func rowNumbers(l locale.Lang) func(int64) string {
	thousand := locale.NumberIn(l, 1000)
	sep := strings.TrimSuffix(strings.TrimPrefix(thousand, "1"), "000")
	if thousand != "1"+sep+"000" || locale.NumberIn(l, 1234567) != "1"+sep+"234"+sep+"567" {
		return func(n int64) string { return locale.NumberIn(l, n) }
	}
	return func(n int64) string {
		if n < 0 {
			return locale.NumberIn(l, n)
		}
		digits := strconv.FormatInt(n, 10)
		var b strings.Builder
		b.Grow(len(digits) + len(digits)/3*len(sep))
		for i := range len(digits) {
			if i > 0 && (len(digits)-i)%3 == 0 {
				b.WriteString(sep)
			}
			b.WriteByte(digits[i])
		}
		return b.String()
	}
}
