package csvio_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"campaigntrack/csvio"
	"campaigntrack/models"
)

// hiddenFormulas are cells a spreadsheet may run that the ASCII-only check
// let through: full-width and small signs, and formulas behind white space
// or invisible characters.
var hiddenFormulas = []string{
	"＝HYPERLINK(\"http://evil.example\",\"x\")", "＋1+1", "－2+3", "＠SUM(A1)", "﹦1", "﹢1", "﹣1", "﹫a",
	"\u200b=cmd|' /C calc'!A0", "\u200c+1", "\u200d-1", "\u2060@a", "\ufeff=1", "\u00a0=1", "\u3000=1", "\u2002+1",
	"\u200e=1", "\u200f=1", "\u202a=1", "\u202b=1", "\u202c=1", "\u202d=1", "\u202e=1", "\u2066=1", "\u2067=1",
	"\u2068=1", "\u2069=1", "\u00ad=1", " =1", "\u200b\u00a0\u202e＝1", "\n=1", "\u200b\t=1",
}

func TestNeutraliseSeesThroughUnicode(t *testing.T) {
	t.Parallel()
	for _, in := range hiddenFormulas {
		if got := csvio.Neutralise(in); got != "'"+in {
			t.Errorf("Neutralise(%q) = %q, want it behind a '", in, got)
		}
	}
	for _, in := range []string{"Ana-María", "Zoë Nguyễn", "محمد", "יעל", "\u200bAda", "\u00a0Zoë", "a=b", "12.5", "−12.5", "＄1", ""} {
		if got := csvio.Neutralise(in); got != in {
			t.Errorf("Neutralise(%q) = %q, want it unchanged", in, got)
		}
	}
}

// TestNumericColumnsKeepNegativeNumbers: the rule that a negative number
// in a numeric column stays a number holds; a hidden formula there does
// not pass as one.
func TestNumericColumnsKeepNegativeNumbers(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	w, _ := csvio.NewWriter(&b, "lng", "text")
	for _, in := range []string{"-73.98", "-12.5", "\u200b-1", "－1", "\u00a0-1"} {
		w.WriteNumeric([]string{in, in}, []bool{true})
	}
	w.Flush()
	records, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range [][2]string{{"-73.98", "'-73.98"}, {"-12.5", "'-12.5"}, {"'\u200b-1", "'\u200b-1"}, {"'－1", "'－1"}, {"'\u00a0-1", "'\u00a0-1"}} {
		if got := records[i+1]; got[0] != want[0] || got[1] != want[1] {
			t.Errorf("row %d = %q, want %q", i+1, got, want)
		}
	}
}

// TestExportsNeutraliseHiddenFormulas: stored texts with a hidden formula
// come out of every export behind a ', and negative coordinates stay
// numbers.
func TestExportsNeutraliseHiddenFormulas(t *testing.T) {
	t.Parallel()
	for _, f := range hiddenFormulas {
		f = strings.TrimSpace(f) // stored text is trimmed (Normalise)
		if !models.LooksLikeFormula(f) {
			continue // " =1" is "=1" once trimmed: the ASCII case, tested elsewhere
		}
		want := "'" + f
		d := models.Delivery{City: f, Venue: f, Outcome: f, Latitude: ptr(40.7), Longitude: ptr(-73.98), Status: models.DeliveryPlanned}
		_, rows := exportRecords(t, func(b *bytes.Buffer) error { return csvio.WriteDeliveries(b, []models.Delivery{d}) })
		if r := rows[1]; r[0] != want || r[3] != want || r[14] != want || r[6] != "-73.98" {
			t.Errorf("deliveries export of %q: %q", f, r)
		}
		a := models.Action{Kind: "rally", Title: f, Description: f, OccurredAt: time.Date(2019, 7, 15, 0, 0, 0, 0, time.UTC)}
		_, rows = exportRecords(t, func(b *bytes.Buffer) error { return csvio.WriteActions(b, []models.Action{a}) })
		if r := rows[1]; r[1] != want || r[2] != want {
			t.Errorf("actions export of %q: %q", f, r)
		}
		resp := models.Response{Kind: "statement", Channel: "email", Speaker: f, Quote: f, RespondedAt: a.OccurredAt}
		_, rows = exportRecords(t, func(b *bytes.Buffer) error { return csvio.WriteResponses(b, []models.Response{resp}) })
		if r := rows[1]; r[1] != want || r[5] != want {
			t.Errorf("responses export of %q: %q", f, r)
		}
		sig := models.Signature{FirstName: f, LastName: f, Email: "a@example.org", City: f, Comment: f, SignedAt: a.OccurredAt}
		_, rows = exportRecords(t, func(b *bytes.Buffer) error {
			_, err := csvio.WriteSignatures(context.Background(), b, oneBatch{sig}, 1)
			return err
		})
		if r := rows[1]; r[0] != want || r[1] != want || r[3] != want || r[7] != want {
			t.Errorf("signatures export of %q: %q", f, r)
		}
	}
}

// oneBatch is a SignatureSource of the given signatures.
type oneBatch []models.Signature

func (o oneBatch) EachSignature(_ context.Context, _ uint, _ int, fn func([]models.Signature) error) error {
	return fn(o)
}

// TestHiddenFormulasRoundTrip: a delivery whose texts hide a formula
// exports neutralised, reads back as stored, and exports the same bytes.
func TestHiddenFormulasRoundTrip(t *testing.T) {
	t.Parallel()
	var ds []models.Delivery
	for i, f := range hiddenFormulas {
		f = strings.TrimSpace(f)
		d := models.Delivery{City: "City " + f, Venue: string(rune('A' + i)), Recipient: f, Outcome: f, Address: f,
			LeadOrganisation: f, Attendance: f, Status: models.DeliveryPlanned}
		d.Normalise()
		ds = append(ds, d)
	}
	first := writeDeliveries(t, ds)
	records, err := csv.NewReader(strings.NewReader(first)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range records[1:] {
		if r[11] != "'"+ds[i].Recipient {
			t.Errorf("recipient %q exported as %q, want it behind a '", ds[i].Recipient, r[11])
		}
	}
	rows, _, errs := readDeliveries(t, first)
	if len(errs) > 0 || len(rows) != len(ds) {
		t.Fatalf("read back: %d rows, %v", len(rows), errs)
	}
	for i := range rows {
		if rows[i].Recipient != ds[i].Recipient || rows[i].Outcome != ds[i].Outcome {
			t.Errorf("row %d read back as %q, %q; want %q", i, rows[i].Recipient, rows[i].Outcome, ds[i].Recipient)
		}
	}
	if second := writeDeliveries(t, rows); second != first {
		t.Errorf("the export of what was read differs:\n%q\nwant\n%q", second, first)
	}
}

// FuzzNeutralise: what Neutralise writes never starts a formula, and the
// import gives back any text it neutralised, as the import promises: a
// trimmed text that does not itself begin with a ' before a formula.
func FuzzNeutralise(f *testing.F) {
	for _, s := range append(hiddenFormulas, "", "Ada", "'=1", "'x", "-12.5") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := csvio.Neutralise(s)
		if models.LooksLikeFormula(out) {
			t.Fatalf("Neutralise(%q) = %q still starts a formula", s, out)
		}
		if out != s && out != "'"+s {
			t.Fatalf("Neutralise(%q) = %q: more than a leading '", s, out)
		}
		promised := s == strings.TrimSpace(s) && !(strings.HasPrefix(s, "'") && models.LooksLikeFormula(s[1:]))
		if back := csvio.Unneutralise(out); promised && back != s {
			t.Fatalf("Unneutralise(Neutralise(%q)) = %q", s, back)
		}
	})
}
