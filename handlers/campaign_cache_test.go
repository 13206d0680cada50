package handlers

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"campaigntrack/config"
	"campaigntrack/models"
	"campaigntrack/negotiate"
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
		for _, p := range []string{"/campaigns/made-up-", "/api/campaigns/made-up-", "/campaigns/made-up-sign-", "/campaigns/made-up-count-"} {
			path := p + strconv.Itoa(i)
			if strings.HasSuffix(p, "-count-") {
				path += "/count"
			}
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
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
	if n, m, k := len(h.campaigns.entries), len(h.pages.entries), len(h.countPages.entries); n != 1 || m != 1 || k != 0 {
		t.Errorf("after 800 requests for made-up slugs and one for the live one: %d campaigns, %d pages and %d count pages cached, want 1, 1 and 0", n, m, k)
	}
}

// BenchmarkCampaign serves the seeded campaign page to a client that takes
// gzip, three ways: the page cache with its token splice (as in
// production), the page cache sending plain bytes for negotiate.Gzip to
// compress per response (what removing the splice would cost), and plain
// bytes to a client that does not take gzip (the floor). The page and
// token are the real ones; the router is not in the loop, so the figures
// are the difference alone.
// Run: go test ./handlers/ -run x -bench Campaign -benchmem
func BenchmarkCampaign(b *testing.B) {
	store := testdb.Open(b, testdb.SQLite)
	if _, err := seed.Load(context.Background(), store); err != nil {
		b.Fatal(err)
	}
	h := New(store, slog.New(slog.NewTextHandler(io.Discard, nil)), config.Config{PageCache: time.Hour})
	e := h.Router()
	e.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/campaigns/no-tech-for-ice", nil))
	var page *cachedPage
	for _, p := range h.pages.entries {
		page = p
	}
	if page == nil || page.gzip == nil {
		b.Fatal("no cached page")
	}
	const token = "c2lnbmVkLXRva2VuLW9mLXRoZS12aXNpdG9yLTMyYg"
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	plain := http.Header{} // a client that takes no gzip
	for _, c := range []struct {
		name   string
		handle http.Handler
	}{
		{"splice", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=UTF-8")
			page.write(w, r.Header, token)
		})},
		{"middleware", negotiate.Gzip(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=UTF-8")
			page.write(w, plain, token)
		}))},
		{"plain", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=UTF-8")
			page.write(w, plain, token)
		})},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			var n int
			for b.Loop() {
				w := &countingWriter{header: http.Header{}}
				c.handle.ServeHTTP(w, req)
				n = w.n
			}
			b.ReportMetric(float64(n), "bytes/page")
		})
	}
}

// countingWriter is a client that counts what it is sent.
type countingWriter struct {
	header http.Header
	n      int
}

func (w *countingWriter) Header() http.Header         { return w.header }
func (w *countingWriter) WriteHeader(int)             {}
func (w *countingWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }

// A variant named by the visitor cannot grow a cache without end: past
// maxVariants, expired ones go first, and with none expired the page is
// served but not kept. A packet code that finds no packet is never kept.
func TestPageVariantsAreBounded(t *testing.T) {
	t.Parallel()
	pc := newPageCache(time.Minute)
	cp := &models.Campaign{ID: 7, Slug: "c"}
	now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	for i := range 3 * maxVariants {
		pc.store(cp, "en", "city "+strconv.Itoa(i), []byte("page"), now, true)
	}
	if pc.variants != maxVariants || len(pc.entries) != maxVariants {
		t.Fatalf("%d variants kept (%d entries), want at most %d", pc.variants, len(pc.entries), maxVariants)
	}
	pc.store(cp, "en", "", []byte("plain"), now, true) // the plain page is always kept
	if p, _ := pc.get(cp, "en", "", now); p == nil {
		t.Fatal("the plain page was not kept beside a full set of variants")
	}
	later := now.Add(2 * time.Minute)
	pc.store(cp, "en", "a new city", []byte("page"), later, true)
	if p, _ := pc.get(cp, "en", "a new city", later); p == nil || pc.variants != 1 {
		t.Fatalf("after the variants expired, a new one was not kept (%d variants)", pc.variants)
	}

	store := testdb.Open(t, testdb.SQLite)
	if _, err := seed.Load(context.Background(), store); err != nil {
		t.Fatal(err)
	}
	h := New(store, slog.New(slog.NewTextHandler(io.Discard, nil)), config.Config{PageCache: time.Hour})
	e := h.Router()
	for range 2 {
		w := httptest.NewRecorder()
		e.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/campaigns/no-tech-for-ice/packets/ABCDE-FGHJK", nil))
		if w.Code != http.StatusNotFound {
			t.Fatalf("made-up packet code = %d, want 404", w.Code)
		}
	}
	if n := len(h.packetPages.entries); n != 0 {
		t.Errorf("%d packet pages kept for a code that finds none", n)
	}
}
