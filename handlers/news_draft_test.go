package handlers

import (
	"strings"
	"testing"
	"time"

	"campaigntrack/models"
)

// TestNewsDraftsInBothLanguages: the drafts' numbers, times and fallbacks
// in each language: a Spanish version where the record has one, else its
// English; a count and a time as each language writes them; the company
// named in each when the campaign names none.
func TestNewsDraftsInBothLanguages(t *testing.T) {
	t.Parallel()
	at := time.Date(2019, 7, 15, 18, 30, 0, 0, time.UTC)
	count := int64(270000)
	one := int64(1)
	d := &models.Delivery{ID: 7, City: "Tucson", Region: "AZ", Country: "US", DeliveredAt: &at, TimeZone: "America/Phoenix",
		SignaturesDelivered: &count, Outcome: "Security took the boxes.", Attendance: "about 40"}
	n := deliveryNews(&models.Campaign{}, d)
	if n.Subject != "The petition was delivered to the company in Tucson" || n.SubjectES != "La petición fue entregada a la empresa en Tucson" {
		t.Errorf("subjects %q / %q", n.Subject, n.SubjectES)
	}
	wantEN := "On 15 July 2019, 11:30 MST, the petition, with 270,000 signatures, was delivered to the company in Tucson, AZ.\n\nSecurity took the boxes.\n\nAttendance: about 40."
	wantES := "El 15 de julio de 2019, 11:30 MST, la petición, con 270,000 firmas, fue entregada a la empresa en Tucson, AZ.\n\nSecurity took the boxes.\n\nAsistencia: about 40."
	if n.Body != wantEN || n.BodyES != wantES {
		t.Errorf("bodies\n%q\n%q\nwant\n%q\n%q", n.Body, n.BodyES, wantEN, wantES)
	}
	d.SignaturesDelivered, d.OutcomeES = &one, "Seguridad se llevó las cajas."
	n = deliveryNews(&models.Campaign{Target: "Amazon"}, d)
	if !strings.Contains(n.Body, "with 1 signature,") || !strings.Contains(n.BodyES, "con 1 firma,") || !strings.Contains(n.BodyES, "Seguridad se llevó las cajas.") || strings.Contains(n.Body, "Seguridad") {
		t.Errorf("one signature, a Spanish outcome:\n%s\n%s", n.Body, n.BodyES)
	}

	r := &models.Response{ID: 3, RespondedAt: at, DateOnly: true, Kind: "refusal", Channel: "email", Speaker: "Ana Ruiz", SpeakerRole: "Press office",
		Summary: "A short reply.", Action: &models.Action{Title: "Rally in Tucson", TitleES: "Mitin en Tucson"},
		Quote: "We will not.", QuoteES: "No lo haremos.", Sources: models.Sources{{Name: "Email to Mijente"}}}
	n = responseNews(&models.Campaign{Target: "Amazon"}, r)
	if n.Subject != "Amazon refused the petition's demand" || n.SubjectES != "Amazon rechazó la demanda de la petición" {
		t.Errorf("subjects %q / %q", n.Subject, n.SubjectES)
	}
	if n.Body != "On 15 July 2019, Ana Ruiz (Press office) answered “Rally in Tucson” by email.\n\nA short reply." ||
		n.BodyES != "El 15 de julio de 2019, Ana Ruiz (Press office) respondió a «Mitin en Tucson» por correo electrónico.\n\nA short reply." {
		t.Errorf("bodies\n%q\n%q", n.Body, n.BodyES)
	}
	if n.Quote != "We will not." || n.QuoteES != "No lo haremos." || n.QuoteBy != "Ana Ruiz (Press office)" || n.QuoteSource != "Email to Mijente" {
		t.Errorf("quote %q / %q by %q from %q", n.Quote, n.QuoteES, n.QuoteBy, n.QuoteSource)
	}
	r.Quote, r.QuoteES, r.Kind, r.Channel, r.Action = "", "", models.ResponseNoReply, models.ResponseNoReply, nil
	n = responseNews(&models.Campaign{Target: "Amazon"}, r)
	if n.BodyES != "Hasta el 15 de julio de 2019, Amazon no ha respondido a la petición. Se le preguntó a Ana Ruiz y no dijo nada.\n\nA short reply.\n\nFuente: Email to Mijente" {
		t.Errorf("no reply, in Spanish: %q", n.BodyES)
	}
}
