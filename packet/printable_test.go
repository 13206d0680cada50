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
	})
}
