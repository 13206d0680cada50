package packet_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"campaigntrack/models"
	"campaigntrack/packet"
	"campaigntrack/seed"
	"campaigntrack/testdb"
)

// memSink keeps a packet's files in memory.
type memSink struct {
	names []string
	files map[string]*bytes.Buffer
}

func (s *memSink) Create(name string) (io.Writer, error) {
	if s.files == nil {
		s.files = map[string]*bytes.Buffer{}
	}
	s.names = append(s.names, name)
	b := &bytes.Buffer{}
	s.files[name] = b
	return b, nil
}

var names = [][2]string{
	{"Zoë", "Müller-Łukasiewicz"}, {"Nguyễn", "Thị Ánh"}, {"Γιώργος", "Παπαδόπουλος"}, {"Светлана", "Кузнецова"},
	{"François", "Ça Ira"}, {"Ana", "López"}, {"王", "小明"}, {"Withdrawn", "Signer"},
}

type fixture struct {
	store    *models.Store
	campaign *models.Campaign
	delivery *models.Delivery
	withdraw uint
}

// setup imports the named signers and 120 more, withdraws one, and marks
// a delivery delivered (freezing its count).
func setup(t *testing.T, store *models.Store, names_ string) fixture {
	t.Helper()
	ctx := context.Background()
	seed.Load(ctx, store)
	cp, _ := store.CampaignBySlug(ctx, "no-tech-for-ice")
	if names_ != "" {
		var err error
		if cp, err = store.UpdateCampaign(ctx, models.CommandLine, cp.ID, func(c *models.Campaign) { c.PacketNames = names_ }); err != nil {
			t.Fatal(err)
		}
	}
	var sigs []*models.Signature
	for i, n := range names {
		sigs = append(sigs, &models.Signature{FirstName: n[0], LastName: n[1], Email: fmt.Sprintf("n%d@example.org", i), City: "Seattle", Region: "WA"})
	}
	for i := range 120 {
		region := []string{"WA", "NY", "CA"}[i%3]
		sigs = append(sigs, &models.Signature{FirstName: fmt.Sprintf("Signer%d", i), LastName: "Test", Email: fmt.Sprintf("s%d@example.org", i), City: "Town" + strconv.Itoa(i%7), Region: region})
	}
	if _, err := store.ImportSignatures(ctx, cp.ID, testdb.Source(t, store, cp.ID, "Partner list"), sigs); err != nil {
		t.Fatal(err)
	}
	d := &models.Delivery{City: "Seattle", Region: "WA", Country: "US", Status: models.DeliveryPlanned, Recipient: "Reception"}
	if err := store.CreateDelivery(ctx, models.CommandLine, cp.ID, d); err != nil {
		t.Fatal(err)
	}
	var withdrawn uint
	store.EachSignature(ctx, cp.ID, 1000, func(rows []models.Signature) error {
		for _, r := range rows {
			if r.FirstName == "Withdrawn" {
				withdrawn = r.ID
			}
		}
		return nil
	})
	return fixture{store, cp, d, withdrawn}
}

func (f fixture) deliver(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	if err := f.store.WithdrawSignature(ctx, f.campaign.ID, f.withdraw); err != nil {
		t.Fatal(err)
	}
	for _, to := range []string{models.DeliveryUnderWay, models.DeliveryDelivered} {
		d, err := f.store.MoveDelivery(ctx, models.CommandLine, f.campaign.ID, f.delivery.ID, to, time.Now(), nil)
		if err != nil {
			t.Fatal(err)
		}
		*f.delivery = *d
	}
}

func build(t *testing.T, f fixture, opt packet.Options) (*models.Packet, *memSink) {
	t.Helper()
	d, err := f.store.Delivery(context.Background(), f.campaign.ID, f.delivery.ID)
	if err != nil {
		t.Fatal(err)
	}
	sink := &memSink{}
	p, err := packet.Build(context.Background(), f.store, packet.Request{Campaign: f.campaign, Delivery: d, Options: opt,
		BaseURL: "https://petition.example.org", PlaceMin: 10, Now: time.Now()}, sink)
	if err != nil {
		t.Fatal(err)
	}
	return p, sink
}

func need(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CAMPAIGNTRACK_REQUIRE_PDF_TOOLS") != "" {
				t.Fatalf("%s is not installed (poppler-utils, qpdf): .ci/run installs them", tool)
			}
			t.Skipf("%s is not installed", tool)
		}
	}
}

// pages returns each page's text, as pdftotext reads it.
func pages(t *testing.T, pdf []byte) []string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "v.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("qpdf", "--check", path).CombinedOutput(); err != nil {
		t.Fatalf("qpdf --check: %v\n%s", err, out)
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	ps := strings.Split(string(out), "\f")
	if len(ps) > 0 && strings.TrimSpace(ps[len(ps)-1]) == "" {
		ps = ps[:len(ps)-1]
	}
	info, _ := exec.Command("pdfinfo", path).Output()
	pagesLine := ""
	for _, l := range strings.Split(string(info), "\n") {
		if strings.HasPrefix(l, "Pages:") {
			pagesLine = strings.TrimSpace(strings.TrimPrefix(l, "Pages:"))
		}
	}
	if pagesLine != strconv.Itoa(len(ps)) {
		t.Errorf("pdfinfo says %q pages, pdftotext read %d", pagesLine, len(ps))
	}
	return ps
}

func manifest(t *testing.T, sink *memSink) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(sink.files["manifest.csv"].Bytes())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != strings.Join(packet.ManifestColumns, ",") {
		t.Fatalf("manifest header %q", rows[0])
	}
	return rows[1:]
}

// TestPacketPrintsWhatTheManifestSays: the cover carries the count, the
// code and the manifest's hash; every manifest row is on the page it
// names, names in every script as typed; the withdrawn signer is absent;
// the same data makes the same manifest again.
func TestPacketPrintsWhatTheManifestSays(t *testing.T) {
	t.Parallel()
	need(t, "pdftotext", "pdfinfo", "qpdf")
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		f := setup(t, store, "")
		f.deliver(t)
		p, sink := build(t, f, packet.Options{Split: packet.SplitEvery, Every: 60})
		sum := sha256.Sum256(sink.files["manifest.csv"].Bytes())
		if hex.EncodeToString(sum[:]) != p.ManifestSHA256 || p.Draft || p.CountTotal == nil {
			t.Fatalf("packet %+v, manifest hash %x", p, sum)
		}
		rows := manifest(t, sink)
		if len(rows) != len(names)-1+120 || int64(len(rows)) != p.Signers || p.Volumes != 3 {
			t.Fatalf("%d manifest rows, %d signers, %d volumes; want %d rows in 3 volumes", len(rows), p.Signers, p.Volumes, len(names)-1+120)
		}
		want := map[string]bool{"Zoë M. — Seattle, WA": true, "Nguyễn T. — Seattle, WA": true, "Γιώργος Π. — Seattle, WA": true, "Светлана К. — Seattle, WA": true}
		volumes := map[string][]string{}
		for v := 1; v <= p.Volumes; v++ {
			name := fmt.Sprintf("volume-%02d.pdf", v)
			if sink.files[name] == nil {
				t.Fatalf("no %s in %v", name, sink.names)
			}
			volumes[strconv.Itoa(v)] = pages(t, sink.files[name].Bytes())
		}
		cover := volumes["1"][0]
		for _, s := range []string{p.Code, p.ManifestSHA256, "https://petition.example.org/campaigns/no-tech-for-ice/packets/" + p.Code,
			strconv.FormatInt(*p.CountTotal, 10) + " signatures at this delivery", strconv.Itoa(len(rows)) + " printed"} {
			if !strings.Contains(strings.Join(strings.Fields(cover), ""), strings.ReplaceAll(s, " ", "")) && !strings.Contains(cover, s) {
				t.Errorf("the cover lacks %q:\n%s", s, cover)
			}
		}
		for _, r := range rows {
			text, vol, page := strings.TrimPrefix(r[3], "'"), r[1], r[2]
			ps := volumes[vol]
			first := -1
			for i, pg := range ps {
				if strings.Contains(pg, "Signatures page 1 of") || strings.Contains(pg, "page 1 of") && strings.Contains(pg, "Signatures 1") {
					first = i
					break
				}
			}
			n, _ := strconv.Atoi(page)
			if first < 0 || first+n-1 >= len(ps) {
				t.Fatalf("volume %s: no signer page %d (first signer page %d of %d)", vol, n, first, len(ps))
			}
			if !strings.Contains(ps[first+n-1], text) {
				t.Errorf("%q is not on volume %s's signer page %s", text, vol, page)
			}
			delete(want, text)
			if strings.Contains(text, "Withdrawn") {
				t.Errorf("the withdrawn signer is in the packet: %q", text)
			}
		}
		if len(want) > 0 {
			t.Errorf("names not printed as typed: %v", want)
		}
		for _, ps := range volumes {
			for _, pg := range ps {
				if strings.Contains(pg, "Withdrawn") || strings.Contains(pg, "@example.org") {
					t.Errorf("a page shows a withdrawn signer or an address:\n%s", pg)
				}
			}
		}
		again, sink2 := build(t, f, packet.Options{Split: packet.SplitEvery, Every: 60})
		if !bytes.Equal(sink.files["manifest.csv"].Bytes(), sink2.files["manifest.csv"].Bytes()) || again.Code != p.Code || again.ManifestSHA256 != p.ManifestSHA256 {
			t.Errorf("the same delivery and data gave another manifest: %s/%s, %s/%s", p.Code, again.Code, p.ManifestSHA256, again.ManifestSHA256)
		}
	})
}

// TestCountsOnlyPacketPrintsNoName and a draft says so on every page.
func TestCountsOnlyPacketPrintsNoNameAndDraftsSaySo(t *testing.T) {
	t.Parallel()
	need(t, "pdftotext", "pdfinfo", "qpdf")
	store := testdb.Open(t, testdb.SQLite)
	f := setup(t, store, models.PacketCountsOnly)
	p, sink := build(t, f, packet.Options{})
	if !p.Draft || p.Volumes != 1 || len(manifest(t, sink)) != 0 {
		t.Fatalf("counts-only draft: %+v, %d manifest rows", p, len(manifest(t, sink)))
	}
	for _, pg := range pages(t, sink.files["volume-01.pdf"].Bytes()) {
		if !strings.Contains(pg, "DRAFT") {
			t.Errorf("a draft page without DRAFT:\n%s", pg)
		}
		for _, n := range names {
			if strings.Contains(pg, n[0]) {
				t.Errorf("a counts-only page names %q:\n%s", n[0], pg)
			}
		}
		if strings.Contains(pg, "Signer1") {
			t.Errorf("a counts-only page names a signer:\n%s", pg)
		}
	}
}

// TestPacketSplitByState: one volume a state, each row's volume the
// signer's state.
func TestPacketSplitByState(t *testing.T) {
	t.Parallel()
	store := testdb.Open(t, testdb.SQLite)
	f := setup(t, store, models.PacketFullNames)
	f.deliver(t)
	p, sink := build(t, f, packet.Options{Split: packet.SplitState})
	if p.Volumes != 3 {
		t.Fatalf("%d volumes, want 3 (CA, NY, WA)", p.Volumes)
	}
	for _, r := range manifest(t, sink) {
		state := r[3][strings.LastIndex(r[3], ", ")+2:]
		if want := map[string]string{"CA": "1", "NY": "2", "WA": "3"}[state]; r[1] != want {
			t.Errorf("%q in volume %s, want %s", r[3], r[1], want)
		}
		if strings.HasPrefix(r[3], "Ana ") && !strings.HasPrefix(r[3], "Ana López") {
			t.Errorf("full names: %q", r[3])
		}
	}
}

func TestPacketOptionsAreChecked(t *testing.T) {
	t.Parallel()
	for _, o := range []packet.Options{{Split: "sideways"}, {Every: 3}, {Every: -1}, {Every: 2_000_000}} {
		if fe := o.Validate(); len(fe) == 0 {
			t.Errorf("%+v taken", o)
		}
	}
	for _, code := range []string{"", "ABCDE-FGHI", "abcde-fghij", "ABCDE_FGHIJ", "ABCDE-FGHI1", "ABCDE-FGHIJK"} {
		if packet.ValidCode(code) {
			t.Errorf("%q taken as a code", code)
		}
	}
	if !packet.ValidCode("ABCDE-FGH27") {
		t.Error("a good code refused")
	}
}
