package handlers

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"campaigntrack/config"
	"campaigntrack/seed"
	"campaigntrack/testdb"
)

// TestUnknownSlugsLeaveNothingInTheCaches: a flood of requests for slugs
// no campaign has, or ever had, adds nothing to the page or campaign
// cache; only the live campaign is kept.
func TestUnknownSlugsLeaveNothingInTheCaches(t *testing.T) {
	t.Parallel()
	store := testdb.Open(t, testdb.SQLite)
	if _, err := seed.Load(context.Background(), store); err != nil {
		t.Fatal(err)
	}
	h := New(store, slog.New(slog.NewTextHandler(io.Discard, nil)), config.Config{PageCache: time.Hour})
	e := h.Router()
	for i := range 200 {
		for _, p := range []string{"/campaigns/made-up-", "/api/campaigns/made-up-", "/campaigns/made-up-sign-"} {
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, p+strconv.Itoa(i), nil))
			if rec.Code != http.StatusNotFound {
				t.Fatalf("GET %s%d: %d", p, i, rec.Code)
			}
		}
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/campaigns/no-tech-for-ice", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("the live campaign: %d", rec.Code)
	}
	if n, m := len(h.campaigns.entries), len(h.pages.entries); n != 1 || m != 1 {
		t.Errorf("after 600 requests for made-up slugs and one for the live one: %d campaigns and %d pages cached, want 1 and 1", n, m)
	}
}
