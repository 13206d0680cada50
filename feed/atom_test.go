package feed_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"campaigntrack/feed"
	"campaigntrack/models"
	"campaigntrack/seed"
	"campaigntrack/testdb"
	"campaigntrack/views"
)

// The feed as a reader parses it: every element named with the Atom
// namespace, and slices where RFC 4287 says "exactly one", so a repeat
// shows.
type parsedFeed struct {
	XMLName  xml.Name      `xml:"http://www.w3.org/2005/Atom feed"`
	IDs      []string      `xml:"http://www.w3.org/2005/Atom id"`
	Titles   []parsedText  `xml:"http://www.w3.org/2005/Atom title"`
	Subtitle []parsedText  `xml:"http://www.w3.org/2005/Atom subtitle"`
	Updated  []string      `xml:"http://www.w3.org/2005/Atom updated"`
	Authors  []parsedName  `xml:"http://www.w3.org/2005/Atom author"`
	Links    []parsedLink  `xml:"http://www.w3.org/2005/Atom link"`
	Entries  []parsedEntry `xml:"http://www.w3.org/2005/Atom entry"`
}

type parsedEntry struct {
	IDs       []string     `xml:"http://www.w3.org/2005/Atom id"`
	Titles    []parsedText `xml:"http://www.w3.org/2005/Atom title"`
	Updated   []string     `xml:"http://www.w3.org/2005/Atom updated"`
	Published []string     `xml:"http://www.w3.org/2005/Atom published"`
	Links     []parsedLink `xml:"http://www.w3.org/2005/Atom link"`
	Summary   []parsedText `xml:"http://www.w3.org/2005/Atom summary"`
	Content   []parsedText `xml:"http://www.w3.org/2005/Atom content"`
	Category  []struct {
		Term string `xml:"term,attr"`
	} `xml:"http://www.w3.org/2005/Atom category"`
}

type parsedText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

type parsedName struct {
	Names []string `xml:"http://www.w3.org/2005/Atom name"`
}

type parsedLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
	Href string `xml:"href,attr"`
}

// parseAtom checks that doc is well-formed XML (every token, strictly) and
// decodes it.
func parseAtom(t *testing.T, doc []byte) parsedFeed {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(doc))
	dec.Strict = true
	for {
		_, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, doc)
		}
	}
	var f parsedFeed
	if err := xml.Unmarshal(doc, &f); err != nil {
		t.Fatalf("unmarshal: %v", err)
	}
	return f
}

// checkAtom checks the elements RFC 4287 requires of a feed (§4.1.1) and
// of its entries (§4.1.2), that ids are unique and times RFC 3339.
func checkAtom(t *testing.T, f parsedFeed) {
	t.Helper()
	if f.XMLName.Space != feed.AtomNamespace || f.XMLName.Local != "feed" {
		t.Fatalf("root = %+v, want feed in %s", f.XMLName, feed.AtomNamespace)
	}
	one := func(what string, n int) {
		t.Helper()
		if n != 1 {
			t.Errorf("%s: %d, want exactly one", what, n)
		}
	}
	one("feed id", len(f.IDs))
	one("feed title", len(f.Titles))
	one("feed updated", len(f.Updated))
	one("feed author", len(f.Authors))
	for _, a := range f.Authors {
		one("feed author name", len(a.Names))
	}
	rels := map[string]int{}
	for _, l := range f.Links {
		rels[l.Rel]++
		if l.Href == "" {
			t.Errorf("feed link %q has no href", l.Rel)
		}
	}
	if rels["self"] != 1 || rels["alternate"] != 1 {
		t.Errorf("feed links = %v, want one self and one alternate", rels)
	}
	checkTime := func(what, s string) {
		t.Helper()
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			t.Errorf("%s %q is not RFC 3339: %v", what, s, err)
		}
	}
	for _, s := range f.Updated {
		checkTime("feed updated", s)
	}
	ids := map[string]bool{}
	for i, e := range f.Entries {
		one("entry id", len(e.IDs))
		one("entry title", len(e.Titles))
		one("entry updated", len(e.Updated))
		if len(e.Published) > 1 || len(e.Summary) > 1 || len(e.Content) > 1 {
			t.Errorf("entry %d: more than one published, summary or content", i)
		}
		for _, id := range e.IDs {
			if ids[id] {
				t.Errorf("entry id %q repeated", id)
			}
			ids[id] = true
		}
		alternate := false
		for _, l := range e.Links {
			alternate = alternate || l.Rel == "alternate"
		}
		if !alternate && len(e.Content) == 0 {
			t.Errorf("entry %d has neither content nor an alternate link", i)
		}
		for _, s := range append(e.Updated, e.Published...) {
			checkTime("entry time", s)
		}
		for _, c := range append(e.Content, e.Summary...) {
			if c.Type != "text" {
				t.Errorf("entry %d: text construct of type %q", i, c.Type)
			}
		}
	}
}

func TestWriteAtomEscapesAndStrips(t *testing.T) {
	t.Parallel()
	nasty := "Rally <b>loud</b> & \"proud\" ]]> \x00\x01\x08\x0b\x1b\x7f\u0085\uFFFE bad\xffbyte\ttab"
	in := feed.Atom{
		ID: "https://example.org/campaigns/x/timeline", Title: "Timeline <&>", Subtitle: "What happened\x0c",
		SelfURL: "https://example.org/campaigns/x/timeline.atom?a=1&b=2", AltURL: "https://example.org/campaigns/x/timeline",
		Author: "Coalition & friends",
		Entries: []feed.AtomEntry{
			{ID: "https://example.org/campaigns/x/timeline#delivery-1", Title: nasty, Link: "https://example.org/campaigns/x/timeline#delivery-1",
				Content: "Body " + nasty, Summary: "S\x02", Published: time.Date(2019, 7, 15, 11, 0, 0, 0, time.FixedZone("PDT", -7*3600)),
				Updated: time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC), Category: "delivery"},
			{ID: "https://example.org/campaigns/x/timeline#action-2", Title: "Second", Content: "No link, so content",
				Published: time.Date(2019, 7, 16, 0, 0, 0, 0, time.UTC)},
		},
	}
	var buf bytes.Buffer
	if err := feed.WriteAtom(&buf, in); err != nil {
		t.Fatal(err)
	}
	doc := buf.Bytes()
	if !bytes.HasPrefix(doc, []byte(`<?xml version="1.0" encoding="UTF-8"?>`)) {
		t.Errorf("no XML declaration: %.60s", doc)
	}
	if bytes.Contains(doc, []byte("<b>")) || bytes.Contains(doc, []byte("& ")) {
		t.Errorf("markup or a bare & in the text:\n%s", doc)
	}
	f := parseAtom(t, doc)
	checkAtom(t, f)

	wantTitle := "Rally <b>loud</b> & \"proud\" ]]>  badbyte\ttab"
	if got := f.Entries[0].Titles[0].Text; got != wantTitle {
		t.Errorf("title read back = %q, want %q (text kept, controls dropped)", got, wantTitle)
	}
	if got := f.Entries[0].Content[0].Text; got != "Body "+wantTitle {
		t.Errorf("content = %q", got)
	}
	if f.Titles[0].Text != "Timeline <&>" || f.Subtitle[0].Text != "What happened" || f.Authors[0].Names[0] != "Coalition & friends" {
		t.Errorf("feed texts = %+v %+v %+v", f.Titles, f.Subtitle, f.Authors)
	}
	if f.Entries[0].Summary[0].Text != "S" || f.Entries[0].Category[0].Term != "delivery" {
		t.Errorf("summary or category = %+v", f.Entries[0])
	}
	// Times in UTC; a missing updated is the published time; the feed's
	// updated is its latest entry's.
	if f.Entries[0].Published[0] != "2019-07-15T18:00:00Z" || f.Entries[0].Updated[0] != "2020-01-02T03:04:05Z" {
		t.Errorf("entry times = %v %v", f.Entries[0].Published, f.Entries[0].Updated)
	}
	if f.Entries[1].Updated[0] != "2019-07-16T00:00:00Z" || len(f.Entries[1].Links) != 0 {
		t.Errorf("second entry = %+v", f.Entries[1])
	}
	if f.Updated[0] != "2020-01-02T03:04:05Z" {
		t.Errorf("feed updated = %s, want the latest entry's", f.Updated[0])
	}
	for _, l := range f.Links {
		if l.Rel == "self" && (l.Href != in.SelfURL || l.Type != "application/atom+xml") {
			t.Errorf("self link = %+v", l)
		}
	}
}

func TestWriteAtomRefusesAnIncompleteFeed(t *testing.T) {
	t.Parallel()
	at := time.Date(2019, 7, 15, 0, 0, 0, 0, time.UTC)
	good := func() feed.Atom {
		return feed.Atom{ID: "urn:x", Title: "T", Author: "A", Updated: at,
			SelfURL: "https://example.org/feed.atom", AltURL: "https://example.org/",
			Entries: []feed.AtomEntry{{ID: "urn:x:1", Title: "E", Link: "https://example.org/#1", Updated: at}}}
	}
	var buf bytes.Buffer
	if err := feed.WriteAtom(&buf, good()); err != nil {
		t.Fatalf("good feed: %v", err)
	}
	for name, change := range map[string]func(*feed.Atom){
		"no id":                 func(f *feed.Atom) { f.ID = "" },
		"an id of controls":     func(f *feed.Atom) { f.ID = "\x01" },
		"an entry without id":   func(f *feed.Atom) { f.Entries[0].ID = "" },
		"an entry without time": func(f *feed.Atom) { f.Entries[0].Updated = time.Time{} },
		"an entry without link or content": func(f *feed.Atom) {
			f.Entries[0].Link = ""
		},
		"an entry whose link is controls": func(f *feed.Atom) {
			f.Entries[0].Link = "\x01\uFFFE"
		},
		"two entries, one id": func(f *feed.Atom) { f.Entries = append(f.Entries, f.Entries[0]) },
		"no time at all":      func(f *feed.Atom) { f.Updated, f.Entries = time.Time{}, nil },
	} {
		f := good()
		change(&f)
		buf.Reset()
		if err := feed.WriteAtom(&buf, f); err == nil || buf.Len() != 0 {
			t.Errorf("%s: err = %v, wrote %d bytes; want an error and nothing written", name, err, buf.Len())
		}
	}
	// A feed with no entries is valid when it says when it was updated.
	f := good()
	f.Entries = nil
	buf.Reset()
	if err := feed.WriteAtom(&buf, f); err != nil {
		t.Errorf("empty feed: %v", err)
	}
	checkAtom(t, parseAtom(t, buf.Bytes()))
}

// TestTimelineAtomOfTheDemo: the demo campaign's whole timeline makes a
// valid feed, every entry with its sources. It lives here, not in views,
// because it is checkAtom's RFC 4287 checks run on real entries.
func TestTimelineAtomOfTheDemo(t *testing.T) {
	t.Parallel()
	store := testdb.Open(t, testdb.SQLite)
	ctx := context.Background()
	if _, err := seed.Load(ctx, store); err != nil {
		t.Fatal(err)
	}
	c, _ := store.CampaignBySlug(ctx, "no-tech-for-ice")
	timeline, err := store.Timeline(ctx, c.ID, models.TimelineFilter{})
	if err != nil {
		t.Fatal(err)
	}
	page := "https://campaigns.example.org/campaigns/no-tech-for-ice/timeline"
	var buf bytes.Buffer
	err = feed.WriteAtom(&buf, feed.Atom{
		ID: page, Title: c.Title, SelfURL: page + ".atom", AltURL: page, Author: "campaigntrack",
		Entries: views.TimelineAtomEntries(ctx, timeline, "demo", c.ID, page),
	})
	if err != nil {
		t.Fatal(err)
	}
	f := parseAtom(t, buf.Bytes())
	checkAtom(t, f)
	if len(f.Entries) != len(timeline) || len(f.Entries) == 0 {
		t.Fatalf("entries = %d, timeline = %d", len(f.Entries), len(timeline))
	}
	for i, e := range f.Entries {
		if !strings.Contains(e.Content[0].Text, "Sources:\n- "+timeline[i].Sources[0].Label()) {
			t.Errorf("entry %q lacks its first source:\n%s", e.Titles[0].Text, e.Content[0].Text)
		}
	}
}

// TestWriteAtomFallsBackForEmptyTexts: a title or author that is
// stored text, empty once cleaned, gets a fallback instead of failing the
// feed (which the handler would turn into a 500).
func TestWriteAtomFallsBackForEmptyTexts(t *testing.T) {
	t.Parallel()
	at := time.Date(2019, 7, 15, 0, 0, 0, 0, time.UTC)
	in := feed.Atom{ID: "urn:x", Title: "\x01\x02", Author: " \x1b ", Updated: at,
		SelfURL: "https://example.org/feed.atom", AltURL: "https://example.org/",
		Entries: []feed.AtomEntry{
			{ID: "urn:x:1", Title: "\x01\x02", Category: "action", Link: "https://example.org/#1", Updated: at},
			{ID: "urn:x:2", Title: "", Category: "\x01", Link: "https://example.org/#2", Updated: at},
			{ID: "urn:x:3", Title: "\xed\xa0\x80\uFFFE\uFFFF\x7f\u0085", Content: "x", Updated: at},
		}}
	var buf bytes.Buffer
	if err := feed.WriteAtom(&buf, in); err != nil {
		t.Fatal(err)
	}
	f := parseAtom(t, buf.Bytes())
	checkAtom(t, f)
	if f.Titles[0].Text != "Timeline" || f.Authors[0].Names[0] != feed.DefaultAuthor {
		t.Errorf("feed title %q, author %q", f.Titles[0].Text, f.Authors[0].Names[0])
	}
	for i, want := range []string{"Untitled action", "Untitled entry", "Untitled entry"} {
		if got := f.Entries[i].Titles[0].Text; got != want {
			t.Errorf("entry %d title = %q, want %q", i, got, want)
		}
	}
}

// FuzzWriteAtom: whatever text every field holds, the feed is
// written (when its ids and links, which the handler builds, are there)
// and is well-formed XML with the elements Atom requires; with arbitrary
// ids and links too, it is either that or an error with nothing written.
func FuzzWriteAtom(f *testing.F) {
	f.Add("Timeline", "Sub", "Coalition", "Rally", "Body", "Summary", "action", "#1", "urn:x")
	f.Add("\x01\x02", "\x00", " ", "\x01", "\xff", "\xed\xa0\x80", "\uFFFE", "\uFFFF", "\x1b")
	f.Add("]]>", "<&>", "\"'", "\r\n", "\t", "&#1;", "<![CDATA[", "\u2028", "")
	f.Fuzz(func(t *testing.T, title, subtitle, author, etitle, content, summary, category, link, id string) {
		at := time.Date(2019, 7, 15, 0, 0, 0, 0, time.UTC)
		in := feed.Atom{ID: "urn:x:" + id, Title: title, Subtitle: subtitle, Author: author,
			SelfURL: "https://example.org/feed.atom?" + link, AltURL: "https://example.org/" + link,
			Entries: []feed.AtomEntry{
				{ID: "urn:x:1" + id, Title: etitle, Link: "https://example.org/#1" + link, Summary: summary,
					Content: content, Category: category, Published: at},
				{ID: "urn:x:2" + id, Title: content, Content: "c" + etitle, Category: summary, Updated: at},
			}}
		var buf bytes.Buffer
		if err := feed.WriteAtom(&buf, in); err != nil {
			t.Fatalf("a feed with its ids and links: %v", err)
		}
		checkFuzzedAtom(t, buf.Bytes())

		in.ID, in.Entries[0].ID, in.Entries[0].Link, in.Entries[1].Content = id, link, etitle, title
		buf.Reset()
		if err := feed.WriteAtom(&buf, in); err != nil {
			if buf.Len() != 0 {
				t.Fatalf("error %v, yet %d bytes written", err, buf.Len())
			}
			return
		}
		checkFuzzedAtom(t, buf.Bytes())
	})
}

// checkFuzzedAtom is checkAtom without the links a fuzzed feed may lack,
// and with every required text non-empty.
func checkFuzzedAtom(t *testing.T, doc []byte) {
	t.Helper()
	f := parseAtom(t, doc)
	if len(f.IDs) != 1 || len(f.Titles) != 1 || len(f.Updated) != 1 || len(f.Authors) != 1 || len(f.Authors[0].Names) != 1 {
		t.Fatalf("feed lacks a required element:\n%s", doc)
	}
	if f.IDs[0] == "" || strings.TrimSpace(f.Titles[0].Text) == "" || strings.TrimSpace(f.Authors[0].Names[0]) == "" {
		t.Fatalf("feed with an empty id, title or author:\n%s", doc)
	}
	for i, e := range f.Entries {
		if len(e.IDs) != 1 || len(e.Titles) != 1 || len(e.Updated) != 1 || e.IDs[0] == "" || strings.TrimSpace(e.Titles[0].Text) == "" {
			t.Fatalf("entry %d lacks its id, title or time:\n%s", i, doc)
		}
		if len(e.Content) == 0 && len(e.Links) == 0 {
			t.Fatalf("entry %d has neither content nor a link:\n%s", i, doc)
		}
	}
}
