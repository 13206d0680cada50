package csvio_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"campaigntrack/csvio"
	"campaigntrack/models"
	"campaigntrack/seed"
	"campaigntrack/testdb"
)

const deliveryHeader = "city,region,country,venue,address,latitude,longitude,kind,status,scheduled_at,delivered_at,recipient,signatures_delivered,delivery_form,outcome,lead_organisation,attendance,source_urls,sources,outcome_es,packet_lang"

// oldDeliveryHeader is the header of an export made before the sources
// column: such files still import.
const oldDeliveryHeader = "city,region,country,venue,address,latitude,longitude,kind,status,scheduled_at,delivered_at,recipient,signatures_delivered,delivery_form,outcome,lead_organisation,attendance,source_urls"

func ptr[T any](v T) *T { return &v }

func at(s string) *time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	t = t.UTC()
	return &t
}

// writeDeliveries is WriteDeliveries into a string.
func writeDeliveries(t *testing.T, ds []models.Delivery) string {
	t.Helper()
	var b bytes.Buffer
	if err := csvio.WriteDeliveries(&b, ds); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// readDeliveries reads a file that must be readable as a whole.
func readDeliveries(t *testing.T, input string) ([]models.Delivery, []int, []csvio.RowError) {
	t.Helper()
	rows, lines, errs, err := csvio.ReadDeliveries(strings.NewReader(input))
	if err != nil {
		t.Fatalf("file refused: %v", err)
	}
	if len(rows) != len(lines) {
		t.Fatalf("%d rows but %d lines", len(rows), len(lines))
	}
	return rows, lines, errs
}

func TestDeliveryColumns(t *testing.T) {
	t.Parallel()
	if got := strings.Join(csvio.DeliveryColumns, ","); got != deliveryHeader {
		t.Fatalf("DeliveryColumns = %s\nwant            %s", got, deliveryHeader)
	}
	if got := writeDeliveries(t, nil); got != csvio.BOM+deliveryHeader+"\n" {
		t.Errorf("an export of no deliveries = %q, want the BOM and the header alone", got)
	}
}

func TestWriteDeliveriesNeutralises(t *testing.T) {
	t.Parallel()
	d := models.Delivery{
		City: "=cmd|' /C calc'!A0", Region: "+WA", Country: "US", Venue: "-Spheres", Address: "@SUM(A1)",
		Latitude: ptr(-47.6062), Longitude: ptr(-122.3), Kind: "office", Status: models.DeliveryDelivered,
		DeliveredAt: at("2019-07-15T18:00:00Z"), TimeZone: "America/Los_Angeles",
		Recipient: "\t=1+1", SignaturesDelivered: ptr(int64(270000)), DeliveryForm: "boxes",
		Outcome: "\r=HYPERLINK(\"http://evil.example\",\"x\")", LeadOrganisation: "-2+3", Attendance: "+70",
		Sources: models.Sources{{Name: "Evil", URL: "https://example.org/=x"}, {Name: "Named only"}},
		Notes:   "PRIVATE NOTE", MediaPresent: true,
	}
	out := writeDeliveries(t, []models.Delivery{d})
	records, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(records) != 2 {
		t.Fatalf("export = %q, %v", out, err)
	}
	got := map[string]string{}
	for i, col := range csvio.DeliveryColumns {
		got[col] = records[1][i]
	}
	want := map[string]string{
		"city": "'=cmd|' /C calc'!A0", "region": "'+WA", "country": "US", "venue": "'-Spheres", "address": "'@SUM(A1)",
		"latitude": "-47.6062", "longitude": "-122.3", "kind": "office", "status": "delivered",
		"scheduled_at": "", "delivered_at": "2019-07-15T11:00:00-07:00", "recipient": "'\t=1+1",
		"signatures_delivered": "270000", "delivery_form": "boxes",
		"outcome": "'\r=HYPERLINK(\"http://evil.example\",\"x\")", "lead_organisation": "'-2+3", "attendance": "'+70",
		"source_urls": "https://example.org/=x", "sources": "Evil <https://example.org/=x>; Named only",
	}
	for col, w := range want {
		if got[col] != w {
			t.Errorf("%s = %q, want %q", col, got[col], w)
		}
	}
	if strings.Contains(out, "PRIVATE") || strings.Contains(out, "media") {
		t.Errorf("the public export holds a private note or media_present: %q", out)
	}
}

func TestWriteNumericOnlyNeutralisesNonNumbers(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	w, err := csvio.NewWriter(&b, "a", "b")
	if err != nil {
		t.Fatal(err)
	}
	w.Flush() // the header, before the rows
	for _, c := range []struct{ in, want string }{
		{"-122.3", "-122.3"}, {"47", "47"}, {"0.5", "0.5"}, {"", ""},
		{"-1+1", "'-1+1"}, {"-", "'-"}, {"-1e5", "'-1e5"}, {"+5", "'+5"}, {"-.5", "'-.5"}, {"-5.", "'-5."}, {"=1", "'=1"},
	} {
		b.Reset()
		if err := w.WriteNumeric([]string{c.in, c.in}, []bool{true}); err != nil {
			t.Fatal(err)
		}
		w.Flush()
		rec, err := csv.NewReader(&b).Read()
		if err != nil {
			t.Fatal(err)
		}
		if rec[0] != c.want || rec[1] != csvio.Neutralise(c.in) {
			t.Errorf("WriteNumeric(%q) = %q (numeric), %q (text); want %q, %q", c.in, rec[0], rec[1], c.want, csvio.Neutralise(c.in))
		}
	}
}

// builtDeliveries are deliveries of every shape an export must carry:
// times in several zones, with and without a time of day (a day is stored
// as its noon in UTC), coordinates and none, formula-like and multi-line
// text, commas and quotes.
func builtDeliveries() []models.Delivery {
	return []models.Delivery{
		{City: "Seattle", Region: "WA", Country: "US", Venue: "Amazon re:Invent building", Address: "2031 7th Ave",
			Latitude: ptr(47.6162), Longitude: ptr(-122.3386), Kind: "headquarters", Status: models.DeliveryDelivered,
			ScheduledAt: at("2019-07-15T17:00:00Z"), DeliveredAt: at("2019-07-15T18:30:00Z"), TimeZone: "America/Los_Angeles",
			Recipient: "Main reception desk", SignaturesDelivered: ptr(int64(270000)), DeliveryForm: "printouts",
			Outcome:          "They asked for Andy Jassy, \"CEO of AWS\", and waited;\nthen left the printouts, at the desk.",
			LeadOrganisation: "ACLU of Washington", Attendance: "4, then a few dozen", MediaPresent: true,
			Sources: models.Sources{{URL: "https://example.org/seattle"}, {URL: "https://example.org/seattle?b=1&c=2"}}},
		{City: "New York", Region: "NY", Country: "US", Venue: "Jeff Bezos' home (lobby)", Address: "212 Fifth Ave",
			Kind: "executive_home", Status: models.DeliveryDelivered, ScheduledAt: at("2019-07-15T12:00:00Z"), ScheduledDateOnly: true,
			DeliveredAt: at("2019-07-15T12:00:00Z"), DateOnly: true, TimeZone: "America/New_York",
			Outcome: "=HYPERLINK(\"http://evil.example\",\"click\")", Attendance: "-5 people?", Sources: models.Sources{}},
		{City: "London", Country: "GB", Venue: "Amazon UK office", Latitude: ptr(51.5), Longitude: ptr(-0.0877),
			Status: models.DeliveryRefused, DeliveredAt: at("2019-07-15T09:15:00Z"), TimeZone: "+01:00",
			Recipient: "@security", Outcome: "Refused at the door.\r\nA browser sent this with CRLF."},
		{City: "Berlin", Country: "DE", Venue: "Amazon Berlin", Status: models.DeliveryUnderWay,
			ScheduledAt: at("2019-07-15T08:00:00Z"), TimeZone: "Europe/Berlin", DeliveryForm: "usb", Kind: "office"},
		{City: "Phoenix", Region: "AZ", Country: "US", Status: models.DeliveryPostponed, Latitude: ptr(0.0), Longitude: ptr(-0.5),
			ScheduledAt: at("2019-07-16T12:00:00Z"), ScheduledDateOnly: true, TimeZone: "America/Phoenix",
			Outcome: "+1 for the heat; postponed", LeadOrganisation: "\"Quoted\" Coalition, Inc."},
		{City: "Chicago", Region: "IL", Country: "US", Status: models.DeliveryPlanned, Kind: "warehouse",
			ScheduledAt: at("2019-07-15T15:00:00Z"), TimeZone: "-04:00", Venue: "Warehouse MDW2"},
		{City: "Boston", Region: "MA", Country: "US", Status: models.DeliveryCancelled, TimeZone: "America/New_York",
			Outcome: "No date was ever set.", SignaturesDelivered: ptr(int64(0))},
		// Formulas in full width and behind invisible characters.
		{City: "Austin", Region: "TX", Country: "US", Status: models.DeliveryPlanned, TimeZone: "America/Chicago",
			Recipient: "\u200b=cmd|' /C calc'!A0", Address: "＝HYPERLINK(\"http://evil.example\",\"x\")",
			LeadOrganisation: "\u202e@evil", Attendance: "\ufeff－5", Outcome: "\u2060＋1"},
	}
}

// newCampaign adds an empty campaign to the store.
func newCampaign(t *testing.T, store *models.Store, slug string) uint {
	t.Helper()
	c := &models.Campaign{Slug: slug, Title: "Copy " + slug, Target: "Amazon", Demand: "Stop selling technology to ICE"}
	if err := store.CreateCampaign(context.Background(), models.CommandLine, c); err != nil {
		t.Fatal(err)
	}
	return c.ID
}

// exportCampaign exports a campaign's deliveries as the Store lists them.
func exportCampaign(t *testing.T, store *models.Store, campaignID uint) string {
	t.Helper()
	ds, err := store.Deliveries(context.Background(), campaignID, models.DeliveryFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return writeDeliveries(t, ds)
}

// TestDeliveriesRoundTrip: an export read back and imported into a new
// campaign exports byte for byte the same, and importing it again changes
// nothing.
func TestDeliveriesRoundTrip(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		if _, err := seed.Load(ctx, store); err != nil {
			t.Fatal(err)
		}
		demo, err := store.CampaignBySlug(ctx, "no-tech-for-ice")
		if err != nil {
			t.Fatal(err)
		}
		built := newCampaign(t, store, "built")
		if _, err := store.ImportDeliveries(ctx, models.CommandLine, built, builtDeliveries(), nil); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			from uint
			n    int
		}{{"demo", demo.ID, 6}, {"built", built, len(builtDeliveries())}} {
			t.Run(c.name, func(t *testing.T) {
				first := exportCampaign(t, store, c.from)
				rows, lines, errs := readDeliveries(t, first)
				if len(errs) > 0 || len(rows) != c.n {
					t.Fatalf("reading the export: %d rows, errors %v; want %d rows\n%s", len(rows), errs, c.n, first)
				}
				for i, l := range lines {
					if l <= i+1 {
						t.Errorf("row %d at line %d", i, l)
					}
				}
				copyID := newCampaign(t, store, "copy-"+c.name)
				res, err := store.ImportDeliveries(ctx, models.CommandLine, copyID, rows, nil)
				if err != nil || res.Created != c.n || res.Updated+res.Unchanged+len(res.Refused) != 0 {
					t.Fatalf("import = %+v, %v; want %d created", res, err, c.n)
				}
				if second := exportCampaign(t, store, copyID); second != first {
					t.Fatalf("the export of the copy differs:\n%s\nwant\n%s", second, first)
				}
				again, _, _ := readDeliveries(t, first)
				res, err = store.ImportDeliveries(ctx, models.CommandLine, copyID, again, csvio.DeliveryColumns)
				if err != nil || res.Created != 0 || res.Updated != 0 || res.Unchanged != c.n {
					t.Fatalf("importing the same file again = %+v, %v; want all %d unchanged", res, err, c.n)
				}
			})
		}
		// The export as a journalist's spreadsheet reads it.
		out := exportCampaign(t, store, built)
		records, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		byCity := map[string][]string{}
		for _, r := range records[1:] {
			byCity[r[0]] = r
		}
		for _, c := range []struct{ city, scheduled, delivered, lat, lon string }{
			{"Seattle", "2019-07-15T10:00:00-07:00", "2019-07-15T11:30:00-07:00", "47.6162", "-122.3386"},
			{"New York", "2019-07-15", "2019-07-15", "", ""},
			{"London", "", "2019-07-15T10:15:00+01:00", "51.5", "-0.0877"},
			{"Berlin", "2019-07-15T10:00:00+02:00", "", "", ""},
			{"Phoenix", "2019-07-16", "", "0", "-0.5"},
			{"Chicago", "2019-07-15T11:00:00-04:00", "", "", ""},
		} {
			r := byCity[c.city]
			if r == nil || r[9] != c.scheduled || r[10] != c.delivered || r[5] != c.lat || r[6] != c.lon {
				t.Errorf("%s = %q; want scheduled %q, delivered %q, at %q,%q", c.city, r, c.scheduled, c.delivered, c.lat, c.lon)
			}
		}
		if r := byCity["London"]; r[14] != "Refused at the door.\nA browser sent this with CRLF." || r[11] != "'@security" {
			t.Errorf("London = %q", r)
		}
	})
}

// TestSourceNamesInAFileImportOnce: a source_urls cell may name its
// sources as the form does (models.ParseSources); importing the file again
// changes nothing, and an export writes the addresses alone in
// source_urls and every source by name in sources.
func TestSourceNamesInAFileImportOnce(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		id := newCampaign(t, store, "named-sources")
		file := "city,region,country,source_urls\nSeattle,WA,US,The Stranger | https://example.org/s | KUOW\n"
		for i, want := range []models.DeliveryImport{{Created: 1}, {Unchanged: 1}} {
			rows, _, errs := readDeliveries(t, file)
			if len(errs) > 0 || len(rows) != 1 || len(rows[0].Sources) != 2 || rows[0].Sources[0].Name != "The Stranger" {
				t.Fatalf("rows %+v, errors %v", rows, errs)
			}
			res, err := store.ImportDeliveries(ctx, models.CommandLine, id, rows, []string{"city", "region", "country", "source_urls"})
			if err != nil || res.Created != want.Created || res.Unchanged != want.Unchanged || res.Updated != 0 {
				t.Fatalf("import %d = %+v, %v; want %+v", i+1, res, err, want)
			}
		}
		if out := exportCampaign(t, store, id); !strings.Contains(out, ",https://example.org/s,The Stranger <https://example.org/s>; KUOW,,en\n") {
			t.Errorf("the export:\n%s", out)
		}
	})
}

// TestReadDeliveriesBadRows: each bad row is named by its line and field,
// and the good rows of the same file still come back.
func TestReadDeliveriesBadRows(t *testing.T) {
	t.Parallel()
	input := oldDeliveryHeader + "\n" +
		"Seattle,WA,US,Spheres,,47.6,-122.3,headquarters,delivered,,2019-07-15,,270000,,,,,\n" + // 2: good
		"Chicago,IL,US,,,,,,shipped,,,,,,,,,\n" + // 3: unknown status
		"Boston,MA,US,,,,,,delivered,,11:00,,,,,,,\n" + // 4: a time without a date
		"Denver,CO,US,,,91,-104.99,,planned,,,,,,,,,\n" + // 5: latitude out of range
		",OR,US,Amazon PDX,,,,,planned,,,,,,,,,\n" + // 6: no city
		"Austin,TX,US,,,30.27,-97.74,,planned,,,,lots,,,,,\n" + // 7: not a number
		"Miami,FL,US,,,north,-80.19,,planned,,,,,,,,,\n" + // 8: not a number
		"\"Portland\",OR,US,,,,,,planned,2019-07-15 10:00,,,,,,,,https://example.org/pdx\n" + // 9: good
		"Reno,NV,US,,,,,spaceport,planned,someday,,,,parcel,,,,ftp://x\n" + // 10: four bad fields
		"Seattle,wa,us,spheres,,,,,planned,,,,,,,,,\n" + // 11: same place and venue as line 2
		"Tulsa,OK,US,,,,\n" // 12: too few fields
	rows, lines, errs := readDeliveries(t, input)
	if len(rows) != 2 || rows[0].City != "Seattle" || rows[1].City != "Portland" || lines[0] != 2 || lines[1] != 9 {
		t.Fatalf("good rows = %+v at lines %v; want Seattle at 2 and Portland at 9", rows, lines)
	}
	want := []struct {
		line         int
		field, inMsg string
	}{
		{3, "status", `"shipped" is not a status: use one of planned, under_way, delivered, refused, postponed, cancelled`},
		{4, "delivered_at", `"11:00" has a time but no date`},
		{5, "latitude", "the latitude must be between -90 and 90"},
		{6, "city", "give the city the petition is delivered in"},
		{7, "signatures_delivered", `"lots" is not a whole number`},
		{8, "latitude", `"north" is not a number: give the latitude as a number between -90 and 90, for example 47.6062`},
		{10, "kind", "the kind of place must be one of"},
		{10, "scheduled_at", `"someday" is not a date or time`},
		{10, "delivery_form", "the form must be one of"},
		{10, "source_urls", "source 1: the address must be a web address"},
		{11, "venue", "line 2 has the same city, region, country and venue"},
		{12, "", "has 7 fields, the header has 18"},
	}
	if len(errs) != len(want) {
		t.Fatalf("errors = %q, want %d", errs, len(want))
	}
	for i, w := range want {
		e := errs[i]
		if e.Line != w.line || e.Field != w.field || !strings.Contains(e.Message, w.inMsg) {
			t.Errorf("error %d = %+v; want line %d, %s: %q", i, e, w.line, w.field, w.inMsg)
		}
	}
	for got, want := range map[string]string{
		errs[2].Error():  "line 5, latitude: the latitude must be between -90 and 90",
		errs[3].Error():  "line 6, city: give the city the petition is delivered in",
		errs[11].Error(): "line 12: has 7 fields, the header has 18: check the row's commas and quotes",
	} {
		if got != want {
			t.Errorf("Error() = %q, want %q", got, want)
		}
	}
	if !strings.HasPrefix(errs[1].Error(), `line 4, delivered_at: "11:00" has a time but no date: `) {
		t.Errorf("a time without a date: %q", errs[1].Error())
	}
}

// TestReadDeliveriesDatesOutOfRange: a time the tracker does not keep is a
// message on its line and field, the one models.ParseWhen gives (and so
// the organiser forms), and the row is left out.
func TestReadDeliveriesDatesOutOfRange(t *testing.T) {
	t.Parallel()
	bad := []string{"9999-12-31", "0001-01-01", "2101-01-01", "1899-12-31", "10000-01-01",
		"9999-12-31T23:00:00-07:00", "2100-12-31 23:00", "2019-02-30", "2019-07-15 25:00"}
	input := "city,region,country,status,scheduled_at,delivered_at\n"
	for i, v := range bad {
		input += fmt.Sprintf("Town%d,WA,US,delivered,%s,%s\n", i, v, v)
	}
	rows, _, errs := readDeliveries(t, input)
	if len(rows) != 0 || len(errs) != 2*len(bad) {
		t.Fatalf("rows %+v, errors %q; want no rows and two errors a row", rows, errs)
	}
	la, _ := time.LoadLocation("America/Los_Angeles")
	for i, v := range bad {
		_, _, err := models.ParseWhen(v, la)
		if err == nil {
			t.Fatalf("ParseWhen(%q) accepted it", v)
		}
		for j, field := range []string{"scheduled_at", "delivered_at"} {
			want := csvio.RowError{Line: i + 2, Field: field, Message: err.Error()}
			if got := errs[2*i+j]; got != want {
				t.Errorf("%q: %+v, want %+v", v, got, want)
			}
		}
	}
}

func TestReadDeliveriesBrokenQuotes(t *testing.T) {
	t.Parallel()
	input := "city,outcome\r\n" +
		"Seattle,\"two\r\nlines\"\r\n" + // lines 2-3
		"\r\n" + // 4: empty, skipped
		",\r\n" + // 5: blank fields, skipped
		"Bo\"ston,x\r\n" + // 6: a bare quote
		"Denver,ok\r\n" + // 7
		"Reno,\"unterminated\r\n" // 8: swallows the rest
	rows, lines, errs := readDeliveries(t, input)
	if len(rows) != 2 || rows[0].Outcome != "two\nlines" || lines[0] != 2 || rows[1].City != "Denver" || lines[1] != 7 {
		t.Fatalf("rows = %+v at %v", rows, lines)
	}
	if len(errs) != 2 || errs[0].Line != 6 || errs[1].Line != 8 || !strings.Contains(errs[0].Message, "cannot be read as CSV") {
		t.Errorf("errors = %q", errs)
	}
}

func TestReadDeliveriesFileShapes(t *testing.T) {
	t.Parallel()
	t.Run("only a header", func(t *testing.T) {
		rows, _, errs := readDeliveries(t, deliveryHeader+"\n")
		if len(rows) != 0 || len(errs) != 0 {
			t.Errorf("rows %+v, errors %v; want neither", rows, errs)
		}
	})
	t.Run("byte-order mark and CRLF", func(t *testing.T) {
		rows, lines, errs := readDeliveries(t, "\xef\xbb\xbfCity,Region,Status\r\nSeattle,WA,planned\r\nBoston,MA,\r\n")
		if len(errs) != 0 || len(rows) != 2 || rows[0].City != "Seattle" || rows[1].Status != models.DeliveryPlanned || lines[1] != 3 {
			t.Errorf("rows %+v at %v, errors %v", rows, lines, errs)
		}
	})
	t.Run("shuffled columns, any case, spaces, unknown columns", func(t *testing.T) {
		input := " SOURCE URLS ,Status,Member ID,Scheduled At,city,Latitude,longitude,COUNTRY,region\n" +
			"https://a.example/1 | https://a.example/2,Under Way,42,2019-07-15 10:00,San Francisco,37.7749,-122.4194,us,ca\n"
		rows, _, errs := readDeliveries(t, input)
		if len(errs) != 0 || len(rows) != 1 {
			t.Fatalf("rows %+v, errors %v", rows, errs)
		}
		d := rows[0]
		if d.City != "San Francisco" || d.Region != "ca" || d.Country != "US" || d.Status != models.DeliveryUnderWay ||
			*d.Latitude != 37.7749 || *d.Longitude != -122.4194 || d.TimeZone != "America/Los_Angeles" ||
			!d.ScheduledAt.Equal(*at("2019-07-15T17:00:00Z")) ||
			len(d.Sources) != 2 || d.Sources[1].URL != "https://a.example/2" {
			t.Errorf("delivery = %+v", d)
		}
	})
}

func TestReadDeliveriesValues(t *testing.T) {
	t.Parallel()
	const header = "city,region,country,status,kind,delivery_form,signatures_delivered,latitude,longitude,scheduled_at,delivered_at,outcome,source_urls\n"
	for _, c := range []struct {
		name, row string
		check     func(d models.Delivery) bool
	}{
		{"status words", "Seattle,WA,US,Under Way,,,,,,,,,", func(d models.Delivery) bool { return d.Status == "under_way" }},
		{"status in capitals", "Seattle,WA,US,DELIVERED,,,,,,,2019-07-15,,", func(d models.Delivery) bool { return d.Status == "delivered" }},
		{"US spelling", "Seattle,WA,US,canceled,,,,,,,,,", func(d models.Delivery) bool { return d.Status == "cancelled" }},
		{"empty status", "Seattle,WA,US,,,,,,,,,,", func(d models.Delivery) bool { return d.Status == "planned" }},
		{"kind and form in any case", "Seattle,WA,US,,Executive Home,BOXES,,,,,,,", func(d models.Delivery) bool {
			return d.Kind == "executive_home" && d.DeliveryForm == "boxes"
		}},
		{"thousands commas", `Seattle,WA,US,,,,"270,000",,,,,,`, func(d models.Delivery) bool { return *d.SignaturesDelivered == 270000 }},
		{"neutralised cells read back", `Seattle,WA,US,,,,,'-47.5,'-122.25,,,'=1+1,`, func(d models.Delivery) bool {
			return *d.Latitude == -47.5 && *d.Longitude == -122.25 && d.Outcome == "=1+1"
		}},
		{"a quote not before a formula stays", `Seattle,WA,US,,,,,,,,,'90s style,`, func(d models.Delivery) bool { return d.Outcome == "'90s style" }},
		{"lower-case country", "London,,gb,,,,,,,,,,", func(d models.Delivery) bool { return d.Country == "GB" && d.TimeZone == "" }},
		{"the place's offset gives its zone", "Seattle,WA,US,delivered,,,,,,,2019-07-15T11:00:00-07:00,,", func(d models.Delivery) bool {
			return d.TimeZone == "America/Los_Angeles" && d.DeliveredAt.Equal(*at("2019-07-15T18:00:00Z")) && !d.DateOnly
		}},
		{"another offset is kept as given", "Seattle,WA,US,delivered,,,,,,,2019-07-15T14:00:00-04:00,,", func(d models.Delivery) bool {
			return d.TimeZone == "-04:00" && d.DeliveredAt.Equal(*at("2019-07-15T18:00:00Z"))
		}},
		{"no offset: the place's time", "New York,NY,US,delivered,,,,,,,2019-07-15 14:00,,", func(d models.Delivery) bool {
			return d.TimeZone == "America/New_York" && d.DeliveredAt.Equal(*at("2019-07-15T18:00:00Z"))
		}},
		{"UTC", "London,,GB,delivered,,,,,,,2019-07-15T09:00:00Z,,", func(d models.Delivery) bool {
			return d.TimeZone == "" && d.DeliveredAt.Equal(*at("2019-07-15T09:00:00Z"))
		}},
		{"date only", "Seattle,WA,US,delivered,,,,,,2019-07-14,2019-07-15,,", func(d models.Delivery) bool {
			return d.DateOnly && d.ScheduledDateOnly && d.DeliveredAt.Equal(*at("2019-07-15T12:00:00Z")) && d.TimeZone == "America/Los_Angeles"
		}},
		{"a date-only plan and a timed delivery", "Seattle,WA,US,delivered,,,,,,2019-07-15,2019-07-15T14:00:00-04:00,,", func(d models.Delivery) bool {
			return d.ScheduledDateOnly && !d.DateOnly && d.TimeZone == "-04:00"
		}},
		{"two zones: the delivery's wins", "Seattle,WA,US,delivered,,,,,,2019-07-15T10:00:00-07:00,2019-07-15T14:00:00-04:00,,", func(d models.Delivery) bool {
			return d.TimeZone == "-04:00" && d.ScheduledAt.Equal(*at("2019-07-15T17:00:00Z"))
		}},
		{"winter and summer offsets of one zone", "Seattle,WA,US,delivered,,,,,,2019-01-15T10:00:00-08:00,2019-07-15T10:00:00-07:00,,", func(d models.Delivery) bool {
			return d.TimeZone == "America/Los_Angeles"
		}},
		{"sources split on spaces and bars", "Seattle,WA,US,,,,,,,,,,https://a.example/1|https://a.example/2  https://a.example/3", func(d models.Delivery) bool {
			return len(d.Sources) == 3 && d.Sources[2].URL == "https://a.example/3" && d.Sources[0].Name == ""
		}},
		{"padded cells", "  Seattle , WA ,us , planned ,,,,,,,,  padded  ,", func(d models.Delivery) bool {
			return d.City == "Seattle" && d.Region == "WA" && d.Outcome == "padded"
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			rows, _, errs := readDeliveries(t, header+c.row+"\n")
			if len(errs) != 0 || len(rows) != 1 {
				t.Fatalf("rows %+v, errors %v", rows, errs)
			}
			if !c.check(rows[0]) {
				t.Errorf("delivery = %+v", rows[0])
			}
			if fe := rows[0].Validate(); len(fe) > 0 {
				t.Errorf("a returned row is invalid: %v", fe)
			}
		})
	}
}

func TestReadDeliveriesRefusesFile(t *testing.T) {
	t.Parallel()
	var many strings.Builder
	many.WriteString("city\n")
	for i := range csvio.MaxDeliveryRows + 1 {
		fmt.Fprintf(&many, "City %d\n", i)
	}
	big := "city,outcome\nSeattle,\"" + strings.Repeat("x", csvio.MaxDeliveryBytes) + "\"\n"
	for _, c := range []struct{ name, input, want string }{
		{"empty", "", "the file is empty"},
		{"a byte-order mark alone", "\xef\xbb\xbf", "the file is empty"},
		{"no city column", "town,region\nSeattle,WA\n", "the file has no city column"},
		{"UTF-16", "\xff\xfec\x00i\x00", "UTF-16"},
		{"not CSV", "city,\"outcome\n", "cannot read the header row"},
		{"a column twice", "city,status,Status\nSeattle,planned,delivered\n", "names the column status twice (columns 2 and 3)"},
		{"too many rows", many.String(), "more than 10000 rows"},
		{"too large", big, "larger than 5 MB"},
	} {
		rows, _, errs, err := csvio.ReadDeliveries(strings.NewReader(c.input))
		if err == nil || !strings.Contains(err.Error(), c.want) || rows != nil || errs != nil {
			t.Errorf("%s: err = %v (%d rows, %d errors), want one naming %q and nothing else", c.name, err, len(rows), len(errs), c.want)
		}
	}
	// At the limits exactly, the file is read.
	var limit strings.Builder
	limit.WriteString("city\n")
	for i := range csvio.MaxDeliveryRows {
		fmt.Fprintf(&limit, "City %d\n", i)
	}
	if rows, _, _, err := csvio.ReadDeliveries(strings.NewReader(limit.String())); err != nil || len(rows) != csvio.MaxDeliveryRows {
		t.Errorf("%d rows: %d read, %v", csvio.MaxDeliveryRows, len(rows), err)
	}
}

func TestUnneutralise(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"=1", "+1", "-1", "@a", "\t=1", "\r=1", "Ada", "", "'", "'x"} {
		if got, want := csvio.Unneutralise(csvio.Neutralise(in)), strings.TrimSpace(in); got != want && in != "'" && in != "'x" {
			t.Errorf("Unneutralise(Neutralise(%q)) = %q, want %q", in, got, want)
		}
	}
	if got := csvio.Unneutralise("'x"); got != "'x" {
		t.Errorf("Unneutralise(%q) = %q", "'x", got)
	}
}

func FuzzReadDeliveries(f *testing.F) {
	f.Add([]byte(oldDeliveryHeader + "\nSeattle,WA,US,Spheres,,47.6,-122.3,headquarters,delivered,2019-07-15T10:00,2019-07-15T11:00:00-07:00,desk,\"270,000\",printouts,\"said \"\"no\"\"\",ACLU,70+,https://example.org\n"))
	f.Add([]byte("\xef\xbb\xbfCity,Status,Latitude\r\nBoston,Under Way,'-42.3\r\n,shipped,91\r\n"))
	f.Add([]byte("city,delivered_at,scheduled_at,country\nX,11:00,2019-02-30,gb\nY,0000-01-01,9999-12-31T23:59:59+14:00,\nZ,2019-07-15,2019-07-15 10:00:00Z,DE\n"))
	f.Add([]byte("city,outcome\nA,\x00\nB,\xff\n\"C\nD,\"e\n"))
	f.Add([]byte("city,venue\nSeattle,\nseattle,\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, lines, errs, err := csvio.ReadDeliveries(bytes.NewReader(data))
		if err != nil {
			if rows != nil || errs != nil {
				t.Fatalf("a refused file returned rows or errors")
			}
			return
		}
		if len(rows) != len(lines) {
			t.Fatalf("%d rows, %d lines", len(rows), len(lines))
		}
		for i := range rows {
			d := rows[i]
			if lines[i] < 2 {
				t.Fatalf("row at line %d", lines[i])
			}
			if fe := d.Validate(); len(fe) > 0 {
				t.Fatalf("a returned row is invalid: %v: %+v", fe, d)
			}
			for _, v := range []string{d.City, d.Region, d.Country, d.Venue, d.Address, d.Recipient, d.Outcome, d.LeadOrganisation, d.Attendance, d.Kind, d.DeliveryForm} {
				if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
					t.Fatalf("a returned row holds text no database takes: %q", v)
				}
			}
		}
		for _, e := range errs {
			if e.Line < 2 || e.Message == "" {
				t.Fatalf("an error without a line or a message: %+v", e)
			}
		}
	})
}

// TestReadDeliveriesSourcesColumn: the sources column, as an export writes
// it, reads back as the same sources, names known without an address
// included; when a row fills it, source_urls is not read; when it is
// empty, source_urls is.
func TestReadDeliveriesSourcesColumn(t *testing.T) {
	t.Parallel()
	file := csvio.BOM + "city,source_urls,sources\n" +
		"Seattle,https://kuow.example/a,The Seattle Times (reprint; address not recorded); KUOW <https://kuow.example/a>; <https://b.example/x;y>\n" +
		"Portland,https://example.org/p,\n" +
		"Boston,,Bad <https://example.org/a b>\n"
	f, err := csvio.ReadDeliveryFile(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	want := models.Sources{{Name: "The Seattle Times (reprint; address not recorded)"}, {Name: "KUOW", URL: "https://kuow.example/a"}, {URL: "https://b.example/x;y"}}
	if len(f.Rows) != 2 || !slices.Equal(f.Rows[0].Sources, want) {
		t.Fatalf("rows = %+v, want Seattle's sources %+v", f.Rows, want)
	}
	if p := f.Rows[1].Sources; len(p) != 1 || p[0].URL != "https://example.org/p" {
		t.Errorf("Portland's sources = %+v, want source_urls'", p)
	}
	if len(f.Errors) != 1 || f.Errors[0].Line != 4 || f.Errors[0].Field != "sources" {
		t.Errorf("errors = %+v, want line 4, sources", f.Errors)
	}
	if !slices.Contains(f.Columns, "source_urls") {
		t.Errorf("columns = %v: the sources are not updated", f.Columns)
	}
	// Written out again, the sources cell is as it was.
	out := writeDeliveries(t, f.Rows[:1])
	if !strings.Contains(out, ",The Seattle Times (reprint; address not recorded); KUOW <https://kuow.example/a>; <https://b.example/x;y>,,en\n") {
		t.Errorf("export:\n%s", out)
	}
}
