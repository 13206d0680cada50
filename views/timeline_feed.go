package views

import (
	"context"
	"strings"

	"campaigntrack/feed"
	"campaigntrack/locale"
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
func TimelineAtomEntries(ctx context.Context, entries []models.TimelineEntry, site string, campaignID uint, pageURL string) []feed.AtomEntry {
	// A filter in the page's query (?city=Seattle) must not change an
	// entry's link: the same entry in two feeds is the same entry.
	if i := strings.IndexAny(pageURL, "?#"); i >= 0 {
		pageURL = pageURL[:i]
	}
	tag := timelineTag(ctx, site, campaignID)
	out := make([]feed.AtomEntry, 0, len(entries))
	for _, e := range entries {
		link := pageURL + "#" + e.Anchor
		var content []string
		if body := PlainText(ctx, EntryBody(ctx, e)); body != "" {
			content = append(content, body)
		}
		when := whenIn(ctx, &e.At, e.DateOnly, e.TimeZone)
		if e.City != "" {
			content = append(content, locale.T(ctx, "timeline.feed_when_city", "When", when, "City", e.City))
		} else {
			content = append(content, locale.T(ctx, "timeline.feed_when", "When", when))
		}
		if len(e.Sources) > 0 {
			lines := []string{locale.T(ctx, "timeline.feed_sources")}
			for _, s := range e.Sources {
				line := "- " + s.Label()
				if s.Name != "" && s.URL != "" {
					line += " <" + s.URL + ">"
				}
				lines = append(lines, line)
			}
			content = append(content, strings.Join(lines, "\n"))
		}
		title, _ := EntryTitle(ctx, e)
		updated := e.Updated
		if updated.IsZero() {
			updated = e.At
		}
		out = append(out, feed.AtomEntry{
			ID: tag + e.Anchor, Title: title, Link: link,
			Untitled: locale.T(ctx, "timeline.feed_untitled", "Kind", strings.ToLower(TimelineKindName(ctx, e.Kind)), "KindName", TimelineKindName(ctx, e.Kind)), Content: strings.Join(content, "\n\n"),
			Updated: updated, Published: e.At, Category: e.Kind,
		})
	}
	return out
}

// TimelineFeedTitle is the feed's title: "No Tech for ICE: timeline".
func TimelineFeedTitle(ctx context.Context, cp models.Campaign) string {
	return locale.T(ctx, "timeline.feed_title", "Campaign", pick(ctx, cp.Title, cp.TitleES))
}

// TimelineFeedSubtitle says what the feed holds, filter included.
func TimelineFeedSubtitle(ctx context.Context, kind, city string) string {
	return locale.T(ctx, "timeline.feed_subtitle", "Shown", TimelineView{Kind: kind, City: city}.Shown(ctx))
}
