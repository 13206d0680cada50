package csvio_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"campaigntrack/csvio"
	"campaigntrack/models"
	"campaigntrack/seed"
	"campaigntrack/testdb"
)

func TestNeutralise(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"=HYPERLINK(\"http://x\")": "'=HYPERLINK(\"http://x\")",
		"+1 555 0100":              "'+1 555 0100",
		"-2+3":                     "'-2+3",
		"@SUM(A1)":                 "'@SUM(A1)",
		"\t=1":                     "'\t=1",
		"\r=1":                     "'\r=1",
		"":                         "",
		"Ada":                      "Ada",
		" =1":                      "' =1", // a space hides nothing: importers that trim run it
		"a=b":                      "a=b",
	} {
		if got := csvio.Neutralise(in); got != want {
			t.Errorf("Neutralise(%q) = %q, want %q", in, got, want)
		}
	}
}

// fakeStore takes batches, failing the one numbered failAt (from 1).
type fakeStore struct {
	batches [][]string // the emails of each batch stored
	failAt  int
	seen    map[string]bool
}

func (f *fakeStore) ImportSignatures(_ context.Context, _, _ uint, sigs []*models.Signature) (models.ImportResult, error) {
	if len(f.batches)+1 == f.failAt {
		return models.ImportResult{}, errors.New("disk full")
	}
	if f.seen == nil {
		f.seen = map[string]bool{}
	}
	var res models.ImportResult
	var emails []string
	for _, s := range sigs {
		if s.Origin == "" {
			return res, errors.New("no origin")
		}
		emails = append(emails, s.Email)
		if f.seen[s.Email] {
			res.Duplicates++
		} else {
			f.seen[s.Email] = true
			res.Imported++
		}
	}
	f.batches = append(f.batches, emails)
	return res, nil
}

// signersCSV is a file of n good rows (one repeated email every tenth row
// when dups) with a bad row after every bad-th.
func signersCSV(n, bad int) string {
	var b strings.Builder
	b.WriteString("first_name,last_name,email,city\n")
	for i := range n {
		fmt.Fprintf(&b, "Signer,Number%d,signer%d@example.org,Seattle\n", i, i)
		if bad > 0 && i%bad == bad-1 {
			fmt.Fprintf(&b, "=cmd,Bad%d,bad%d@example,\"=HYPERLINK(\"\"x\"\")\"\n", i, i)
		}
	}
	return b.String()
}

func TestImportBatchesRejectsAndProgress(t *testing.T) {
	t.Parallel()
	store := &fakeStore{}
	var rejects bytes.Buffer
	var progress []csvio.Progress
	input := signersCSV(7, 3) + "Signer,Again,signer0@example.org,Seattle\n"
	sum, err := csvio.Import(context.Background(), store, 1, strings.NewReader(input), csvio.ImportOptions{SourceID: 1,
		BatchSize: 3, Rejects: &rejects, Progress: func(p csvio.Progress) { progress = append(progress, p) },
	})
	if err != nil {
		t.Fatal(err)
	}
	want := csvio.Summary{Rows: 10, Imported: 7, Duplicates: 1, Invalid: 2}
	if sum != want {
		t.Errorf("summary = %+v, want %+v", sum, want)
	}
	if len(store.batches) != 3 || len(store.batches[0]) != 3 || len(store.batches[2]) != 2 {
		t.Errorf("batches = %v, want 3, 3 and 2 rows", store.batches)
	}
	var stored int
	for _, p := range progress {
		if p.Stored {
			stored++
		}
	}
	if stored != 3 || progress[len(progress)-1].Summary != want || progress[len(progress)-1].Bytes != int64(len(input)) {
		t.Errorf("progress = %+v, want a report after each of 3 batches and a last one with everything", progress)
	}

	if !strings.HasPrefix(rejects.String(), csvio.BOM) {
		t.Errorf("the reject file does not start with the BOM: %q", rejects.String())
	}
	records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(rejects.String(), csvio.BOM))).ReadAll()
	if err != nil {
		t.Fatalf("the reject file is not CSV: %v\n%s", err, rejects.String())
	}
	if got := strings.Join(records[0], ","); got != "first_name,last_name,email,city,line,reason" {
		t.Errorf("reject header = %q", got)
	}
	if len(records) != 3 {
		t.Fatalf("reject rows = %q, want the header and 2 rows", records)
	}
	first := records[1]
	if first[0] != "'=cmd" || first[3] != "'=HYPERLINK(\"x\")" {
		t.Errorf("reject cells are not neutralised: %q", first)
	}
	if first[4] != "5" || !strings.Contains(first[5], "email: this does not look like an email address") || !strings.Contains(first[5], "first_name:") {
		t.Errorf("reject line and reason = %q, %q; want line 5 naming email and first_name", first[4], first[5])
	}
}

func TestImportWritesNoRejectsWhenAllAreGood(t *testing.T) {
	t.Parallel()
	var rejects bytes.Buffer
	sum, err := csvio.Import(context.Background(), &fakeStore{}, 1, strings.NewReader(signersCSV(5, 0)), csvio.ImportOptions{SourceID: 1, Rejects: &rejects})
	if err != nil || sum.Imported != 5 || rejects.Len() != 0 {
		t.Fatalf("sum %+v, err %v, rejects %q", sum, err, rejects.String())
	}
}

func TestImportRejectRowsOfTheWrongWidth(t *testing.T) {
	t.Parallel()
	var rejects bytes.Buffer
	input := "email,first_name,city\nada@example.org\nben@example.org,Ben,Seattle,extra,=more\n"
	if _, err := csvio.Import(context.Background(), &fakeStore{}, 1, strings.NewReader(input), csvio.ImportOptions{SourceID: 1, Rejects: &rejects}); err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(strings.NewReader(rejects.String())).ReadAll()
	if err == nil {
		t.Fatal("want rows of different widths")
	}
	r := csv.NewReader(strings.NewReader(rejects.String()))
	r.FieldsPerRecord = -1
	records, _ = r.ReadAll()
	short, long := records[1], records[2]
	if len(short) != 5 || short[0] != "ada@example.org" || short[3] != "2" || !strings.Contains(short[4], "has 1 fields") {
		t.Errorf("short row = %q: want it padded, line and reason in their columns", short)
	}
	if len(long) != 7 || long[3] != "3" || long[5] != "extra" || long[6] != "'=more" {
		t.Errorf("long row = %q: want line and reason in their columns, the surplus after them", long)
	}
}

func TestImportCapsRejects(t *testing.T) {
	t.Parallel()
	var rejects bytes.Buffer
	sum, err := csvio.Import(context.Background(), &fakeStore{}, 1, strings.NewReader(signersCSV(1000, 1)),
		csvio.ImportOptions{SourceID: 1, Rejects: &rejects, RejectsLimit: 4096})
	if err != nil || sum.Invalid != 1000 {
		t.Fatalf("sum %+v, err %v", sum, err)
	}
	if !strings.HasPrefix(rejects.String(), csvio.BOM) {
		t.Errorf("the reject file does not start with the BOM: %q", rejects.String())
	}
	records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(rejects.String(), csvio.BOM))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if rejects.Len() > 4096+300 || len(records) < 10 {
		t.Errorf("capped rejects: %d bytes, %d rows", rejects.Len(), len(records))
	}
	note := records[len(records)-1]
	if want := fmt.Sprintf("%d more invalid rows are not listed", 1000-(len(records)-2)); !strings.Contains(note[len(note)-1], want) {
		t.Errorf("last row = %q, want a note saying %q", note, want)
	}
}

func TestImportBatchFailureSaysWhatWasStored(t *testing.T) {
	t.Parallel()
	store := &fakeStore{failAt: 3}
	sum, err := csvio.Import(context.Background(), store, 1, strings.NewReader(signersCSV(10, 0)), csvio.ImportOptions{SourceID: 1, BatchSize: 4})
	var be *csvio.BatchError
	if !errors.As(err, &be) {
		t.Fatalf("err = %v, want a BatchError", err)
	}
	// Batches 1 and 2 hold lines 2-9; batch 3 begins at line 10.
	if be.Line != 10 || be.Done.Imported != 8 || sum.Imported != 8 {
		t.Errorf("batch error %+v, summary %+v; want the failed batch at line 10 after 8 imported", be, sum)
	}
	for _, w := range []string{"line 10", "8 signatures imported by earlier batches", "disk full"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not say %q", err, w)
		}
	}
}

func TestImportRefusesAFileWithoutEmails(t *testing.T) {
	t.Parallel()
	store := &fakeStore{}
	_, err := csvio.Import(context.Background(), store, 1, strings.NewReader("name,phone\nAda,555\n"), csvio.ImportOptions{SourceID: 1})
	if err == nil || !strings.Contains(err.Error(), "no email column") || len(store.batches) != 0 {
		t.Fatalf("err = %v, batches %v", err, store.batches)
	}
}

// TestImportExportRoundTrip imports a file into a real database, exports
// it, and reads the export back.
func TestImportExportRoundTrip(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		seed.Load(ctx, store)
		c, _ := store.CampaignBySlug(ctx, "no-tech-for-ice")
		input := "email,first_name,last_name,city,state,country,zip,signed_at,comment,public,opt_in\n" +
			"ada@example.org,Ada,Lopez,Seattle,WA,US,98101,2019-07-15T14:30:00Z,\"Stop, now\",yes,no\n" +
			"ben@example.org,Ben,Okafor,\"=HYPERLINK(\"\"http://evil.example\"\")\",,,,,,,\n" +
			"ADA@example.org,Ada,Again,,,,,,,,\n" +
			"bad,Bad,Row,,,,,,,,\n"
		sum, err := csvio.Import(ctx, store, c.ID, strings.NewReader(input), csvio.ImportOptions{SourceID: testdb.Source(t, store, c.ID, "signers.csv"), Origin: csvio.Origin("signers.csv")})
		if err != nil {
			t.Fatal(err)
		}
		if sum != (csvio.Summary{Rows: 4, Imported: 2, Duplicates: 1, Invalid: 1}) {
			t.Fatalf("summary = %+v", sum)
		}
		if n, _ := store.SignatureCount(ctx, c.ID); n != 2 {
			t.Fatalf("kept count = %d", n)
		}
		var out bytes.Buffer
		n, err := csvio.WriteSignatures(ctx, &out, store, c.ID)
		if err != nil || n != 2 {
			t.Fatalf("export: %d rows, %v", n, err)
		}
		if !bytes.HasPrefix(out.Bytes(), []byte(csvio.BOM)) {
			t.Errorf("the export does not start with the BOM: %q", out.String())
		}
		records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(out.Bytes(), []byte(csvio.BOM)))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(records[0], ",") != strings.Join(csvio.SignatureColumns, ",") {
			t.Errorf("export header = %q", records[0])
		}
		ada := records[1]
		want := []string{"Ada", "Lopez", "ada@example.org", "Seattle", "WA", "US", "98101", "Stop, now", "true", "false", "import: signers.csv", "2019-07-15T14:30:00Z"}
		if sources := ada[len(ada)-1]; sources != "signers.csv" {
			t.Errorf("sources = %q, want the import's", sources)
		}
		ada = ada[:len(ada)-1]
		if confirmed, err := time.Parse(time.RFC3339, ada[len(ada)-1]); err != nil || time.Since(confirmed) > time.Hour {
			t.Errorf("an imported signature's confirmed_at = %q, want the time of the import", ada[len(ada)-1])
		}
		ada = ada[:len(ada)-1]
		if strings.Join(ada, "|") != strings.Join(want, "|") {
			t.Errorf("export row = %q\nwant         %q", ada, want)
		}
		if city := records[2][3]; city != `'=HYPERLINK("http://evil.example")` {
			t.Errorf("a formula city is exported as %q", city)
		}
		// The export reads back as the same signatures.
		sr, err := csvio.NewSignatureReader(bytes.NewReader(out.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		row, err := sr.Next()
		if err != nil || row.Signature == nil || row.Signature.Email != "ada@example.org" || !row.Signature.ShowName ||
			!row.Signature.SignedAt.Equal(time.Date(2019, 7, 15, 14, 30, 0, 0, time.UTC)) {
			t.Errorf("the export does not read back: %+v, %v", row, err)
		}
	})
}

// TestRunJobRecordsTheOutcome runs an import as a job and checks its row
// and audit entry.
func TestRunJobRecordsTheOutcome(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		seed.Load(ctx, store)
		c, _ := store.CampaignBySlug(ctx, "no-tech-for-ice")
		input := signersCSV(25, 10)
		job, err := store.StartImportJob(ctx, models.CommandLine, c.ID, testdb.Source(t, store, c.ID, "Test list"), "signers.csv", int64(len(input)))
		if err != nil {
			t.Fatal(err)
		}
		sum, err := csvio.RunJob(ctx, store, job, strings.NewReader(input), csvio.ImportOptions{SourceID: 1, BatchSize: 10})
		if err != nil || sum.Imported != 25 || sum.Invalid != 2 {
			t.Fatalf("sum %+v, err %v", sum, err)
		}
		got, err := store.ImportJob(ctx, c.ID, job.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != models.ImportDone || got.Imported != 25 || got.Invalid != 2 || got.RowsRead != 27 ||
			got.BytesRead != int64(len(input)) || got.FinishedAt == nil || !strings.Contains(got.Rejects, "bad9@example") {
			t.Errorf("job = %+v", got)
		}
		entries, _ := store.AuditForRecord(ctx, "import", job.ID)
		if len(entries) != 1 || entries[0].UserEmail != "(command line)" || entries[0].ChangeSet()["Imported"].After != float64(25) {
			t.Errorf("audit = %+v", entries)
		}

		// A batch that fails leaves the job failed, saying why.
		job, _ = store.StartImportJob(ctx, models.CommandLine, c.ID, testdb.Source(t, store, c.ID, "Test list"), "again.csv", 1)
		_, err = csvio.RunJob(ctx, &failingStore{store}, job, strings.NewReader(signersCSV(5, 0)), csvio.ImportOptions{SourceID: 1})
		got, _ = store.ImportJob(ctx, c.ID, job.ID)
		if err == nil || got.Status != models.ImportFailed || !strings.Contains(got.Error, "line 2") {
			t.Errorf("failed job = %+v, err %v", got, err)
		}
	})
}

type failingStore struct{ *models.Store }

func (failingStore) ImportSignatures(context.Context, uint, uint, []*models.Signature) (models.ImportResult, error) {
	return models.ImportResult{}, errors.New("the database is down")
}

// fakeSource hands out batches of one reused slice, as EachSignature does.
type fakeSource struct{ batches int }

func (f fakeSource) EachSignature(_ context.Context, _ uint, batch int, fn func([]models.Signature) error) error {
	rows := make([]models.Signature, batch)
	for b := range f.batches {
		for i := range rows {
			rows[i] = models.Signature{FirstName: "S", Email: fmt.Sprintf("s%d-%d@example.org", b, i), Comment: "=1+1"}
		}
		if err := fn(rows); err != nil {
			return err
		}
	}
	return nil
}

// shortWriter fails once it has taken n bytes.
type shortWriter struct{ n int }

func (w *shortWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		return 0, errors.New("the client went away")
	}
	w.n -= len(p)
	return len(p), nil
}

func TestWriteSignaturesStreamsEveryBatch(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	n, err := csvio.WriteSignatures(context.Background(), &out, fakeSource{batches: 7}, 1)
	if err != nil || n != 7*5000 {
		t.Fatalf("wrote %d, %v", n, err)
	}
	records, err := csv.NewReader(&out).ReadAll()
	if err != nil || len(records) != 7*5000+1 {
		t.Fatalf("%d records, %v", len(records), err)
	}
	// Each batch was copied before the next one overwrote the slice.
	if records[1][2] != "s0-0@example.org" || records[5001][2] != "s1-0@example.org" || records[35000][2] != "s6-4999@example.org" {
		t.Errorf("rows out of order or overwritten: %q %q %q", records[1], records[5001], records[35000])
	}
	if records[1][7] != "'=1+1" {
		t.Errorf("comment = %q, want it neutralised", records[1][7])
	}
}

func TestWriteSignaturesStopsWhenTheWriterFails(t *testing.T) {
	t.Parallel()
	_, err := csvio.WriteSignatures(context.Background(), &shortWriter{n: 300_000}, fakeSource{batches: 50}, 1)
	if err == nil || !strings.Contains(err.Error(), "the client went away") {
		t.Fatalf("err = %v, want the writer's error", err)
	}
}

func TestImportAndExportStopWhenCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	store := &fakeStore{}
	_, err := csvio.Import(ctx, store, 1, strings.NewReader(signersCSV(25, 0)), csvio.ImportOptions{SourceID: 1, BatchSize: 10})
	var be *csvio.BatchError
	if !errors.As(err, &be) || !errors.Is(err, context.Canceled) || be.Line != 2 || len(store.batches) != 0 {
		t.Errorf("cancelled import: err %v, batches %v", err, store.batches)
	}
	if _, err := csvio.WriteSignatures(ctx, io.Discard, fakeSource{batches: 3}, 1); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled export: err = %v", err)
	}
}
