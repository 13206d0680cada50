package handlers

import (
	"io"
	"log/slog"
	"testing"

	"campaigntrack/config"
	"campaigntrack/testdb"
)

// TestRecordSectionsHaveTheirRoutes: routes.go writes each kind of record's
// routes out, so they can be found by grep; a kind's section, which its
// pages link and redirect to, must name those routes.
func TestRecordSectionsHaveTheirRoutes(t *testing.T) {
	t.Parallel()
	h := New(testdb.Open(t, testdb.SQLite), slog.New(slog.NewTextHandler(io.Discard, nil)), config.Config{})
	routes := map[string]bool{}
	for _, r := range h.Router().Routes() {
		routes[r.Method+" "+r.Path] = true
	}
	for _, section := range []string{h.claimRecords().section, h.partnerRecords().section, h.deliveryRecords().section,
		h.actionRecords().section, h.responseRecords().section, h.sourceRecords().section} {
		base := "/admin/campaigns/:slug/" + section
		for _, want := range []string{"GET " + base, "POST " + base, "GET " + base + "/:id", "POST " + base + "/:id", "POST " + base + "/:id/delete"} {
			if !routes[want] {
				t.Errorf("section %q: no route %s in routes.go", section, want)
			}
		}
	}
}
