package locale

import (
	"context"
	"testing"
	"time"
)

func TestNumbersDatesAndPlurals(t *testing.T) {
	es := With(context.Background(), Request{Lang: Spanish})
	en := context.Background()
	day := time.Date(2019, 7, 15, 11, 0, 0, 0, time.UTC)
	for _, c := range []struct{ got, want string }{
		{Number(en, 270000), "270,000"},
		{Number(es, 270000), "270,000"},
		{Date(en, day), "15 July 2019"},
		{Date(es, day), "15 de julio de 2019"},
		{DateTime(es, day), "15 de julio de 2019, 11:00 UTC"},
		{N(en, "layout.sources", 1), "Source:"},
		{N(es, "layout.sources", 2), "Fuentes:"},
		{T(es, "layout.skip"), "Ir al contenido"},
		{T(es, "no.such.id"), "no.such.id"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestSplitAndIn(t *testing.T) {
	for _, c := range []struct {
		path, rest string
		lang       Lang
		prefixed   bool
	}{
		{"/es", "/", Spanish, true},
		{"/es/campaigns/x", "/campaigns/x", Spanish, true},
		{"/espanol", "/espanol", English, false},
		{"/campaigns/x", "/campaigns/x", English, false},
		{"/", "/", English, false},
	} {
		l, rest, p := Split(c.path)
		if l != c.lang || rest != c.rest || p != c.prefixed {
			t.Errorf("Split(%q) = %q %q %v", c.path, l, rest, p)
		}
		if p && l.In(rest) != c.path {
			t.Errorf("%q In(%q) = %q", l, rest, l.In(rest))
		}
	}
}

func TestPreferred(t *testing.T) {
	for h, want := range map[string]Lang{
		"es-US,es;q=0.9,en;q=0.8": Spanish,
		"en-US,en;q=0.9,es;q=0.8": English,
		"fr-FR,es;q=0.5":          Spanish,
		"":                        English,
		"de":                      English,
		";;;q=x,,,":               English,
	} {
		if got, _ := Preferred(h); got != want {
			t.Errorf("Preferred(%q) = %q, want %q", h, got, want)
		}
	}
}

func FuzzPreferred(f *testing.F) {
	f.Add("es-US,es;q=0.9")
	f.Add("*;q=0.1")
	f.Add("\xff\x00;q=")
	f.Fuzz(func(t *testing.T, h string) {
		l, _ := Preferred(h)
		if _, ok := Parse(string(l)); !ok {
			t.Fatalf("Preferred(%q) = %q", h, l)
		}
	})
}

func FuzzSplit(f *testing.F) {
	f.Add("/es/campaigns/x")
	f.Add("/es")
	f.Fuzz(func(t *testing.T, p string) {
		l, rest, prefixed := Split(p)
		if prefixed && l.In(rest) != p && !(rest == "/" && p == l.Prefix()) {
			t.Fatalf("Split(%q) = %q %q", p, l, rest)
		}
		if !prefixed && rest != p {
			t.Fatalf("Split(%q) changed an unprefixed path", p)
		}
	})
}

// Lookup tells a text the catalogue has from one it does not, where T
// gives the id back.
func TestLookup(t *testing.T) {
	es := With(context.Background(), Request{Lang: Spanish})
	if s, ok := Lookup(es, "label.delivered"); !ok || s != "Entregada" {
		t.Errorf("label.delivered = %q, %v", s, ok)
	}
	if s, ok := Lookup(es, "label.no_such_code"); ok || s != "" {
		t.Errorf("an unknown id = %q, %v", s, ok)
	}
	if T(es, "label.no_such_code") != "label.no_such_code" {
		t.Error("T of an unknown id is not the id")
	}
}
