package packet

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestPrintable(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"Nguyễn Thị Ánh", "Nguyễn Thị Ánh", true},
		{"Γιώργος Παπαδόπουλος", "Γιώργος Παπαδόπουλος", true},
		{"Светлана Кузнецова", "Светлана Кузнецова", true},
		{"Zoë Müller-Łukasiewicz", "Zoë Müller-Łukasiewicz", true},
		{"Ruth Bader\u00a0Ginsburg", "Ruth Bader\u00a0Ginsburg", true},
		{"Zoe\u0308", "Zoë", true}, // decomposed: normalised, and nothing replaced
		{"Ha\u0300 No\u0323\u0302i", "Hà Nội", true},
		{"ქეთევან", "ქეთევან", true},             // Georgian: DejaVu Sans has it
		{"Անահիտ", "Անահիտ", true},               // Armenian too
		{"דוד כהן", "דוד כהן", true},             // Hebrew letters: in the fonts (printed left to right, see the report)
		{"محمد أحمد", "محمد أحمد", true},         // Arabic letters: in the fonts (unshaped, see the report)
		{"王小明", "[U+738B U+5C0F U+660E]", false}, // CJK: not in DejaVu Sans
		{"Kim 김민준", "Kim [U+AE40 U+BBFC U+C900]", false},
		{"प्रिया Sharma", "[U+092A U+094D U+0930 U+093F U+092F U+093E] Sharma", false},
		{"Ann 😀", "Ann [U+1F600]", false}, // outside the BMP: fpdf writes 16-bit codes only
		{"a\tb\nc", "a[U+0009]b[U+000A]c", false},
		{"bad \xff\xfe byte", "bad [0xFF 0xFE] byte", false},
		{"", "", true},
	} {
		got, ok := Printable(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("Printable(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// FuzzPrintable: Printable never panics, prints valid UTF-8 that the fonts print whole, accounts for
// every character of its (normalised) input, is unchanged exactly when it says ok, and is idempotent.
func FuzzPrintable(f *testing.F) {
	for _, s := range []string{"Nguyễn Thị Ánh", "王小明", "e\u0301", "\xff", "a\x00b", "😀", "[U+4E2D]", "\u0301", "Zoë"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := Printable(s)
		if !utf8.ValidString(got) {
			t.Fatalf("Printable(%q) = %q: not UTF-8", s, got)
		}
		nfc := norm.NFC.String(s)
		if utf8.RuneCountInString(got) < utf8.RuneCountInString(nfc) {
			t.Fatalf("Printable(%q) = %q: fewer characters than its input", s, got)
		}
		if ok != (got == nfc) {
			t.Fatalf("Printable(%q) = %q, ok %v", s, got, ok)
		}
		for _, r := range got {
			if !printableRune(r) {
				t.Fatalf("Printable(%q) = %q holds %U, which the fonts do not print", s, got, r)
			}
		}
		if again, ok2 := Printable(got); again != got || !ok2 {
			t.Fatalf("Printable is not idempotent: %q -> %q -> %q", s, got, again)
		}
		if ok && strings.Contains(got, "[U+") && !strings.Contains(nfc, "[U+") {
			t.Fatalf("ok but a stand-in appeared: %q -> %q", s, got)
		}
		// What the drawer does with it: join Arabic letters (a lam-alef ligature is two letters in
		// one glyph), then put the line in visual order, which only moves characters.
		shaped := shape(got)
		for _, r := range shaped {
			if !printableCoverage.has(r) && r >= 0x80 {
				t.Fatalf("shape(%q) = %q holds %U, which the fonts do not print", got, shaped, r)
			}
		}
		if v := visual(shaped); utf8.RuneCountInString(v) != utf8.RuneCountInString(shaped) {
			t.Fatalf("visual(%q) = %q: not the same characters", shaped, v)
		}
	})
}

func TestPrintableRefusesWhatItCannotSetAsWritten(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"ߒߞߏ", "[U+07D2 U+07DE U+07CF]"},          // N'Ko: in the fonts, but they cannot join it
		{"Ann\u202eB", "Ann[U+202E]B"},             // a right-to-left override: shown, not obeyed
		{"\u066e\u0628", "[U+066E]\u0628"},         // dotless beh: the fonts have no joined forms of it
		{"\u2067x\u2069", "[U+2067]x[U+2069]"},     // isolates
		{"\u200fRLM is kept", "\u200fRLM is kept"}, // a mark that only says a direction prints nothing
	} {
		got, _ := Printable(c.in)
		if got != c.want {
			t.Errorf("Printable(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// shape gives Arabic letters their joined forms, lam-alef its ligature.
func TestShape(t *testing.T) {
	loadFaces()
	for _, c := range []struct{ in, want string }{
		{"محمد", "\uFEE3\uFEA4\uFEE4\uFEAA"},                             // initial, medial, medial, final
		{"سلام", "\uFEB3\uFEFC\uFEE1"},                                   // seen initial, lam-alef final, meem alone (alef does not join on)
		{"لا", "\uFEFB"},                                                 // lam-alef alone
		{"أحمد", "\uFE83\uFEA3\uFEE4\uFEAA"},                             // alef with hamza alone: it joins to nothing after it
		{"پاک", "\uFB58\uFE8E\uFB8E"},                                    // Persian peh and keheh, from Presentation Forms-A
		{"مُحَمَّد", "\uFEE3\u064F\uFEA4\u064E\uFEE4\u064E\u0651\uFEAA"}, // marks are passed over
		{"ab", "ab"},
	} {
		if got := shape(c.in); got != c.want {
			t.Errorf("shape(%q) = %+q, want %+q", c.in, got, c.want)
		}
	}
}

// visual puts right-to-left runs in the order they are drawn, left to right.
func TestVisual(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Zoë Müller", "Zoë Müller"},
		{"דוד כהן", "ןהכ דוד"},
		{"דוד כהן, Seattle, WA", "ןהכ דוד, Seattle, WA"},
		{"שלום 123 עולם", "םלוע 123 םולש"},     // numbers in right-to-left text keep their order
		{"Sara (שרה) Levi", "Sara (הרש) Levi"}, // brackets between left-to-right text stay
		{"(שרה)", "(הרש)"},                     // brackets in a right-to-left run are mirrored
		{"שָׁלוֹם", "םוֹלשָׁ"},                 // points stay after their letters
		{"Ahmed محمد Smith", "Ahmed دمحم Smith"},
	} {
		if got := visual(c.in); got != c.want {
			t.Errorf("visual(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
