package views

import (
	"sort"
	"strings"
)

// SummaryField is one field of a form as its error summary names it: the
// field's name (and id) and its label.
type SummaryField struct{ Name, Label string }

// summaryProblem is one line of an error summary.
type summaryProblem struct {
	Field  string // the id the line links to
	Text   string // "Email: enter an email address"
	Linked bool   // the form has a field with that id
}

// summaryProblems lists a form's errors in its fields' order, labelled,
// then any error for a field the form does not list. Without fields, every
// error is listed by field name, each name read as its label, and linked.
func summaryProblems(errs map[string]string, fields []SummaryField) []summaryProblem {
	out := make([]summaryProblem, 0, len(errs))
	seen := make(map[string]bool, len(fields))
	for _, f := range fields {
		seen[f.Name] = true
		if msg, ok := errs[f.Name]; ok {
			out = append(out, summaryProblem{Field: f.Name, Text: f.Label + ": " + msg, Linked: true})
		}
	}
	rest := make([]string, 0, len(errs))
	for name := range errs {
		if !seen[name] {
			rest = append(rest, name)
		}
	}
	sort.Strings(rest)
	for _, name := range rest {
		out = append(out, summaryProblem{Field: name, Text: nameLabel(name) + ": " + errs[name], Linked: fields == nil})
	}
	return out
}

// nameLabel reads a field name as a label: "postal_code" is "Postal code".
func nameLabel(name string) string {
	return capitalise(strings.ReplaceAll(name, "_", " "))
}
