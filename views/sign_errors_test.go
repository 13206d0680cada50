package views

import (
	"context"
	"strings"
	"testing"

	"campaigntrack/locale"
	"campaigntrack/models"
)

// TestEverySignErrorIsInSpanish: every message models.Signature.Validate
// gives for a field of the sign form has its own Spanish wording, not the
// catch-all; a new message fails here until it is in the catalogues.
func TestEverySignErrorIsInSpanish(t *testing.T) {
	es := locale.With(context.Background(), locale.Request{Lang: locale.Spanish})
	other := locale.T(es, "sign.error.other")
	long := func(n int) string { return strings.Repeat("a", n+1) }
	good := models.Signature{FirstName: "Ana", Email: "ana@example.org"}
	cases := []func(*models.Signature){
		func(s *models.Signature) { s.FirstName = "" },
		func(s *models.Signature) { s.FirstName = "=HYPERLINK(1)" },
		func(s *models.Signature) { s.LastName = "@SUM(1)" },
		func(s *models.Signature) { s.FirstName = long(100) },
		func(s *models.Signature) { s.LastName = long(100) },
		func(s *models.Signature) { s.Email = "" },
		func(s *models.Signature) { s.Email = long(300) + "@example.org" },
		func(s *models.Signature) { s.Email = "not an email" },
		func(s *models.Signature) { s.City = long(100) },
		func(s *models.Signature) { s.Region = long(100) },
		func(s *models.Signature) { s.Country = long(60) },
		func(s *models.Signature) { s.PostalCode = long(20) },
		func(s *models.Signature) { s.Comment = long(1000) },
		func(s *models.Signature) { s.City = "Seattle\x07" },
		func(s *models.Signature) { s.FirstName = "Ana\x00" },
		func(s *models.Signature) { s.Email = "ana\x01@example.org" },
	}
	seen := 0
	for _, change := range cases {
		s := good
		change(&s)
		for field, msg := range s.Validate() {
			seen++
			got := signError(es, msg)
			if got == other || got == msg || strings.HasPrefix(got, "sign.error.") {
				t.Errorf("%s: %q has no Spanish of its own (%q)", field, msg, got)
			}
		}
	}
	if seen < len(cases) {
		t.Errorf("%d messages for %d bad signatures", seen, len(cases))
	}
}
