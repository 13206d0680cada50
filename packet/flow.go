package packet

import (
	"regexp"
	"strings"
)

// The cover and the summary are laid out first, as pages of drawing operations, and drawn after:
// so their page count ("Cover 1 of K") is known before the first page is drawn, and
// CoverAndSummaryPages can count them without making a PDF.

type opKind uint8

const (
	opText opKind = iota
	opRule        // a hairline from (x, y) to (x+w, y)
)

type op struct {
	kind opKind
	x, y float64 // text: x of its left edge, y of its baseline
	w    float64
	bold bool
	size float64
	text string
}

type flowPage struct {
	section string // "Cover" or "Summary"
	ops     []op
}

// flow lays text out from flowTop down, starting a new page of its section when a block does not fit.
type flow struct {
	pages   []flowPage
	section string
	y       float64
}

func (fl *flow) start(section string) {
	fl.section = section
	fl.newPage()
}

func (fl *flow) newPage() {
	fl.pages = append(fl.pages, flowPage{section: fl.section})
	fl.y = flowTop
}

// need starts a new page unless h more points fit on this one (a block taller than a page starts on
// a page of its own and overflows nothing: lines place themselves one by one).
func (fl *flow) need(h float64) {
	if fl.y+h > flowBottom && fl.y > flowTop {
		fl.newPage()
	}
}

func (fl *flow) add(o op) {
	p := &fl.pages[len(fl.pages)-1]
	p.ops = append(p.ops, o)
}

func (fl *flow) gap(h float64) { fl.y += h }

func lineH(size float64) float64 { return size * leading }

// lines places already-wrapped lines at x, one under another, breaking pages between lines.
func (fl *flow) lines(ls []string, x float64, b bool, size float64) {
	for _, l := range ls {
		fl.need(lineH(size))
		fl.add(op{kind: opText, x: x, y: fl.y + size, bold: b, size: size, text: l})
		fl.y += lineH(size)
	}
}

// para prints free text (a title, a petition paragraph) wrapped to w: line breaks in it are kept,
// tabs are spaces, and every character goes through Printable.
func (fl *flow) para(s string, x, w float64, b bool, size float64) {
	fl.lines(setText(s, b, size, w), x, b, size)
}

// setText makes free text printable and wraps it to w.
func setText(s string, b bool, size, w float64) []string {
	var out []string
	for _, hard := range strings.Split(cleanFlow(s), "\n") {
		out = append(out, wrap(printText(hard), b, size, w)...)
	}
	return out
}

func cleanFlow(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.ReplaceAll(s, "\t", " ")
}

var blankLines = regexp.MustCompile(`\n[ \t]*\n\s*`)

// paragraphs splits text on blank lines, dropping empty paragraphs.
func paragraphs(s string) []string {
	var out []string
	for _, p := range blankLines.Split(cleanFlow(s), -1) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// heading prints a section heading, kept on a page with at least keep points of what follows.
func (fl *flow) heading(s string, keep float64) {
	const size = 12.0
	fl.gap(8)
	fl.need(lineH(size) + 4 + keep)
	fl.para(s, marginX, contentW, true, size)
	fl.gap(2)
}

// field prints "label  value" with the value wrapped beside the label; an empty value prints nothing.
func (fl *flow) field(label, value string, labelW float64) {
	if strings.TrimSpace(value) == "" {
		return
	}
	labelLines := setText(label, true, textSize, labelW-6)
	valueLines := setText(value, false, textSize, contentW-labelW)
	h := float64(max(len(labelLines), len(valueLines))) * lineH(textSize)
	if h > flowBottom-flowTop { // taller than a page: the value flows on under its label
		fl.lines(labelLines, marginX, true, textSize)
		fl.lines(valueLines, marginX+labelW, false, textSize)
		return
	}
	fl.need(h)
	for i, l := range labelLines {
		fl.add(op{kind: opText, x: marginX, y: fl.y + textSize + float64(i)*lineH(textSize), bold: true, size: textSize, text: l})
	}
	for i, l := range valueLines {
		fl.add(op{kind: opText, x: marginX + labelW, y: fl.y + textSize + float64(i)*lineH(textSize), size: textSize, text: l})
	}
	fl.y += h
}

// column is one column of a table.
type column struct {
	title string
	w     float64
	right bool // numbers: right-aligned
}

const tableSize = 9.0

// table prints rows (already formatted cells) under a header row that is repeated on every page the
// table continues on. Cells wrap within their column; a row is never split across pages unless it is
// taller than a page.
func (fl *flow) table(cols []column, rows [][]string) {
	const pad = 6.0
	set := func(cells []string, b bool) ([][]string, float64) {
		out := make([][]string, len(cols))
		n := 1
		for i, c := range cols {
			cell := ""
			if i < len(cells) {
				cell = cells[i]
			}
			out[i] = setText(cell, b, tableSize, c.w-pad)
			n = max(n, len(out[i]))
		}
		return out, float64(n) * lineH(tableSize)
	}
	titles := make([]string, len(cols))
	for i, c := range cols {
		titles[i] = c.title
	}
	head, headH := set(titles, true)
	drawRow := func(cells [][]string, b bool, h float64) {
		x := marginX
		for i, c := range cols {
			for j, l := range cells[i] {
				lx := x
				if c.right {
					lx = x + c.w - pad - textWidth(l, b, tableSize)
				}
				fl.add(op{kind: opText, x: lx, y: fl.y + tableSize + float64(j)*lineH(tableSize), bold: b, size: tableSize, text: l})
			}
			x += c.w
		}
		fl.y += h
	}
	header := func() {
		drawRow(head, true, headH)
		fl.add(op{kind: opRule, x: marginX, y: fl.y + 1, w: tableWidth(cols)})
		fl.y += 3
	}
	for i, r := range rows {
		cells, h := set(r, false)
		if i == 0 {
			fl.need(headH + 3 + h)
			header()
		} else if fl.y+h > flowBottom {
			fl.newPage()
			header()
		}
		if h > flowBottom-fl.y { // a row taller than a page: its cells one after another
			x := marginX
			for k, c := range cols {
				fl.lines(cells[k], x, false, tableSize)
				x += c.w
			}
			continue
		}
		drawRow(cells, false, h)
	}
}

func tableWidth(cols []column) float64 {
	w := 0.0
	for _, c := range cols {
		w += c.w
	}
	return w
}
