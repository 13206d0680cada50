package packet

import (
	"unicode"

	"golang.org/x/text/unicode/bidi"
)

// fpdf draws a string's characters left to right in the order they are stored, and shapes nothing.
// Hebrew or Arabic stored in reading order would then print mirrored, and Arabic unjoined. So every
// string is drawn in visual order (visual, below), Arabic letters first given their joined forms
// (shape, in shape.go).
//
// visual is the Unicode bidirectional algorithm (UAX #9) for one line of a left-to-right page,
// without explicit embeddings (Printable replaces those controls): weak types resolved (W1-W7),
// neutrals take the direction of the strong text around them (N1-N2), levels 0, 1 and 2 (I1), then
// every run at level 2, and then at level 1 or more, reversed (L2), a combining mark kept after its
// letter (L3) and brackets mirrored in right-to-left runs (L4). Text with no right-to-left character
// is returned as it is, at no cost.
func visual(s string) string {
	if !hasRTL(s) {
		return s
	}
	rs := []rune(s)
	cls := make([]bidi.Class, len(rs))
	for i, r := range rs {
		p, _ := bidi.LookupRune(r)
		cls[i] = p.Class()
	}
	levels := resolveLevels(cls)

	// Clusters: a letter and the marks that follow it move together.
	type cluster struct{ from, to, level int }
	var cs []cluster
	for i := 0; i < len(rs); {
		j := i + 1
		for j < len(rs) && isMark(rs[j]) {
			j++
		}
		cs = append(cs, cluster{i, j, levels[i]})
		i = j
	}
	for lvl := 2; lvl >= 1; lvl-- {
		for i := 0; i < len(cs); {
			if cs[i].level < lvl {
				i++
				continue
			}
			j := i
			for j < len(cs) && cs[j].level >= lvl {
				j++
			}
			for a, b := i, j-1; a < b; a, b = a+1, b-1 {
				cs[a], cs[b] = cs[b], cs[a]
			}
			i = j
		}
	}
	out := make([]rune, 0, len(rs))
	for _, c := range cs {
		for k := c.from; k < c.to; k++ {
			r := rs[k]
			if c.level%2 == 1 {
				if m, ok := mirrored[r]; ok {
					r = m
				}
			}
			out = append(out, r)
		}
	}
	return string(out)
}

func isMark(r rune) bool { return unicode.In(r, unicode.Mn, unicode.Me) }

var mirrored = map[rune]rune{
	'(': ')', ')': '(', '[': ']', ']': '[', '{': '}', '}': '{', '<': '>', '>': '<',
	'«': '»', '»': '«', '‹': '›', '›': '‹',
}

// hasRTL reports whether s holds a character of a right-to-left script (Hebrew, Arabic and their
// presentation forms, N'Ko, and the right-to-left mark).
func hasRTL(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0xD6 { // below the lead byte of U+0590
			continue
		}
		for _, r := range s[i:] {
			if r >= 0x0590 && r <= 0x08FF || r >= 0xFB1D && r <= 0xFDFF || r >= 0xFE70 && r <= 0xFEFF || r == 0x200F {
				return true
			}
		}
		return false
	}
	return false
}

// resolveLevels gives each character its embedding level in a left-to-right paragraph: 0 for
// left-to-right text, 1 for right-to-left text, 2 for numbers within right-to-left text.
func resolveLevels(cls []bidi.Class) []int {
	n := len(cls)
	t := make([]bidi.Class, n)
	copy(t, cls)
	// W1: a non-spacing mark takes the type of what it marks.
	prev := bidi.L
	for i := range t {
		switch {
		case t[i] == bidi.NSM:
			t[i] = prev
		case t[i] == bidi.BN:
			t[i] = bidi.ON
		}
		prev = t[i]
	}
	// W2, W3: a European number after Arabic letters is an Arabic number; AL becomes R.
	strong := bidi.L
	for i := range t {
		switch t[i] {
		case bidi.L, bidi.R, bidi.AL:
			strong = t[i]
		case bidi.EN:
			if strong == bidi.AL {
				t[i] = bidi.AN
			}
		}
		if t[i] == bidi.AL {
			t[i] = bidi.R
		}
	}
	// W4: one separator between two numbers of a kind joins them.
	for i := 1; i+1 < n; i++ {
		switch {
		case t[i] == bidi.ES && t[i-1] == bidi.EN && t[i+1] == bidi.EN:
			t[i] = bidi.EN
		case t[i] == bidi.CS && t[i-1] == t[i+1] && (t[i-1] == bidi.EN || t[i-1] == bidi.AN):
			t[i] = t[i-1]
		}
	}
	// W5: terminators next to European numbers are European numbers.
	for i := 0; i < n; i++ {
		if t[i] != bidi.ET {
			continue
		}
		j := i
		for j < n && t[j] == bidi.ET {
			j++
		}
		if (i > 0 && t[i-1] == bidi.EN) || (j < n && t[j] == bidi.EN) {
			for k := i; k < j; k++ {
				t[k] = bidi.EN
			}
		}
		i = j - 1
	}
	// W6: other separators and terminators are neutral.
	for i := range t {
		switch t[i] {
		case bidi.ES, bidi.ET, bidi.CS:
			t[i] = bidi.ON
		}
	}
	// W7: a European number after left-to-right text is left-to-right.
	strong = bidi.L
	for i := range t {
		switch t[i] {
		case bidi.L, bidi.R:
			strong = t[i]
		case bidi.EN:
			if strong == bidi.L {
				t[i] = bidi.L
			}
		}
	}
	// N1, N2: neutrals between text of one direction take it (numbers count as right-to-left);
	// otherwise they take the paragraph's, left to right.
	dir := func(c bidi.Class) bidi.Class {
		switch c {
		case bidi.L:
			return bidi.L
		case bidi.R, bidi.EN, bidi.AN:
			return bidi.R
		}
		return bidi.ON
	}
	for i := 0; i < n; i++ {
		if dir(t[i]) != bidi.ON {
			continue
		}
		j := i
		for j < n && dir(t[j]) == bidi.ON {
			j++
		}
		before, after := bidi.L, bidi.L
		if i > 0 {
			before = dir(t[i-1])
		}
		if j < n {
			after = dir(t[j])
		}
		d := bidi.L
		if before == bidi.R && after == bidi.R {
			d = bidi.R
		}
		for k := i; k < j; k++ {
			t[k] = d
		}
		i = j - 1
	}
	// I1, and L1: whitespace at the end of the line goes back to the paragraph's level.
	levels := make([]int, n)
	for i, c := range t {
		switch c {
		case bidi.R:
			levels[i] = 1
		case bidi.EN, bidi.AN:
			levels[i] = 2
		}
	}
	for i := n - 1; i >= 0 && (cls[i] == bidi.WS || cls[i] == bidi.BN); i-- {
		levels[i] = 0
	}
	return levels
}
