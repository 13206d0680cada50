package packet

import (
	"strconv"
	"strings"

	"campaigntrack/locale"
)

// The sections of the front matter, as flowPage.section names them.
const (
	sectionCover   = "cover"
	sectionSummary = "summary"
)

// layoutFront lays out the cover and the summary of v.
func layoutFront(v Volume) []flowPage {
	fl := &flow{}
	fl.start(sectionCover)
	cover(fl, v)
	fl.start(sectionSummary)
	summary(fl, v)
	return fl.pages
}

// sectionPage is a front page's footer: where it is in its section, "Cover 1 of 2".
func sectionPage(l locale.Lang, section string, page, pages int) string {
	if section == sectionSummary {
		return locale.TIn(l, "packet.pdf.summary_page", "Page", strconv.Itoa(page), "Pages", strconv.Itoa(pages))
	}
	return locale.TIn(l, "packet.pdf.cover_page", "Page", strconv.Itoa(page), "Pages", strconv.Itoa(pages))
}

const labelW = 96.0

func cover(fl *flow, v Volume) {
	l := v.Lang
	kicker := locale.TIn(l, "packet.pdf.kicker")
	if vol := volumeOf(v); vol != "" {
		kicker += " · " + strings.ToUpper(vol)
	}
	fl.para(kicker, marginX, contentW, true, 9)
	fl.gap(4)
	if v.Draft {
		fl.para(locale.TIn(l, "packet.pdf.draft"), marginX, contentW, true, 16)
		fl.para(locale.TIn(l, "packet.pdf.draft_note"), marginX, contentW, false, textSize)
		fl.gap(6)
	}
	fl.para(v.Title, marginX, contentW, true, 18)
	fl.gap(4)
	fl.field(locale.TIn(l, "packet.pdf.to"), v.Target, labelW)
	fl.field(locale.TIn(l, "packet.pdf.demand"), v.Demand, labelW)

	fl.heading(locale.TIn(l, "packet.pdf.the_delivery"), lineH(textSize))
	fl.field(locale.TIn(l, "packet.pdf.place"), v.Place, labelW)
	fl.field(locale.TIn(l, "packet.pdf.when"), v.When, labelW)
	fl.field(locale.TIn(l, "packet.pdf.received_by"), v.Recipient, labelW)

	fl.heading(locale.TIn(l, "packet.pdf.the_count"), lineH(textSize))
	fl.para(v.CountLine, marginX, contentW, true, 11)
	fl.gap(2)
	fl.para(printedLine(v), marginX, contentW, false, textSize)
	if v.Lines == nil {
		fl.para(locale.TIn(l, "packet.pdf.counts_only"), marginX, contentW, false, textSize)
	} else if v.NamesNote != "" {
		fl.para(locale.TIn(l, "packet.pdf.line_shows", "Names", v.NamesNote), marginX, contentW, false, textSize)
	}
	if v.Unprintable > 0 {
		fl.gap(2)
		fl.para(locale.NIn(l, "packet.pdf.unprintable", int64(v.Unprintable), "Note", v.UnprintableNote), marginX, contentW, false, textSize)
	}

	fl.heading(locale.TIn(l, "packet.pdf.check"), 3*lineH(textSize))
	fl.field(locale.TIn(l, "packet.pdf.code"), v.Code, labelW)
	fl.para(locale.TIn(l, "packet.pdf.check_page"), marginX, contentW, true, textSize)
	fl.para(v.CheckURL, marginX, contentW, false, textSize)
	fl.para(locale.TIn(l, "packet.pdf.manifest_hash"), marginX, contentW, true, textSize)
	// 64 hex digits at 10 pt are at most 407 pt wide: always one line of its own, whatever the
	// digits, so the cover's page count does not depend on the hash (see CoverAndSummaryPages).
	fl.para(v.ManifestSHA256, marginX, contentW, false, textSize)
	fl.gap(2)
	fl.para(locale.TIn(l, "packet.pdf.manifest_note"), marginX, contentW, false, 9)

	if len(v.Sources) > 0 {
		fl.heading(locale.TIn(l, "packet.pdf.by_source"), 2*lineH(tableSize))
		fl.table([]column{
			{title: locale.TIn(l, "packet.pdf.col_source"), w: 160},
			{title: locale.TIn(l, "packet.pdf.col_partner"), w: 124},
			{title: locale.TIn(l, "packet.pdf.col_received"), w: 74, right: true},
			{title: locale.TIn(l, "packet.pdf.col_unique"), w: 73, right: true},
			{title: locale.TIn(l, "packet.pdf.col_shared"), w: 73, right: true},
		}, v.Sources)
	}
	if len(v.Claims) > 0 {
		fl.heading(locale.TIn(l, "packet.pdf.claims"), 2*lineH(textSize))
		for _, c := range v.Claims {
			fl.para(c[0], marginX, contentW, false, textSize)
			if c[1] != "" {
				fl.para(locale.TIn(l, "packet.pdf.claim_source", "Source", c[1]), marginX+12, contentW-12, false, 9)
			}
			fl.gap(4)
		}
	}
	if ps := paragraphs(v.Petition); len(ps) > 0 {
		fl.heading(locale.TIn(l, "packet.pdf.petition"), 2*lineH(textSize))
		if v.PetitionNote != "" {
			fl.para(v.PetitionNote, marginX, contentW, false, 9)
			fl.gap(5)
		}
		for _, p := range ps {
			fl.para(p, marginX, contentW, false, textSize)
			fl.gap(5)
		}
	}
}

// printedLine says how many signers the packet prints and what this volume holds.
func printedLine(v Volume) string {
	l := v.Lang
	s := locale.NIn(l, "packet.pdf.prints", v.Printed)
	if v.Volumes > 1 {
		s = locale.NIn(l, "packet.pdf.prints_volumes", v.Printed, "Volumes", strconv.Itoa(v.Volumes))
	}
	if v.VolumeLabel != "" {
		s = locale.TIn(l, "packet.pdf.volume_holds", "Prints", s, "Label", v.VolumeLabel)
	}
	return s + "."
}

func summary(fl *flow, v Volume) {
	l := v.Lang
	fl.para(locale.TIn(l, "packet.pdf.where"), marginX, contentW, true, 14)
	fl.gap(4)
	places := func(title, head string, ps []Place) {
		if len(ps) == 0 {
			return
		}
		rows := make([][]string, len(ps))
		for i, p := range ps {
			rows[i] = []string{p.Label, locale.NumberIn(l, p.N)}
		}
		fl.heading(title, 2*lineH(tableSize))
		fl.table([]column{{title: head, w: 300}, {title: locale.TIn(l, "packet.pdf.col_signers"), w: 100, right: true}}, rows)
	}
	places(locale.TIn(l, "packet.pdf.by_state"), locale.TIn(l, "packet.pdf.col_state"), v.States)
	places(locale.TIn(l, "packet.pdf.by_city"), locale.TIn(l, "packet.pdf.col_city"), v.Cities)
	if v.OtherPlaces > 0 {
		fl.gap(6)
		fl.para(locale.NIn(l, "packet.pdf.other_places", v.OtherPlaces), marginX, contentW, false, textSize)
	}
	if len(v.States) == 0 && len(v.Cities) == 0 && v.OtherPlaces == 0 {
		fl.para(locale.TIn(l, "packet.pdf.no_place"), marginX, contentW, false, textSize)
	}
}
