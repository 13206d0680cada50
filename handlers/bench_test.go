package handlers_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"campaigntrack/config"
	"campaigntrack/handlers"
	"campaigntrack/seed"
	"campaigntrack/testdb"
)

// BenchmarkPages measures the public pages through the real router on a
// seeded SQLite file, with the campaign page cache on as in production.
// Run: go test ./handlers -run '^$' -bench Pages
func BenchmarkPages(b *testing.B) {
	store := testdb.Open(b, testdb.SQLite)
	if _, err := seed.Load(context.Background(), store); err != nil {
		b.Fatal(err)
	}
	e := handlers.New(store, slog.New(slog.NewTextHandler(io.Discard, nil)), config.Config{PageCache: time.Second}).Router()
	for _, path := range []string{"/", "/campaigns/no-tech-for-ice", "/api/campaigns/no-tech-for-ice"} {
		b.Run(path, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					rec := httptest.NewRecorder()
					e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
					if rec.Code != http.StatusOK {
						b.Fatalf("GET %s = %d", path, rec.Code)
					}
				}
			})
		})
	}
}

// BenchmarkSign signs through the real router (form parsing, CSRF,
// validation, the batching writer, SQLite) from parallel clients.
// Run: go test ./handlers -run '^$' -bench Sign
func BenchmarkSign(b *testing.B) {
	store := testdb.Open(b, testdb.SQLite)
	if _, err := seed.Load(context.Background(), store); err != nil {
		b.Fatal(err)
	}
	h := handlers.New(store, slog.New(slog.NewTextHandler(io.Discard, nil)), config.Config{PageCache: time.Second})
	defer h.Close()
	e := h.Router()
	// One visitor's cookie and token, as the campaign page hands them out.
	page := httptest.NewRecorder()
	e.ServeHTTP(page, httptest.NewRequest(http.MethodGet, "/campaigns/no-tech-for-ice", nil))
	var cookie *http.Cookie
	for _, c := range page.Result().Cookies() {
		if c.Name == "campaigntrack_csrf" {
			cookie = c
		}
	}
	doc, err := goquery.NewDocumentFromReader(page.Body)
	if err != nil || cookie == nil {
		b.Fatal("no CSRF cookie from the campaign page", err)
	}
	token := doc.Find("[data-testid=sign-form] input[name=_csrf]").AttrOr("value", "")
	var n atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(32) // 64 concurrent signers on two cores, as in the load test
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			form := url.Values{"_csrf": {token}, "first_name": {"Ada"}, "last_name": {"Lopez"},
				"email": {fmt.Sprintf("bench%d@example.org", n.Add(1))}, "city": {"Seattle"}, "region": {"WA"}, "country": {"US"}}
			req := httptest.NewRequest(http.MethodPost, "/campaigns/no-tech-for-ice/sign", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.AddCookie(cookie)
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, req)
			if rec.Code != http.StatusSeeOther {
				b.Fatalf("sign = %d: %s", rec.Code, rec.Body)
			}
		}
	})
}

// BenchmarkGzipLevels compresses the seeded timeline page at the levels
// negotiate.Gzip could use, with a reused writer as its pool gives, and
// reports the size each gives. It is how negotiate's level was chosen.
// Run: go test ./handlers -run '^$' -bench GzipLevels
func BenchmarkGzipLevels(b *testing.B) {
	store := testdb.Open(b, testdb.SQLite)
	if _, err := seed.Load(context.Background(), store); err != nil {
		b.Fatal(err)
	}
	e := handlers.New(store, slog.New(slog.NewTextHandler(io.Discard, nil)), config.Config{}).Router()
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/campaigns/no-tech-for-ice/timeline", nil))
	page := rec.Body.Bytes()
	for _, level := range []int{gzip.BestSpeed, gzip.DefaultCompression, gzip.BestCompression} {
		b.Run(fmt.Sprintf("level=%d", level), func(b *testing.B) {
			var out bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&out, level)
			b.SetBytes(int64(len(page)))
			b.ReportAllocs()
			for b.Loop() {
				out.Reset()
				zw.Reset(&out)
				zw.Write(page)
				zw.Close()
			}
			b.ReportMetric(float64(out.Len()), "gzip-bytes")
			b.ReportMetric(float64(len(page)), "page-bytes")
		})
	}
}
