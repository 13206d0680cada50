package cli_test

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"campaigntrack/csvio"
	"campaigntrack/models"
	"campaigntrack/testdb"
)

// seededEngine is a new database on the engine holding the demo campaign,
// as a --db value.
func seededEngine(t *testing.T, e testdb.Engine) string {
	t.Helper()
	db := e.DSN(t)
	if r := run(t, context.Background(), nil, "seed", "--db", db); r.code != 0 {
		t.Fatalf("seed: %d %s", r.code, r.stderr)
	}
	return db
}

const deliveriesCSV = "City,Region,Country,Venue,Status,Delivered At,Scheduled At,Latitude,Longitude,Signatures Delivered,Outcome,Source URLs,Notes\r\n" +
	"Chicago,IL,US,Amazon Chicago office,delivered,2019-07-15T12:00:00-05:00,,41.8781,-87.6298,\"270,000\",\"Handed over, \"\"politely\"\".\",https://example.org/chi,not read\r\n" +
	"Boston,MA,US,,planned,,2019-07-16,,,,,,\r\n" +
	"Seattle,WA,US,\"Amazon re:Invent building, across the street from the Spheres (headquarters)\",delivered,2019-07-15,,47.6162,-122.3386,,Left at the desk.,,\r\n"

func TestDeliveriesImportAndExport(t *testing.T) {
	t.Parallel()
	for _, e := range testdb.Engines {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			db := seededEngine(t, e)
			dir := t.TempDir()
			file := writeFile(t, dir, "deliveries.csv", "\xef\xbb\xbf"+deliveriesCSV)
			r := run(t, ctx, nil, "deliveries", "import", "--db", db, "--campaign", "no-tech-for-ice", file)
			if r.code != 0 || r.stderr != "" {
				t.Fatalf("import: exit %d, stderr %q", r.code, r.stderr)
			}
			if !strings.Contains(r.stdout, "into no-tech-for-ice: 2 created, 1 updated, 0 unchanged, 0 rejected") {
				t.Errorf("summary = %q", r.stdout)
			}
			store, c := openDB(t, db)
			ds, err := store.Deliveries(ctx, c.ID, models.DeliveryFilter{})
			if err != nil || len(ds) != 8 {
				t.Fatalf("deliveries = %d, %v; want the 6 of the demo and 2 new", len(ds), err)
			}
			var chicago, seattle *models.Delivery
			for i := range ds {
				switch ds[i].City {
				case "Chicago":
					chicago = &ds[i]
				case "Seattle":
					seattle = &ds[i]
				}
			}
			if chicago == nil || *chicago.SignaturesDelivered != 270000 || chicago.TimeZone != "America/Chicago" || chicago.Notes != "" ||
				chicago.Outcome != `Handed over, "politely".` || len(chicago.Sources) != 1 {
				t.Errorf("Chicago = %+v", chicago)
			}
			if seattle == nil || seattle.Outcome != "Left at the desk." || *seattle.Latitude != 47.6162 {
				t.Errorf("Seattle = %+v", seattle)
			}
			audit, _ := store.AuditForRecord(ctx, "delivery", chicago.ID)
			if len(audit) != 1 || audit[0].UserEmail != "(command line)" || audit[0].Action != models.AuditCreate {
				t.Errorf("Chicago's audit = %+v, want one create by the command line", audit)
			}

			// Export to a file and to standard output, whole and filtered.
			out := filepath.Join(dir, "export.csv")
			r = run(t, ctx, nil, "deliveries", "export", "--db", db, "--campaign", "no-tech-for-ice", out)
			if r.code != 0 || !strings.Contains(r.stdout, "wrote 8 deliveries of no-tech-for-ice to "+out) {
				t.Fatalf("export to a file: %d %q %q", r.code, r.stdout, r.stderr)
			}
			exported, _ := os.ReadFile(out)
			if !strings.HasPrefix(string(exported), csvio.BOM+strings.Join(csvio.DeliveryColumns, ",")+"\n") {
				t.Fatalf("export = %q", exported)
			}
			for _, args := range [][]string{{}, {"-"}} {
				r = run(t, ctx, nil, append([]string{"deliveries", "export", "--db", db, "--campaign", "no-tech-for-ice"}, args...)...)
				if r.code != 0 || r.stdout != string(exported) {
					t.Errorf("export %v to standard output: %d, %q; want the file's bytes", args, r.code, r.stderr)
				}
			}
			r = run(t, ctx, nil, "deliveries", "export", "--db", db, "--campaign", "no-tech-for-ice", "--status", "Delivered", "--city", "SEATTLE")
			records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.stdout, csvio.BOM))).ReadAll()
			if r.code != 0 || err != nil || len(records) != 2 || records[1][0] != "Seattle" {
				t.Errorf("filtered export: %d %q %q", r.code, r.stdout, r.stderr)
			}

			// A file in the export's form (the BOM, then sources by name
			// and address), imported into an empty campaign, exports byte
			// for byte as it was.
			canonical := csvio.BOM + strings.Join(csvio.DeliveryColumns, ",") + "\n" +
				"Chicago,IL,US,Amazon Chicago office,,41.8781,-87.6298,office,delivered,,2019-07-15T12:00:00-05:00,,,,'=not a formula,,,,The Tribune (reprint; address not recorded),,en\n" +
				"Seattle,WA,US,Spheres,\"2031 7th Ave, Seattle\",47.6162,-122.3386,headquarters,delivered,2019-07-15T10:00:00-07:00,2019-07-15T11:30:00-07:00,Main reception desk,270000,printouts,\"Left at the desk, \"\"politely\"\".\nThen a rally.\",ACLU of Washington,4,https://example.org/a https://example.org/b,KUOW <https://example.org/a>; <https://example.org/b>,Dejada en la recepción.,es\n" +
				"Boston,MA,US,,,,,,planned,2019-07-16,,,,,,,,,,,en\n"
			newCampaign(t, store, "copy")
			r = run(t, ctx, nil, "deliveries", "import", writeFile(t, dir, "canonical.csv", canonical), "--db", db, "--campaign=copy")
			if r.code != 0 || !strings.Contains(r.stdout, "into copy: 3 created, 0 updated, 0 unchanged, 0 rejected") {
				t.Fatalf("importing a file in the export's form: %d %q %q", r.code, r.stdout, r.stderr)
			}
			r = run(t, ctx, nil, "deliveries", "export", "--db", db, "--campaign", "copy")
			if r.code != 0 || r.stdout != canonical {
				t.Errorf("the import exports\n%s\nwant\n%s", r.stdout, canonical)
			}

			// The whole export imported into another campaign exports the
			// same too.
			newCampaign(t, store, "demo-copy")
			r = run(t, ctx, nil, "deliveries", "import", out, "--db", db, "--campaign", "demo-copy")
			if r.code != 0 || !strings.Contains(r.stdout, "into demo-copy: 8 created, 0 updated, 0 unchanged, 0 rejected") {
				t.Fatalf("importing the export: %d %q %q", r.code, r.stdout, r.stderr)
			}
			r = run(t, ctx, nil, "deliveries", "export", "--db", db, "--campaign", "demo-copy")
			if r.code != 0 || r.stdout != string(exported) {
				t.Errorf("the copy exports\n%s\nwant\n%s", r.stdout, exported)
			}
		})
	}
}

// newCampaign adds an empty campaign through the Store.
func newCampaign(t *testing.T, store *models.Store, slug string) {
	t.Helper()
	c := &models.Campaign{Slug: slug, Title: "Copy " + slug, Target: "Amazon", Demand: "Stop selling technology to ICE"}
	if err := store.CreateCampaign(context.Background(), models.CommandLine, c); err != nil {
		t.Fatal(err)
	}
}

func TestDeliveriesImportBadRows(t *testing.T) {
	t.Parallel()
	db := seededDB(t)
	file := writeFile(t, t.TempDir(), "deliveries.csv", "city,region,country,status,latitude,longitude,delivered_at\n"+
		"Chicago,IL,US,delivered,41.8781,-87.6298,2019-07-15\n"+ // 2
		"Boston,MA,US,shipped,,,\n"+ // 3
		"Denver,CO,US,planned,91,-104.99,\n"+ // 4
		"Austin,TX,US,delivered,,,11:00\n"+ // 5
		",OR,US,planned,,,\n"+ // 6
		"Reno,NV,US,delivered,,,2100-12-31T23:00:00-07:00\n") // 7: 2101 in UTC
	r := run(t, context.Background(), nil, "deliveries", "import", "--db", db, "--campaign", "no-tech-for-ice", file)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1 for rejected rows; stderr %q", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "1 created, 0 updated, 0 unchanged, 5 rejected") {
		t.Errorf("summary = %q", r.stdout)
	}
	for _, want := range []string{
		"line 3, status: \"shipped\" is not a status: use one of planned, under_way",
		"line 4, latitude: the latitude must be between -90 and 90\n",
		"line 5, delivered_at: \"11:00\" has a time but no date",
		"line 6, city: give the city the petition is delivered in\n",
		"line 7, delivered_at: \"2100-12-31T23:00:00-07:00\" is not a date the tracker keeps: the year must be between 1900 and 2100\n",
		"campaigntrack deliveries: 5 rows were not stored",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr does not say %q:\n%s", want, r.stderr)
		}
	}
	store, c := openDB(t, db)
	ds, _ := store.Deliveries(context.Background(), c.ID, models.DeliveryFilter{City: "chicago"})
	if len(ds) != 1 {
		t.Errorf("the good row was not stored: %+v", ds)
	}
	if p, _ := store.DeliveryProgressFor(context.Background(), c); p.Statuses[models.DeliveryPlanned]+p.Statuses[models.DeliveryDelivered] != 7 {
		t.Errorf("status counts = %v, want the 6 of the demo and Chicago", p.Statuses)
	}
}

func TestDeliveriesRefusals(t *testing.T) {
	t.Parallel()
	db := seededDB(t)
	dir := t.TempDir()
	good := writeFile(t, dir, "good.csv", deliveriesCSV)
	noCity := writeFile(t, dir, "no-city.csv", "town,region\nSeattle,WA\n")
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"import", "--campaign", "no-such-campaign", good}, 1, `"no-such-campaign": no campaign has this slug`},
		{[]string{"import", "--campaign", "no-tech-for-ice", filepath.Join(dir, "missing.csv")}, 1, "missing.csv"},
		{[]string{"import", "--campaign", "no-tech-for-ice", dir}, 1, "is a directory"},
		{[]string{"import", "--campaign", "no-tech-for-ice", noCity}, 1, "no-city.csv: the file has no city column"},
		{[]string{"import", good}, 1, "--campaign is required"},
		{[]string{"import", "--campaign", "no-tech-for-ice"}, 2, "give one CSV file"},
		{[]string{"import", "--campaign", "no-tech-for-ice", good, good}, 2, "give one CSV file"},
		{[]string{"export", "--campaign", "no-such-campaign"}, 1, "no campaign has this slug"},
		{[]string{"export"}, 1, "--campaign is required"},
		{[]string{"export", "--campaign", "no-tech-for-ice", "a.csv", "b.csv"}, 2, "at most one file"},
		{[]string{"export", "--campaign", "no-tech-for-ice", "--status", "shipped"}, 2, `--status "shipped": use one of planned`},
		{[]string{"frobnicate"}, 2, `unknown verb "frobnicate"`},
		{[]string{"--campaign", "x", "import"}, 2, "the verb comes before the flags"},
	} {
		r := run(t, context.Background(), nil, append(append([]string{"deliveries"}, c.args...), "--db", db)...)
		if r.code != c.code || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d naming %q", c.args, r.code, r.stderr, c.code, c.want)
		}
	}
	store, c := openDB(t, db)
	if ds, _ := store.Deliveries(context.Background(), c.ID, models.DeliveryFilter{}); len(ds) != 6 {
		t.Errorf("refused commands changed the deliveries: %d, want the demo's 6", len(ds))
	}
	if _, err := os.Stat("a.csv"); !os.IsNotExist(err) {
		t.Errorf("a refused export wrote a file (%v)", err)
	}
}

func TestDeliveriesHelp(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"deliveries"}, {"deliveries", "help"}, {"deliveries", "--help"}} {
		r := run(t, context.Background(), nil, args...)
		if r.code != 0 {
			t.Fatalf("%v: exit %d", args, r.code)
		}
		for _, verb := range []string{"import", "export", "help"} {
			if !strings.Contains(r.stdout, "\n  "+verb+" ") {
				t.Errorf("%v does not list %q:\n%s", args, verb, r.stdout)
			}
		}
		if !strings.Contains(r.stdout, strings.Join(csvio.DeliveryColumns, ",")) {
			t.Errorf("%v does not name the columns", args)
		}
	}
	if r := run(t, context.Background(), nil, "--help"); !strings.Contains(r.stdout, "\n  deliveries ") {
		t.Errorf("campaigntrack --help does not list deliveries")
	}
}
