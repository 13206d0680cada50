package csvio_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"campaigntrack/csvio"
	"campaigntrack/models"
)

// readAll reads every row of a CSV, failing the test on an error after
// the header.
func readAll(t *testing.T, input string) []csvio.Row {
	t.Helper()
	sr, err := csvio.NewSignatureReader(strings.NewReader(input))
	if err != nil {
		t.Fatalf("header refused: %v", err)
	}
	var rows []csvio.Row
	for {
		row, err := sr.Next()
		if errors.Is(err, io.EOF) {
			return rows
		}
		if err != nil {
			t.Fatalf("read: %v", err)
		}
		rows = append(rows, row)
	}
}

func TestReadSignaturesAliases(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, input string
		want        models.Signature
	}{
		{"canonical names",
			"first_name,last_name,email,city,state,country,zip,created_at,comment,show_name,send_updates\n" +
				"Ada,Lopez,ADA@Example.org ,Seattle,wa,us,98101,2019-07-15,Stop it,yes,no\n",
			models.Signature{FirstName: "Ada", LastName: "Lopez", Email: "ADA@Example.org", City: "Seattle", Region: "WA", // the address as typed: who signed is decided when it is stored
				Country: "US", PostalCode: "98101", Comment: "Stop it", ShowName: true, SignedAt: time.Date(2019, 7, 15, 0, 0, 0, 0, time.UTC)}},
		{"aliases, any case, padded, unknown columns ignored",
			" First Name ,SURNAME,E-Mail,Postal_Code,Town,Province,Country_Code,Signed_At,Public,Opt_In,Member ID\n" +
				"Ada,Lopez,ada@example.org,V5K 0A1,Vancouver,BC,CA,2019-07-15 14:30:00,y,1,12345\n",
			models.Signature{FirstName: "Ada", LastName: "Lopez", Email: "ada@example.org", City: "Vancouver", Region: "BC",
				Country: "CA", PostalCode: "V5K 0A1", ShowName: true, SendUpdates: true, SignedAt: time.Date(2019, 7, 15, 14, 30, 0, 0, time.UTC)}},
		{"more aliases",
			"firstname,lastname,email_address,postcode,city,region,country,date,can_contact\n" +
				"Ada,Lopez,ada@example.org,SW1A 1AA,London,,GB,07/15/2019,true\n",
			models.Signature{FirstName: "Ada", LastName: "Lopez", Email: "ada@example.org", City: "London", Country: "GB",
				PostalCode: "SW1A 1AA", SendUpdates: true, SignedAt: time.Date(2019, 7, 15, 0, 0, 0, 0, time.UTC)}},
		{"given and family names, state_province, postal, timestamp in RFC 3339",
			"given_name,family_name,email,postal,state_province,timestamp\n" +
				"Ada,Lopez,ada@example.org,98101,WA,2019-07-15T14:30:00-07:00\n",
			models.Signature{FirstName: "Ada", LastName: "Lopez", Email: "ada@example.org", Region: "WA", PostalCode: "98101",
				SignedAt: time.Date(2019, 7, 15, 21, 30, 0, 0, time.UTC)}},
		{"spaces read as underscores",
			"Given Name,Last  Name,Email Address,Zip Code,State Province,Country Code,Signed At,Show Name,Send Updates\n" +
				"Ada,Lopez,ada@example.org,98101,WA,US,2019-07-15,no,yes\n",
			models.Signature{FirstName: "Ada", LastName: "Lopez", Email: "ada@example.org", Region: "WA", Country: "US",
				PostalCode: "98101", SendUpdates: true, SignedAt: time.Date(2019, 7, 15, 0, 0, 0, 0, time.UTC)}},
		{"a whole name split on its last space",
			"full_name,email,zip_code\n" +
				"  Mary  Ann   Lopez ,ada@example.org,98101\n",
			models.Signature{FirstName: "Mary Ann", LastName: "Lopez", Email: "ada@example.org", PostalCode: "98101"}},
		{"a one-word name",
			"name,email\nAda,ada@example.org\n",
			models.Signature{FirstName: "Ada", Email: "ada@example.org"}},
		{"first_name wins over name",
			"name,first_name,email\nMary Lopez,Ada,ada@example.org\n",
			models.Signature{FirstName: "Ada", Email: "ada@example.org"}},
		{"byte-order mark and CRLF",
			"\xef\xbb\xbfemail,first_name\r\nada@example.org,Ada\r\n",
			models.Signature{FirstName: "Ada", Email: "ada@example.org"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			rows := readAll(t, c.input)
			if len(rows) != 1 || rows[0].Signature == nil {
				t.Fatalf("rows = %+v, want one valid row", rows)
			}
			got := *rows[0].Signature
			if got != c.want {
				t.Errorf("signature =\n %+v\nwant\n %+v", got, c.want)
			}
			if rows[0].Line != 2 {
				t.Errorf("line = %d, want 2", rows[0].Line)
			}
		})
	}
}

func TestReadSignaturesInvalidRows(t *testing.T) {
	t.Parallel()
	const header = "first_name,last_name,email,signed_at,show_name\n"
	for _, c := range []struct {
		name, row string
		want      []string // in the reason
	}{
		{"bad email", "Ada,Lopez,not-an-email,,", []string{"email: this does not look like an email address"}},
		{"no email", "Ada,Lopez,,,", []string{"email: enter an email address"}},
		{"no first name", ",Lopez,ada@example.org,,", []string{"first_name: enter your first name"}},
		{"formula first name", "=cmd|' /C calc'!A0,Lopez,ada@example.org,,", []string{"first_name:", "cannot start with ="}},
		{"formula behind spaces", "  =1+1,Lopez,ada@example.org,,", []string{"first_name:", "cannot start with"}},
		{"formula last name", "Ada,@SUM(A1),ada@example.org,,", []string{"last_name:", "cannot start with"}},
		{"plus", "+1 555,Lopez,ada@example.org,,", []string{"first_name:"}},
		{"full-width formula", "＝HYPERLINK(1),Lopez,ada@example.org,,", []string{"first_name:", "cannot start with ="}},
		{"formula behind a zero-width space", "Ada,\u200b=cmd,ada@example.org,,", []string{"last_name:", "cannot start with ="}},
		{"formula behind NBSP and a bidi mark", "\u00a0\u202e＠SUM(A1),Lopez,ada@example.org,,", []string{"first_name:", "cannot start with"}},
		{"minus", "Ada,-2+3,ada@example.org,,", []string{"last_name:"}},
		{"bad date", "Ada,Lopez,ada@example.org,15 July 2019,", []string{"signed_at:", `"15 July 2019" is not a date`}},
		{"day first", "Ada,Lopez,ada@example.org,15/07/2019,", []string{"signed_at:"}},
		{"impossible date", "Ada,Lopez,ada@example.org,2019-02-30,", []string{"signed_at:"}},
		{"year 9999", "Ada,Lopez,ada@example.org,9999-12-31,", []string{`signed_at: "9999-12-31" is not a date the tracker keeps: the year must be between 1900 and 2100`}},
		{"year 1", "Ada,Lopez,ada@example.org,01/01/0001,", []string{"signed_at:", "between 1900 and 2100"}},
		{"year 2101", "Ada,Lopez,ada@example.org,2101-01-01T00:00:00Z,", []string{"signed_at:", "between 1900 and 2100"}},
		{"bad yes or no", "Ada,Lopez,ada@example.org,,maybe", []string{"show_name:", `"maybe" is not yes or no`}},
		{"two problems", "Ada,Lopez,nope,someday,", []string{"email:", "signed_at:"}},
		{"too few fields", "Ada,Lopez,ada@example.org", []string{"has 3 fields, the header has 5"}},
		{"too many fields", "Ada,Lopez,ada@example.org,,,extra", []string{"has 6 fields, the header has 5"}},
		{"bare quote", `Ada,Lo"pez,ada@example.org,,`, []string{"cannot be read as CSV", "bare"}},
		{"not UTF-8", "Ad\xe9,Lopez,ada@example.org,,", []string{"not UTF-8"}},
		{"NUL", "Ada,Lo\x00pez,ada@example.org,,", []string{"NUL"}},
		{"control character", "Ada,Lo\x07pez,ada@example.org,,", []string{"last_name: contains control characters"}},
		{"too long", strings.Repeat("A", 101) + ",Lopez,ada@example.org,,", []string{"first_name:", "at most 100 characters"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			// A good row after the bad one is still read: one bad row does
			// not stop the file.
			rows := readAll(t, header+c.row+"\nBen,Okafor,ben@example.org,,\n")
			if len(rows) != 2 {
				t.Fatalf("rows = %+v, want the bad row and the good one", rows)
			}
			bad, good := rows[0], rows[1]
			if bad.Signature != nil || bad.Line != 2 {
				t.Fatalf("bad row = %+v, want invalid at line 2", bad)
			}
			for _, w := range c.want {
				if !strings.Contains(bad.Reason, w) {
					t.Errorf("reason %q does not contain %q", bad.Reason, w)
				}
			}
			if good.Signature == nil || good.Signature.Email != "ben@example.org" || good.Line != 3 {
				t.Errorf("the row after a bad one = %+v, want Ben at line 3", good)
			}
		})
	}
}

func TestReadSignaturesAcceptedValues(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		date string
		want time.Time
	}{
		{"2019-07-15T14:30:00Z", time.Date(2019, 7, 15, 14, 30, 0, 0, time.UTC)},
		{"2019-07-15T14:30:00+02:00", time.Date(2019, 7, 15, 12, 30, 0, 0, time.UTC)},
		{"2019-07-15 14:30:00", time.Date(2019, 7, 15, 14, 30, 0, 0, time.UTC)},
		{"2019-07-15", time.Date(2019, 7, 15, 0, 0, 0, 0, time.UTC)},
		{"07/15/2019", time.Date(2019, 7, 15, 0, 0, 0, 0, time.UTC)},
		{" 2019-07-15 ", time.Date(2019, 7, 15, 0, 0, 0, 0, time.UTC)},
		{"", time.Time{}},
	} {
		rows := readAll(t, "email,first_name,date\nada@example.org,Ada,"+c.date+"\n")
		if rows[0].Signature == nil || !rows[0].Signature.SignedAt.Equal(c.want) {
			t.Errorf("date %q: %+v, want %v", c.date, rows[0], c.want)
		}
	}
	for v, want := range map[string]bool{"true": true, "TRUE": true, "yes": true, "Y": true, "1": true,
		"false": false, "No": false, "n": false, "0": false, "": false, " yes ": true} {
		rows := readAll(t, "email,first_name,public,opt_in\nada@example.org,Ada,"+v+","+v+"\n")
		if s := rows[0].Signature; s == nil || s.ShowName != want || s.SendUpdates != want {
			t.Errorf("%q: %+v, want %v", v, rows[0], want)
		}
	}
}

func TestReadSignaturesLinesAndBlankRows(t *testing.T) {
	t.Parallel()
	input := "email,first_name,comment\r\n" +
		"a@example.org,Ann,\"two\r\nlines\"\r\n" + // lines 2-3
		"\r\n" + // line 4: empty, skipped
		",,\r\n" + // line 5: blank fields, skipped
		"b@example.org,Ben,\"unterminated\r\n" // line 6: swallows the rest
	rows := readAll(t, input)
	if len(rows) != 2 {
		t.Fatalf("rows = %+v", rows)
	}
	if rows[0].Line != 2 || rows[0].Signature == nil || rows[0].Signature.Comment != "two\nlines" {
		t.Errorf("first row = %+v", rows[0])
	}
	if rows[1].Line != 6 || rows[1].Signature != nil || !strings.Contains(rows[1].Reason, "cannot be read as CSV") {
		t.Errorf("unterminated quote = %+v", rows[1])
	}
}

func TestReadSignaturesRefusesFile(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ name, input, want string }{
		{"no email column", "first_name,last_name,mail\nAda,Lopez,ada@example.org\n", "no email column"},
		{"no name column", "email,city\nada@example.org,Seattle\n", "no first_name column"},
		{"empty", "", "the file is empty"},
		{"UTF-16", "\xff\xfee\x00m\x00", "UTF-16"},
		{"unreadable header", "email,\"first_name\n", "header row"},
	} {
		_, err := csvio.NewSignatureReader(strings.NewReader(c.input))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want one naming %q", c.name, err, c.want)
		}
	}
}

func FuzzReadSignatures(f *testing.F) {
	f.Add([]byte("first_name,last_name,email,zip,city,state,country,created_at,comment,show_name,send_updates\n" +
		"Ada,Lopez,ada@example.org,98101,Seattle,WA,US,2019-07-15,hi,yes,no\n"))
	f.Add([]byte("\xef\xbb\xbfname,e-mail,date\r\nMary Ann Lopez,m@example.org,07/15/2019\r\n=cmd,x@example.org,x\r\n"))
	f.Add([]byte("email,first_name\n\"a@example.org\",\"Ada \"\"A\"\"\"\nb@example.org,B\"en\n,,\n\"unterminated\n"))
	f.Add([]byte("email,first_name,comment\nada@example.org,Ada,\x00\nben@example.org,Ben,\xff\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sr, err := csvio.NewSignatureReader(bytes.NewReader(data))
		if err != nil {
			return
		}
		for range 100_000 {
			row, err := sr.Next()
			if err != nil {
				return
			}
			if row.Line < 2 {
				t.Fatalf("row at line %d: %+v", row.Line, row)
			}
			if row.Signature == nil {
				if row.Reason == "" {
					t.Fatalf("an invalid row without a reason: %+v", row)
				}
				continue
			}
			s := row.Signature
			if fe := s.Validate(); len(fe) > 0 {
				t.Fatalf("a returned signature is invalid: %v: %+v", fe, s)
			}
			for _, v := range []string{s.FirstName, s.LastName, s.Email, s.City, s.Region, s.Country, s.PostalCode, s.Comment} {
				if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
					t.Fatalf("a returned signature holds text no database takes: %q", v)
				}
			}
		}
		t.Fatal("the reader did not come to an end")
	})
}
