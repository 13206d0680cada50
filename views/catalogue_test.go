package views

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/a-h/templ/parser/v2"

	"campaigntrack/locale"
)

// templates are every template: the public's and the organiser area's
// (admin_*.templ, login.templ) alike, so no word is written into either.
// A template listed in notYetTranslated is left out of the check for
// untranslated text, and the list may only shrink.
func templates(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.templ")
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// notYetTranslated: templates whose text is still written into them.
var notYetTranslated = []string{}

// names are words that are the same in every language.
var names = []string{"campaigntrack", "CSV", "XLSX", "Atom"}

// TestNoUntranslatedTextInTemplates fails on a word written into a
// template, public or the organiser area's, rather than taken from the
// catalogues: text between tags, or a constant alt, title, aria-label,
// placeholder or meta content.
func TestNoUntranslatedTextInTemplates(t *testing.T) {
	for _, f := range templates(t) {
		if slices.Contains(notYetTranslated, f) {
			continue
		}
		tf, err := parser.Parse(f)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		untranslatedText(tf, func(where, s string) {
			t.Errorf("%s: %s %q is not from the catalogues", f, where, s)
		})
	}
}

// untranslatedText reports each word written into a parsed template file.
func untranslatedText(tf *parser.TemplateFile, report func(where, s string)) {
	for _, n := range tf.Nodes {
		if h, ok := n.(*parser.HTMLTemplate); ok {
			walkText(h.Children, report)
		}
	}
}

// TestUntranslatedTextIsFound: the check finds a word between tags and in
// a text attribute, in an admin template as in a public one, and lets a
// name, code written as a Go string and text from the catalogues through.
func TestUntranslatedTextIsFound(t *testing.T) {
	src := `package views

templ AdminThing(f AdminFrame) {
	@AdminLayout(f) {
		<h1>Deliveries</h1>
		<nav aria-label="Campaign"></nav>
		if f.Flash != "" {
			<p>Saved</p>
		}
		<p>{ locale.T(ctx, "admin.saved") } <code>{ "sha256sum" }</code> · <a>CSV</a></p>
	}
}
`
	tf, err := parser.ParseString(src)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	untranslatedText(tf, func(where, s string) { got = append(got, where+": "+s) })
	want := []string{"text: Deliveries", "aria-label of <nav>: Campaign", "text: Saved"}
	if !slices.Equal(got, want) {
		t.Errorf("found %q, want %q", got, want)
	}
}

// wordy says whether a text holds a word (two letters in a row): "·",
// "[1]", ";" or a lone "x" are not words.
func wordy(s string) bool {
	run := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			run++
			if run >= 2 {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

var textAttributes = []string{"alt", "title", "aria-label", "placeholder", "content", "aria-description", "label"}

func walkText(nodes []parser.Node, report func(where, s string)) {
	for _, n := range nodes {
		switch n := n.(type) {
		case *parser.Text:
			if wordy(n.Value) && !slices.Contains(names, strings.TrimSpace(n.Value)) {
				report("text", strings.TrimSpace(n.Value))
			}
		case *parser.Element:
			for _, a := range n.Attributes {
				if ca, ok := a.(*parser.ConstantAttribute); ok && slices.Contains(textAttributes, ca.Key.String()) && wordy(ca.Value) {
					// meta tags whose content is a setting, not words
					if n.Name == "meta" && !metaIsWords(n) {
						continue
					}
					report(ca.Key.String()+" of <"+n.Name+">", ca.Value)
				}
			}
			walkText(n.Children, report)
		case *parser.IfExpression:
			walkText(n.Then, report)
			for _, e := range n.ElseIfs {
				walkText(e.Then, report)
			}
			walkText(n.Else, report)
		case *parser.SwitchExpression:
			for _, c := range n.Cases {
				walkText(c.Children, report)
			}
		case *parser.ForExpression:
			walkText(n.Children, report)
		case *parser.TemplElementExpression:
			walkText(n.Children, report)
		}
	}
}

// metaIsWords says whether a <meta> carries words a reader sees (a
// description), rather than a setting (viewport, robots, a card type).
func metaIsWords(e *parser.Element) bool {
	for _, a := range e.Attributes {
		if ca, ok := a.(*parser.ConstantAttribute); ok && (ca.Key.String() == "name" || ca.Key.String() == "property") {
			return strings.Contains(ca.Value, "description") || strings.HasSuffix(ca.Value, ":title") || strings.HasSuffix(ca.Value, ":alt")
		}
	}
	return false
}

// idUse finds the message ids the code asks the catalogues for; a
// prefix followed by "+" is a family of ids made at run time
// ("format.month."+month). t("id") is the mail's shorthand for a text in
// the signer's language.
var idUse = regexp.MustCompile(`\b(?:(?:T|N|TIn|NIn|Lookup)\([^,()]*(?:\([^()]*\))?, |t\()"([a-z0-9_.]+)"(\s*\+)?`)

// usedIDs reads every Go and templ file of the packages that speak to
// the public and to signers.
func usedIDs(t *testing.T) (ids map[string]bool, prefixes []string) {
	t.Helper()
	ids = map[string]bool{}
	for _, dir := range []string{".", "../handlers", "../mail", "../locale", "../share", "../feed", "../packet"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		more, _ := filepath.Glob(filepath.Join(dir, "*.templ"))
		for _, f := range append(files, more...) {
			if strings.HasSuffix(f, "_templ.go") || strings.HasSuffix(f, "_test.go") {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var code strings.Builder // comments left out: an example there is no use
			for _, line := range strings.Split(string(b), "\n") {
				if !strings.HasPrefix(strings.TrimSpace(line), "//") {
					code.WriteString(line + "\n")
				}
			}
			for _, m := range idUse.FindAllStringSubmatch(code.String(), -1) {
				if m[2] != "" {
					prefixes = append(prefixes, m[1])
				} else {
					ids[m[1]] = true
				}
			}
		}
	}
	return ids, prefixes
}

// englishOnly says whether an id is the organiser area's: its part starts
// with "admin" (admin.*, admin_deliveries.*, admin_login.*, ...). The
// organiser area is English-only for now (it is never served under /es),
// so its ids must be in the English catalogue but may be missing from the
// Spanish one; its Spanish catalogue can follow, held by the same rules
// as the rest once written.
func englishOnly(id string) bool { return strings.HasPrefix(locale.Part(id), "admin") }

// TestCataloguesAreComplete: every id the code asks for is in both
// catalogues (an englishOnly id in the English one at least), with the
// plural forms each language needs; none is in one catalogue only (but an
// englishOnly id in English), and none is unused.
func TestCataloguesAreComplete(t *testing.T) {
	en, err := locale.Catalogue(locale.English)
	if err != nil {
		t.Fatal(err)
	}
	es, err := locale.Catalogue(locale.Spanish)
	if err != nil {
		t.Fatal(err)
	}
	used, prefixes := usedIDs(t)
	var ids []string
	for id := range used {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		for l, c := range map[locale.Lang]map[string][]string{locale.English: en, locale.Spanish: es} {
			if l == locale.Spanish && englishOnly(id) {
				continue
			}
			if _, ok := c[id]; !ok {
				t.Errorf("%q is used but missing from the %s catalogue (locale/catalog/%s.%s.json)", id, l, locale.Part(id), l)
			}
		}
	}
	isUsed := func(id string) bool {
		if used[id] {
			return true
		}
		for _, p := range prefixes {
			if strings.HasPrefix(id, p) {
				return true
			}
		}
		return false
	}
	for l, c := range map[locale.Lang]map[string][]string{locale.English: en, locale.Spanish: es} {
		other := es
		if l == locale.Spanish {
			other = en
		}
		for id, forms := range c {
			if !isUsed(id) {
				t.Errorf("%s catalogue: %q is not used", l, id)
			}
			if len(forms) > 0 && (!slices.Contains(forms, "one") || !slices.Contains(forms, "other")) {
				t.Errorf("%s catalogue: %q has forms %v, want at least one and other", l, id, forms)
			}
			if _, ok := other[id]; !ok {
				if !(l == locale.English && englishOnly(id)) {
					t.Errorf("%q is in the %s catalogue only", id, l)
				}
				continue
			}
			if len(forms) == 0 && len(other[id]) > 0 {
				t.Errorf("%s catalogue: %q is plural in one language only", l, id)
			}
		}
	}
}

func TestWordy(t *testing.T) {
	for s, want := range map[string]bool{"Sign": true, " · ": false, "[1]": false, "; ": false, "x": false, "Ñu": true} {
		if wordy(s) != want {
			t.Errorf("wordy(%q) = %v", s, !want)
		}
	}
}
