package handlers_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"campaigntrack/models"
	"campaigntrack/testdb"
)

// TestDeliveryPacketDownloadAndCheck: an organiser makes a delivered
// delivery's packet; the ZIP holds the manifest and the volumes, the
// download is audited, and the public check page shows the manifest's
// sha256 and no name. Viewers, other campaigns' deliveries, unknown ones,
// bad options and made-up codes are refused without a 500.
func TestDeliveryPacketDownloadAndCheck(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		cp := a.seededCampaign()
		sigs := []*models.Signature{{FirstName: "Zoë", LastName: "Nguyễn", Email: "zoe@example.org", City: "Seattle", Region: "WA"},
			{FirstName: "Ben", LastName: "Okafor", Email: "ben@example.org", City: "Tacoma", Region: "WA"}}
		if _, err := a.store.ImportSignatures(ctx, cp.ID, testdb.Source(t, a.store, cp.ID, "List"), sigs); err != nil {
			t.Fatal(err)
		}
		d := &models.Delivery{City: "Olympia", Region: "WA", Country: "US", Status: models.DeliveryUnderWay}
		if err := a.store.CreateDelivery(ctx, models.CommandLine, cp.ID, d); err != nil {
			t.Fatal(err)
		}
		if _, err := a.store.MoveDelivery(ctx, models.CommandLine, cp.ID, d.ID, models.DeliveryDelivered, time.Now(), nil); err != nil {
			t.Fatal(err)
		}
		base := fmt.Sprintf("/admin/campaigns/%s/deliveries/%d/packet", cp.Slug, d.ID)
		org := a.organiser()
		page := org.get(base)
		if page.status != http.StatusOK || page.doc(t).Find(`[data-testid=packet-form]`).Length() != 1 {
			t.Fatalf("options page: %d\n%.400s", page.status, page.body)
		}
		for _, q := range []string{"?download=1&every=abc", "?download=1&split=sideways", "?download=1&every=5", "?download=1&every=99999999999999999999"} {
			if r := org.get(base + q); r.status != http.StatusUnprocessableEntity {
				t.Errorf("%s: %d, want 422", q, r.status)
			}
		}
		r := org.get(base + "?download=1&split=every&every=50000")
		if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/zip" || r.header.Get("Cache-Control") != "no-store" {
			t.Fatalf("download: %d %v", r.status, r.header)
		}
		zr, err := zip.NewReader(bytes.NewReader([]byte(r.body)), int64(len(r.body)))
		if err != nil {
			t.Fatal(err)
		}
		var manifest []byte
		var files []string
		for _, f := range zr.File {
			files = append(files, f.Name)
			if f.Name == "manifest.csv" {
				rc, _ := f.Open()
				manifest, _ = io.ReadAll(rc)
				rc.Close()
			}
		}
		if strings.Join(files, ",") != "manifest.csv,volume-01.pdf" || !strings.Contains(string(manifest), "Zoë N. — Seattle, WA") {
			t.Fatalf("the ZIP holds %v; manifest:\n%s", files, manifest)
		}
		packets, err := a.store.PacketsFor(ctx, cp.ID, d.ID)
		if err != nil || len(packets) != 1 {
			t.Fatalf("packets recorded: %+v %v", packets, err)
		}
		sum := sha256.Sum256(manifest)
		check := a.browser().get("/campaigns/" + cp.Slug + "/packets/" + packets[0].Code)
		if check.status != http.StatusOK || text(check.doc(t).Find(`[data-testid=packet-hash]`)) != hex.EncodeToString(sum[:]) {
			t.Fatalf("check page: %d, hash %q, want %x", check.status, text(check.doc(t).Find(`[data-testid=packet-hash]`)), sum)
		}
		if strings.Contains(check.body, "Zoë") || strings.Contains(check.body, "Okafor") {
			t.Error("the check page names a signer")
		}
		entries, _ := a.store.AuditForCampaign(ctx, cp.ID, 3)
		if len(entries) == 0 || entries[0].RecordType != "packet" || entries[0].Action != models.AuditExport {
			t.Errorf("the download is not audited: %+v", entries)
		}

		// Refusals.
		a.user("viewer-packet@example.org", models.RoleViewer)
		viewer := a.browser()
		viewer.login("viewer-packet@example.org")
		if r := viewer.get(base + "?download=1"); r.status != http.StatusForbidden || strings.Contains(r.body, "Zoë") {
			t.Errorf("viewer: %d", r.status)
		}
		other := &models.Campaign{Slug: "other-campaign", Title: "Other", Target: "Someone", Demand: "Something"}
		if err := a.store.CreateCampaign(ctx, models.CommandLine, other); err != nil {
			t.Fatal(err)
		}
		od := &models.Delivery{City: "Boston", Region: "MA", Country: "US"}
		if err := a.store.CreateDelivery(ctx, models.CommandLine, other.ID, od); err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{
			fmt.Sprintf("/admin/campaigns/%s/deliveries/%d/packet?download=1", cp.Slug, od.ID), // another campaign's delivery
			fmt.Sprintf("/admin/campaigns/%s/deliveries/999999/packet?download=1", cp.Slug),
			fmt.Sprintf("/admin/campaigns/%s/deliveries/abc/packet", cp.Slug),
		} {
			if r := org.get(path); r.status != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", path, r.status)
			}
		}
		for _, code := range []string{"ABCDE-FGHIJ", "nope", strings.Repeat("A", 500), packets[0].Code + "%00"} {
			if r := a.browser().get("/campaigns/" + cp.Slug + "/packets/" + code); r.status != http.StatusNotFound {
				t.Errorf("code %.20q: %d, want 404", code, r.status)
			}
		}
		if r := a.browser().get("/campaigns/other-campaign/packets/" + packets[0].Code); r.status != http.StatusNotFound {
			t.Errorf("another campaign's packet code: %d, want 404", r.status)
		}
		// A planned delivery has a draft packet.
		if r := org.get(fmt.Sprintf("/admin/campaigns/other-campaign/deliveries/%d/packet", od.ID)); r.status != http.StatusOK || r.doc(t).Find(`[data-testid=packet-draft]`).Length() != 1 {
			t.Errorf("a planned delivery's packet page: %d", r.status)
		}
	})
}
