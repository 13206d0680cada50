package packet

import (
	"fmt"
	"strings"
)

// layoutFront lays out the cover and the summary of v.
func layoutFront(v Volume) []flowPage {
	fl := &flow{}
	fl.start("Cover")
	cover(fl, v)
	fl.start("Summary")
	summary(fl, v)
	return fl.pages
}

const labelW = 96.0

func cover(fl *flow, v Volume) {
	kicker := "DELIVERY PACKET"
	if vol := volumeOf(v); vol != "" {
		kicker += " · " + strings.ToUpper(vol)
	}
	fl.para(kicker, marginX, contentW, true, 9)
	fl.gap(4)
	if v.Draft {
		fl.para("DRAFT", marginX, contentW, true, 16)
		fl.para("This delivery has not been made yet: this packet is a draft, not the petition as delivered.", marginX, contentW, false, textSize)
		fl.gap(6)
	}
	fl.para(v.Title, marginX, contentW, true, 18)
	fl.gap(4)
	fl.field("To", v.Target, labelW)
	fl.field("Demand", v.Demand, labelW)

	fl.heading("The delivery", lineH(textSize))
	fl.field("Place", v.Place, labelW)
	fl.field("When", v.When, labelW)
	fl.field("Received by", v.Recipient, labelW)

	fl.heading("The count", lineH(textSize))
	fl.para(v.CountLine, marginX, contentW, true, 11)
	fl.gap(2)
	fl.para(printedLine(v), marginX, contentW, false, textSize)
	if v.Lines == nil {
		fl.para("This volume prints counts only: no signer's name.", marginX, contentW, false, textSize)
	} else if v.NamesNote != "" {
		fl.para("Each signer line shows: "+v.NamesNote+".", marginX, contentW, false, textSize)
	}
	if v.Unprintable > 0 {
		fl.gap(2)
		fl.para(fmt.Sprintf("%s %s could not be printed as written. %s", thousands(int64(v.Unprintable)),
			plural(v.Unprintable, "name", "names"), v.UnprintableNote), marginX, contentW, false, textSize)
	}

	fl.heading("Check this packet", 3*lineH(textSize))
	fl.field("Code", v.Code, labelW)
	fl.para("Check page", marginX, contentW, true, textSize)
	fl.para(v.CheckURL, marginX, contentW, false, textSize)
	fl.para("Manifest SHA-256", marginX, contentW, true, textSize)
	// 64 hex digits at 10 pt are at most 407 pt wide: always one line of its own, whatever the
	// digits, so the cover's page count does not depend on the hash (see CoverAndSummaryPages).
	fl.para(v.ManifestSHA256, marginX, contentW, false, textSize)
	fl.gap(2)
	fl.para("The manifest is a CSV file with one row per printed signer: its printed text, volume and page. "+
		"sha256sum of that file prints the hash above, and so does the check page.", marginX, contentW, false, 9)

	if len(v.Sources) > 0 {
		fl.heading("The count by source", 2*lineH(tableSize))
		fl.table([]column{
			{title: "Source", w: 160}, {title: "Partner", w: 124},
			{title: "Received", w: 74, right: true}, {title: "Unique", w: 73, right: true}, {title: "Shared", w: 73, right: true},
		}, v.Sources)
	}
	if len(v.Claims) > 0 {
		fl.heading("What others said of the count", 2*lineH(textSize))
		for _, c := range v.Claims {
			fl.para(c[0], marginX, contentW, false, textSize)
			if c[1] != "" {
				fl.para("Source: "+c[1], marginX+12, contentW-12, false, 9)
			}
			fl.gap(4)
		}
	}
	if ps := paragraphs(v.Petition); len(ps) > 0 {
		fl.heading("The petition", 2*lineH(textSize))
		for _, p := range ps {
			fl.para(p, marginX, contentW, false, textSize)
			fl.gap(5)
		}
	}
}

func printedLine(v Volume) string {
	s := fmt.Sprintf("This packet prints %s %s", thousands(v.Printed), plural64(v.Printed, "signer", "signers"))
	if v.Volumes > 1 {
		s += fmt.Sprintf(" in %d volumes", v.Volumes)
	}
	if v.VolumeLabel != "" {
		s += "; this volume holds " + v.VolumeLabel
	}
	return s + "."
}

func summary(fl *flow, v Volume) {
	fl.para("Where the signers are", marginX, contentW, true, 14)
	fl.gap(4)
	places := func(title, head string, ps []Place) {
		if len(ps) == 0 {
			return
		}
		rows := make([][]string, len(ps))
		for i, p := range ps {
			rows[i] = []string{p.Label, thousands(p.N)}
		}
		fl.heading(title, 2*lineH(tableSize))
		fl.table([]column{{title: head, w: 300}, {title: "Signers", w: 100, right: true}}, rows)
	}
	places("Signers by state", "State", v.States)
	places("Signers by city", "City", v.Cities)
	if v.OtherPlaces > 0 {
		fl.gap(6)
		fl.para(fmt.Sprintf("%s %s in places with too few signers to name.", thousands(v.OtherPlaces),
			plural64(v.OtherPlaces, "signer", "signers")), marginX, contentW, false, textSize)
	}
	if len(v.States) == 0 && len(v.Cities) == 0 && v.OtherPlaces == 0 {
		fl.para("No place to show.", marginX, contentW, false, textSize)
	}
}

func plural(n int, one, many string) string { return plural64(int64(n), one, many) }

func plural64(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
