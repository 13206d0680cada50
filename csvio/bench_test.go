package csvio_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"campaigntrack/csvio"
	"campaigntrack/models"
	"campaigntrack/seed"
	"campaigntrack/testdb"
)

const benchRows = 300_000

// benchCSV is a 300,000-row signature file as organisers send them.
func benchCSV() []byte {
	var b bytes.Buffer
	b.WriteString("first_name,last_name,email,zip,city,state,country,created_at,comment,show_name,send_updates\n")
	for i := range benchRows {
		fmt.Fprintf(&b, "Signer,Number %d,signer%d@example.org,%05d,City %d,S%d,US,2019-07-%02d 12:%02d:00,,%t,%t\n",
			i, i, 98000+i%1000, i%500, i%50, 1+i%28, i%60, i%3 == 0, i%2 == 0)
	}
	return b.Bytes()
}

// BenchmarkImportCSV300k reads, checks and stores 300,000 rows into a new
// SQLite file, as campaigntrack signatures import does. Run:
//
//	go test ./csvio -run '^$' -bench ImportCSV300k -benchtime 3x
func BenchmarkImportCSV300k(b *testing.B) {
	data := benchCSV()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for range b.N {
		b.StopTimer()
		store := testdb.Open(b, testdb.SQLite)
		// Cancellable, like a request's or the command line's context.
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		seed.Load(ctx, store)
		c, _ := store.CampaignBySlug(ctx, "no-tech-for-ice")
		b.StartTimer()
		sum, err := csvio.Import(ctx, store, c.ID, bytes.NewReader(data), csvio.ImportOptions{SourceID: testdb.Source(b, store, c.ID, "Bench list"), Rejects: io.Discard})
		b.StopTimer()
		if err != nil || sum.Imported != benchRows {
			b.Fatalf("%+v %v", sum, err)
		}
		store.Close()
	}
}

// BenchmarkExport300k streams 300,000 signatures from SQLite to io.Discard
// and reports the peak heap in use while it runs. Run:
//
//	go test ./csvio -run '^$' -bench Export300k -benchtime 3x
func BenchmarkExport300k(b *testing.B) {
	benchExport(b, func(ctx context.Context, store *models.Store, campaignID uint) (int, error) {
		return csvio.WriteSignatures(ctx, io.Discard, store, campaignID)
	})
}

// BenchmarkExportXLSX300k builds the XLSX of 300,000 signatures from
// SQLite and writes it to io.Discard, reporting the peak heap in use and
// the file's size. Run:
//
//	go test ./csvio -run '^$' -bench ExportXLSX300k -benchtime 3x
func BenchmarkExportXLSX300k(b *testing.B) {
	var size int64
	benchExport(b, func(ctx context.Context, store *models.Store, campaignID uint) (int, error) {
		wb, n, err := csvio.SignaturesWorkbook(ctx, store, campaignID)
		if err != nil {
			return n, err
		}
		defer wb.Close()
		size, err = wb.WriteTo(io.Discard)
		return n, err
	})
	b.ReportMetric(float64(size)/(1<<20), "file-MiB")
}

// benchExport imports 300,000 signatures, then runs export b.N times,
// reporting the peak heap in use while it runs.
func benchExport(b *testing.B, export func(context.Context, *models.Store, uint) (int, error)) {
	store := testdb.Open(b, testdb.SQLite)
	// Cancellable, like a request's or the command line's context.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	seed.Load(ctx, store)
	c, _ := store.CampaignBySlug(ctx, "no-tech-for-ice")
	sums, err := csvio.Import(ctx, store, c.ID, bytes.NewReader(benchCSV()), csvio.ImportOptions{SourceID: testdb.Source(b, store, c.ID, "Bench list")})
	if err != nil || sums.Imported != benchRows {
		b.Fatalf("%+v %v", sums, err)
	}
	runtime.GC()
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		n, err := export(ctx, store, c.ID)
		if err != nil || n != benchRows {
			b.Fatalf("%d %v", n, err)
		}
	}
	b.StopTimer()
	close(stop)
	<-done
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
}
