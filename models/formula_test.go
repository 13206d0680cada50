package models_test

import (
	"strings"
	"testing"

	"campaigntrack/models"
)

// formulaTriggers are the first visible characters that make a formula.
var formulaTriggers = []string{"=", "+", "-", "@", "＝", "＋", "－", "＠", "﹦", "﹢", "﹣", "﹫"}

// invisiblePrefixes are what may hide before a trigger.
var invisiblePrefixes = map[string]string{
	"space": " ", "NBSP": "\u00A0", "en space": "\u2002", "ideographic space": "\u3000", "narrow NBSP": "\u202F",
	"zero-width space": "\u200B", "ZWNJ": "\u200C", "ZWJ": "\u200D", "word joiner": "\u2060", "BOM": "\uFEFF",
	"LRM": "\u200E", "RLM": "\u200F", "LRE": "\u202A", "RLE": "\u202B", "PDF": "\u202C", "LRO": "\u202D", "RLO": "\u202E",
	"LRI": "\u2066", "RLI": "\u2067", "FSI": "\u2068", "PDI": "\u2069", "soft hyphen": "\u00AD", "ALM": "\u061C",
	"invisible times": "\u2062", "Mongolian vowel separator": "\u180E", "variation selector": "\uFE0F",
	"Hangul filler": "\u3164", "grapheme joiner": "\u034F", "control": "\x01", "tag space": "\U000E0020",
	"mixed": " \u200B\u00A0\u202E\uFEFF",
}

func TestLooksLikeFormula(t *testing.T) {
	t.Parallel()
	for _, trigger := range formulaTriggers {
		for _, tail := range []string{"", "1+1", "HYPERLINK(\"http://evil.example\",\"x\")", "cmd|' /C calc'!A0"} {
			if !models.LooksLikeFormula(trigger + tail) {
				t.Errorf("%q: not seen as a formula", trigger+tail)
			}
			for name, prefix := range invisiblePrefixes {
				if s := prefix + trigger + tail; !models.LooksLikeFormula(s) {
					t.Errorf("%q behind %s (%q): not seen as a formula", trigger+tail, name, s)
				}
			}
		}
	}
	for _, s := range []string{"\t", "\r", "\n", "\tAda", "\r\n=1", "\u200B\tx", " \nx"} {
		if !models.LooksLikeFormula(s) {
			t.Errorf("%q: a tab, CR or LF before the text is a formula trigger", s)
		}
	}
	for _, s := range []string{
		"", "Ada", "Ana-María", "Zoë Nguyễn", "محمد", "יעל", "O'Brien", "a=b", "1+1", "12.5", "'=1",
		"\u200B", " \u00A0\u200B", "\u200BAda", "\u00A0Zoë", "\u202Eمحمد", "x-12.5", "\uFFFD=1", "\xff=1",
		"＄100", "–dash", "—dash", "−12.5", // en dash, em dash and the minus sign are not spreadsheet operators
	} {
		if models.LooksLikeFormula(s) {
			t.Errorf("%q: seen as a formula, is text", s)
		}
	}
	// The rule reads numbers as text would start: a negative number is a
	// formula start; the writer keeps numeric columns numeric itself.
	if !models.LooksLikeFormula("-12.5") || !models.LooksLikeFormula("-73.98") {
		t.Error("a leading minus is a formula start (numeric columns are kept as numbers by the writer)")
	}
}

func TestSignatureNamesThatLookLikeFormulas(t *testing.T) {
	t.Parallel()
	valid := func() models.Signature {
		return models.Signature{FirstName: "Ada", LastName: "Lopez", Email: "ada@example.org"}
	}
	for _, name := range []string{"＝HYPERLINK(\"http://evil\")", "\u200b=cmd", "\u00a0+1", "\u202e@SUM(A1)", "\ufeff－2+3", "\u2060＠x"} {
		for _, field := range []string{"first_name", "last_name"} {
			s := valid()
			if field == "first_name" {
				s.FirstName = name
			} else {
				s.LastName = name
			}
			s.Normalise()
			fe := s.Validate()
			if !strings.Contains(fe[field], "cannot start with =, +, - or @") {
				t.Errorf("%s %q: %v, want it refused", field, name, fe)
			}
		}
	}
	for _, name := range []string{"Ana-María", "Zoë Nguyễn", "محمد", "יעל", "O'Brien", "Jean-Luc"} {
		s := valid()
		s.FirstName, s.LastName = name, name
		s.Normalise()
		if fe := s.Validate(); len(fe) > 0 {
			t.Errorf("%q: %v, want it accepted", name, fe)
		}
	}
}

// FuzzLooksLikeFormula: the rule never panics, sees a formula in any
// text with a trigger put after invisible characters, and never in text
// behind a visible non-trigger.
func FuzzLooksLikeFormula(f *testing.F) {
	for _, s := range []string{"", "=1", "\u200b＝x", "Ada", "\xff", " \u00a0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := models.LooksLikeFormula(s)
		if models.LooksLikeFormula("\u200b\u00a0"+s) != got {
			t.Fatalf("%q: invisible characters before it change the answer", s)
		}
		if !models.LooksLikeFormula("\u202e＝" + s) {
			t.Fatalf("%q behind a bidi mark and ＝ is not a formula", s)
		}
		if models.LooksLikeFormula("A" + s) {
			t.Fatalf("%q behind a letter is a formula", s)
		}
	})
}
