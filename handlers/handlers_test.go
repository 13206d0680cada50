package handlers_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/labstack/echo/v4"

	"campaigntrack/config"
	"campaigntrack/handlers"
	"campaigntrack/models"
	"campaigntrack/seed"
	"campaigntrack/testdb"
)

// Tests here call t.Parallel, so go test runs them side by side (as many
// at once as GOMAXPROCS). Those that stay serial set TMPDIR (the upload
// tests), or measure limits against the clock or the heap (the sign-in
// crowd, the log budget, the connection and upload limits, the limiter
// bounds): other tests beside them would change what they measure.

// eachServer runs fn against the real router over a seeded database, once
// per engine.
func eachServer(t *testing.T, fn func(t *testing.T, e *echo.Echo, store *models.Store)) {
	t.Helper()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		if _, err := seed.Load(context.Background(), store); err != nil {
			t.Fatal(err)
		}
		fn(t, newRouter(store), store)
	})
}

func newRouter(store *models.Store) *echo.Echo {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	return handlers.New(store, log, config.Config{}).Router()
}

func get(t *testing.T, e *echo.Echo, path string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

func page(t *testing.T, rec *httptest.ResponseRecorder) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(rec.Body.String()))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func text(s *goquery.Selection) string { return strings.Join(strings.Fields(s.Text()), " ") }

func TestHomeListsCampaigns(t *testing.T) {
	t.Parallel()
	eachServer(t, func(t *testing.T, e *echo.Echo, _ *models.Store) {
		rec := get(t, e, "/")
		if rec.Code != http.StatusOK {
			t.Fatalf("GET / = %d", rec.Code)
		}
		doc := page(t, rec)
		cards := doc.Find(`[data-testid=campaign-card]`)
		if cards.Length() != 1 {
			t.Fatalf("%d campaign cards, want 1", cards.Length())
		}
		if got := text(cards.Find(`[data-testid=headline-count]`)); got != "more than 270,000" {
			t.Errorf("headline count = %q", got)
		}
		if got := text(cards.Find(`[data-testid=delivery-progress]`)); got != "5 of 9 cities delivered" {
			t.Errorf("delivery progress = %q", got)
		}
		if href, _ := cards.Find("h2 a").Attr("href"); href != "/campaigns/no-tech-for-ice" {
			t.Errorf("card links to %q", href)
		}
		if !strings.Contains(text(cards), "The organisers, as reported by The Seattle Times") {
			t.Errorf("the headline figure does not name who claimed it: %q", text(cards))
		}
	})
}

func TestHomeWithoutCampaigns(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		rec := get(t, newRouter(store), "/")
		if rec.Code != http.StatusOK || page(t, rec).Find(`[data-testid=no-campaigns]`).Length() != 1 {
			t.Fatalf("GET / on an empty database = %d:\n%s", rec.Code, rec.Body)
		}
	})
}

func TestCampaignPage(t *testing.T) {
	t.Parallel()
	eachServer(t, func(t *testing.T, e *echo.Echo, _ *models.Store) {
		rec := get(t, e, "/campaigns/no-tech-for-ice")
		if rec.Code != http.StatusOK {
			t.Fatalf("GET campaign = %d", rec.Code)
		}
		if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("Content-Type = %q", ct)
		}
		doc := page(t, rec)
		if got := text(doc.Find(`[data-testid=target]`)); got != "Amazon (Amazon Web Services)" {
			t.Errorf("target = %q", got)
		}
		claims := doc.Find(`[data-testid=claim]`)
		if claims.Length() != 6 {
			t.Errorf("%d claims shown, want 6", claims.Length())
		}
		if first := text(claims.First()); !strings.Contains(first, "more than 270,000") {
			t.Errorf("first claim = %q, want the headline 270,000", first)
		}
		claims.Each(func(_ int, row *goquery.Selection) {
			if text(row.Find("td").Last()) == "" {
				t.Errorf("claim without a source: %q", text(row))
			}
		})
		for _, figure := range []string{"200,000", "250,000", "275,000"} {
			if !strings.Contains(text(doc.Find(`[data-testid=claims]`)), figure) {
				t.Errorf("claim of %s missing", figure)
			}
		}

		deliveries := text(doc.Find(`[data-testid=deliveries]`))
		for _, city := range []string{"Seattle", "New York", "San Francisco", "San Bernardino", "Elizabeth", "Washington"} {
			if !strings.Contains(deliveries, city) {
				t.Errorf("delivery city %s missing", city)
			}
		}
		if got := text(doc.Find(`[data-testid=at-a-glance] [data-testid=delivery-progress]`)); got != "5 of 9 cities delivered" {
			t.Errorf("delivery progress = %q", got)
		}

		responses := doc.Find(`[data-testid=response]`)
		if responses.Length() != 4 {
			t.Errorf("%d responses, want 4", responses.Length())
		}
		all := text(doc.Find(`[data-testid=responses]`))
		if !strings.Contains(all, "AWS spokesperson") || !strings.Contains(all, "responsibly and lawfully") {
			t.Errorf("the AWS spokesperson's statement is missing: %q", all)
		}
		if doc.Find(`[data-testid=no-reply]`).Length() != 1 {
			t.Error("the no-reply to KPIX is not on the record")
		}
		responses.Each(func(_ int, r *goquery.Selection) {
			if r.Find(`[data-testid=sources]`).Length() == 0 {
				t.Errorf("response without a source: %q", text(r))
			}
		})
		if n := doc.Find(`[data-testid=action]`).Length(); n != 5 {
			t.Errorf("%d latest actions shown, want 5", n)
		}
		if !strings.Contains(text(doc.Find(`[data-testid=coalition]`)), "ACLU of Washington") {
			t.Error("coalition misses the ACLU of Washington")
		}
		// An empty setting is not shown to the public (issue 16): with no
		// goal there is no goal line at all.
		if n := doc.Find(`[data-testid=goal-progress]`).Length(); n != 0 || strings.Contains(doc.Text(), "No signature goal") {
			t.Errorf("a campaign without a goal shows %d goal lines", n)
		}
	})
}

func TestCampaignPageLandmarks(t *testing.T) {
	t.Parallel()
	eachServer(t, func(t *testing.T, e *echo.Echo, _ *models.Store) {
		for _, path := range []string{"/", "/campaigns/no-tech-for-ice", "/campaigns/nope"} {
			doc := page(t, get(t, e, path))
			if lang, _ := doc.Find("html").Attr("lang"); lang != "en" {
				t.Errorf("%s: html lang = %q", path, lang)
			}
			for sel, want := range map[string]int{"main#main": 1, "h1": 1, "header": 1, "footer": 1, `a.skip[href="#main"]`: 1} {
				if n := doc.Find(sel).Length(); n != want {
					t.Errorf("%s: %d of %q, want %d", path, n, sel, want)
				}
			}
		}
	})
}

func TestUnknownCampaignIs404Page(t *testing.T) {
	t.Parallel()
	eachServer(t, func(t *testing.T, e *echo.Echo, _ *models.Store) {
		rec := get(t, e, "/campaigns/does-not-exist")
		if rec.Code != http.StatusNotFound {
			t.Fatalf("status = %d, want 404", rec.Code)
		}
		doc := page(t, rec)
		if got := text(doc.Find(`[data-testid=error] h1`)); got != "Page not found" {
			t.Errorf("404 page heading = %q", got)
		}
		if rec := get(t, e, "/no/such/page"); rec.Code != http.StatusNotFound || page(t, rec).Find(`[data-testid=error]`).Length() != 1 {
			t.Errorf("unknown route = %d, want the 404 page", rec.Code)
		}
	})
}

func TestMalformedPathsNeverFail(t *testing.T) {
	t.Parallel()
	e := newRouter(testdb.Open(t, testdb.SQLite))
	for _, path := range []string{
		"/campaigns/%ff%fe", "/campaigns/%00", "/campaigns/..%2f..%2fetc%2fpasswd", "/campaigns/" + strings.Repeat("a", 5000),
		"/campaigns/no-tech-for-ice%27%20OR%201=1--", "/campaigns/NO-TECH-FOR-ICE", "/campaigns/%E2%80%AE", "/api/campaigns/%ff",
		"/api/campaigns/" + strings.Repeat("x", 300), "/assets/../go.mod", "/assets/app.css", "//campaigns", "/campaigns/",
		"/campaigns/no-tech-for-ice?x=%zz", "/api/", "/api/campaigns/",
	} {
		rec := get(t, e, path)
		if rec.Code >= 500 {
			t.Errorf("GET %q = %d", path, rec.Code)
		}
	}
}

func TestCampaignJSON(t *testing.T) {
	t.Parallel()
	eachServer(t, func(t *testing.T, e *echo.Echo, _ *models.Store) {
		rec := get(t, e, "/api/campaigns/no-tech-for-ice")
		if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
			t.Fatalf("GET api = %d %s", rec.Code, rec.Header().Get("Content-Type"))
		}
		var got struct {
			Slug           string `json:"slug"`
			Title          string `json:"title"`
			Target         string `json:"target"`
			SignatureCount *int64 `json:"signature_count"`
			Claims         []struct {
				Count     int64  `json:"count"`
				ClaimedBy string `json:"claimed_by"`
				ClaimedAt string `json:"claimed_at"`
				SourceURL string `json:"source_url"`
			} `json:"claims"`
			DeliveriesPlanned int            `json:"deliveries_planned"`
			Deliveries        map[string]int `json:"deliveries"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		if got.Slug != "no-tech-for-ice" || got.Target == "" || got.Title == "" {
			t.Errorf("campaign = %+v", got)
		}
		if got.SignatureCount == nil || *got.SignatureCount != 0 {
			t.Errorf("signature_count = %v, want 0 recorded in this tracker", got.SignatureCount)
		}
		if len(got.Claims) != 6 || got.Claims[0].Count != 270000 || got.Claims[0].ClaimedBy == "" || got.Claims[0].ClaimedAt != "2019-07-15" {
			t.Errorf("claims = %+v", got.Claims)
		}
		if got.Claims[1].SourceURL == "" {
			t.Errorf("second claim has no source_url: %+v", got.Claims[1])
		}
		if got.DeliveriesPlanned != 9 || got.Deliveries["delivered"] != 5 || got.Deliveries["planned"] != 1 || len(got.Deliveries) != len(models.DeliveryStatuses) {
			t.Errorf("deliveries = %d planned, %v", got.DeliveriesPlanned, got.Deliveries)
		}

		rec = get(t, e, "/api/campaigns/nope")
		if rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), `"error"`) {
			t.Errorf("GET api for unknown slug = %d %s, want a JSON 404", rec.Code, rec.Body)
		}
	})
}

func TestHealthz(t *testing.T) {
	t.Parallel()
	store := testdb.Open(t, testdb.SQLite)
	e := newRouter(store)
	if rec := get(t, e, "/healthz"); rec.Code != http.StatusOK {
		t.Fatalf("healthz = %d", rec.Code)
	}
	store.Close()
	time.Sleep(1100 * time.Millisecond) // an outcome is reused for a second
	if rec := get(t, e, "/healthz"); rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("healthz with the database closed = %d, want 503", rec.Code)
	}
}

func TestDatabaseFailureIs500PageWithoutInternals(t *testing.T) {
	t.Parallel()
	store := testdb.Open(t, testdb.SQLite)
	seed.Load(context.Background(), store)
	e := newRouter(store)
	store.Close()
	rec := get(t, e, "/campaigns/no-tech-for-ice")
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status = %d, want 500", rec.Code)
	}
	doc := page(t, rec)
	if got := text(doc.Find(`[data-testid=error] h1`)); got != "Something went wrong" {
		t.Errorf("500 page heading = %q", got)
	}
	if strings.Contains(rec.Body.String(), "sql") {
		t.Errorf("the 500 page leaks internals:\n%s", rec.Body)
	}
}

func TestSecurityHeadersAndAssets(t *testing.T) {
	t.Parallel()
	e := newRouter(testdb.Open(t, testdb.SQLite))
	rec := get(t, e, "/")
	h := rec.Header()
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("CSP = %q", csp)
	}
	if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" {
		t.Errorf("headers = %v", h)
	}
	href, ok := page(t, rec).Find(`link[rel=stylesheet]`).Attr("href")
	if !ok || !strings.HasPrefix(href, "/assets/app.") {
		t.Fatalf("stylesheet href = %q", href)
	}
	css := get(t, e, href)
	if css.Code != http.StatusOK || !strings.HasPrefix(css.Header().Get("Content-Type"), "text/css") ||
		!strings.Contains(css.Header().Get("Cache-Control"), "immutable") {
		t.Errorf("GET %s = %d %v", href, css.Code, css.Header())
	}
}

// FuzzPublicPaths sends arbitrary paths and query strings through the real
// router: whatever arrives, the answer is never a 5xx.
func FuzzPublicPaths(f *testing.F) {
	store := testdb.Open(f, testdb.SQLite)
	if _, err := seed.Load(context.Background(), store); err != nil {
		f.Fatal(err)
	}
	e := newRouter(store)
	for _, s := range []string{"/", "/campaigns/no-tech-for-ice", "/api/campaigns/no-tech-for-ice", "/campaigns/%ff", "/healthz", "/assets/x", "/campaigns/a?b=c",
		"/campaigns/no-tech-for-ice/count", "/api/campaigns/no-tech-for-ice/deliveries", "/api/campaigns/x/deliveries",
		"/es", "/es/campaigns/no-tech-for-ice/timeline?kind=x&lang=es", "/es/%ff", "/es/campaigns/no-tech-for-ice?lang=%00", "/fr/campaigns/x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, path string) {
		req, err := http.NewRequest(http.MethodGet, "http://example.test"+path, nil)
		if err != nil || !strings.HasPrefix(path, "/") {
			return // not a request a client could send
		}
		req.RequestURI = path
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("GET %q = %d\n%s", path, rec.Code, rec.Body)
		}
	})
}
