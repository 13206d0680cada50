package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// assertErrorSummary checks a refused form's summary: it takes focus
// (tabindex="-1" and autofocus, for a page loaded without JavaScript; the
// data-focus-after-swap marker, for app.js after an htmx swap), its title
// counts the problems, and it lists each problem, in the form's order, as
// a link to a field that exists, is marked aria-invalid="true" and is
// described by an error that exists.
func assertErrorSummary(t *testing.T, doc *goquery.Document, title string, fields ...string) {
	t.Helper()
	sum := doc.Find(`[data-testid=error-summary]`)
	if sum.Length() != 1 {
		t.Fatalf("%d error summaries, want 1", sum.Length())
	}
	for attr, want := range map[string]string{"tabindex": "-1", "role": "alert", "autofocus": "", "data-focus-after-swap": ""} {
		if got, ok := sum.Attr(attr); !ok || got != want {
			t.Errorf("error summary %s = %q (present %v), want %q", attr, got, ok, want)
		}
	}
	if got := text(sum.Find(`.error-summary-title`)); got != title {
		t.Errorf("error summary title = %q, want %q", got, title)
	}
	links := sum.Find(`a`)
	if links.Length() != len(fields) {
		t.Fatalf("error summary links: %d, want %d: %q", links.Length(), len(fields), text(sum))
	}
	links.Each(func(i int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		if href != "#"+fields[i] {
			t.Errorf("summary link %d goes to %q, want #%s", i, href, fields[i])
		}
		field := doc.Find(`[id="` + strings.TrimPrefix(href, "#") + `"]`)
		if field.Length() != 1 {
			t.Errorf("summary link %s: %d elements with that id", href, field.Length())
			return
		}
		if inv, _ := field.Attr("aria-invalid"); inv != "true" {
			t.Errorf("%s: aria-invalid=%q, want \"true\"", href, inv)
		}
		desc, _ := field.Attr("aria-describedby")
		if desc == "" {
			t.Errorf("%s: no aria-describedby", href)
		}
		for _, id := range strings.Fields(desc) {
			if doc.Find(`[id="`+id+`"]`).Length() != 1 {
				t.Errorf("%s is described by #%s, which is not on the page", href, id)
			}
		}
		if !strings.Contains(desc, fields[i]+"-error") {
			t.Errorf("%s: aria-describedby %q does not name its error", href, desc)
		}
	})
}

// A wrong field carries aria-invalid="true" (a bare aria-invalid is
// ignored), and a field with neither hint nor error has no empty
// aria-describedby.
func TestSignFormAriaWithoutErrors(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		doc := a.browser().get("/campaigns/no-tech-for-ice").doc(t)
		form := doc.Find(`[data-testid=sign-form]`)
		if n := form.Find(`[aria-invalid]`).Length(); n != 0 {
			t.Errorf("a fresh form has %d fields marked invalid", n)
		}
		form.Find(`[aria-describedby]`).Each(func(_ int, s *goquery.Selection) {
			for _, id := range strings.Fields(s.AttrOr("aria-describedby", "")) {
				if doc.Find(`[id="`+id+`"]`).Length() != 1 {
					t.Errorf("#%s described by missing #%s", s.AttrOr("id", ""), id)
				}
			}
			if strings.TrimSpace(s.AttrOr("aria-describedby", "")) == "" {
				t.Errorf("#%s has an empty aria-describedby", s.AttrOr("id", ""))
			}
		})
		if doc.Find(`[data-testid=error-summary]`).Length() != 0 {
			t.Error("a fresh form shows an error summary")
		}
	})
}

// Without JavaScript a refused signature is the campaign page again (422)
// with the summary at the top of the form, focused on load.
func TestSignErrorSummaryWithoutJavaScript(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		bad := signForm("not an email")
		bad.Set("first_name", "")
		r := a.browser().sign(bad)
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("refused sign: %d, want 422", r.status)
		}
		doc := r.doc(t)
		assertErrorSummary(t, doc, "2 problems with your signature", "first_name", "email")
		if n := doc.Find(`[autofocus]`).Length(); n != 1 {
			t.Errorf("%d elements with autofocus, want 1 (the summary)", n)
		}
		// The summary comes before the form, inside the sign section.
		if doc.Find(`#sign [data-testid=error-summary] ~ [data-testid=sign-form]`).Length() != 1 {
			t.Error("the summary is not at the top of the sign form")
		}
		// What was typed is kept.
		if v, _ := doc.Find(`#email`).Attr("value"); v != "not an email" {
			t.Errorf("email kept as %q", v)
		}
	})
}

// With htmx the refused form comes back in place with the same summary,
// and the thanks that replaces a signed form carries the element app.js
// focuses.
func TestSignErrorSummaryWithHTMX(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		b := a.browser()
		bad := signForm("ada@example.org")
		bad.Set("last_name", "=1+1")
		r := b.sign(bad, "HX-Request", "true")
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("htmx refused sign: %d\n%s", r.status, r.body)
		}
		doc := r.doc(t)
		assertErrorSummary(t, doc, "1 problem with your signature", "last_name")
		if got := text(doc.Find(`[data-testid=error-summary] a`)); !strings.HasPrefix(got, "Last name: ") {
			t.Errorf("summary line %q does not start with the field's label", got)
		}

		r = b.sign(signForm("ada@example.org"), "HX-Request", "true")
		if r.status != http.StatusOK {
			t.Fatalf("htmx sign: %d", r.status)
		}
		doc = r.doc(t)
		focus := doc.Find(`#sign [data-focus-after-swap]`)
		if focus.Length() != 1 || focus.AttrOr("tabindex", "") != "-1" || focus.AttrOr("id", "") != "sign-heading" {
			t.Errorf("the thanks has no focus target (want #sign-heading, tabindex=-1): %d\n%s", focus.Length(), r.body)
		}
		if doc.Find(`#live-count [data-focus-after-swap], #live-count [autofocus]`).Length() != 0 {
			t.Error("the out-of-band count would take focus")
		}
	})
}

// The sign-in form's summary links its two fields; a wrong password's
// message is focused on load.
func TestLoginErrorSummary(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		r := a.browser().post("/login", url.Values{"email": {""}, "password": {""}})
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("empty sign-in: %d", r.status)
		}
		assertErrorSummary(t, r.doc(t), "2 problems with signing in", "email", "password")

		r = a.browser().post("/login", url.Values{"email": {"nobody@example.org"}, "password": {"not the password"}})
		msg := r.doc(t).Find(`[data-testid=login-message]`)
		if msg.AttrOr("tabindex", "") != "-1" {
			t.Errorf("the sign-in message is not focusable: %d", msg.Length())
		}
		if _, ok := msg.Attr("autofocus"); !ok {
			t.Error("the sign-in message has no autofocus")
		}
	})
}
