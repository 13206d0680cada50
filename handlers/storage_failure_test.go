package handlers_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"campaigntrack/config"
	"campaigntrack/handlers"
	"campaigntrack/models"
	"campaigntrack/seed"
	"campaigntrack/testdb"
)

// lockedLog collects the server's log lines.
type lockedLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lockedLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *lockedLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// poolSize is the connections of the test's pool: two, as the signature
// writer needs (a transaction, and a statement prepared beside it).
const poolSize = 2

// appOnSmallPool is the real router over a SQLite store with a small,
// fixed pool, so a PRAGMA run on every connection of it (pragmaEverywhere)
// applies to every query the server makes next.
func appOnSmallPool(t *testing.T) (*app, *sql.DB, *lockedLog) {
	t.Helper()
	ctx := context.Background()
	db, err := models.Open(ctx, testdb.SQLite.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	sqlDB, _ := db.DB()
	sqlDB.SetMaxOpenConns(poolSize)
	sqlDB.SetMaxIdleConns(poolSize)
	store := models.NewStore(db)
	t.Cleanup(func() { store.Close() })
	if _, _, err := store.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := seed.Load(ctx, store); err != nil {
		t.Fatal(err)
	}
	log := &lockedLog{}
	e := handlers.New(store, slog.New(slog.NewTextHandler(log, nil)), config.Config{}).Router()
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return &app{t: t, store: store, echo: e, srv: srv}, sqlDB, log
}

// pragmaEverywhere runs a PRAGMA on every connection of the pool: it holds
// them all at once, so none is missed, then gives them back.
func pragmaEverywhere(t *testing.T, db *sql.DB, pragma string) {
	t.Helper()
	ctx := context.Background()
	conns := make([]*sql.Conn, poolSize)
	for i := range conns {
		c, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns[i] = c
	}
	for _, c := range conns {
		if _, err := c.ExecContext(ctx, pragma); err != nil {
			t.Fatalf("%s: %v", pragma, err)
		}
		c.Close()
	}
}

// A read-only database: the signer is told to try again, the organiser
// gets a log line, nothing is counted, and the same signer succeeds once
// the database takes writes again.
func TestSignOnAReadOnlyDatabaseSaysTryAgain(t *testing.T) {
	t.Parallel()
	a, db, log := appOnSmallPool(t)
	b := a.browser()
	if r := b.sign(signForm("before@example.org")); r.status != http.StatusSeeOther {
		t.Fatalf("sign: %d", r.status)
	}
	pragmaEverywhere(t, db, "PRAGMA query_only = ON")
	r := b.sign(signForm("readonly@example.org"))
	if r.status != http.StatusServiceUnavailable || !strings.Contains(r.body, "could not be saved") || !strings.Contains(r.body, "try again") {
		t.Fatalf("sign on a read-only database: %d\n%s", r.status, r.body)
	}
	if !strings.Contains(log.String(), "signature not stored") {
		t.Errorf("no log line for the organiser:\n%s", log.String())
	}
	pragmaEverywhere(t, db, "PRAGMA query_only = OFF")
	if a.count() != 1 || a.rows() != 1 {
		t.Fatalf("count %d, rows %d after the refused signature, want 1", a.count(), a.rows())
	}
	if r := b.sign(signForm("readonly@example.org")); r.status != http.StatusSeeOther || !strings.HasSuffix(r.header.Get("Location"), "/signed") {
		t.Fatalf("signing again once writable: %d %s", r.status, r.header.Get("Location"))
	}
	if a.count() != 2 || a.rows() != 2 {
		t.Errorf("count %d, rows %d, want 2", a.count(), a.rows())
	}
}

// A full disk (the file may not grow): signatures are thanked until the
// file is full, then refused with "try again"; every thanked signature is
// stored and counted.
func TestSignOnAFullDiskLosesNothingAcknowledged(t *testing.T) {
	t.Parallel()
	a, db, log := appOnSmallPool(t)
	var pages int
	if err := db.QueryRow("PRAGMA page_count").Scan(&pages); err != nil {
		t.Fatal(err)
	}
	pragmaEverywhere(t, db, fmt.Sprintf("PRAGMA max_page_count = %d", pages+2))
	b := a.browser()
	thanked, refused := 0, 0
	for i := 0; i < 500 && refused == 0; i++ {
		form := signForm(fmt.Sprintf("full%03d@example.org", i))
		form.Set("comment", strings.Repeat("A long comment that fills pages. ", 28))
		switch r := b.sign(form); r.status {
		case http.StatusSeeOther:
			thanked++
		case http.StatusServiceUnavailable:
			refused++
			if !strings.Contains(r.body, "try again") {
				t.Errorf("the refusal does not say to try again:\n%s", r.body)
			}
		default:
			t.Fatalf("signature %d: %d\n%s", i, r.status, r.body)
		}
	}
	if refused == 0 {
		t.Fatal("the database never filled up: the test did not test anything")
	}
	if !strings.Contains(log.String(), "signature not stored") {
		t.Errorf("no log line for the organiser")
	}
	pragmaEverywhere(t, db, "PRAGMA max_page_count = 1073741823")
	if got := a.rows(); got != int64(thanked) || a.count() != int64(thanked) {
		t.Fatalf("%d thanked, but %d rows and a count of %d", thanked, got, a.count())
	}
	t.Logf("%d signatures thanked before the disk was full; then refused with 503", thanked)
}

// With htmx the refusal is swapped into the page in place of the form, so
// a signer with JavaScript sees it too.
func TestSignWithHTMXOnAReadOnlyDatabaseShowsTheProblem(t *testing.T) {
	t.Parallel()
	a, db, _ := appOnSmallPool(t)
	b := a.browser()
	pragmaEverywhere(t, db, "PRAGMA query_only = ON")
	r := b.sign(signForm("htmx@example.org"), "HX-Request", "true")
	if r.status != http.StatusServiceUnavailable {
		t.Fatalf("htmx sign on a read-only database: %d", r.status)
	}
	doc := r.doc(t)
	if got := text(doc.Find(`[data-testid=sign-problem]`)); !strings.Contains(got, "could not be saved") {
		t.Errorf("problem = %q", got)
	}
	if v, _ := doc.Find(`input[name=email]`).Attr("value"); v != "htmx@example.org" {
		t.Errorf("the form lost what was typed: %q", v)
	}
}
