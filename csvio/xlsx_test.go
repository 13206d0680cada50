package csvio_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"campaigntrack/csvio"
	"campaigntrack/models"
	"campaigntrack/seed"
	"campaigntrack/testdb"
)

// workbookBytes writes a workbook out and closes it.
func workbookBytes(t *testing.T, b *csvio.Workbook, err error) []byte {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var out bytes.Buffer
	n, err := b.WriteTo(&out)
	if err != nil || n != int64(out.Len()) {
		t.Fatalf("WriteTo = %d, %v; wrote %d", n, err, out.Len())
	}
	return out.Bytes()
}

// xlsxCell is one cell as a reader sees it.
type xlsxCell struct {
	typ    excelize.CellType
	raw    string // the stored value
	numFmt string // the cell's custom number format, "" for none
}

// readXLSX opens an XLSX file with excelize's reader and returns its one
// sheet's name and cells by column name, a map per row after the header.
// It fails the test if any cell holds a formula, in the reader's view or
// in the sheet's XML.
func readXLSX(t *testing.T, data []byte, table csvio.Table) (string, []map[string]xlsxCell) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, "xl/worksheets/") {
			continue
		}
		rc, _ := f.Open()
		xml, _ := io.ReadAll(rc)
		rc.Close()
		if bytes.Contains(xml, []byte("<f>")) || bytes.Contains(xml, []byte("<f ")) || bytes.Contains(xml, []byte(`t="str"`)) {
			t.Errorf("%s holds a formula", f.Name)
		}
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("excelize cannot open the file: %v", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) != 1 {
		t.Fatalf("sheets = %v, want one", sheets)
	}
	sheet := sheets[0]
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil || len(rows) == 0 {
		t.Fatalf("rows: %v, %v", rows, err)
	}
	if got := strings.Join(rows[0], ","); got != strings.Join(table.Names(), ",") {
		t.Fatalf("header = %s, want %s", got, strings.Join(table.Names(), ","))
	}
	var out []map[string]xlsxCell
	for r := 2; r <= len(rows); r++ {
		m := map[string]xlsxCell{}
		for c, col := range table {
			ref, _ := excelize.CoordinatesToCellName(c+1, r)
			var cell xlsxCell
			cell.typ, _ = f.GetCellType(sheet, ref)
			cell.raw, _ = f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
			if formula, _ := f.GetCellFormula(sheet, ref); formula != "" {
				t.Errorf("%s (%s) has the formula %q", ref, col.Name, formula)
			}
			if id, err := f.GetCellStyle(sheet, ref); err == nil && id != 0 {
				if st, err := f.GetStyle(id); err == nil && st.CustomNumFmt != nil {
					cell.numFmt = *st.CustomNumFmt
				}
			}
			m[col.Name] = cell
		}
		out = append(out, m)
	}
	return sheet, out
}

// Expectations of one cell.
func isText(want string) func(xlsxCell) bool {
	return func(c xlsxCell) bool { return c.typ == excelize.CellTypeInlineString && c.raw == want }
}

func isNumber(want string) func(xlsxCell) bool {
	return func(c xlsxCell) bool {
		return (c.typ == excelize.CellTypeUnset || c.typ == excelize.CellTypeNumber) && c.raw == want && c.numFmt == ""
	}
}

// isDate: a number cell with a date format whose value is the day (and
// time) given.
func isDate(format string, want time.Time) func(xlsxCell) bool {
	return func(c xlsxCell) bool {
		if c.typ != excelize.CellTypeUnset && c.typ != excelize.CellTypeNumber || c.numFmt != format {
			return false
		}
		got, err := excelize.ExcelDateToTime(mustFloat(c.raw), false)
		return err == nil && got.Sub(want).Abs() < time.Second
	}
}

func mustFloat(s string) float64 {
	v, _ := strconv.ParseFloat(s, 64)
	return v
}

func isEmpty(c xlsxCell) bool { return c.raw == "" }

func checkCells(t *testing.T, row map[string]xlsxCell, want map[string]func(xlsxCell) bool) {
	t.Helper()
	for col, ok := range want {
		if !ok(row[col]) {
			t.Errorf("%s = %+v", col, row[col])
		}
	}
}

// TestDeliveriesWorkbook: the deliveries XLSX has the CSV's columns and
// rows, with numbers, dates and texts as cells of their kind, accents
// intact, and a formula-looking text as a plain string, no quote added.
func TestDeliveriesWorkbook(t *testing.T) {
	t.Parallel()
	d := models.Delivery{
		City: "=1+1", Region: "MA", Country: "US", Venue: "Zoë Nguyễn's office", Address: "02134 Main St",
		Latitude: ptr(-47.6062), Longitude: ptr(-122.3), Kind: "office", Status: models.DeliveryDelivered,
		ScheduledAt: at("2019-07-14T00:00:00Z"), ScheduledDateOnly: true,
		DeliveredAt: at("2019-07-15T18:30:00Z"), TimeZone: "America/Los_Angeles",
		Recipient: "+1 desk", SignaturesDelivered: ptr(int64(270000)), Attendance: "70+", Notes: "PRIVATE",
		Sources: models.Sources{{Name: "The Seattle Times (reprint; address not recorded)"}, {Name: "KUOW", URL: "https://kuow.example/a"}},
	}
	wb, err := csvio.DeliveriesWorkbook([]models.Delivery{d})
	data := workbookBytes(t, wb, err)
	sheet, rows := readXLSX(t, data, csvio.DeliveryTable)
	if sheet != "deliveries" || len(rows) != 1 {
		t.Fatalf("sheet %q, %d rows", sheet, len(rows))
	}
	checkCells(t, rows[0], map[string]func(xlsxCell) bool{
		"city": isText("=1+1"), "venue": isText("Zoë Nguyễn's office"), "address": isText("02134 Main St"),
		"latitude": isNumber("-47.6062"), "longitude": isNumber("-122.3"), "signatures_delivered": isNumber("270000"),
		"scheduled_at": isDate("yyyy-mm-dd", time.Date(2019, 7, 14, 0, 0, 0, 0, time.UTC)),
		// The clock time where the delivery was: 11:30 in Seattle.
		"delivered_at": isDate("yyyy-mm-dd hh:mm:ss", time.Date(2019, 7, 15, 11, 30, 0, 0, time.UTC)),
		"recipient":    isText("+1 desk"), "attendance": isText("70+"), "outcome": isEmpty,
		"source_urls": isText("https://kuow.example/a"),
		"sources":     isText("The Seattle Times (reprint; address not recorded); KUOW <https://kuow.example/a>"),
	})
	if bytes.Contains(data, []byte("PRIVATE")) {
		t.Error("the workbook holds a private note")
	}
}

// TestRecordsWorkbooks: the actions and responses XLSX, checked as the
// deliveries one.
func TestRecordsWorkbooks(t *testing.T) {
	t.Parallel()
	as := []models.Action{{Kind: "rally", Title: "@Zoë Nguyễn", OccurredAt: time.Date(2019, 7, 15, 0, 0, 0, 0, time.UTC), DateOnly: true,
		City: "Boston", Attendance: "200", Sources: models.Sources{{Name: "Named only"}}}}
	wb, err := csvio.ActionsWorkbook(as)
	_, rows := readXLSX(t, workbookBytes(t, wb, err), csvio.ActionTable)
	checkCells(t, rows[0], map[string]func(xlsxCell) bool{
		"title": isText("@Zoë Nguyễn"), "occurred_at": isDate("yyyy-mm-dd", time.Date(2019, 7, 15, 0, 0, 0, 0, time.UTC)),
		"attendance": isText("200"), "sources": isText("Named only"), "source_urls": isEmpty,
	})
	rs := []models.Response{{RespondedAt: time.Date(2019, 7, 15, 20, 0, 0, 0, time.UTC), TimeZone: "America/New_York",
		Speaker: "-Amazon", Channel: "email", Kind: "statement", Quote: "«Nous» \"quoted\"\nline two"}}
	wb, err = csvio.ResponsesWorkbook(rs)
	_, rows = readXLSX(t, workbookBytes(t, wb, err), csvio.ResponseTable)
	checkCells(t, rows[0], map[string]func(xlsxCell) bool{
		"responded_at": isDate("yyyy-mm-dd hh:mm:ss", time.Date(2019, 7, 15, 16, 0, 0, 0, time.UTC)),
		"speaker":      isText("-Amazon"), "quote": isText("«Nous» \"quoted\"\nline two"), "answers": isText("campaign"),
	})
}

// TestSignaturesWorkbook: the signatures XLSX of a campaign holds every
// signature, as the CSV does, row for row, with the postal code as text
// and signed_at as a date-time in UTC.
func TestSignaturesWorkbook(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		if _, err := seed.Load(ctx, store); err != nil {
			t.Fatal(err)
		}
		c, _ := store.CampaignBySlug(ctx, "no-tech-for-ice")
		signed := time.Date(2019, 7, 15, 14, 30, 0, 0, time.UTC)
		if _, err := store.ImportSignatures(ctx, c.ID, testdb.Source(t, store, c.ID, "Paper"), []*models.Signature{
			{FirstName: "Zoë", LastName: "Nguyễn", Email: "zoe@example.org", City: "Boston", Region: "MA", Country: "US", PostalCode: "02134", SignedAt: signed},
			{FirstName: "=1+1", LastName: "@SUM(A1)", Email: "evil@example.org", PostalCode: "00501", SignedAt: signed},
		}); err != nil {
			t.Fatal(err)
		}
		wb, n, err := csvio.SignaturesWorkbook(ctx, store, c.ID)
		data := workbookBytes(t, wb, err)
		var csvOut bytes.Buffer
		m, err := csvio.WriteSignatures(ctx, &csvOut, store, c.ID)
		if err != nil || m != n {
			t.Fatalf("CSV %d rows, %v; XLSX %d", m, err, n)
		}
		records, _ := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvOut.String(), csvio.BOM))).ReadAll()
		sheet, rows := readXLSX(t, data, csvio.SignatureTable)
		if sheet != "signatures" || len(rows) != n || len(records) != n+1 {
			t.Fatalf("sheet %q: %d rows, want %d", sheet, len(rows), n)
		}
		byEmail := map[string]map[string]xlsxCell{}
		for _, r := range rows {
			byEmail[r["email"].raw] = r
		}
		checkCells(t, byEmail["zoe@example.org"], map[string]func(xlsxCell) bool{
			"first_name": isText("Zoë"), "last_name": isText("Nguyễn"), "postal_code": isText("02134"),
			"signed_at": isDate("yyyy-mm-dd hh:mm:ss", signed), "show_name": isText("false"), "comment": isEmpty,
		})
		checkCells(t, byEmail["evil@example.org"], map[string]func(xlsxCell) bool{
			"first_name": isText("=1+1"), "last_name": isText("@SUM(A1)"), "postal_code": isText("00501"),
		})
		// The same cells as the CSV, where the CSV has no neutralising quote.
		for i, rec := range records[1:] {
			for j, col := range csvio.SignatureTable {
				got := rows[i][col.Name]
				if col.Kind == csvio.Text && csvio.Unneutralise(rec[j]) != got.raw {
					t.Errorf("row %d, %s: XLSX %q, CSV %q", i+1, col.Name, got.raw, rec[j])
				}
			}
		}
	})
}

// TestWorkbookKeepsTextThatIsNotANumber: a Number or When column with text
// that is not one is a string cell, as it is in the CSV.
func TestWorkbookKeepsTextThatIsNotANumber(t *testing.T) {
	t.Parallel()
	table := csvio.Table{{"n", csvio.Number}, {"when", csvio.When}}
	b, err := csvio.NewWorkbook("x", table)
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range [][]string{{"1e5", "someday"}, {"-1+1", "2019-07-15 10:00"}, {"0012", "2019-13-45"}} {
		if err := b.Write(row); err != nil {
			t.Fatal(err)
		}
	}
	_, rows := readXLSX(t, workbookBytes(t, b, nil), table)
	checkCells(t, rows[0], map[string]func(xlsxCell) bool{"n": isText("1e5"), "when": isText("someday")})
	checkCells(t, rows[1], map[string]func(xlsxCell) bool{"n": isText("-1+1"), "when": isText("2019-07-15 10:00")})
	checkCells(t, rows[2], map[string]func(xlsxCell) bool{"n": isNumber("12"), "when": isText("2019-13-45")})
}
