package models_test

import (
	"strconv"
	"strings"
	"testing"

	"campaigntrack/models"
)

// Each Spanish version has its English one's limit, named as its own field.
func TestSpanishVersionsHaveTheEnglishLimits(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		field    string
		max      int
		validate func(text string) models.FieldErrors
	}{
		{"title_es", 200, func(s string) models.FieldErrors { return (&models.Campaign{TitleES: s}).Validate() }},
		{"demand_es", 2000, func(s string) models.FieldErrors { return (&models.Campaign{DemandES: s}).Validate() }},
		{"summary_es", 5000, func(s string) models.FieldErrors { return (&models.Campaign{SummaryES: s}).Validate() }},
		{"heading_es", 300, func(s string) models.FieldErrors { return (&models.Petition{HeadingES: s}).Validate() }},
		{"body_es", 20000, func(s string) models.FieldErrors { return (&models.Petition{BodyES: s}).Validate() }},
		{"wording_es", 500, func(s string) models.FieldErrors {
			return (&models.CountClaim{Wording: "more than", WordingES: s}).Validate()
		}},
		{"outcome_es", 5000, func(s string) models.FieldErrors { return (&models.Delivery{OutcomeES: s}).Validate() }},
		{"title_es", 300, func(s string) models.FieldErrors { return (&models.Action{TitleES: s}).Validate() }},
		{"description_es", 5000, func(s string) models.FieldErrors { return (&models.Action{DescriptionES: s}).Validate() }},
		{"quote_es", 5000, func(s string) models.FieldErrors {
			return (&models.Response{Quote: "We comply.", QuoteES: s}).Validate()
		}},
		{"summary_es", 2000, func(s string) models.FieldErrors { return (&models.Response{SummaryES: s}).Validate() }},
		{"subject_es", 150, func(s string) models.FieldErrors { return (&models.News{SubjectES: s}).Validate() }},
		{"body_es", 10000, func(s string) models.FieldErrors { return (&models.News{BodyES: s}).Validate() }},
		{"quote_es", 2000, func(s string) models.FieldErrors {
			return (&models.News{Quote: "We comply.", QuoteES: s}).Validate()
		}},
	} {
		if msg, named := c.validate(strings.Repeat("ñ", c.max))[c.field]; named {
			t.Errorf("%s at its limit of %d: %q", c.field, c.max, msg)
		}
		msg := c.validate(strings.Repeat("ñ", c.max+1))[c.field]
		named := strings.Contains(msg, "Spanish") || strings.Contains(msg, "translation")
		if !named || !strings.HasSuffix(msg, "at most "+strconv.Itoa(c.max)+" characters") {
			t.Errorf("%s over its limit of %d: %q", c.field, c.max, msg)
		}
	}
}

// A translation is shown only beside the words it translates, so one
// without them is refused rather than kept where no page shows it.
func TestTranslationNeedsItsWords(t *testing.T) {
	t.Parallel()
	if fe := (&models.Response{Kind: models.ResponseNoReply, Channel: models.ResponseNoReply, QuoteES: "Sin respuesta."}).Validate(); fe["quote_es"] == "" {
		t.Errorf("a translated quote without a quote: %v", fe)
	}
	if fe := (&models.CountClaim{WordingES: "más de 300.000"}).Validate(); fe["wording_es"] == "" {
		t.Errorf("translated wording without wording: %v", fe)
	}
	if fe := (&models.News{Subject: "Delivered", Body: "It went well.", QuoteES: "Lo revisamos."}).Validate(); fe["quote_es"] == "" {
		t.Errorf("news with a translated quote and no quote: %v", fe)
	}
}

// A Spanish subject is a mail header, as the English one is: one line.
func TestNewsSpanishSubjectIsOneLine(t *testing.T) {
	t.Parallel()
	n := models.News{Subject: "Delivered", Body: "It went well.", SubjectES: "Entregada\r\nBcc: todos@example.org"}
	if msg := n.Validate()["subject_es"]; !strings.Contains(msg, "one line") {
		t.Errorf("a Spanish subject with CR/LF: %q", msg)
	}
	n = models.News{Subject: "Delivered", Body: "It went well.", SubjectES: " Entregada ", BodyES: "Salió bien.\r\n\r\nGracias.", Quote: "We comply.", QuoteES: " Cumplimos. "}
	if fe := n.Validate(); len(fe) != 0 || n.SubjectES != "Entregada" || n.BodyES != "Salió bien.\n\nGracias." || n.QuoteES != "Cumplimos." {
		t.Errorf("valid Spanish news: %v, tidied to %q %q %q", fe, n.SubjectES, n.BodyES, n.QuoteES)
	}
}
