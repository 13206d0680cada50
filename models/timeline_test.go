package models_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"campaigntrack/models"
	"campaigntrack/seed"
	"campaigntrack/testdb"
	"campaigntrack/views"
)

// TestTimelineDemo: the demo campaign's story, in order, each entry with
// its sources, and nothing private.
func TestTimelineDemo(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		demo, _ := recordsDemo(t, store)

		// Private notes on every kind of record must not reach the timeline.
		const secret = "PRIVATE-NOTE-7f3a"
		actions, _ := store.ActionsFor(ctx, demo.ID, models.ActionFilter{})
		if _, err := store.UpdateAction(ctx, models.CommandLine, demo.ID, actions[0].ID, func(a *models.Action) { a.Notes = secret }); err != nil {
			t.Fatal(err)
		}
		responses, _ := store.ResponsesFor(ctx, demo.ID, models.ResponsesOldestFirst)
		if _, err := store.UpdateResponse(ctx, models.CommandLine, demo.ID, responses[0].ID, func(r *models.Response) { r.Notes = secret }); err != nil {
			t.Fatal(err)
		}
		deliveries, _ := store.DeliveriesFor(ctx, demo.ID)
		if _, err := store.UpdateDelivery(ctx, models.CommandLine, demo.ID, deliveries[0].ID, func(d *models.Delivery) { d.Notes = secret }); err != nil {
			t.Fatal(err)
		}

		entries, err := store.Timeline(ctx, demo.ID, models.TimelineFilter{})
		if err != nil {
			t.Fatal(err)
		}
		type row struct{ kind, day, title, city string }
		want := []row{
			{"action", "2019-07-11", "Protesters disrupt the AWS Summit in New York", "New York"},
			{"response", "2019-07-11", "Amazon: statement by Werner Vogels", "New York"},
			{"response", "2019-07-12", "Amazon: statement by AWS spokesperson", ""},
			{"milestone", "2019-07-14", "More than 200,000 signatures, claimed by Elizabeth, NJ organisers' press release", ""},
			{"delivery", "2019-07-14", "Petition delivered in Elizabeth, NJ", "Elizabeth"},
			{"milestone", "2019-07-15", "More than 270,000 signatures, claimed by The organisers, as reported by The Seattle Times", ""},
			{"milestone", "2019-07-15", "More than 270,000 signatures, claimed by KPIX CBS San Francisco", ""},
			{"milestone", "2019-07-15", "250,000 signatures, claimed by The Guardian", ""},
			{"delivery", "2019-07-15", "Petition delivered in Seattle, WA", "Seattle"},
			{"delivery", "2019-07-15", "Petition delivered in New York, NY", "New York"},
			{"delivery", "2019-07-15", "Delivery planned in San Francisco, CA", "San Francisco"},
			{"delivery", "2019-07-15", "Petition delivered in San Bernardino, CA", "San Bernardino"},
			{"delivery", "2019-07-15", "Petition delivered in Washington, DC", "Washington"},
			{"action", "2019-07-15", "Rally outside the Spheres at Amazon's Seattle headquarters", "Seattle"},
			{"action", "2019-07-15", "Prime Day protest in San Francisco", "San Francisco"},
			{"action", "2019-07-15", "Prime Day protest in Portland", "Portland"},
			{"action", "2019-07-15", "Strike at the Shakopee, Minnesota fulfilment centre", "Shakopee"},
			{"action", "2019-07-15", "Prime Day protest actions in Germany, the UK, Spain and Poland", ""},
			{"response", "2019-07-15", "Amazon: no comment", ""},
			{"response", "2019-07-15", "Amazon: no reply", "San Francisco"},
			{"milestone", "2019-07-17", "More than 250,000 signatures, claimed by Daily Kos", ""},
		}
		var got []row
		for _, e := range entries {
			got = append(got, row{e.Kind, e.At.UTC().Format(time.DateOnly), entryTitle(e), e.City})
		}
		if !reflect.DeepEqual(got, want) {
			var b strings.Builder
			for _, r := range got {
				fmt.Fprintf(&b, "\n  %+v", r)
			}
			t.Fatalf("timeline:%s", b.String())
		}

		anchors := map[string]bool{}
		var nActions, nResponses int
		for _, e := range entries {
			if len(e.Sources) == 0 {
				t.Errorf("%s %q has no source", e.Kind, entryTitle(e))
			}
			if anchors[e.Anchor] {
				t.Errorf("anchor %q repeated", e.Anchor)
			}
			anchors[e.Anchor] = true
			prefix := map[string]string{"milestone": "claim"}[e.Kind]
			if prefix == "" {
				prefix = e.Kind
			}
			if e.Anchor != fmt.Sprintf("%s-%d", prefix, e.RecordID) {
				t.Errorf("anchor %q for %s %d", e.Anchor, e.Kind, e.RecordID)
			}
			if !e.DateOnly || e.Updated.IsZero() {
				t.Errorf("%q: date only %v, updated %v; the demo knows days only", entryTitle(e), e.DateOnly, e.Updated)
			}
			if strings.Contains(fmt.Sprintf("%+v", e), secret) {
				t.Errorf("%s %q shows private notes", e.Kind, entryTitle(e))
			}
			switch e.Kind {
			case "action":
				nActions++
			case "response":
				nResponses++
			}
		}
		if nActions != 6 || nResponses != 4 {
			t.Errorf("actions %d, responses %d; want 6 and 4", nActions, nResponses)
		}

		// Each record's own fields and sources.
		byTitle := func(title string) models.TimelineEntry {
			i := slices.IndexFunc(entries, func(e models.TimelineEntry) bool { return entryTitle(e) == title })
			if i < 0 {
				t.Fatalf("no entry %q", title)
			}
			return entries[i]
		}
		vogels := byTitle("Amazon: statement by Werner Vogels")
		if vogels.Status != "statement" || !strings.HasPrefix(entryBody(vogels), "I'm more than willing") ||
			len(vogels.Sources) != 1 || !strings.HasPrefix(vogels.Sources[0].Name, "The Washington Post") {
			t.Errorf("Vogels = %+v", vogels)
		}
		silence := byTitle("Amazon: no reply")
		if silence.Status != "no_reply" || entryBody(silence) != "Amazon did not answer KPIX CBS San Francisco's request for comment." ||
			silence.Sources[0].URL == "" {
			t.Errorf("no reply = %+v; want the summary as its body and KPIX's address", silence)
		}
		summit := byTitle("Protesters disrupt the AWS Summit in New York")
		if summit.Status != "disruption" || len(summit.Sources) != 2 || !strings.Contains(entryBody(summit), "AWS Summit") {
			t.Errorf("AWS Summit = %+v", summit)
		}
		sf := byTitle("Delivery planned in San Francisco, CA")
		if sf.Status != models.DeliveryPlanned || !strings.HasPrefix(entryBody(sf), "At Amazon office, Market Street. A Mijente organiser") || sf.TimeZone != "America/Los_Angeles" {
			t.Errorf("San Francisco = %+v", sf)
		}
		kpix := byTitle("More than 270,000 signatures, claimed by KPIX CBS San Francisco")
		if kpix.Status != "claim" || entryBody(kpix) != "more than 270,000; actions in nine cities" ||
			kpix.Sources[0] != (models.Source{Name: "KPIX CBS San Francisco", URL: "https://cbsnews.com/amp/sanfrancisco/news/amazon-prime-day-protests-ice-san-francisco"}) {
			t.Errorf("KPIX claim = %+v", kpix)
		}
		for _, e := range entries {
			if strings.Contains(entryTitle(e), "275,000") {
				t.Errorf("the undated CCAEJ claim is on the timeline")
			}
		}
	})
}

func TestTimelineFilters(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		demo, other := recordsDemo(t, store)
		timeline := func(f models.TimelineFilter) []models.TimelineEntry {
			t.Helper()
			out, err := store.Timeline(ctx, demo.ID, f)
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		titles := func(es []models.TimelineEntry) []string {
			var out []string
			for _, e := range es {
				out = append(out, e.Kind+": "+entryTitle(e))
			}
			return out
		}

		for kind, n := range map[string]int{"milestone": 5, "delivery": 6, "action": 6, "response": 4, "protest": 0} {
			got := timeline(models.TimelineFilter{Kind: kind})
			if len(got) != n {
				t.Errorf("kind %s: %d entries, want %d: %v", kind, len(got), n, titles(got))
			}
			for _, e := range got {
				if e.Kind != kind {
					t.Errorf("kind %s lists a %s", kind, e.Kind)
				}
			}
		}
		// A response keeps the city of what it answers under a kind filter.
		if rs := timeline(models.TimelineFilter{Kind: "response"}); rs[3].City != "San Francisco" {
			t.Errorf("the no reply's city = %q", rs[3].City)
		}

		sf := titles(timeline(models.TimelineFilter{City: " san FRANCISCO "}))
		wantSF := []string{
			"delivery: Delivery planned in San Francisco, CA",
			"action: Prime Day protest in San Francisco",
			"response: Amazon: no reply",
		}
		if !reflect.DeepEqual(sf, wantSF) {
			t.Errorf("San Francisco = %q, want %q", sf, wantSF)
		}
		ny := titles(timeline(models.TimelineFilter{City: "New York", Kind: "response"}))
		if !reflect.DeepEqual(ny, []string{"response: Amazon: statement by Werner Vogels"}) {
			t.Errorf("New York responses = %q", ny)
		}
		if ms := timeline(models.TimelineFilter{City: "Seattle", Kind: "milestone"}); len(ms) != 0 {
			t.Errorf("milestones have no city, but a city filter listed %v", titles(ms))
		}
		if none := timeline(models.TimelineFilter{City: "Atlantis"}); len(none) != 0 {
			t.Errorf("Atlantis = %v", titles(none))
		}
		for _, k := range models.TimelineKinds {
			if len(timeline(models.TimelineFilter{Kind: k})) == 0 {
				t.Errorf("TimelineKinds lists %q, which the demo has none of", k)
			}
		}

		// Another campaign's timeline is its own; an unknown one is not found.
		if es, err := store.Timeline(ctx, other.ID, models.TimelineFilter{}); err != nil || len(es) != 0 {
			t.Errorf("other campaign's timeline = %v, %v", titles(es), err)
		}
		if _, err := store.Timeline(ctx, 424242, models.TimelineFilter{}); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("unknown campaign: err = %v", err)
		}
	})
}

// TestTimelineSignatureMilestones: the first day the signatures collected
// here reached each milestone, from the kept tallies by day.
func TestTimelineSignatureMilestones(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		if _, err := seed.Load(ctx, store); err != nil {
			t.Fatal(err)
		}
		c, _ := store.CampaignBySlug(ctx, "no-tech-for-ice")
		var sigs []*models.Signature
		add := func(n int, day time.Time) {
			for range n {
				sigs = append(sigs, &models.Signature{FirstName: "S", Email: fmt.Sprintf("s%d@example.org", len(sigs)), SignedAt: day})
			}
		}
		add(999, time.Date(2019, 7, 9, 23, 0, 0, 0, time.UTC))
		add(1, time.Date(2019, 7, 10, 8, 0, 0, 0, time.UTC))   // the 1,000th
		add(500, time.Date(2019, 7, 12, 8, 0, 0, 0, time.UTC)) // none reached
		add(8600, time.Date(2019, 7, 16, 8, 0, 0, 0, time.UTC))
		if _, err := store.ImportSignatures(ctx, c.ID, testdb.Source(t, store, c.ID, "Test list"), sigs); err != nil {
			t.Fatal(err)
		}
		ms, err := store.Timeline(ctx, c.ID, models.TimelineFilter{Kind: "milestone"})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range ms {
			if e.Status != "signatures" {
				continue
			}
			got = append(got, e.At.Format(time.DateOnly)+" "+entryTitle(e)+" #"+e.Anchor)
			if !e.DateOnly || !reflect.DeepEqual(e.Sources, models.Sources{models.SignaturesHereSource}) || e.City != "" {
				t.Errorf("%q: %+v", entryTitle(e), e)
			}
		}
		want := []string{
			"2019-07-10 1,000 signatures collected #signatures-1000",
			"2019-07-16 10,000 signatures collected #signatures-10000",
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("signature milestones = %q, want %q", got, want)
		}
		if len(ms) != 7 {
			t.Errorf("milestones = %d, want 5 claims and 2 totals", len(ms))
		}
	})
}

// entryTitle and entryBody are an entry in words as the English pages
// and feed give it (views/timeline_text.go).
func entryTitle(e models.TimelineEntry) string {
	s, _ := views.EntryTitle(context.Background(), e)
	return s
}

func entryBody(e models.TimelineEntry) string {
	return views.PlainText(context.Background(), views.EntryBody(context.Background(), e))
}
