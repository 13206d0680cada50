package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"campaigntrack/config"
	"campaigntrack/models"
	"campaigntrack/testdb"
)

// Every public page is kept like the campaign page (issue 16: a shared
// link to the deliveries or the timeline brings the same surge), and an
// organiser's change on this instance shows at once.
func TestPublicPagesAreKeptAndFollowChanges(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		a := newApp(t, store, config.Config{PageCache: time.Hour})
		ctx := context.Background()
		cp := a.seededCampaign()
		visitor := a.browser()
		base := "/campaigns/" + cp.Slug
		pages := []string{"/", base + "/deliveries", base + "/responses", base + "/timeline", base + "/timeline?kind=action", base + "/timeline.atom", base + "/signed"}
		before := map[string]string{}
		for _, p := range pages {
			r := visitor.get(p)
			if r.status != http.StatusOK {
				t.Fatalf("GET %s = %d", p, r.status)
			}
			before[p] = r.body
		}

		// A change behind the handlers' back (another instance, the
		// command line) shows once the cache time is up: here, not yet.
		kept := models.Action{Kind: "rally", Title: "Rally kept out of the cache", OccurredAt: time.Date(2019, 7, 20, 17, 0, 0, 0, time.UTC), City: "Seattle", Region: "WA", Country: "US"}
		if err := store.CreateAction(ctx, models.CommandLine, cp.ID, &kept); err != nil {
			t.Fatal(err)
		}
		for _, p := range pages {
			if r := visitor.get(p); r.body != before[p] {
				t.Errorf("GET %s again was rendered again, not kept", p)
			}
		}

		// The feed's strong ETag is kept with it: a poll with it gets a
		// 304 and no body, plain or gzipped.
		for _, enc := range []string{"", "gzip"} {
			r := visitor.get(base+"/timeline.atom", "Accept-Encoding", enc)
			etag := r.header.Get("ETag")
			if etag == "" || r.header.Get("Cache-Control") != "public, max-age=60" {
				t.Fatalf("feed (%q): ETag %q, Cache-Control %q", enc, etag, r.header.Get("Cache-Control"))
			}
			again := visitor.get(base+"/timeline.atom", "Accept-Encoding", enc, "If-None-Match", etag)
			if again.status != http.StatusNotModified || again.body != "" {
				t.Errorf("feed (%q) with If-None-Match %s = %d, %d bytes; want 304, none", enc, etag, again.status, len(again.body))
			}
		}

		// An organiser's change (here, deleting a seeded action) renders
		// every page again at once, with the other change in too.
		actions, err := store.ActionsFor(ctx, cp.ID, models.ActionFilter{})
		if err != nil || len(actions) < 2 {
			t.Fatalf("actions: %v, %v", len(actions), err)
		}
		gone := actions[0]
		if gone.ID == kept.ID {
			gone = actions[1]
		}
		if r := a.organiser().post("/admin/campaigns/"+cp.Slug+"/actions/"+strconv.FormatUint(uint64(gone.ID), 10)+"/delete", url.Values{"confirm": {"yes"}}); r.status != http.StatusSeeOther {
			t.Fatalf("delete: %d\n%s", r.status, r.body)
		}
		for _, p := range []string{base + "/timeline", base + "/timeline.atom"} {
			r := visitor.get(p)
			if !strings.Contains(r.body, kept.Title) {
				t.Errorf("GET %s after the organiser's change does not show the action stored before it", p)
			}
			if strings.Contains(r.body, ">"+gone.Title+"<") {
				t.Errorf("GET %s after the organiser's change still shows the deleted action %q", p, gone.Title)
			}
		}
	})
}
