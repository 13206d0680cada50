package csvio_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"campaigntrack/csvio"
	"campaigntrack/models"
)

// exportRecords reads back what write wrote: the header and the rows.
func exportRecords(t *testing.T, write func(*bytes.Buffer) error) (string, [][]string) {
	t.Helper()
	var b bytes.Buffer
	if err := write(&b); err != nil {
		t.Fatal(err)
	}
	out, ok := strings.CutPrefix(b.String(), csvio.BOM)
	if !ok {
		t.Errorf("the export does not start with the BOM: %q", b.String())
	}
	records, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("%q: %v", out, err)
	}
	return out, records
}

func TestWriteActions(t *testing.T) {
	t.Parallel()
	const header = "kind,title,description,occurred_at,place,city,region,country,attendance,organisations,source_urls,sources,title_es,description_es"
	if got := strings.Join(csvio.ActionColumns, ","); got != header {
		t.Fatalf("ActionColumns = %s, want %s", got, header)
	}
	as := []models.Action{
		{Kind: "disruption", Title: "=HYPERLINK(\"http://evil.example\",\"x\")", Description: "+1, \"loud\"\nand long",
			OccurredAt: time.Date(2019, 7, 11, 14, 0, 0, 0, time.UTC), TimeZone: "America/New_York",
			Place: "@AWS Summit", City: "New York", Region: "NY", Country: "US", Attendance: "-dozens",
			Organisations: "\tMijente", Notes: "PRIVATE NOTE", TitleES: "=Interrupción", DescriptionES: "Gritaron.",
			Sources: models.Sources{{Name: "A", URL: "https://a.example/1"}, {Name: "Named only"}, {URL: "https://a.example/2"}}},
		{Kind: "rally", Title: "Rally", OccurredAt: time.Date(2019, 7, 15, 0, 0, 0, 0, time.UTC), DateOnly: true, TimeZone: "America/Los_Angeles"},
	}
	out, records := exportRecords(t, func(b *bytes.Buffer) error { return csvio.WriteActions(b, as) })
	if !strings.HasPrefix(out, header+"\n") || len(records) != 3 {
		t.Fatalf("export = %q", out)
	}
	want := []string{"disruption", "'=HYPERLINK(\"http://evil.example\",\"x\")", "'+1, \"loud\"\nand long", "2019-07-11T10:00:00-04:00",
		"'@AWS Summit", "New York", "NY", "US", "'-dozens", "'\tMijente", "https://a.example/1 https://a.example/2",
		"A <https://a.example/1>; Named only; <https://a.example/2>", "'=Interrupción", "Gritaron."}
	for i, w := range want {
		if records[1][i] != w {
			t.Errorf("%s = %q, want %q", csvio.ActionColumns[i], records[1][i], w)
		}
	}
	if records[2][3] != "2019-07-15" {
		t.Errorf("a date-only action's occurred_at = %q", records[2][3])
	}
	if strings.Contains(out, "PRIVATE") {
		t.Errorf("the public export holds a private note: %q", out)
	}
}

func TestWriteResponses(t *testing.T) {
	t.Parallel()
	const header = "responded_at,speaker,speaker_role,channel,kind,quote,summary,answers,answers_city,source_urls,sources,summary_es,quote_es"
	if got := strings.Join(csvio.ResponseColumns, ","); got != header {
		t.Fatalf("ResponseColumns = %s, want %s", got, header)
	}
	deliveryID, actionID := uint(3), uint(4)
	when := time.Date(2019, 7, 15, 20, 0, 0, 0, time.UTC)
	rs := []models.Response{
		{RespondedAt: when, TimeZone: "America/Los_Angeles", Speaker: "=cmd|' /C calc'!A0", SpeakerRole: "-spokesperson",
			Channel: "press_statement", Kind: "statement", Quote: "@We \"believe\"\r\nin the law", Summary: "\rSummary", SummaryES: "Resumen", QuoteES: "+Creemos",
			DeliveryID: &deliveryID, Delivery: &models.Delivery{City: "Seattle"}, Notes: "PRIVATE NOTE",
			Sources: models.Sources{{URL: "https://a.example/r"}}},
		{RespondedAt: when, DateOnly: true, Channel: "no_reply", Kind: "no_reply",
			ActionID: &actionID, Action: &models.Action{City: "+New York"}},
		{RespondedAt: when, Channel: "email", Kind: "no_comment", DeliveryID: &deliveryID}, // Delivery not loaded
		{RespondedAt: when, Channel: "on_stage", Kind: "refusal"},                          // the campaign as a whole
	}
	out, records := exportRecords(t, func(b *bytes.Buffer) error { return csvio.WriteResponses(b, rs) })
	if !strings.HasPrefix(out, header+"\n") || len(records) != 5 {
		t.Fatalf("export = %q", out)
	}
	want := [][]string{
		{"2019-07-15T13:00:00-07:00", "'=cmd|' /C calc'!A0", "'-spokesperson", "press_statement", "statement",
			"'@We \"believe\"\nin the law", "'\rSummary", "delivery", "Seattle", "https://a.example/r", "<https://a.example/r>", "Resumen", "'+Creemos"},
		{"2019-07-15", "", "", "no_reply", "no_reply", "", "", "action", "'+New York", ""},
		{"2019-07-15T20:00:00+00:00", "", "", "email", "no_comment", "", "", "delivery", "", ""},
		{"2019-07-15T20:00:00+00:00", "", "", "on_stage", "refusal", "", "", "campaign", "", ""},
	}
	for i, w := range want {
		for j := range w {
			if records[i+1][j] != w[j] {
				t.Errorf("row %d, %s = %q, want %q", i+1, csvio.ResponseColumns[j], records[i+1][j], w[j])
			}
		}
	}
	if strings.Contains(out, "PRIVATE") {
		t.Errorf("the public export holds a private note: %q", out)
	}
}
