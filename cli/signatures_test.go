package cli_test

import (
	"context"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"campaigntrack/csvio"
	"campaigntrack/models"
	"campaigntrack/testdb"
)

// seededDB is a new SQLite file holding the demo campaign.
func seededDB(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "campaigntrack.db")
	if r := run(t, context.Background(), nil, "seed", "--db", db); r.code != 0 {
		t.Fatalf("seed: %d %s", r.code, r.stderr)
	}
	return db
}

// openDB opens the file for checks through the Store.
func openDB(t *testing.T, path string) (*models.Store, *models.Campaign) {
	t.Helper()
	db, err := models.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	store := models.NewStore(db)
	t.Cleanup(func() { store.Close() })
	c, err := store.CampaignBySlug(context.Background(), "no-tech-for-ice")
	if err != nil {
		t.Fatal(err)
	}
	return store, c
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

const goodCSV = "First Name,Last Name,Email,Zip,City,State,Country,Signed At,Public\r\n" +
	"Ada,Lopez,ada@example.org,98101,Seattle,WA,US,2019-07-15,yes\r\n" +
	"Ben,Okafor,ben@example.org,10001,New York,NY,US,2019-07-15 10:00:00,no\r\n" +
	"Cleo,Nguyen,cleo@example.org,94103,San Francisco,CA,US,07/14/2019,y\r\n"

func TestSignaturesImportGoodFile(t *testing.T) {
	t.Parallel()
	db := seededDB(t)
	dir := t.TempDir()
	file := writeFile(t, dir, "signers.csv", "\xef\xbb\xbf"+goodCSV)
	r := run(t, context.Background(), nil, "signatures", "import", "--db", db, "--campaign", "no-tech-for-ice", file)
	if r.code != 0 {
		t.Fatalf("import: exit %d, %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "3 rows read: 3 imported, 0 duplicates, 0 invalid") {
		t.Errorf("summary = %q", r.stdout)
	}
	if strings.Contains(r.stdout, "\r") {
		t.Errorf("progress drawn on a non-terminal: %q", r.stdout)
	}
	if _, err := os.Stat(filepath.Join(dir, "signers.rejects.csv")); !os.IsNotExist(err) {
		t.Errorf("a reject file was written for a file with no invalid rows (%v)", err)
	}
	store, c := openDB(t, db)
	ctx := context.Background()
	if n, _ := store.SignatureCount(ctx, c.ID); n != 3 {
		t.Fatalf("kept count = %d, want 3", n)
	}
	if n, _ := store.SignatureRows(ctx, c.ID); n != 3 {
		t.Fatalf("rows = %d, want 3", n)
	}
	jobs, _ := store.ImportJobs(ctx, c.ID, 5)
	if len(jobs) != 1 || jobs[0].Status != models.ImportDone || jobs[0].UserEmail != "(command line)" || jobs[0].Filename != "signers.csv" {
		t.Errorf("import jobs = %+v", jobs)
	}
	if audit, _ := store.AuditForRecord(ctx, "import", jobs[0].ID); len(audit) != 1 {
		t.Errorf("audit entries for the import: %d, want 1", len(audit))
	}
	// The file may also come before the flags.
	other := writeFile(t, dir, "more.csv", "email,name\ndee@example.org,Dee Park\n")
	if r := run(t, context.Background(), nil, "signatures", "import", other, "--db", db, "--campaign=no-tech-for-ice"); r.code != 0 {
		t.Fatalf("file before flags: exit %d, %s", r.code, r.stderr)
	}
	if n, _ := store.SignatureCount(ctx, c.ID); n != 4 {
		t.Errorf("kept count = %d, want 4", n)
	}
}

func TestSignaturesImportBadRows(t *testing.T) {
	t.Parallel()
	db := seededDB(t)
	dir := t.TempDir()
	file := writeFile(t, dir, "signers.csv", goodCSV+
		"Dee,Park,not-an-email,,,,,,\r\n"+ // line 5
		"=cmd|' /C calc'!A0,Evil,evil@example.org,,,,,,\r\n"+ // line 6
		"Fay,Lee,fay@example.org,,,,,someday,\r\n"+ // line 7
		"Gil,Short,gil@example.org\r\n") // line 8
	r := run(t, context.Background(), nil, "signatures", "import", "--db", db, "--campaign", "no-tech-for-ice", file)
	if r.code != 0 {
		t.Fatalf("import: exit %d, %s", r.code, r.stderr)
	}
	rejectsPath := filepath.Join(dir, "signers.rejects.csv")
	if !strings.Contains(r.stdout, "7 rows read: 3 imported, 0 duplicates, 4 invalid") || !strings.Contains(r.stdout, rejectsPath) {
		t.Errorf("summary = %q", r.stdout)
	}
	store, c := openDB(t, db)
	if n, _ := store.SignatureCount(context.Background(), c.ID); n != 3 {
		t.Fatalf("kept count = %d, want the 3 good rows", n)
	}
	f, err := os.Open(rejectsPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if st, _ := f.Stat(); st.Mode().Perm() != 0o600 {
		t.Errorf("the reject file holds personal data but is mode %v", st.Mode().Perm())
	}
	bom := make([]byte, len(csvio.BOM))
	if _, err := io.ReadFull(f, bom); err != nil || string(bom) != csvio.BOM {
		t.Errorf("the reject file starts with %q, want the BOM", bom)
	}
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = -1
	records, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(records[0], ","); got != "First Name,Last Name,Email,Zip,City,State,Country,Signed At,Public,line,reason" {
		t.Errorf("reject header = %q", got)
	}
	want := []struct{ line, reason string }{
		{"5", "email: this does not look like an email address"},
		{"6", "first_name: Your first name cannot start with"},
		{"7", `signed_at: "someday" is not a date`},
		{"8", "has 3 fields, the header has 9"},
	}
	if len(records) != len(want)+1 {
		t.Fatalf("reject rows = %q", records)
	}
	for i, w := range want {
		rec := records[i+1]
		if rec[9] != w.line || !strings.Contains(rec[10], w.reason) {
			t.Errorf("reject row %d: line %q, reason %q; want line %s, %q", i+1, rec[9], rec[10], w.line, w.reason)
		}
	}
	if records[2][0] != "'=cmd|' /C calc'!A0" {
		t.Errorf("a formula in the reject file is not neutralised: %q", records[2][0])
	}
}

func TestSignaturesImportTwiceCountsDuplicates(t *testing.T) {
	t.Parallel()
	db := seededDB(t)
	file := writeFile(t, t.TempDir(), "signers.csv", goodCSV)
	args := []string{"signatures", "import", "--db", db, "--campaign", "no-tech-for-ice", file}
	if r := run(t, context.Background(), nil, args...); r.code != 0 {
		t.Fatalf("first import: %d %s", r.code, r.stderr)
	}
	r := run(t, context.Background(), nil, args...)
	if r.code != 0 || !strings.Contains(r.stdout, "3 rows read: 0 imported, 3 duplicates, 0 invalid") {
		t.Fatalf("second import: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	store, c := openDB(t, db)
	if n, _ := store.SignatureCount(context.Background(), c.ID); n != 3 {
		t.Fatalf("kept count = %d after importing twice, want 3", n)
	}
}

func TestSignaturesImportRefusals(t *testing.T) {
	t.Parallel()
	db := seededDB(t)
	dir := t.TempDir()
	noEmail := writeFile(t, dir, "no-email.csv", "first_name,last_name,phone\nAda,Lopez,555\n")
	good := writeFile(t, dir, "good.csv", goodCSV)
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--campaign", "no-tech-for-ice", noEmail}, 1, "no email column"},
		{[]string{"--campaign", "no-such-campaign", good}, 1, `"no-such-campaign": no campaign has this slug`},
		{[]string{good}, 1, "--campaign is required"},
		{[]string{"--campaign", "no-tech-for-ice"}, 2, "give one CSV file"},
		{[]string{"--campaign", "no-tech-for-ice", filepath.Join(dir, "missing.csv")}, 1, "missing.csv"},
		{[]string{"--campaign", "no-tech-for-ice", "--rejects", good, good}, 1, "is the file being imported"},
	} {
		r := run(t, context.Background(), nil, append([]string{"signatures", "import", "--db", db}, c.args...)...)
		if r.code != c.code || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d naming %q", c.args, r.code, r.stderr, c.code, c.want)
		}
	}
	store, c := openDB(t, db)
	if n, _ := store.SignatureRows(context.Background(), c.ID); n != 0 {
		t.Errorf("refused imports stored %d rows", n)
	}
	if jobs, _ := store.ImportJobs(context.Background(), c.ID, 5); len(jobs) != 0 {
		t.Errorf("refused imports left jobs: %+v", jobs)
	}
}

func TestSignaturesExport(t *testing.T) {
	t.Parallel()
	db := seededDB(t)
	store, c := openDB(t, db)
	// Crafted rows the import would refuse, stored directly, to show the
	// export neutralises whatever the database holds.
	_, err := store.ImportSignatures(context.Background(), c.ID, testdb.Source(t, store, c.ID, "Test list"), []*models.Signature{
		{FirstName: "=cmd|' /C calc'!A0", LastName: "+Evil", Email: "evil@example.org", City: `=HYPERLINK("http://evil.example","x")`, Comment: "@SUM(A1)"},
		{FirstName: "Ada", LastName: "Lopez", Email: "ada@example.org", City: "Seattle", Region: "WA", Country: "US", PostalCode: "98101", ShowName: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	check := func(t *testing.T, out string) {
		t.Helper()
		// The file is for a spreadsheet too: it starts with the BOM.
		out, ok := strings.CutPrefix(out, csvio.BOM)
		if !ok {
			t.Errorf("the export does not start with the BOM: %.40q", out)
		}
		lines := strings.Split(out, "\n")
		if lines[0] != "first_name,last_name,email,city,region,country,postal_code,comment,show_name,send_updates,origin,signed_at,confirmed_at,sources" {
			t.Fatalf("first line = %q, want the header", lines[0])
		}
		records, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil || len(records) != 3 {
			t.Fatalf("export = %q, %v", out, err)
		}
		for _, rec := range records[1:] {
			for _, cell := range rec {
				if cell != "" && strings.ContainsAny(cell[:1], "=+-@\t\r") {
					t.Errorf("cell %q is not neutralised", cell)
				}
			}
		}
		// Rows come in id order, and an import stores each batch in email
		// order: find them by email.
		byEmail := map[string][]string{}
		for _, rec := range records[1:] {
			byEmail[rec[2]] = rec
		}
		evil, ada := byEmail["evil@example.org"], byEmail["ada@example.org"]
		if evil == nil || ada == nil {
			t.Fatalf("rows = %q", records[1:])
		}
		if evil[0] != "'=cmd|' /C calc'!A0" || evil[1] != "'+Evil" || evil[3] != `'=HYPERLINK("http://evil.example","x")` || evil[7] != "'@SUM(A1)" {
			t.Errorf("evil row = %q", evil)
		}
		if ada[8] != "true" || ada[10] != "import" {
			t.Errorf("ada row = %q", ada)
		}
		if !strings.HasSuffix(ada[11], "Z") {
			t.Errorf("signed_at = %q, want RFC 3339 UTC", ada[11])
		}
	}
	r := run(t, context.Background(), nil, "signatures", "export", "--db", db, "--campaign", "no-tech-for-ice")
	if r.code != 0 {
		t.Fatalf("export to stdout: %d %s", r.code, r.stderr)
	}
	check(t, r.stdout)

	out := filepath.Join(t.TempDir(), "export.csv")
	r = run(t, context.Background(), nil, "signatures", "export", "--db", db, "--campaign", "no-tech-for-ice", "--out", out)
	if r.code != 0 || !strings.Contains(r.stdout, "wrote 2 signatures") {
		t.Fatalf("export to a file: %d %q %s", r.code, r.stdout, r.stderr)
	}
	b, _ := os.ReadFile(out)
	check(t, string(b))
	if st, _ := os.Stat(out); st.Mode().Perm() != 0o600 {
		t.Errorf("the export holds personal data but is mode %v", st.Mode().Perm())
	}
	if r := run(t, context.Background(), nil, "signatures", "export", "--db", db); r.code == 0 || !strings.Contains(r.stderr, "--campaign is required") {
		t.Errorf("export without --campaign: %d %q", r.code, r.stderr)
	}
}

func TestSignaturesRecount(t *testing.T) {
	t.Parallel()
	db := seededDB(t)
	file := writeFile(t, t.TempDir(), "signers.csv", goodCSV)
	if r := run(t, context.Background(), nil, "signatures", "import", "--db", db, "--campaign", "no-tech-for-ice", file); r.code != 0 {
		t.Fatal(r.stderr)
	}
	r := run(t, context.Background(), nil, "signatures", "recount", "--db", db)
	if r.code != 0 || !strings.Contains(r.stdout, "no drift") {
		t.Fatalf("recount: %d %q %q", r.code, r.stdout, r.stderr)
	}
	// Lose the kept count behind the Store's back.
	gdb, err := models.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	if err := gdb.Exec("DELETE FROM signature_counters").Error; err != nil {
		t.Fatal(err)
	}
	models.NewStore(gdb).Close()
	r = run(t, context.Background(), nil, "signatures", "recount", "--db", db)
	if r.code != 0 || !strings.Contains(r.stdout, "no-tech-for-ice: kept count 0, signature rows 3 (drift +3)") {
		t.Fatalf("recount after drift: %d %q %q", r.code, r.stdout, r.stderr)
	}
	if r := run(t, context.Background(), nil, "signatures", "recount", "--db", db); !strings.Contains(r.stdout, "no drift") {
		t.Errorf("a second recount still finds drift: %q", r.stdout)
	}
	// An identity left out of date (as a rule change on another instance
	// could leave one): recount gives it its identity and merges.
	gdb, err = models.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	if err := gdb.Exec("UPDATE signatures SET email = 'Ada+again@Example.org', identity = 'stale' WHERE email = 'ben@example.org'").Error; err != nil {
		t.Fatal(err)
	}
	models.NewStore(gdb).Close()
	r = run(t, context.Background(), nil, "signatures", "recount", "--db", db)
	if r.code != 0 || !strings.Contains(r.stdout, "1 signatures had an identity out of date with the email rules; 1 of them were another signature of the same person and were merged") {
		t.Fatalf("recount with a stale identity: %d %q %q", r.code, r.stdout, r.stderr)
	}
	if strings.Contains(r.stdout, "drift +") || strings.Contains(r.stdout, "drift -") {
		t.Errorf("the merge left drift: %q", r.stdout)
	}
}

func TestSignaturesHelp(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"signatures"}, {"signatures", "help"}, {"signatures", "--help"}} {
		r := run(t, context.Background(), nil, args...)
		if r.code != 0 {
			t.Fatalf("%v: exit %d", args, r.code)
		}
		for _, verb := range []string{"import", "export", "recount", "help"} {
			if !strings.Contains(r.stdout, "\n  "+verb+" ") {
				t.Errorf("%v does not list %q:\n%s", args, verb, r.stdout)
			}
		}
	}
	if r := run(t, context.Background(), nil, "--help"); !strings.Contains(r.stdout, "\n  signatures ") {
		t.Errorf("campaigntrack --help does not list signatures")
	}
	if r := run(t, context.Background(), nil, "signatures", "frobnicate"); r.code != 2 || !strings.Contains(r.stderr, `unknown verb "frobnicate"`) {
		t.Errorf("unknown verb: %d %q", r.code, r.stderr)
	}
}

// TestSignaturesImportSources: rows go to the named source; an unknown
// name is refused with the campaign's sources listed, unless
// --new-source makes it; without --source the file names one.
func TestSignaturesImportSources(t *testing.T) {
	t.Parallel()
	db := seededDB(t)
	dir := t.TempDir()
	good := writeFile(t, dir, "mijente.csv", goodCSV)
	other := writeFile(t, dir, "aclu.csv", "email,name\nADA+aclu@Example.org,Ada Lopez\neve@example.org,Eve Stone\n")
	base := []string{"signatures", "import", "--db", db, "--campaign", "no-tech-for-ice"}
	if r := run(t, context.Background(), nil, append(base, good)...); r.code != 0 || !strings.Contains(r.stdout, `source "mijente.csv"`) {
		t.Fatalf("no --source: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	r := run(t, context.Background(), nil, append(base, "--source", "ACLU of Washington", other)...)
	if r.code != 1 || !strings.Contains(r.stderr, `no source named "ACLU of Washington"`) || !strings.Contains(r.stderr, `"mijente.csv"`) || !strings.Contains(r.stderr, models.WebSourceName) {
		t.Fatalf("unknown source: exit %d, stderr %q", r.code, r.stderr)
	}
	r = run(t, context.Background(), nil, append(base, "--source", "ACLU of Washington", "--new-source", other)...)
	if r.code != 0 || !strings.Contains(r.stdout, "2 rows read: 1 imported, 1 duplicates, 0 invalid; 1 of the duplicates had signed through another source") {
		t.Fatalf("--new-source: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	// The name is found whatever its case; the same file again changes nothing.
	r = run(t, context.Background(), nil, append(base, "--source", "aclu of washington", other)...)
	if r.code != 0 || !strings.Contains(r.stdout, "2 rows read: 0 imported, 2 duplicates, 0 invalid\n") {
		t.Fatalf("again: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	store, c := openDB(t, db)
	sc, err := store.SourceFigures(context.Background(), c.ID)
	if err != nil || sc.People != 4 {
		t.Fatalf("figures %+v %v", sc, err)
	}
	for _, f := range sc.Sources {
		if f.Name == "ACLU of Washington" && (f.Received != 2 || f.Unique != 1 || f.Shared != 1) {
			t.Errorf("ACLU figures %+v", f)
		}
	}
	if r := run(t, context.Background(), nil, "signatures", "recount", "--db", db); r.code != 0 || !strings.Contains(r.stdout, "no drift") {
		t.Errorf("recount: %d %q %q", r.code, r.stdout, r.stderr)
	}
}

// TestSignaturesImportRefusesTheFormsSource: a file's rows are never
// credited to this site's own form.
func TestSignaturesImportRefusesTheFormsSource(t *testing.T) {
	t.Parallel()
	db := seededDB(t)
	file := writeFile(t, t.TempDir(), "list.csv", goodCSV)
	r := run(t, context.Background(), nil, "signatures", "import", "--db", db, "--campaign", "no-tech-for-ice", "--source", models.WebSourceName, file)
	if r.code != 1 || !strings.Contains(r.stderr, "this site's own form") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
}
