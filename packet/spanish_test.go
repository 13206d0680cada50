package packet_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"campaigntrack/models"
	"campaigntrack/packet"
	"campaigntrack/testdb"
)

// spanishMonths are the months as a Spanish date writes them, for the
// tests' own reading of a date ("15 de julio de 2019").
var spanishMonths = []string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"}

func spanishDate(t time.Time) string {
	return fmt.Sprintf("%d de %s de %d", t.Day(), spanishMonths[t.Month()-1], t.Year())
}

// englishCover is the English fixed text of a cover and a summary: none of
// it may be left in a Spanish packet.
var englishCover = []string{
	"DELIVERY PACKET", "Delivery packet", "Volume 1 of", "VOLUME 1 OF", "DRAFT", "Demand", "The delivery", "Place ", "When ",
	"Received by", "The count", "signatures at this delivery", "printed here", "This packet prints", "this volume holds",
	"Each signer line shows", "could not be printed", "Check this packet", "Check page", "Manifest SHA-256",
	"The manifest is a CSV file", "What others said", "claimed by", "Source:", "The petition", "Where the signers are",
	"Signers by state", "Signers by city", "Cover 1 of", "Summary 1 of", "Verification code", "Signatures page", "No.",
	"Signer:", "15 July 2019", "printed in English", // a source's stored name may say "17 July 2019"
}

// squeeze is text with every run of white space one space, so a sentence
// wrapped over lines reads as typed.
func squeeze(s string) string { return strings.Join(strings.Fields(s), " ") }

func setPacketLang(t *testing.T, f fixture, lang string) {
	t.Helper()
	if _, err := f.store.UpdateDelivery(context.Background(), models.CommandLine, f.campaign.ID, f.delivery.ID, func(d *models.Delivery) { d.PacketLang = lang }); err != nil {
		t.Fatal(err)
	}
}

// pdfTitle is the title a PDF's metadata gives, as pdfinfo reads it.
func pdfTitle(t *testing.T, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "v.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdfinfo", "-enc", "UTF-8", path).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	for _, l := range strings.Split(string(out), "\n") {
		if s, ok := strings.CutPrefix(l, "Title:"); ok {
			return strings.TrimSpace(s)
		}
	}
	return ""
}

// TestSpanishPacket: a delivery whose packet language is Spanish prints
// the campaign and the petition in their Spanish versions (the demo data
// has them), every fixed text, number and date in Spanish, and no English
// fixed text; the language changes what the volumes say, not which
// signers they print nor the code.
func TestSpanishPacket(t *testing.T) {
	t.Parallel()
	need(t, "pdftotext", "pdfinfo", "qpdf")
	store := testdb.Open(t, testdb.SQLite)
	f := setup(t, store, "")
	f.deliver(t)
	opt := packet.Options{Split: packet.SplitEvery, Every: 60}
	en, enSink := build(t, f, opt)
	setPacketLang(t, f, "es")
	p, sink := build(t, f, opt)
	if p.Code != en.Code || !bytes.Equal(sink.files["manifest.csv"].Bytes(), enSink.files["manifest.csv"].Bytes()) {
		t.Errorf("the Spanish packet has another code (%s, %s) or manifest than the English", p.Code, en.Code)
	}
	pet, err := store.PetitionFor(context.Background(), f.campaign.ID)
	if err != nil || pet.HeadingES == "" || pet.BodyES == "" || f.campaign.TitleES == "" || f.campaign.DemandES == "" {
		t.Fatalf("the demo data lacks its Spanish versions: %+v, %v", pet, err)
	}
	ps := pages(t, sink.files["volume-01.pdf"].Bytes())
	all := strings.Join(ps, "\n")
	text := squeeze(all)
	front := -1 // the first signer page
	for i, pg := range ps {
		if strings.Contains(pg, "Página de firmas 1 de") {
			front = i
			break
		}
	}
	if front < 1 {
		t.Fatalf("no Spanish signer page:\n%s", all)
	}
	counted := spanishDate(p.CountedAt.UTC())
	for _, want := range []string{
		squeeze(f.campaign.TitleES), squeeze(f.campaign.DemandES), squeeze(pet.HeadingES), squeeze(pet.BodyES),
		"PAQUETE DE ENTREGA · VOLUMEN 1 DE 3", "Paquete de entrega ·", "Volumen 1 de 3", "La entrega", "Recibida por", "El conteo",
		fmt.Sprintf("%d firmas en esta entrega, contadas el %s a las %s UTC; impresas aquí: %d", *p.CountTotal, counted, p.CountedAt.UTC().Format("15:04"), p.Signers),
		fmt.Sprintf("Este paquete imprime %d firmantes en 3 volúmenes; este volumen contiene Firmas 1–60.", p.Signers),
		"Cada línea de firmante muestra: el nombre, la inicial del apellido, la ciudad y el estado de cada firmante.",
		"1 nombre no se pudo imprimir tal como se escribió.", "Cómo comprobar este paquete", "SHA-256 del manifiesto",
		"https://petition.example.org/es/campaigns/no-tech-for-ice/packets/" + p.Code,
		"El conteo por fuente", "Fuente Organización Recibidas Únicas Compartidas",
		"Lo que otros dijeron del conteo", "más de 270,000, según KPIX CBS San Francisco el 15 de julio de 2019",
		"La petición", "Dónde están los firmantes", "Firmantes por estado", "Estado Firmantes",
		"Código de verificación " + p.Code, "Portada 1 de", "Resumen 1 de 1", "N.º Firmante:", "Página de firmas 1 de 2", "Firmas 1–55",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the Spanish packet lacks %q:\n%s", want, all)
		}
	}
	if strings.Contains(text, squeeze(pet.Body)) || strings.Contains(text, f.campaign.Title) {
		t.Errorf("the Spanish packet prints the English petition or title:\n%s", all)
	}
	for i, pg := range ps[:front+1] {
		for _, en := range englishCover {
			if strings.Contains(pg, en) {
				t.Errorf("page %d of the Spanish packet says %q:\n%s", i+1, en, pg)
			}
		}
	}
	if title := pdfTitle(t, sink.files["volume-01.pdf"].Bytes()); title != f.campaign.TitleES+" — paquete de entrega" {
		t.Errorf("the PDF's title is %q", title)
	}
}

// TestSpanishPacketOfAnEnglishOnlyPetition: a Spanish packet of a
// campaign and petition with no Spanish version prints them in English,
// saying so in Spanish above the petition; a draft's marks are Spanish.
func TestSpanishPacketOfAnEnglishOnlyPetition(t *testing.T) {
	t.Parallel()
	need(t, "pdftotext", "pdfinfo", "qpdf")
	ctx := context.Background()
	store := testdb.Open(t, testdb.SQLite)
	f := setup(t, store, models.PacketFullNames)
	pet, err := store.PetitionFor(ctx, f.campaign.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.SavePetition(ctx, models.CommandLine, f.campaign.ID, models.Petition{Heading: pet.Heading, Body: pet.Body, Sources: pet.Sources}); err != nil {
		t.Fatal(err)
	}
	if f.campaign, err = store.UpdateCampaign(ctx, models.CommandLine, f.campaign.ID, func(c *models.Campaign) { c.TitleES, c.DemandES = "", "" }); err != nil {
		t.Fatal(err)
	}
	setPacketLang(t, f, "es")
	now := time.Now()
	p, sink := build(t, f, packet.Options{})
	if !p.Draft {
		t.Fatal("not a draft")
	}
	ps := pages(t, sink.files["volume-01.pdf"].Bytes())
	all := strings.Join(ps, "\n")
	text := squeeze(all)
	for _, want := range []string{
		squeeze(f.campaign.Title), squeeze(f.campaign.Demand), squeeze(pet.Heading), squeeze(pet.Body),
		"La petición El texto de la petición no tiene versión en español; se imprime en inglés. " + squeeze(pet.Heading),
		fmt.Sprintf("BORRADOR: esta entrega no está marcada como entregada; %d firmas contadas hasta el %s", p.Signers, spanishDate(now.UTC())),
		"el nombre completo, la ciudad y el estado de cada firmante", "BORRADOR — NO ENTREGADO", "BORRADOR · Código de verificación",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the Spanish packet lacks %q:\n%s", want, all)
		}
	}
	if squeeze(pet.HeadingES) != "" && strings.Contains(text, squeeze(pet.HeadingES)) {
		t.Errorf("the Spanish heading is printed after it was removed:\n%s", all)
	}
	for i, pg := range ps {
		if !strings.Contains(pg, "BORRADOR") {
			t.Errorf("page %d of the Spanish draft does not say BORRADOR:\n%s", i+1, pg)
		}
		if strings.Contains(pg, "DRAFT") || strings.Contains(pg, "Verification code") {
			t.Errorf("page %d of the Spanish draft has an English mark:\n%s", i+1, pg)
		}
	}
}
