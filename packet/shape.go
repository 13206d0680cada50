package packet

import (
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Arabic letters join: each takes an isolated, final, initial or medial form by its neighbours.
// fpdf does no shaping, so shape picks the forms itself from the fonts' Arabic Presentation Forms
// (A and B), which DejaVu Sans holds for the letters of Arabic, Persian and Urdu it covers. The
// table is read from Unicode itself: a presentation form's compatibility decomposition is its
// letter, and a letter's forms are consecutive, isolated, final, initial, medial (two of them for a
// letter that joins only to the one before it).
//
// A joining letter the fonts have no full set of forms for cannot be printed as written, so
// Printable replaces it (arabicPrintable).

type joinForms struct {
	iso, fin, ini, med rune // 0: the letter has no such form (it does not join on that side)
}

const (
	lam     = '\u0644'
	tatweel = '\u0640'
	zwj     = '\u200D'
)

var (
	letterForms map[rune]joinForms // an Arabic letter's forms, all in the fonts
	lamAlef     map[rune]joinForms // lam followed by this alef: the ligature's isolated and final forms
)

// buildArabicForms fills letterForms and lamAlef; covered is the fonts' coverage.
func buildArabicForms(covered func(rune) bool) {
	groups := map[string][]rune{} // a letter's decomposition -> its presentation forms, in order
	addBlock := func(from, to rune) {
		var key string
		var run []rune
		flush := func() {
			if _, taken := groups[key]; len(run) > 0 && !taken {
				groups[key] = run
			}
			run = nil
		}
		for r := from; r <= to; r++ {
			k := norm.NFKD.String(string(r))
			if k != key {
				flush()
				key = k
			}
			if k != string(r) { // a presentation form
				run = append(run, r)
			}
		}
		flush()
	}
	addBlock(0xFE70, 0xFEFC) // Presentation Forms-B first: the Arabic letters' own forms
	addBlock(0xFB50, 0xFDFF) // then A, for Persian and Urdu letters (B has none of theirs)

	toForms := func(run []rune) (joinForms, bool) {
		for _, r := range run {
			if !covered(r) {
				return joinForms{}, false
			}
		}
		switch len(run) {
		case 1:
			return joinForms{iso: run[0]}, true
		case 2:
			return joinForms{iso: run[0], fin: run[1]}, true
		case 4:
			return joinForms{iso: run[0], fin: run[1], ini: run[2], med: run[3]}, true
		}
		return joinForms{}, false
	}
	letterForms, lamAlef = map[rune]joinForms{}, map[rune]joinForms{}
	for r := rune(0x0600); r <= 0x06FF; r++ {
		if !unicode.IsLetter(r) || !covered(r) {
			continue
		}
		if f, ok := toForms(groups[norm.NFKD.String(string(r))]); ok {
			letterForms[r] = f
		}
		switch r {
		case '\u0622', '\u0623', '\u0625', '\u0627': // alef, and alef with madda or hamza
			if f, ok := toForms(groups[norm.NFKD.String(string(lam)+string(r))]); ok && f.fin != 0 {
				lamAlef[r] = f
			}
		}
	}
}

// arabicPrintable: r is not an Arabic letter, or the fonts can print it joined as written.
func arabicPrintable(r rune) bool {
	if r < 0x0600 || r > 0x08FF {
		return true
	}
	if r >= 0x07C0 && r <= 0x07FF { // N'Ko joins too, and the fonts have no joined forms for it
		return false
	}
	if r == tatweel || !unicode.IsLetter(r) {
		return true
	}
	_, ok := letterForms[r]
	return ok
}

// joining types, as ArabicShaping.txt names them.
const (
	joinNone   = iota // U: does not join (a space, a Latin letter, hamza)
	joinRight         // R: joins the letter before it only (alef, dal, reh, waw)
	joinDual          // D: joins on both sides
	joinCauses        // C: tatweel and the zero-width joiner join whatever is beside them
	joinSkip          // T: marks, passed over
)

func joinType(r rune) int {
	switch {
	case r == tatweel || r == zwj:
		return joinCauses
	case isMark(r):
		return joinSkip
	}
	f, ok := letterForms[r]
	switch {
	case !ok:
		return joinNone
	case f.ini != 0:
		return joinDual
	case f.fin != 0:
		return joinRight
	}
	return joinNone
}

// shape gives each Arabic letter of s (Printable text, in reading order) its joined form, and makes
// lam followed by alef the one ligature Arabic requires. Text with no Arabic letter is returned as
// it is.
func shape(s string) string {
	arabic := false
	for _, r := range s {
		if r >= 0x0600 && r <= 0x06FF {
			arabic = true
			break
		}
	}
	if !arabic {
		return s
	}
	rs := []rune(s)
	neighbour := func(i, step int) int { // the joining type of the nearest non-mark beside i
		for j := i + step; j >= 0 && j < len(rs); j += step {
			if t := joinType(rs[j]); t != joinSkip {
				return t
			}
		}
		return joinNone
	}
	out := make([]rune, 0, len(rs))
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		f, ok := letterForms[r]
		if !ok {
			out = append(out, r)
			continue
		}
		prev := neighbour(i, -1)
		joinsBefore := prev == joinDual || prev == joinCauses
		if r == lam {
			if next := nextLetter(rs, i); next > 0 {
				if lig, ok := lamAlef[rs[next]]; ok {
					form := lig.iso
					if joinsBefore {
						form = lig.fin
					}
					out = append(out, form)
					out = append(out, rs[i+1:next]...) // the marks on the lam
					i = next
					continue
				}
			}
		}
		nt := neighbour(i, 1)
		joinsAfter := f.ini != 0 && (nt == joinDual || nt == joinRight || nt == joinCauses)
		joinsBefore = joinsBefore && f.fin != 0
		switch {
		case joinsBefore && joinsAfter:
			out = append(out, f.med)
		case joinsBefore:
			out = append(out, f.fin)
		case joinsAfter:
			out = append(out, f.ini)
		default:
			out = append(out, f.iso)
		}
	}
	return string(out)
}

// nextLetter is the index of the first non-mark after i, or -1.
func nextLetter(rs []rune, i int) int {
	for j := i + 1; j < len(rs); j++ {
		if !isMark(rs[j]) {
			return j
		}
	}
	return -1
}
