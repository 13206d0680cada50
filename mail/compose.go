package mail

import (
	"bytes"
	"context"
	"net/url"
	"regexp"
	"strings"

	"campaigntrack/views"
)

// Campaign is what a mail says about the petition. URL is the public
// campaign page, absolute.
type Campaign struct{ Title, Target, Demand, URL string }

// Signer is the one person a mail goes to. Nothing in a mail comes from
// any other signer.
type Signer struct {
	FirstName string
	To        Address
}

// Links are the signer's own absolute http(s) URLs; an empty one, or one
// that is not http(s), is left out of the mail.
type Links struct{ Confirm, Withdraw, Unsubscribe string }

// News is an organiser's update: plain text, paragraphs split on blank
// lines, and optionally a quoted answer (the company's, say).
type News struct {
	Subject, Body string
	Quote         *Quote
}

// Quote is quoted text and who said it where.
type Quote struct{ Text, Who, Source string }

// The messages below leave From empty: it is the --mail-from setting,
// which the sender sets on each message.

// Confirmation asks a new signer to confirm: the button opens a page with
// a confirm button (a link alone must not confirm, since mail scanners
// follow links). again: they signed again while still unconfirmed, so
// this mail brings a fresh link.
func Confirmation(cp Campaign, s Signer, l Links, again bool) Message {
	subject := "Please confirm your signature: " + cp.Title
	first := "Thank you for signing “" + cp.Title + "”" + target(cp) + "."
	if again {
		subject = "A new link to confirm your signature: " + cp.Title
		first = "You signed “" + cp.Title + "” again before confirming, so here is a fresh link to confirm your signature."
	}
	b := views.MailBody{
		Preheader: "One more step: confirm your signature so that it counts.",
		Greeting:  greeting(s),
		Paragraphs: []string{
			first,
			"Your signature counts only once you confirm it. The button opens a page where you confirm with one click. The link is valid for 7 days.",
			"If you did not sign, someone else gave your address: ignore this mail and nothing is counted, or withdraw the signature with the link below.",
		},
		Action: link("Confirm my signature", l.Confirm),
		Footer: []string{"You get this mail because this address was given to sign “" + cp.Title + "”."},
		Links:  links(cp, l, false),
	}
	return compose(s, subject, b, nil)
}

// AlreadySigned answers a signature from an address whose signature is
// already counted: nothing to do, and the withdraw link.
func AlreadySigned(cp Campaign, s Signer, l Links) Message {
	b := views.MailBody{
		Preheader: "Your signature is already counted; there is nothing to do.",
		Greeting:  greeting(s),
		Paragraphs: []string{
			"Someone, probably you, just signed “" + cp.Title + "” again with this address.",
			"Your signature was already counted, and it counts once. There is nothing you need to do.",
			"If you did not sign, or want to take your signature back, use the withdraw link below.",
		},
		Footer: []string{"You get this mail because this address was given to sign “" + cp.Title + "”."},
		Links:  links(cp, l, false),
	}
	return compose(s, "You have already signed: "+cp.Title, b, nil)
}

// Signed is the receipt when no confirmation is needed: thanks, counted,
// and the withdraw link.
func Signed(cp Campaign, s Signer, l Links) Message {
	b := views.MailBody{
		Preheader: "Your signature is counted. Thank you.",
		Greeting:  greeting(s),
		Paragraphs: []string{
			"Thank you for signing “" + cp.Title + "”" + target(cp) + ". Your signature is counted.",
			"The more people sign, the harder the petition is to ignore: share it with people who would sign too.",
		},
		Action: link("See the petition", cp.URL),
		Footer: []string{"You get this mail because this address was given to sign “" + cp.Title + "”. If that was not you, withdraw the signature with the link below."},
		Links:  links(cp, l, false),
	}
	return compose(s, "Thank you for signing: "+cp.Title, b, nil)
}

// Update is news to a signer who asked for it, with List-Unsubscribe and
// one-click List-Unsubscribe-Post (RFC 8058) headers so mail clients offer
// their own unsubscribe button.
func Update(cp Campaign, s Signer, n News, l Links) Message {
	subject := strings.TrimSpace(n.Subject)
	if subject == "" {
		subject = "News: " + cp.Title
	}
	b := views.MailBody{
		Greeting:   greeting(s),
		Paragraphs: Paragraphs(n.Body),
		Action:     link("See the petition", cp.URL),
		Footer: []string{
			"You get this news because you signed “" + cp.Title + "” and asked to hear how it goes.",
			"Unsubscribing stops the news; your signature still counts.",
		},
		Links: links(cp, l, true),
	}
	if len(b.Paragraphs) > 0 {
		b.Preheader = b.Paragraphs[0]
	}
	if q := n.Quote; q != nil && strings.TrimSpace(q.Text) != "" {
		b.Quote = &views.MailQuote{Text: q.Text, Who: q.Who, Source: q.Source}
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

// compose renders b as both parts of a message to s.
func compose(s Signer, subject string, b views.MailBody, headers map[string]string) Message {
	subject = cleanHeader(subject)
	var html bytes.Buffer
	// Rendering into a buffer fails only when the writer does.
	_ = views.MailHTML(subject, b).Render(context.Background(), &html)
	if headers == nil {
		headers = map[string]string{}
	}
	// Vacation replies and other robots are asked not to answer (RFC 3834).
	headers["Auto-Submitted"] = "auto-generated"
	return Message{To: s.To, Subject: subject, Text: renderText(b), HTML: html.String(), Headers: headers}
}

func greeting(s Signer) string {
	if name := cleanHeader(s.FirstName); name != "" {
		return "Hello " + name + ","
	}
	return "Hello,"
}

// target is ", the petition to Amazon" or nothing.
func target(cp Campaign) string {
	if t := strings.TrimSpace(cp.Target); t != "" {
		return ", the petition to " + t
	}
	return ""
}

// links are the footer's links: unsubscribe (news only), withdraw, and
// the petition page.
func links(cp Campaign, l Links, news bool) []views.MailLink {
	var out []views.MailLink
	if news {
		if a := link("Unsubscribe from news about this petition", l.Unsubscribe); a != nil {
			out = append(out, *a)
		}
	}
	if a := link("Withdraw my signature", l.Withdraw); a != nil {
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
