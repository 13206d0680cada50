package views

import (
	"strings"

	"campaigntrack/feed"
	"campaigntrack/models"
)

// The timeline as feed entries: what the timeline's Atom feed says of each
// record. Package feed writes them; their ids, links and texts are the
// timeline's, built here beside the page's addresses and the feed's id
// (timeline_viewmodels.go), which share one canonical filter query.

// TimelineAtomEntries turns a campaign's timeline into feed entries. An
// entry's id is a tag URI of the site, the campaign and the entry's anchor
// (see timelineTag), which never change, so a feed reader sees an edited
// record as the same entry updated, and a moved site as the same feed.
// Its link is pageURL (the timeline page's absolute address; a query or
// fragment is dropped) with the anchor. The content is plain text: the
// entry's body, where it happened, and its sources, because on this
// tracker nothing is shown without where it was reported.
func TimelineAtomEntries(entries []models.TimelineEntry, site string, campaignID uint, pageURL string) []feed.AtomEntry {
	// A filter in the page's query (?city=Seattle) must not change an
	// entry's link: the same entry in two feeds is the same entry.
	if i := strings.IndexAny(pageURL, "?#"); i >= 0 {
		pageURL = pageURL[:i]
	}
	tag := timelineTag(site, campaignID)
	out := make([]feed.AtomEntry, 0, len(entries))
	for _, e := range entries {
		link := pageURL + "#" + e.Anchor
		var content []string
		if e.Body != "" {
			content = append(content, e.Body)
		}
		when := atomWhen(e)
		if e.City != "" {
			content = append(content, "When: "+when+", "+e.City)
		} else {
			content = append(content, "When: "+when)
		}
		if len(e.Sources) > 0 {
			lines := []string{"Sources:"}
			for _, s := range e.Sources {
				line := "- " + s.Label()
				if s.Name != "" && s.URL != "" {
					line += " <" + s.URL + ">"
				}
				lines = append(lines, line)
			}
			content = append(content, strings.Join(lines, "\n"))
		}
		updated := e.Updated
		if updated.IsZero() {
			updated = e.At
		}
		out = append(out, feed.AtomEntry{
			ID: tag + e.Anchor, Title: e.Title, Link: link, Content: strings.Join(content, "\n\n"),
			Updated: updated, Published: e.At, Category: e.Kind,
		})
	}
	return out
}

// atomWhen is an entry's time in words, where it happened: "15 July 2019"
// for a day-only entry, else "15 July 2019, 11:00 PDT" in its zone.
func atomWhen(e models.TimelineEntry) string {
	if e.DateOnly {
		return e.At.UTC().Format("2 January 2006")
	}
	return e.At.In(models.ZoneOrUTC(e.TimeZone)).Format("2 January 2006, 15:04 MST")
}
