package views_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"campaigntrack/locale"
	"campaigntrack/models"
	"campaigntrack/views"
)

func TestTimelineAtomEntries(t *testing.T) {
	t.Parallel()
	at := time.Date(2019, 7, 15, 18, 0, 0, 0, time.UTC)
	entries := []models.TimelineEntry{
		{Kind: "delivery", At: at, TimeZone: "America/Los_Angeles",
			Delivery: &models.Delivery{City: "Seattle", Region: "WA", Venue: "the Spheres", Status: "delivered"}, City: "Seattle", Status: "delivered", Anchor: "delivery-3", RecordID: 3,
			Sources: models.Sources{{Name: "The Seattle Times"}, {Name: "KPIX", URL: "https://cbsnews.com/x?a=1&b=2"}, {URL: "https://example.org/only-url"}},
			Updated: at.Add(48 * time.Hour)},
		{Kind: "milestone", At: at, DateOnly: true, Reached: 1000, Total: 1003, Anchor: "signatures-1000",
			Sources: models.Sources{models.SignaturesHereSource}},
	}
	got := views.TimelineAtomEntries(context.Background(), entries, "s1te", 7, "https://example.org/campaigns/x/timeline?city=Seattle")
	if len(got) != 2 {
		t.Fatalf("entries = %d", len(got))
	}
	d := got[0]
	if d.ID != "tag:campaigntrack,2019:s1te/campaign/7/delivery-3" || d.Link != "https://example.org/campaigns/x/timeline#delivery-3" {
		t.Errorf("id %q, link %q: want a tag of the site, campaign and anchor, and the page address without its query", d.ID, d.Link)
	}
	if id := views.TimelineFeedID(context.Background(), "s1te", 7, "response", "San Francisco"); id != "tag:campaigntrack,2019:s1te/campaign/7/timeline?city=San+Francisco&kind=response" {
		t.Errorf("filtered feed id = %q", id)
	}
	for _, want := range []string{"At the Spheres.", "15 July 2019, 11:00 PDT, Seattle", "- The Seattle Times\n", "- KPIX <https://cbsnews.com/x?a=1&b=2>", "- https://example.org/only-url"} {
		if !strings.Contains(d.Content, want) {
			t.Errorf("content lacks %q:\n%s", want, d.Content)
		}
	}
	if d.Title != "Petition delivered in Seattle, WA" {
		t.Errorf("title %q", d.Title)
	}
	if !d.Published.Equal(at) || !d.Updated.Equal(at.Add(48*time.Hour)) || d.Category != "delivery" {
		t.Errorf("delivery entry = %+v", d)
	}
	m := got[1]
	if !m.Updated.Equal(at) || !strings.Contains(m.Content, "When: 15 July 2019\n") || !strings.Contains(m.Content, "signatures collected on campaigntrack passed 1,000 on this day (1,003 by its end, UTC)") || m.Title != "1,000 signatures collected" {
		t.Errorf("milestone entry = %+v", m)
	}
}

// The Spanish feed tells the same entries in Spanish, under ids of its
// own, and marks a quote's translation as one.
func TestTimelineAtomEntriesInSpanish(t *testing.T) {
	t.Parallel()
	ctx := locale.With(context.Background(), locale.Request{Lang: locale.Spanish})
	at := time.Date(2019, 7, 15, 0, 0, 0, 0, time.UTC)
	entries := []models.TimelineEntry{
		{Kind: "delivery", At: at, DateOnly: true, Delivery: &models.Delivery{City: "Seattle", Region: "WA", Status: "delivered", Outcome: "Handed over.", OutcomeES: "Entregada."},
			City: "Seattle", Anchor: "delivery-3", Sources: models.Sources{{Name: "The Seattle Times"}}},
		{Kind: "response", At: at, DateOnly: true, Target: "Amazon", Response: &models.Response{Kind: "statement", Speaker: "Werner Vogels", Quote: "We will not.", QuoteES: "No lo haremos."},
			Anchor: "response-4"},
	}
	got := views.TimelineAtomEntries(ctx, entries, "s1te", 7, "https://example.org/es/campaigns/x/timeline")
	if got[0].ID != "tag:campaigntrack,2019:s1te/campaign/7/es/delivery-3" || got[0].Title != "Petición entregada en Seattle, WA" {
		t.Errorf("delivery: id %q, title %q", got[0].ID, got[0].Title)
	}
	for _, want := range []string{"Entregada.", "Cuándo: 15 de julio de 2019, Seattle", "Fuentes:\n- The Seattle Times"} {
		if !strings.Contains(got[0].Content, want) {
			t.Errorf("delivery content lacks %q:\n%s", want, got[0].Content)
		}
	}
	if got[1].Title != "Amazon: declaración de Werner Vogels" || !strings.HasPrefix(got[1].Content, "We will not. Traducción: No lo haremos.") {
		t.Errorf("response: %q\n%s", got[1].Title, got[1].Content)
	}
	if id := views.TimelineFeedID(ctx, "s1te", 7, "", ""); id != "tag:campaigntrack,2019:s1te/campaign/7/es/timeline" {
		t.Errorf("Spanish feed id = %q", id)
	}
}
