package models_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"campaigntrack/models"
	"campaigntrack/seed"
	"campaigntrack/testdb"
)

// BenchmarkCoalitionImport imports five partner files of 100,000 rows,
// each sharing 30% of its people with the one before (written the way
// another platform writes them: other case, +tags, Gmail dots), into five
// sources, in batches of 50,000 as the importer stores them. Beside each
// file it times one raw SQLite transaction inserting the same 100,000
// rows into a table of the same columns with a prepared statement, and
// reports the worst file's ratio to it (x-raw; the target is 3.3).
//
//	go test ./models -run '^$' -bench CoalitionImport -benchtime 1x
func BenchmarkCoalitionImport(b *testing.B) {
	const files, rows, shared = 5, 100_000, 30_000
	for range b.N {
		b.StopTimer()
		store := testdb.Open(b, testdb.SQLite)
		ctx := context.Background()
		seed.Load(ctx, store)
		c, _ := store.CampaignBySlug(ctx, "no-tech-for-ice")
		worst := 0.0
		var took, raws []time.Duration
		for f := range files {
			sigs := partnerFile(f, f*(rows-shared), rows)
			src := testdb.Source(b, store, c.ID, fmt.Sprintf("Partner %d", f+1))
			raw := rawInsert(b, sigs)
			b.StartTimer()
			start := time.Now()
			for at := 0; at < len(sigs); at += 50_000 {
				if _, err := store.ImportSignatures(ctx, c.ID, src, sigs[at:min(at+50_000, len(sigs))]); err != nil {
					b.Fatal(err)
				}
			}
			d := time.Since(start)
			b.StopTimer()
			took, raws = append(took, d), append(raws, raw)
			worst = max(worst, float64(d)/float64(raw))
		}
		sc, err := store.SourceFigures(ctx, c.ID)
		if err != nil || sc.People != files*(rows-shared)+shared {
			b.Fatalf("people %d, %v", sc.People, err)
		}
		b.ReportMetric(worst, "x-raw")
		b.Logf("imports %v; raw transactions %v; worst ratio %.2f", took, raws, worst)
	}
}

// partnerFile is n signers from first on, addresses written in partner
// f's way.
func partnerFile(f, first, n int) []*models.Signature {
	given := []string{"Ana", "Luis", "María", "José", "Zoë", "Nguyễn", "Fatima", "Chen", "Olu", "Sam"}
	domains := []string{"gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "example.org", "icloud.com"}
	out := make([]*models.Signature, n)
	for j := range n {
		i := first + j
		g := given[i%len(given)]
		local := fmt.Sprintf("%s.lopez%d", strings.ToLower(g), i)
		d := domains[i%len(domains)]
		switch f % 3 { // the same person, written three ways
		case 1:
			local = strings.ToUpper(local[:1]) + local[1:] + "+petition"
		case 2:
			if d == "gmail.com" {
				local, d = strings.ReplaceAll(local, ".", ""), "googlemail.com"
			}
		}
		s := &models.Signature{FirstName: g, LastName: "López", Email: local + "@" + d, City: fmt.Sprintf("City %d", i%400),
			Region: fmt.Sprintf("S%d", i%50), Country: "US", PostalCode: fmt.Sprintf("%05d", i%99999), ShowName: i%3 == 0, SendUpdates: i%2 == 0,
			SignedAt: time.Date(2019, 6, 1+i%45, 12, 0, 0, 0, time.UTC)}
		s.Normalise()
		out[j] = s
	}
	return out
}

// rawInsert times one transaction on a fresh SQLite file inserting the
// rows into a table of the signatures' columns, with the same unique key,
// one prepared INSERT a row.
func rawInsert(b *testing.B, sigs []*models.Signature) time.Duration {
	b.Helper()
	db, err := sql.Open("sqlite3", filepath.Join(b.TempDir(), "raw.db")+"?_journal_mode=WAL&_synchronous=NORMAL")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE raw (id INTEGER PRIMARY KEY, campaign_id INTEGER, first_name TEXT, last_name TEXT, email TEXT, identity TEXT,
		city TEXT, region TEXT, country TEXT, postal_code TEXT, comment TEXT, show_name BOOLEAN, send_updates BOOLEAN, origin TEXT,
		signed_at DATETIME, created_at DATETIME, confirmed_at DATETIME, UNIQUE (campaign_id, identity))`); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	st, err := tx.Prepare(`INSERT INTO raw (campaign_id, first_name, last_name, email, identity, city, region, country, postal_code, comment, show_name, send_updates, origin, signed_at, created_at, confirmed_at)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`)
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now().UTC()
	for i, s := range sigs {
		if _, err := st.Exec(1, s.FirstName, s.LastName, s.Email, fmt.Sprint(i), s.City, s.Region, s.Country, s.PostalCode, s.Comment,
			s.ShowName, s.SendUpdates, "import", s.SignedAt, now, now); err != nil {
			b.Fatal(err)
		}
	}
	st.Close()
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}
