package views

// signFields are the sign form's fields in the form's order: the one list
// the form's inputs and its error summary are both made from.
var signFields = []Field{
	{Label: "First name", Name: "first_name", Required: true, Autocomplete: "given-name"},
	{Label: "Last name", Name: "last_name", Autocomplete: "family-name"},
	{Label: "Email", Name: "email", Type: "email", Required: true, Autocomplete: "email", Hint: "Never shown publicly. One signature per email address."},
	{Label: "City", Name: "city", Autocomplete: "address-level2"},
	{Label: "State or region", Name: "region", Autocomplete: "address-level1"},
	{Label: "Country", Name: "country", Autocomplete: "country"},
	{Label: "Postal code", Name: "postal_code", Autocomplete: "postal-code"},
	{Label: "Comment (optional)", Name: "comment", Rows: 3},
}

// signSummaryFields names the sign form's fields for its error summary.
var signSummaryFields = func() []SummaryField {
	out := make([]SummaryField, len(signFields))
	for i, f := range signFields {
		out[i] = SummaryField{Name: f.Name, Label: f.Label}
	}
	return out
}()

// field is the named field of the sign form with what was typed into it
// and its error. An unknown name panics: it is a programming error that
// any test rendering the form catches.
func (v SignView) field(name string) Field {
	for _, f := range signFields {
		if f.Name == name {
			f.Value = v.Form.value(name)
			f.Error = v.Errors[name]
			return f
		}
	}
	panic("views: the sign form has no field " + name)
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
