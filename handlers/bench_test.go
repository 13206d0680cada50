package handlers_test

import (
	"context"
	"io"
	"log/slog"
	"time"

	"campaigntrack/config"
	"campaigntrack/handlers"
	"net/http"
	"net/http/httptest"
	"testing"

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
