package views_test

import (
	"strings"
	"testing"
	"time"

	"campaigntrack/models"
	"campaigntrack/views"
)

func TestTimelineAtomEntries(t *testing.T) {
	t.Parallel()
	at := time.Date(2019, 7, 15, 18, 0, 0, 0, time.UTC)
	entries := []models.TimelineEntry{
		{Kind: "delivery", At: at, TimeZone: "America/Los_Angeles", Title: "Petition delivered in Seattle, WA",
			Body: "At the Spheres.", City: "Seattle", Status: "delivered", Anchor: "delivery-3", RecordID: 3,
			Sources: models.Sources{{Name: "The Seattle Times"}, {Name: "KPIX", URL: "https://cbsnews.com/x?a=1&b=2"}, {URL: "https://example.org/only-url"}},
			Updated: at.Add(48 * time.Hour)},
		{Kind: "milestone", At: at, DateOnly: true, Title: "1,000 signatures collected", Anchor: "signatures-1000",
			Sources: models.Sources{models.SignaturesHereSource}},
	}
	got := views.TimelineAtomEntries(entries, "s1te", 7, "https://example.org/campaigns/x/timeline?city=Seattle")
	if len(got) != 2 {
		t.Fatalf("entries = %d", len(got))
	}
	d := got[0]
	if d.ID != "tag:campaigntrack,2019:s1te/campaign/7/delivery-3" || d.Link != "https://example.org/campaigns/x/timeline#delivery-3" {
		t.Errorf("id %q, link %q: want a tag of the site, campaign and anchor, and the page address without its query", d.ID, d.Link)
	}
	if id := views.TimelineFeedID("s1te", 7, "response", "San Francisco"); id != "tag:campaigntrack,2019:s1te/campaign/7/timeline?city=San+Francisco&kind=response" {
		t.Errorf("filtered feed id = %q", id)
	}
	for _, want := range []string{"At the Spheres.", "15 July 2019, 11:00 PDT, Seattle", "- The Seattle Times\n", "- KPIX <https://cbsnews.com/x?a=1&b=2>", "- https://example.org/only-url"} {
		if !strings.Contains(d.Content, want) {
			t.Errorf("content lacks %q:\n%s", want, d.Content)
		}
	}
	if !d.Published.Equal(at) || !d.Updated.Equal(at.Add(48*time.Hour)) || d.Category != "delivery" {
		t.Errorf("delivery entry = %+v", d)
	}
	m := got[1]
	if !m.Updated.Equal(at) || !strings.Contains(m.Content, "When: 15 July 2019\n") || !strings.Contains(m.Content, "signatures collected on campaigntrack") {
		t.Errorf("milestone entry = %+v", m)
	}
}
