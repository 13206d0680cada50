package views

import (
	"context"

	"campaigntrack/locale"

	"reflect"
	"testing"
)

func TestSummaryProblems(t *testing.T) {
	t.Parallel()
	errs := map[string]string{"email": "enter an email address", "signed_at": "is in the future", "first_name": "enter your first name"}
	got := summaryProblems(errs, signSummaryFields(context.Background()))
	want := []summaryProblem{
		{Field: "first_name", Text: "First name: enter your first name", Linked: true},
		{Field: "email", Text: "Email: enter an email address", Linked: true},
		// Not a field of the form: listed, with no link to nowhere.
		{Field: "signed_at", Text: "Signed at: is in the future"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("with the form's fields:\n got %+v\nwant %+v", got, want)
	}
	got = summaryProblems(map[string]string{"time_zone": "unknown", "city": "too long"}, nil)
	want = []summaryProblem{
		{Field: "city", Text: "City: too long", Linked: true},
		{Field: "time_zone", Text: "Time zone: unknown", Linked: true},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("without fields:\n got %+v\nwant %+v", got, want)
	}
	if got := locale.N(context.Background(), "form.problems", 1, "About", "your signature"); got != "1 problem with your signature" {
		t.Errorf("title %q", got)
	}
}

// Every field of the sign form renders, and an unknown one is a
// programming error.
func TestSignFieldsComplete(t *testing.T) {
	t.Parallel()
	v := SignView{Form: SignForm{FirstName: "Zoë", PostalCode: "02134"}, Errors: map[string]string{"postal_code": "x"}}
	if f := v.field(context.Background(), "postal_code"); f.Value != "02134" || f.Error != "x" || f.Autocomplete != "postal-code" {
		t.Errorf("postal_code field: %+v", f)
	}
	if f := v.field(context.Background(), "first_name"); f.Value != "Zoë" || !f.Required {
		t.Errorf("first_name field: %+v", f)
	}
	defer func() {
		if recover() == nil {
			t.Error("an unknown field did not panic")
		}
	}()
	v.field(context.Background(), "website")
}
