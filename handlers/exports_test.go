package handlers_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"campaigntrack/models"
	"campaigntrack/testdb"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// csvRoutes are the GET routes of the router whose path ends in .csv,
// found from the router so a new one cannot be missed.
func csvRoutes(a *app) []string {
	var out []string
	for _, r := range a.echo.Routes() {
		if r.Method == http.MethodGet && strings.HasSuffix(r.Path, ".csv") {
			out = append(out, r.Path)
		}
	}
	return out
}

// TestEveryCSVRouteStartsWithTheBOM walks every GET route ending in .csv
// and checks that its download starts with the UTF-8 byte-order mark, once.
func TestEveryCSVRouteStartsWithTheBOM(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		b := a.organiser()
		// An import with a rejected row, for rejects.csv.
		r := b.postMultipart(signaturesPath+"/import", "file", "signers.csv", strings.NewReader(uploadCSV))
		job := r.header.Get("Location")
		if r.status != http.StatusSeeOther {
			t.Fatalf("upload: %d\n%s", r.status, r.body)
		}
		b.waitForImport(job)
		jobID := job[strings.LastIndex(job, "/")+1:]
		routes := csvRoutes(a)
		if len(routes) < 5 {
			t.Fatalf("CSV routes = %v", routes)
		}
		for _, route := range routes {
			p := strings.ReplaceAll(route, ":slug", "no-tech-for-ice")
			p = strings.ReplaceAll(p, ":id", jobID)
			if strings.ContainsAny(p, ":*") {
				t.Fatalf("route %s has a parameter this test cannot fill", route)
			}
			r := b.get(p)
			if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") {
				t.Errorf("%s: %d %s", p, r.status, r.header.Get("Content-Type"))
				continue
			}
			if !strings.HasPrefix(r.body, bom) || strings.HasPrefix(r.body, bom+bom) {
				t.Errorf("%s starts with %q, want one BOM", p, r.body[:min(len(r.body), 12)])
			}
		}
	})
}

// xlsxSheet opens an XLSX download with excelize's reader and returns its
// one sheet's rows, raw. It fails the test if any cell is a formula.
func xlsxSheet(t *testing.T, path string, data []byte) [][]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("%s: not a zip: %v", path, err)
	}
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, "xl/worksheets/") {
			rc, _ := f.Open()
			xml, _ := io.ReadAll(rc)
			rc.Close()
			if regexp.MustCompile(`<f[ >]|t="str"`).Match(xml) {
				t.Errorf("%s: %s holds a formula", path, f.Name)
			}
		}
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer f.Close()
	sheet := f.GetSheetList()[0]
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	for r := range rows {
		for c := range rows[r] {
			ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if fm, _ := f.GetCellFormula(sheet, ref); fm != "" {
				t.Errorf("%s: %s has the formula %q", path, ref, fm)
			}
		}
	}
	return rows
}

// cellType is the type of a cell of an XLSX download, with its number
// format when it has one.
func cellType(t *testing.T, data []byte, ref string) (excelize.CellType, string) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetList()[0]
	typ, _ := f.GetCellType(sheet, ref)
	format := ""
	if id, _ := f.GetCellStyle(sheet, ref); id != 0 {
		if st, _ := f.GetStyle(id); st != nil && st.CustomNumFmt != nil {
			format = *st.CustomNumFmt
		}
	}
	return typ, format
}

// TestXLSXBesideEachCSV: each XLSX route gives a workbook with the CSV's
// header and rows (the filters too), accents intact, leading zeros kept,
// numbers and dates as such, and a formula-looking text as a plain string.
func TestXLSXBesideEachCSV(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		c, _ := a.store.CampaignBySlug(ctx, "no-tech-for-ice")
		signed := time.Date(2019, 7, 15, 14, 30, 0, 0, time.UTC)
		if _, err := a.store.ImportSignatures(ctx, c.ID, testdb.Source(t, a.store, c.ID, "Paper"), []*models.Signature{
			{FirstName: "Zoë", LastName: "Nguyễn", Email: "zoe@example.org", City: "Boston", Region: "MA", Country: "US", PostalCode: "02134", SignedAt: signed},
			{FirstName: "=1+1", LastName: "Formula", Email: "evil@example.org", PostalCode: "00501", SignedAt: signed},
		}); err != nil {
			t.Fatal(err)
		}
		if err := a.store.CreateDelivery(ctx, models.CommandLine, c.ID, &models.Delivery{
			City: "Zoë Nguyễn City", Region: "MA", Country: "US", Venue: "=1+1", Address: "02134 Main St", Status: models.DeliveryDelivered,
			Latitude: ptrTo(42.35), Longitude: ptrTo(-71.06), SignaturesDelivered: ptrTo(int64(270000)),
			DeliveredAt: ptrTo(time.Date(2019, 7, 15, 16, 0, 0, 0, time.UTC)), TimeZone: "America/New_York",
			Sources: models.Sources{{Name: "The Boston Globe (address not recorded)"}},
		}); err != nil {
			t.Fatal(err)
		}
		b := a.organiser()
		for _, path := range []string{
			"/campaigns/no-tech-for-ice/deliveries", "/campaigns/no-tech-for-ice/deliveries?status=delivered&city=Seattle",
			"/campaigns/no-tech-for-ice/actions", "/campaigns/no-tech-for-ice/responses", signaturesPath,
		} {
			base, query, _ := strings.Cut(path, "?")
			if query != "" {
				query = "?" + query
			}
			csvResp, xlsxResp := b.get(base+".csv"+query), b.get(base+".xlsx"+query)
			if xlsxResp.status != http.StatusOK || xlsxResp.header.Get("Content-Type") != xlsxType {
				t.Fatalf("%s.xlsx: %d %s\n%.300s", base, xlsxResp.status, xlsxResp.header.Get("Content-Type"), xlsxResp.body)
			}
			if cd := xlsxResp.header.Get("Content-Disposition"); !regexp.MustCompile(`^attachment; filename="[a-z-]+-\d{4}-\d{2}-\d{2}\.xlsx"$`).MatchString(cd) {
				t.Errorf("%s.xlsx: Content-Disposition %q", base, cd)
			}
			if xlsxResp.header.Get("Content-Encoding") != "" {
				t.Errorf("%s.xlsx: gzipped, but a workbook is a zip already", base)
			}
			records := readCSV(t, csvResp.body)
			rows := xlsxSheet(t, base+".xlsx", []byte(xlsxResp.body))
			if len(rows) != len(records) || strings.Join(rows[0], ",") != strings.Join(records[0], ",") {
				t.Errorf("%s: XLSX %d rows, header %q; CSV %d rows, header %q", path, len(rows), rows[0], len(records), records[0])
			}
		}

		data := []byte(b.get(signaturesPath + ".xlsx").body)
		rows := xlsxSheet(t, "signatures.xlsx", data)
		var zoe, evil int
		for i, r := range rows {
			switch {
			case len(r) > 2 && r[2] == "zoe@example.org":
				zoe = i + 1
			case len(r) > 2 && r[2] == "evil@example.org":
				evil = i + 1
			}
		}
		if zoe == 0 || evil == 0 {
			t.Fatalf("rows = %q", rows)
		}
		z, e := rows[zoe-1], rows[evil-1]
		if z[0] != "Zoë" || z[1] != "Nguyễn" || z[6] != "02134" || e[0] != "=1+1" || e[6] != "00501" {
			t.Errorf("rows: %q, %q", z, e)
		}
		for ref, want := range map[string]excelize.CellType{"A": excelize.CellTypeInlineString, "G": excelize.CellTypeInlineString} {
			if typ, _ := cellType(t, data, ref+strconv.Itoa(evil)); typ != want {
				t.Errorf("signatures %s%d is of type %v, want %v", ref, evil, typ, want)
			}
		}
		if typ, format := cellType(t, data, "L"+strconv.Itoa(zoe)); typ != excelize.CellTypeUnset || format != "yyyy-mm-dd hh:mm:ss" {
			t.Errorf("signed_at: type %v, format %q; want a number with a date-time format", typ, format)
		}

		data = []byte(b.get("/campaigns/no-tech-for-ice/deliveries.xlsx?city=Zo%C3%AB+Nguy%E1%BB%85n+City").body)
		rows = xlsxSheet(t, "deliveries.xlsx", data)
		if len(rows) != 2 {
			t.Fatalf("filtered deliveries = %q", rows)
		}
		d := rows[1]
		if d[0] != "Zoë Nguyễn City" || d[3] != "=1+1" || d[4] != "02134 Main St" || d[5] != "42.35" || d[12] != "270000" ||
			d[18] != "The Boston Globe (address not recorded)" {
			t.Errorf("delivery = %q", d)
		}
		for ref, want := range map[string]string{"F2": "", "M2": "", "K2": "yyyy-mm-dd hh:mm:ss"} {
			if typ, format := cellType(t, data, ref); typ != excelize.CellTypeUnset || format != want {
				t.Errorf("deliveries %s: type %v, format %q; want a number, format %q", ref, typ, format, want)
			}
		}
		if typ, _ := cellType(t, data, "D2"); typ != excelize.CellTypeInlineString {
			t.Errorf("a formula-looking venue is of type %v, want a string", typ)
		}
	})
}

// TestXLSXBadInput: unknown campaigns, bad filters and signers' data asked
// for without the right are refused as the CSVs refuse them, never a 500.
func TestXLSXBadInput(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		anon := a.browser()
		for path, want := range map[string]int{
			"/campaigns/nope/deliveries.xlsx":                                             http.StatusNotFound,
			"/campaigns/nope/actions.xlsx":                                                http.StatusNotFound,
			"/campaigns/nope/responses.xlsx":                                              http.StatusNotFound,
			"/campaigns/no-tech-for-ice/deliveries.xlsx?status=shipped":                   http.StatusBadRequest,
			"/campaigns/no-tech-for-ice/deliveries.xlsx?city=" + strings.Repeat("x", 201): http.StatusBadRequest,
			"/campaigns/no-tech-for-ice/deliveries.xlsx?city=%00%ff":                      http.StatusBadRequest,
			"/campaigns/no-tech-for-ice/deliveries.xlsx?city=%ff":                         http.StatusBadRequest,
			"/campaigns/no-tech-for-ice/actions.xlsx?kind=%ff":                            http.StatusOK,
		} {
			if r := anon.get(path); r.status != want {
				t.Errorf("%s = %d, want %d\n%.300s", path, r.status, want, r.body)
			}
			csvPath := strings.Replace(path, ".xlsx", ".csv", 1)
			if r := anon.get(csvPath); r.status != want {
				t.Errorf("%s = %d, the XLSX %d", csvPath, r.status, want)
			}
		}
		for _, path := range []string{"/campaigns/no-tech-for-ice/deliveries?city=%00%ff", "/campaigns/no-tech-for-ice/timeline?city=%00%ff",
			"/campaigns/no-tech-for-ice/timeline.atom?city=%ff"} {
			if r := anon.get(path); r.status >= 500 {
				t.Errorf("%s = %d", path, r.status)
			}
		}
		if r := anon.get(signaturesPath + ".xlsx"); r.status == http.StatusOK || r.status >= 500 || strings.Contains(r.body, "@example.org") {
			t.Errorf("signed out: signatures.xlsx = %d", r.status)
		}
		a.user("viewer@example.org", models.RoleViewer)
		viewer := a.browser()
		viewer.login("viewer@example.org")
		if r := viewer.get(signaturesPath + ".xlsx"); r.status != http.StatusForbidden {
			t.Errorf("a viewer: signatures.xlsx = %d, want 403", r.status)
		}
		if r := a.organiser().get("/admin/campaigns/nope/signatures.xlsx"); r.status != http.StatusNotFound {
			t.Errorf("an unknown campaign's signatures.xlsx = %d, want 404", r.status)
		}
	})
}

// TestSignaturesXLSXIsAudited: the XLSX export of signers' data is on the
// audit log, as the CSV's is, with who took it and its row count.
func TestSignaturesXLSXIsAudited(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		c, _ := a.store.CampaignBySlug(ctx, "no-tech-for-ice")
		r := a.organiser().get(signaturesPath + ".xlsx")
		if r.status != http.StatusOK || r.header.Get("Cache-Control") != "no-store" {
			t.Fatalf("%d %v", r.status, r.header)
		}
		rows := xlsxSheet(t, "signatures.xlsx", []byte(r.body))
		log, _ := a.store.AuditForCampaign(ctx, c.ID, 10)
		if len(log) == 0 || log[0].Action != models.AuditExport || log[0].UserEmail != "renamer@example.org" ||
			log[0].ChangeSet()["Rows"].After != float64(len(rows)-1) {
			t.Errorf("the export is not in the audit log: %+v", log)
		}
	})
}

func ptrTo[T any](v T) *T { return &v }
