package views

import (
	"context"
	"strconv"
	"strings"

	"campaigntrack/locale"
)

// signFields are the sign form's fields in the form's order: the one list
// the form's inputs and its error summary are both made from. Each label
// is the catalogue's "sign.field.<name>", and a field with a Hint has
// its words in "sign.hint.<name>".
var signFields = []Field{
	{Name: "first_name", Required: true, Autocomplete: "given-name"},
	{Name: "last_name", Autocomplete: "family-name"},
	{Name: "email", Type: "email", Required: true, Autocomplete: "email", Hint: "yes"},
	{Name: "city", Autocomplete: "address-level2"},
	{Name: "region", Autocomplete: "address-level1"},
	{Name: "country", Autocomplete: "country"},
	{Name: "postal_code", Autocomplete: "postal-code"},
	{Name: "comment", Rows: 3},
}

// signSummaryFields names the sign form's fields for its error summary,
// in the page's language.
func signSummaryFields(ctx context.Context) []SummaryField {
	out := make([]SummaryField, len(signFields))
	for i, f := range signFields {
		out[i] = SummaryField{Name: f.Name, Label: locale.T(ctx, "sign.field."+f.Name)}
	}
	return out
}

// field is the named field of the sign form in the page's language, with
// what was typed into it and its error. An unknown name panics: it is a
// programming error that any test rendering the form catches.
func (v SignView) field(ctx context.Context, name string) Field {
	for _, f := range signFields {
		if f.Name == name {
			f.Label = locale.T(ctx, "sign.field."+name)
			if f.Hint != "" {
				f.Hint = locale.T(ctx, "sign.hint."+name)
			}
			f.Value = v.Form.value(name)
			f.Error = signError(ctx, v.Errors[name])
			return f
		}
	}
	panic("views: the sign form has no field " + name)
}

// signErrors is a refused signature's errors in the page's language.
func signErrors(ctx context.Context, errs map[string]string) map[string]string {
	if locale.Of(ctx) == locale.English {
		return errs
	}
	out := make(map[string]string, len(errs))
	for k, msg := range errs {
		out[k] = signError(ctx, msg)
	}
	return out
}

// signError is one of models.Signature.Validate's messages in the page's
// language. The models write English; the messages are few and fixed, so
// each is recognised here by its English wording and read from the
// catalogue ("sign.error.*"), with a plain "check this field" for one not
// known yet rather than English on a Spanish page.
// TestEverySignErrorIsInSpanish makes every message Validate can give for
// a field of the form reach its own Spanish; message ids in FieldErrors
// would make this reading go, across every form (the admin's too).
func signError(ctx context.Context, msg string) string {
	if msg == "" || locale.Of(ctx) == locale.English {
		return msg
	}
	switch {
	case msg == "enter your first name":
		return locale.T(ctx, "sign.error.first_name")
	case strings.Contains(msg, "cannot start with ="):
		return locale.T(ctx, "sign.error.formula")
	case msg == "enter an email address":
		return locale.T(ctx, "sign.error.email_missing")
	case msg == "the email address is too long":
		return locale.T(ctx, "sign.error.email_long")
	case strings.HasPrefix(msg, "this does not look like an email address"):
		return locale.T(ctx, "sign.error.email")
	case strings.Contains(msg, "contains control characters"):
		return locale.T(ctx, "sign.error.control")
	case strings.Contains(msg, " must be at most "):
		n := strings.TrimSuffix(msg[strings.LastIndex(msg, " must be at most ")+len(" must be at most "):], " characters")
		if max, err := strconv.Atoi(n); err == nil {
			return locale.T(ctx, "sign.error.too_long", "Max", num(ctx, int64(max)))
		}
	}
	return locale.T(ctx, "sign.error.other")
}

// value is what was typed into the named field.
func (f SignForm) value(name string) string {
	switch name {
	case "first_name":
		return f.FirstName
	case "last_name":
		return f.LastName
	case "email":
		return f.Email
	case "city":
		return f.City
	case "region":
		return f.Region
	case "country":
		return f.Country
	case "postal_code":
		return f.PostalCode
	case "comment":
		return f.Comment
	}
	return ""
}
