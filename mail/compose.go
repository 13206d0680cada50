package mail

import (
	"bytes"
	"context"
	"net/url"
	"regexp"
	"strings"

	"campaigntrack/locale"
	"campaigntrack/views"
)

// Campaign is what a mail says about the petition. URL is the public
// campaign page, absolute.
type Campaign struct{ Title, Target, Demand, URL string }

// Signer is the one person a mail goes to, and the language their mail
// is written in. Nothing in a mail comes from any other signer.
type Signer struct {
	FirstName string
	To        Address
	Lang      locale.Lang // empty: English
}

// Links are the signer's own absolute http(s) URLs; an empty one, or one
// that is not http(s), is left out of the mail.
type Links struct{ Confirm, Withdraw, Unsubscribe string }

// News is an organiser's update: plain text, paragraphs split on blank
// lines, and optionally a quoted answer (the company's, say). SubjectES
// and BodyES are its Spanish version; empty, a Spanish signer gets the
// English.
type News struct {
	Subject, Body     string
	SubjectES, BodyES string
	Quote             *Quote
}

// Quote is quoted text and who said it where. TextES is a translation of
// the text into Spanish: a Spanish signer gets it beneath the quote,
// marked as a translation; the quote itself is always sent as said.
type Quote struct{ Text, Who, Source, TextES string }

// The messages below leave From empty: it is the --mail-from setting,
// which the sender sets on each message. Their words are the catalogue's
// "mail.*", in the signer's language; an organiser's news is sent as
// written.

// Confirmation asks a new signer to confirm: the button opens a page with
// a confirm button (a link alone must not confirm, since mail scanners
// follow links). again: they signed again while still unconfirmed, so
// this mail brings a fresh link.
func Confirmation(cp Campaign, s Signer, l Links, again bool) Message {
	t := s.t
	subject := t("mail.confirm.subject", "Title", cp.Title)
	first := t("mail.confirm.first", "Title", cp.Title, "Target", target(s, cp))
	if again {
		subject = t("mail.confirm_again.subject", "Title", cp.Title)
		first = t("mail.confirm_again.first", "Title", cp.Title)
	}
	b := views.MailBody{
		Lang:      string(s.lang()),
		Preheader: t("mail.confirm.preheader"),
		Greeting:  greeting(s),
		Paragraphs: []string{
			first,
			t("mail.confirm.counts"),
			t("mail.confirm.not_you"),
		},
		Action: link(t("mail.confirm.button"), l.Confirm),
		Footer: []string{t("mail.footer.why", "Title", cp.Title)},
		Links:  links(s, cp, l, false),
	}
	return compose(s, subject, b, nil)
}

// AlreadySigned answers a signature from an address whose signature is
// already counted: nothing to do, and the withdraw link.
func AlreadySigned(cp Campaign, s Signer, l Links) Message {
	t := s.t
	b := views.MailBody{
		Lang:      string(s.lang()),
		Preheader: t("mail.already.preheader"),
		Greeting:  greeting(s),
		Paragraphs: []string{
			t("mail.already.first", "Title", cp.Title),
			t("mail.already.counted"),
			t("mail.already.not_you"),
		},
		Footer: []string{t("mail.footer.why", "Title", cp.Title)},
		Links:  links(s, cp, l, false),
	}
	return compose(s, t("mail.already.subject", "Title", cp.Title), b, nil)
}

// Signed is the receipt when no confirmation is needed: thanks, counted,
// and the withdraw link.
func Signed(cp Campaign, s Signer, l Links) Message {
	t := s.t
	b := views.MailBody{
		Lang:      string(s.lang()),
		Preheader: t("mail.signed.preheader"),
		Greeting:  greeting(s),
		Paragraphs: []string{
			t("mail.signed.first", "Title", cp.Title, "Target", target(s, cp)),
			t("mail.signed.share"),
		},
		Action: link(t("mail.see_petition"), cp.URL),
		Footer: []string{t("mail.signed.footer", "Title", cp.Title)},
		Links:  links(s, cp, l, false),
	}
	return compose(s, t("mail.signed.subject", "Title", cp.Title), b, nil)
}

// Update is news to a signer who asked for it, with List-Unsubscribe and
// one-click List-Unsubscribe-Post (RFC 8058) headers so mail clients offer
// their own unsubscribe button.
//
// A Spanish signer gets the news's Spanish subject and body where it has
// them, else the English. The mail around the news (greeting, button,
// footer) is in the signer's language whatever the news is in, so the
// message says that language (Content-Language, <html lang>), and an
// English body in a Spanish mail is marked lang="en" in the HTML: the
// frame is what the signer chose, the news is as the organiser wrote it.
// The quote is sent as said, with its Spanish translation beneath it for a
// Spanish signer, marked as one.
func Update(cp Campaign, s Signer, n News, l Links) Message {
	t := s.t
	subject, _ := localized(s.lang(), n.Subject, n.SubjectES)
	subject = strings.TrimSpace(subject)
	if subject == "" {
		subject = t("mail.update.subject", "Title", cp.Title)
	}
	body, bodyIn := localized(s.lang(), n.Body, n.BodyES)
	b := views.MailBody{
		Lang:       string(s.lang()),
		BodyLang:   string(bodyIn),
		Greeting:   greeting(s),
		Paragraphs: Paragraphs(body),
		Action:     link(t("mail.see_petition"), cp.URL),
		Footer: []string{
			t("mail.update.why", "Title", cp.Title),
			t("mail.update.unsubscribe_note"),
		},
		Links: links(s, cp, l, true),
	}
	if len(b.Paragraphs) > 0 {
		b.Preheader = b.Paragraphs[0]
	}
	if q := n.Quote; q != nil && strings.TrimSpace(q.Text) != "" {
		b.Quote = &views.MailQuote{Text: q.Text, Who: q.Who, Source: q.Source}
		if es := strings.TrimSpace(q.TextES); es != "" && s.lang() == locale.Spanish {
			b.Quote.Translation = t("overview.translation", "Text", es)
		}
	}
	var headers map[string]string
	if u := httpURL(l.Unsubscribe); u != "" {
		headers = map[string]string{
			"List-Unsubscribe":      "<" + u + ">",
			"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
		}
	}
	return compose(s, subject, b, headers)
}

// lang is the signer's language, English when none is known.
func (s Signer) lang() locale.Lang { return locale.OrEnglish(string(s.Lang)) }

// t is a text of the catalogue in the signer's language.
func (s Signer) t(id string, args ...any) string { return locale.TIn(s.lang(), id, args...) }

// compose renders b as both parts of a message to s.
func compose(s Signer, subject string, b views.MailBody, headers map[string]string) Message {
	subject = cleanHeader(subject)
	var html bytes.Buffer
	// Rendering into a buffer fails only when the writer does.
	_ = views.MailHTML(subject, b).Render(locale.With(context.Background(), locale.Request{Lang: s.lang()}), &html)
	if headers == nil {
		headers = map[string]string{}
	}
	// Vacation replies and other robots are asked not to answer (RFC 3834).
	headers["Auto-Submitted"] = "auto-generated"
	headers["Content-Language"] = string(s.lang())
	return Message{To: s.To, Subject: subject, Text: renderText(b), HTML: html.String(), Headers: headers}
}

func greeting(s Signer) string {
	if name := cleanHeader(s.FirstName); name != "" {
		return s.t("mail.greeting.name", "Name", name)
	}
	return s.t("mail.greeting")
}

// target is ", the petition to Amazon" or nothing.
func target(s Signer, cp Campaign) string {
	if t := strings.TrimSpace(cp.Target); t != "" {
		return s.t("mail.target", "Target", t)
	}
	return ""
}

// links are the footer's links: unsubscribe (news only), withdraw, and
// the petition page.
func links(s Signer, cp Campaign, l Links, news bool) []views.MailLink {
	var out []views.MailLink
	if news {
		if a := link(s.t("mail.link.unsubscribe"), l.Unsubscribe); a != nil {
			out = append(out, *a)
		}
	}
	if a := link(s.t("mail.link.withdraw"), l.Withdraw); a != nil {
		out = append(out, *a)
	}
	if a := link(cp.Title, cp.URL); a != nil {
		out = append(out, *a)
	}
	return out
}

func link(label, u string) *views.MailLink {
	if u = httpURL(u); u == "" {
		return nil
	}
	return &views.MailLink{Label: label, URL: u}
}

// httpURL is u when it is an absolute http or https URL with no spaces or
// control characters (it is written out whole in the text part, and in a
// header), else "".
func httpURL(u string) string {
	u = strings.TrimSpace(u)
	if u == "" || strings.IndexFunc(u, func(r rune) bool { return r <= ' ' || r == 0x7f || r == '<' || r == '>' }) >= 0 {
		return ""
	}
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" {
		return ""
	}
	return u
}

var blankLines = regexp.MustCompile(`\n[ \t]*\n`)

// Paragraphs splits an organiser's text on blank lines; a line break
// inside a paragraph is a space, as in HTML.
func Paragraphs(body string) []string {
	body = strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\r", "\n")
	var out []string
	for _, p := range blankLines.Split(body, -1) {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			out = append(out, p)
		}
	}
	return out
}
