package mail

import (
	"strings"
	"unicode/utf8"

	"campaigntrack/views"
)

// textWidth is where the plain-text part wraps: under the 78 columns RFC
// 5322 recommends, with room for a quote's "> ".
const textWidth = 72

// renderText is the plain-text part of a mail, from the same MailBody as
// the HTML part: paragraphs wrapped at textWidth, the quote marked with
// "> " (its translation beneath it, labelled, without "> ": it is not
// the words as said), and every link written out in full on its own line, where no
// wrapping breaks it, so it can be copied or clicked.
func renderText(b views.MailBody) string {
	var w strings.Builder
	para := func(s, prefix string) {
		for _, line := range wrap(s, textWidth-len(prefix)) {
			w.WriteString(strings.TrimRight(prefix+line, " "))
			w.WriteString("\n")
		}
		w.WriteString("\n")
	}
	if b.Greeting != "" {
		para(b.Greeting, "")
	}
	for _, p := range b.Paragraphs {
		para(p, "")
	}
	if q := b.Quote; q != nil {
		para(q.Text, "> ")
		if who := q.Attribution(); who != "" {
			para(who, "  ")
		}
		if q.Translation != "" {
			para(q.Translation, "")
		}
	}
	if a := b.Action; a != nil {
		w.WriteString(oneLine(a.Label) + ":\n" + a.URL + "\n\n")
	}
	if len(b.Footer) > 0 || len(b.Links) > 0 {
		w.WriteString("-- \n") // the signature separator: clients grey out what follows
		for _, f := range b.Footer {
			para(f, "")
		}
		for _, l := range b.Links {
			w.WriteString(oneLine(l.Label) + ":\n" + l.URL + "\n\n")
		}
	}
	return strings.TrimRight(w.String(), "\n") + "\n"
}

// wrap breaks s into lines of at most width runes at spaces; a word longer
// than width (an address) gets a line of its own, unbroken. All runs of
// white space, line breaks included, count as one space.
func wrap(s string, width int) []string {
	var lines []string
	var line strings.Builder
	n := 0
	for _, word := range strings.Fields(s) {
		k := utf8.RuneCountInString(word)
		if n > 0 && n+1+k > width {
			lines = append(lines, line.String())
			line.Reset()
			n = 0
		}
		if n > 0 {
			line.WriteByte(' ')
			n++
		}
		line.WriteString(word)
		n += k
	}
	if n > 0 {
		lines = append(lines, line.String())
	}
	return lines
}
