package handlers_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"campaigntrack/models"
)

// TestTimelineAtomCopesWithAnyStoredText: records whose texts are only
// control characters, XML's forbidden code points, or very long, stored
// through the Store, still give a 200 and a well-formed feed in which
// every entry has its title and the feed its author.
func TestTimelineAtomCopesWithAnyStoredText(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		cp := tlDemo(t, a)
		controls := "\x01\x02"
		nasty := "\x03\x1b\x7f\u0085\uFFFE\uFFFF\x0b\x0c"
		if strings.HasSuffix(t.Name(), "/sqlite") {
			// PostgreSQL refuses these in text; SQLite stores them as given.
			nasty += "\x00\xff\xed\xa0\x80" // NUL, a stray byte, a lone surrogate
		}
		at := time.Date(2019, 7, 20, 18, 0, 0, 0, time.UTC)
		src := models.Sources{{Name: nasty, URL: "https://example.org/" + "\uFFFE"}}
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(a.store.CreateAction(ctx, models.CommandLine, cp.ID, &models.Action{Kind: "rally", Title: controls,
			Description: strings.Repeat(nasty, 300), OccurredAt: at, City: controls, Sources: src}))
		must(a.store.CreateAction(ctx, models.CommandLine, cp.ID, &models.Action{Kind: "march", Title: nasty, OccurredAt: at, Place: nasty}))
		must(a.store.CreateAction(ctx, models.CommandLine, cp.ID, &models.Action{Kind: "strike", Title: strings.Repeat("Long title ", 27), OccurredAt: at}))
		must(a.store.CreateDelivery(ctx, models.CommandLine, cp.ID, &models.Delivery{City: controls, Region: nasty, Venue: nasty,
			Status: models.DeliveryDelivered, DeliveredAt: &at, Outcome: nasty, Sources: src}))
		must(a.store.CreateResponse(ctx, models.CommandLine, cp.ID, &models.Response{Kind: "statement", Channel: "email",
			Speaker: controls, Quote: nasty, Summary: nasty, RespondedAt: at, Sources: src}))
		must(a.store.CreateClaim(ctx, models.CommandLine, cp.ID, &models.CountClaim{Count: 1000, ClaimedBy: controls,
			ClaimedOn: "2019-07-20", Wording: nasty, SourceName: nasty}))
		must(a.store.CreateOrganisation(ctx, models.CommandLine, cp.ID, &models.Organisation{Name: controls}))

		for _, path := range []string{timelinePath + ".atom", timelinePath + ".atom?kind=action", timelinePath + ".atom?city=" + "%01%02"} {
			r := a.browser().get(path)
			if r.status != http.StatusOK {
				t.Fatalf("GET %s = %d, want 200:\n%.500s", path, r.status, r.body)
			}
			f := parseTimelineAtom(t, r.body)
			if len(f.Authors) != 1 || len(f.Authors[0].Names) != 1 || strings.TrimSpace(f.Authors[0].Names[0]) == "" {
				t.Errorf("%s: author %+v, want one with a name", path, f.Authors)
			}
			if len(f.Titles) != 1 || strings.TrimSpace(f.Titles[0]) == "" {
				t.Errorf("%s: feed title %q", path, f.Titles)
			}
			for i, e := range f.Entries {
				if len(e.IDs) != 1 || len(e.Titles) != 1 || strings.TrimSpace(e.Titles[0]) == "" || len(e.Updated) != 1 {
					t.Errorf("%s: entry %d lacks its id, title or updated time: %+v", path, i, e)
				}
			}
			if len(f.Entries) == 0 {
				t.Errorf("%s: no entries", path)
			}
		}
		// The pages and exports of the same records are no 500 either.
		for _, path := range []string{"/campaigns/no-tech-for-ice", timelinePath, "/campaigns/no-tech-for-ice/responses",
			"/campaigns/no-tech-for-ice/deliveries", "/campaigns/no-tech-for-ice/deliveries.csv",
			"/campaigns/no-tech-for-ice/actions.csv", "/campaigns/no-tech-for-ice/responses.csv", "/api/campaigns/no-tech-for-ice"} {
			if r := a.browser().get(path); r.status != http.StatusOK {
				t.Errorf("GET %s = %d, want 200", path, r.status)
			}
		}
	})
}
