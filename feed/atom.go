// Package feed writes Atom 1.0 feeds (RFC 4287). It is a format, not a
// page: it knows nothing of campaigns or timelines, only what a valid,
// well-formed feed needs; views builds the entries it is given.
package feed

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
)

// Written with encoding/xml rather than as a templ page: a feed is data
// for machines, and the encoder escapes every text and attribute for us.

// AtomNamespace is the XML namespace of Atom 1.0.
const AtomNamespace = "http://www.w3.org/2005/Atom"

// DefaultAuthor names the feed's author when none is given: the
// tracker itself.
const DefaultAuthor = "campaigntrack"

// Atom is a feed as WriteAtom writes it. ID is required; a
// Title or Author that is empty once cleaned (see xmlText) is written as
// "Timeline" or DefaultAuthor. SelfURL is the feed's own address and
// AltURL the page it mirrors. A zero Updated is the latest Updated of its
// entries. Lang is the language of its text (xml:lang, "en", "es"), empty
// for none said.
type Atom struct {
	ID       string
	Lang     string
	Title    string
	Subtitle string
	SelfURL  string
	AltURL   string
	Updated  time.Time
	Author   string
	Entries  []AtomEntry
}

// AtomEntry is one entry of a feed. ID is required, and Updated or
// Published (a zero Updated is Published). A Title that is empty once
// cleaned is written as Untitled, or when that is empty too as "Untitled "
// and the category ("Untitled action"): the title is stored text, and no
// stored text may cost the feed. Summary and Content are plain text.
type AtomEntry struct {
	ID        string
	Title     string
	Untitled  string
	Link      string
	Summary   string
	Content   string
	Updated   time.Time
	Published time.Time
	Category  string
}

// The XML shapes. Only the root names the namespace: its children inherit
// it as the default namespace.
type atomFeedXML struct {
	XMLName  xml.Name       `xml:"http://www.w3.org/2005/Atom feed"`
	Lang     string         `xml:"http://www.w3.org/XML/1998/namespace lang,attr,omitempty"`
	ID       string         `xml:"id"`
	Title    atomText       `xml:"title"`
	Subtitle *atomText      `xml:"subtitle,omitempty"`
	Updated  string         `xml:"updated"`
	Author   atomPerson     `xml:"author"`
	Links    []atomLink     `xml:"link"`
	Entries  []atomEntryXML `xml:"entry"`
}

type atomEntryXML struct {
	ID        string        `xml:"id"`
	Title     atomText      `xml:"title"`
	Updated   string        `xml:"updated"`
	Published string        `xml:"published,omitempty"`
	Links     []atomLink    `xml:"link"`
	Category  *atomCategory `xml:"category,omitempty"`
	Summary   *atomText     `xml:"summary,omitempty"`
	Content   *atomText     `xml:"content,omitempty"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

// WriteAtom writes feed as an Atom 1.0 document. Every text is
// cleaned of what XML 1.0 cannot carry (control characters other than tab
// and line breaks, invalid UTF-8, U+FFFE and U+FFFF), so the document is
// always well-formed, and a required text left empty by cleaning gets a
// fallback (see Atom, AtomEntry), so no stored text makes the feed
// fail. A feed missing what its caller builds (an id, a time, an entry's
// link or content) is an error and nothing is written.
func WriteAtom(w io.Writer, feed Atom) error {
	doc, err := atomDocument(feed)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n")
	return err
}

// atomDocument checks feed against RFC 4287 §4.1.1 and §4.1.2 and builds
// its XML shape.
func atomDocument(feed Atom) (*atomFeedXML, error) {
	if xmlText(feed.ID) == "" {
		return nil, errors.New("atom: a feed needs an id")
	}
	doc := &atomFeedXML{
		ID:     xmlText(feed.ID),
		Lang:   xmlText(feed.Lang),
		Title:  atomText{Type: "text", Text: orElse(xmlText(feed.Title), "Timeline")},
		Author: atomPerson{Name: orElse(xmlText(feed.Author), DefaultAuthor)},
	}
	if s := xmlText(feed.Subtitle); s != "" {
		doc.Subtitle = &atomText{Type: "text", Text: s}
	}
	if href := xmlText(feed.SelfURL); href != "" {
		doc.Links = append(doc.Links, atomLink{Rel: "self", Type: "application/atom+xml", Href: href})
	}
	if href := xmlText(feed.AltURL); href != "" {
		doc.Links = append(doc.Links, atomLink{Rel: "alternate", Type: "text/html", Href: href})
	}
	updated := feed.Updated
	seen := make(map[string]bool, len(feed.Entries))
	for i, e := range feed.Entries {
		id, title := xmlText(e.ID), entryTitle(e)
		if id == "" {
			return nil, fmt.Errorf("atom: entry %d needs an id", i+1)
		}
		if seen[id] {
			return nil, fmt.Errorf("atom: entry %d repeats the id %s", i+1, id)
		}
		seen[id] = true
		eu := e.Updated
		if eu.IsZero() {
			eu = e.Published
		}
		if eu.IsZero() {
			return nil, fmt.Errorf("atom: entry %s needs an updated time", id)
		}
		if feed.Updated.IsZero() && eu.After(updated) {
			updated = eu
		}
		x := atomEntryXML{ID: id, Title: atomText{Type: "text", Text: title}, Updated: atomTime(eu)}
		if !e.Published.IsZero() {
			x.Published = atomTime(e.Published)
		}
		if href := xmlText(e.Link); href != "" {
			x.Links = []atomLink{{Rel: "alternate", Type: "text/html", Href: href}}
		}
		if c := xmlText(e.Category); c != "" {
			x.Category = &atomCategory{Term: c}
		}
		if s := xmlText(e.Summary); s != "" {
			x.Summary = &atomText{Type: "text", Text: s}
		}
		if c := xmlText(e.Content); c != "" {
			x.Content = &atomText{Type: "text", Text: c}
		}
		// §4.1.1: an entry without content needs an alternate link.
		if x.Content == nil && x.Links == nil {
			return nil, fmt.Errorf("atom: entry %s needs a link or content", id)
		}
		doc.Entries = append(doc.Entries, x)
	}
	if updated.IsZero() {
		return nil, errors.New("atom: a feed needs an updated time (it has no entries to take one from)")
	}
	doc.Updated = atomTime(updated)
	return doc, nil
}

// entryTitle is an entry's cleaned title, or when cleaning leaves nothing
// (a title of control characters, say) "Untitled" and its category:
// RFC 4287 §4.1.2 requires a title, and a reader needs something to click.
func entryTitle(e AtomEntry) string {
	if t := xmlText(e.Title); t != "" {
		return t
	}
	if t := xmlText(e.Untitled); t != "" {
		return t
	}
	if c := xmlText(e.Category); c != "" {
		return "Untitled " + c
	}
	return "Untitled entry"
}

func orElse(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

// atomTime is an RFC 3339 timestamp in UTC, as Atom's date constructs
// want them (§3.3).
func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// xmlText drops what XML 1.0 cannot carry (§2.2): invalid UTF-8 (a lone
// surrogate among it), control characters other than tab, line feed and
// carriage return, and U+FFFE and U+FFFF. encoding/xml would write U+FFFD
// in their place; a reader is better served by their absence. DEL and the
// C1 controls are allowed by XML 1.0 but discouraged, and mean nothing in
// a feed: they go too. The result is trimmed after the dropping, so a text
// of only such characters and spaces is empty.
func xmlText(s string) string {
	s = strings.ToValidUTF8(s, "")
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return r
		case unicode.IsControl(r), r == 0xFFFE, r == 0xFFFF:
			return -1
		}
		return r
	}, s))
}
