package packet

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"campaigntrack/locale"
)

// thousands writes n with commas (270,123), as English and the United States' Spanish write it: the
// tests' own reading of how the packet prints a number, apart from the locale package's.
func thousands(n int64) string {
	digits := strconv.FormatInt(n, 10)
	sign := ""
	if n < 0 {
		sign, digits = "-", digits[1:]
	}
	var b strings.Builder
	for i, d := range []byte(digits) {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(d)
	}
	return sign + b.String()
}

// spanishLetters are the letters and marks Spanish text is written with beyond ASCII.
const spanishLetters = "áéíóúÁÉÍÓÚñÑüÜ¿¡«»ºª€"

// Both embedded fonts print every Spanish letter and mark, and every text the Spanish catalogue
// gives the packet; a Spanish volume reads back from the PDF as typed.
func TestFontsPrintSpanish(t *testing.T) {
	loadFaces()
	for _, r := range spanishLetters {
		if !regular.has(r) || !bold.has(r) {
			t.Errorf("%q (U+%04X): regular %v, bold %v", r, r, regular.has(r), bold.has(r))
		}
	}
	if p, ok := Printable(spanishLetters); !ok || p != spanishLetters {
		t.Errorf("Printable(%q) = %q, %v", spanishLetters, p, ok)
	}
	es, err := locale.Catalogue(locale.Spanish)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for id, forms := range es {
		if !strings.HasPrefix(id, "packet.") {
			continue
		}
		n++
		texts := []string{locale.TIn(locale.Spanish, id)}
		if len(forms) > 0 {
			texts = []string{locale.NIn(locale.Spanish, id, 1), locale.NIn(locale.Spanish, id, 2), locale.NIn(locale.Spanish, id, 1_000_000)}
		}
		for _, s := range texts {
			if p, ok := Printable(s); !ok {
				t.Errorf("%s: %q prints as %q", id, s, p)
			}
		}
	}
	if n < 50 {
		t.Errorf("only %d packet texts in the Spanish catalogue", n)
	}

	v := withLines(sampleVolume(), []Line{{1, "Begoña Núñez — Añasco, PR"}, {2, "José Güemes — San Juan, PR"}})
	v.Lang = locale.Spanish
	v.Title = "¡Amazon, deja de venderle tecnología a ICE! ¿Quién firmó? «Nosotras»"
	v.Petition = "Pedimos a Amazon que deje de venderle tecnología a ICE: «ni un día más».\n\nÁÉÍÓÚ ÑÜ ¿¡ ºª"
	path := render(t, v)
	pages := allPages(t, path)
	cover := strings.Join(pages[:CoverAndSummaryPages(v)], "\n")
	for _, want := range []string{v.Title, "Pedimos a Amazon que deje de venderle tecnología a ICE: «ni un día más».", "ÁÉÍÓÚ ÑÜ ¿¡ ºª",
		"Portada 1 de 1", "Volumen 1 de 6", "Código de verificación " + v.Code, "Recibida por", "Cuándo"} {
		if !strings.Contains(cover, want) {
			t.Errorf("the Spanish cover lacks %q:\n%s", want, cover)
		}
	}
	signers := pages[CoverAndSummaryPages(v)]
	for _, want := range []string{"Begoña Núñez — Añasco, PR", "José Güemes — San Juan, PR", "N.º", "Página de firmas 1 de 1", "Firmas 1–2"} {
		if !strings.Contains(signers, want) {
			t.Errorf("the Spanish signer page lacks %q:\n%s", want, signers)
		}
	}
	if slices.ContainsFunc(pages, func(p string) bool { return strings.Contains(p, "Verification code") }) {
		t.Error("a Spanish page is footed in English")
	}
}

// The signer rows' numbers are what locale.NumberIn writes, in every language.
func TestRowNumbersAreTheLanguages(t *testing.T) {
	for _, l := range locale.All {
		number := rowNumbers(l)
		for _, n := range []int64{0, 1, 9, 10, 99, 100, 999, 1000, 1001, 9999, 10000, 50001, 99999, 100000, 999999, 1000000, 1234567, 300000000, -1, -1234} {
			if got, want := number(n), locale.NumberIn(l, n); got != want {
				t.Errorf("%s: %d written %q, locale.NumberIn says %q", l, n, got, want)
			}
		}
	}
}
