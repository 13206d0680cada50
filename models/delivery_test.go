package models_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"campaigntrack/models"
	"campaigntrack/seed"
	"campaigntrack/testdb"
)

func demoDeliveries(t *testing.T, store *models.Store) (*models.Campaign, []models.Delivery) {
	t.Helper()
	ctx := context.Background()
	if _, err := seed.Load(ctx, store); err != nil {
		t.Fatal(err)
	}
	cp, err := store.CampaignBySlug(ctx, "no-tech-for-ice")
	if err != nil {
		t.Fatal(err)
	}
	ds, err := store.DeliveriesFor(ctx, cp.ID)
	if err != nil {
		t.Fatal(err)
	}
	return cp, ds
}

// An import updates only what the file carries: a sheet of places and
// statuses must not wipe the outcomes, the press flag or source names.
func TestImportDeliveriesKeepsWhatTheFileDoesNotCarry(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		cp, ds := demoDeliveries(t, store)
		var sf models.Delivery
		for _, d := range ds {
			if d.City == "San Francisco" {
				sf = d
			}
		}
		if !sf.MediaPresent || len(sf.Sources) == 0 || sf.Sources[0].Name == "" {
			t.Fatalf("the demo's San Francisco delivery changed: %+v", sf)
		}
		row := models.Delivery{City: sf.City, Region: sf.Region, Country: sf.Country, Venue: sf.Venue, Status: models.DeliveryUnderWay,
			Sources: models.Sources{{URL: sf.Sources[0].URL}, {URL: "https://example.org/new"}}}
		res, err := store.ImportDeliveries(ctx, models.CommandLine, cp.ID, []models.Delivery{row},
			[]string{"city", "region", "country", "venue", "status", "source_urls"})
		if err != nil || res.Updated != 1 {
			t.Fatalf("import = %+v, %v", res, err)
		}
		after, _ := store.Delivery(ctx, cp.ID, sf.ID)
		if after.Status != models.DeliveryUnderWay || after.Outcome != sf.Outcome || after.LeadOrganisation != sf.LeadOrganisation ||
			!after.MediaPresent || after.ScheduledAt == nil || !after.ScheduledAt.Equal(*sf.ScheduledAt) {
			t.Errorf("fields the file does not carry changed: %+v", after)
		}
		if len(after.Sources) != 2 || after.Sources[0].Name != sf.Sources[0].Name || after.Sources[1].URL != "https://example.org/new" {
			t.Errorf("sources = %+v", after.Sources)
		}

		// A row that would leave a delivery invalid is refused, not stored.
		bad := models.Delivery{City: sf.City, Region: sf.Region, Country: sf.Country, Venue: sf.Venue, Status: models.DeliveryDelivered,
			DeliveredAt: ptr(time.Date(2019, 7, 15, 20, 0, 0, 0, time.UTC))}
		res, err = store.ImportDeliveries(ctx, models.CommandLine, cp.ID, []models.Delivery{bad}, []string{"city", "region", "country", "venue", "status"})
		if err != nil || len(res.Refused) != 1 || res.Refused[0].Errors["delivered_at"] == "" {
			t.Fatalf("import of a row that breaks the record = %+v, %v", res, err)
		}
	})
}

func TestMoveDeliveryFollowsTheFlow(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		ctx := context.Background()
		cp, _ := demoDeliveries(t, store)
		d := &models.Delivery{City: "Portland", Region: "OR", Country: "US", Status: models.DeliveryPlanned}
		if err := store.CreateDelivery(ctx, models.CommandLine, cp.ID, d); err != nil {
			t.Fatal(err)
		}
		if d.TimeZone != "America/Los_Angeles" {
			t.Errorf("zone = %q", d.TimeZone)
		}
		now := time.Date(2019, 7, 15, 19, 31, 45, 0, time.UTC)
		got, err := store.MoveDelivery(ctx, models.CommandLine, cp.ID, d.ID, models.DeliveryDelivered, now, nil)
		if err != nil || got.DeliveredAt == nil || !got.DeliveredAt.Equal(now.Truncate(time.Minute)) {
			t.Fatalf("mark delivered = %+v, %v", got, err)
		}
		_, err = store.MoveDelivery(ctx, models.CommandLine, cp.ID, d.ID, models.DeliveryPlanned, now, nil)
		if fe, ok := err.(models.FieldErrors); !ok || !strings.Contains(fe["status"], "cannot be marked planned") {
			t.Fatalf("moving a delivered delivery back: %v", err)
		}
	})
}

func ptr[T any](v T) *T { return &v }

// A delivery's packet language is en or es: none given is English, a
// code in capitals is read, anything else is named on packet_lang.
func TestDeliveryPacketLang(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ given, want, err string }{
		{"", "en", ""}, {"es", "es", ""}, {" ES ", "es", ""}, {"en", "en", ""},
		{"fr", "fr", "packet_lang"}, {"spanish", "spanish", "packet_lang"},
	} {
		d := models.Delivery{City: "Tucson", Country: "US", PacketLang: c.given}
		d.Normalise()
		if d.PacketLang != c.want {
			t.Errorf("%q: normalised to %q, want %q", c.given, d.PacketLang, c.want)
		}
		fe := d.Validate()
		if _, named := fe["packet_lang"]; named != (c.err != "") {
			t.Errorf("%q: field errors %v", c.given, fe)
		}
	}
}
