// Package locale owns the languages the public pages and the signers' mail
// are written in: which language a request asks for (a /es prefix in the
// address, or a visitor's remembered choice), the catalogues of
// translated strings (catalog/*.{en,es}.json, read with go-i18n, which a
// translator edits without touching code), and numbers and dates as each
// language writes them (golang.org/x/text).
//
// English is unprefixed; Spanish lives under /es. The admin area stays in
// English: it is never served under a prefix.
package locale

import (
	"context"
	"strings"

	"golang.org/x/text/language"
)

// Lang is a language the site is written in: its code as <html lang> and
// the mail headers say it.
type Lang string

const (
	English Lang = "en"
	Spanish Lang = "es"
)

// All is every language, English (the default) first.
var All = []Lang{English, Spanish}

// Parse reads a language code as stored or typed ("es", "EN"); anything
// else is not one of ours.
func Parse(s string) (Lang, bool) {
	for _, l := range All {
		if strings.EqualFold(s, string(l)) {
			return l, true
		}
	}
	return "", false
}

// OrEnglish is l, or English for a language that is not one of ours (an
// empty or unknown code read from storage).
func OrEnglish(s string) Lang {
	if l, ok := Parse(s); ok {
		return l
	}
	return English
}

// Name is the language's name in itself, as a switch offers it.
func (l Lang) Name() string {
	if l == Spanish {
		return "Español"
	}
	return "English"
}

// Prefix is the start of the language's addresses: "" for English, "/es".
func (l Lang) Prefix() string {
	if l == English || l == "" {
		return ""
	}
	return "/" + string(l)
}

// In is a site path (starting with "/") as it is addressed in l:
// "/campaigns/x" -> "/es/campaigns/x", "/" -> "/es".
func (l Lang) In(path string) string {
	p := l.Prefix()
	if p == "" {
		return path
	}
	if path == "/" || path == "" {
		return p
	}
	return p + path
}

// Other is the other language, the one a switch offers.
func (l Lang) Other() Lang {
	if l == Spanish {
		return English
	}
	return Spanish
}

// Split reads a request path's language prefix: "/es/campaigns/x" is
// Spanish and "/campaigns/x", "/es" is Spanish and "/". A path without a
// prefix of ours is English, as it is; prefixed is false then.
func Split(path string) (l Lang, rest string, prefixed bool) {
	for _, l := range All[1:] {
		p := l.Prefix()
		if path == p {
			return l, "/", true
		}
		if strings.HasPrefix(path, p+"/") {
			return l, path[len(p):], true
		}
	}
	return English, path, false
}

// Preferred is the language of ours an Accept-Language header puts first,
// and whether it names one at all. A malformed header names none.
func Preferred(header string) (Lang, bool) {
	if len(header) > 512 {
		header = header[:512] // a header no browser sends: read its start only
	}
	tags, _, err := language.ParseAcceptLanguage(header)
	if err != nil {
		return English, false
	}
	for _, t := range tags {
		base, conf := t.Base()
		if conf == language.No {
			continue
		}
		if l, ok := Parse(base.String()); ok {
			return l, true
		}
	}
	return English, false
}

// Request is what a request's language means for the page it gets: the
// language, the page's path without prefix (for the switch and the
// alternates), and the language offered to a visitor whose browser
// prefers another one ("" for none).
type Request struct {
	Lang  Lang
	Path  string
	Offer Lang
	Base  string // the site's public address, for absolute alternates ("https://example.org")
}

// URL is the absolute address of the request's page in l.
func (r Request) URL(l Lang) string {
	return strings.TrimSuffix(r.Base, "/") + l.In(r.Path)
}

// Switch is the address of the switch to l: the page in l, with ?lang=
// so the choice is remembered (handlers/language.go takes it off again).
func (r Request) Switch(l Lang) string {
	return l.In(r.Path) + "?lang=" + string(l)
}

type ctxKey struct{}

// With is ctx carrying the request's language.
func With(ctx context.Context, r Request) context.Context {
	return context.WithValue(ctx, ctxKey{}, r)
}

// Of is the language ctx carries; English when it carries none.
func Of(ctx context.Context) Lang {
	if r, ok := ctx.Value(ctxKey{}).(Request); ok && r.Lang != "" {
		return r.Lang
	}
	return English
}

// RequestOf is the request language ctx carries, English at "/" when none.
func RequestOf(ctx context.Context) Request {
	if r, ok := ctx.Value(ctxKey{}).(Request); ok {
		if r.Lang == "" {
			r.Lang = English
		}
		return r
	}
	return Request{Lang: English, Path: "/"}
}

// Path is a site path as addressed in ctx's language.
func Path(ctx context.Context, path string) string {
	return Of(ctx).In(path)
}

// CacheKey tells apart the versions of one page: its language and the
// offer it carries.
func (r Request) CacheKey() string {
	if r.Offer != "" {
		return string(r.Lang) + "+" + string(r.Offer)
	}
	return string(r.Lang)
}

// Pick is the version of a text to show in ctx's language: the Spanish
// one on a Spanish page when there is one, else the English, with the
// language it is in, so the page can mark English shown on a Spanish page
// (lang="en").
func Pick(ctx context.Context, en, es string) (text string, in Lang) {
	if Of(ctx) == Spanish && strings.TrimSpace(es) != "" {
		return es, Spanish
	}
	return en, English
}
