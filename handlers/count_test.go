package handlers_test

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"campaigntrack/config"
	"campaigntrack/handlers"
	"campaigntrack/models"
	"campaigntrack/seed"
	"campaigntrack/testdb"
)

const countPath = "/campaigns/no-tech-for-ice/count"

// What the signers in countDemo are called: none of it may reach a public
// page or the API.
var countSigners = []string{"Zenobia", "Quillfeather", "zara.qin", "zaraqin", "bo.oduya", "cy.marsh", "dee.ray", "signers.test"}

// countDemo imports two partners' lists into the seeded campaign: the
// Mijente list (partner Mijente, claiming 150,000 with its source) with
// Zara, Bo and Cy, and the ACLU list (no partner, no claim) with Zara under
// another address of the same inbox, Bo, and Dee. That is four people:
// each list received 3, with 1 unique and 2 shared, and the pair shares 2.
func countDemo(t *testing.T, a *app) *models.Campaign {
	t.Helper()
	ctx := context.Background()
	cp, err := a.store.CampaignBySlug(ctx, "no-tech-for-ice")
	if err != nil {
		t.Fatal(err)
	}
	orgs, err := a.store.OrganisationsFor(ctx, cp.ID)
	if err != nil {
		t.Fatal(err)
	}
	var mijente *uint
	for _, o := range orgs {
		if o.Name == "Mijente" {
			mijente = &o.ID
		}
	}
	claimed := int64(150_000)
	if err := a.store.CreateSource(ctx, models.CommandLine, cp.ID, &models.SignatureSource{
		Name: "Mijente list", PartnerID: mijente, Platform: "Action Network", Claimed: &claimed,
		ClaimSourceName: "Mijente press release", ClaimSourceURL: "https://mijente.example/press",
	}); err != nil {
		t.Fatal(err)
	}
	signer := func(email string) *models.Signature {
		return &models.Signature{FirstName: "Zenobia", LastName: "Quillfeather", Email: email, City: "Seattle", Region: "WA", Country: "US",
			SignedAt: time.Date(2019, 7, 10, 12, 0, 0, 0, time.UTC)}
	}
	imports := []struct {
		source string
		emails []string
	}{
		{"Mijente list", []string{"Zara.Qin+nt4i@gmail.com", "bo.oduya@signers.test", "cy.marsh@signers.test"}},
		{"ACLU list", []string{"zaraqin@googlemail.com", "BO.ODUYA@signers.test", "dee.ray@signers.test"}},
	}
	for _, im := range imports {
		sigs := make([]*models.Signature, len(im.emails))
		for i, e := range im.emails {
			sigs[i] = signer(e)
		}
		if _, err := a.store.ImportSignatures(ctx, cp.ID, testdb.Source(t, a.store, cp.ID, im.source), sigs); err != nil {
			t.Fatal(err)
		}
	}
	return cp
}

// sourceRow is the text of each data-testid'd cell of a source's row;
// of the claimed cell, the figure (or "no claim") without its source.
func sourceRow(row *goquery.Selection) [6]string {
	var out [6]string
	for i, id := range []string{"source-partner", "source-claimed", "source-received", "source-unique", "source-shared", "source-name"} {
		out[i] = text(row.Find(`[data-testid=` + id + `]`))
	}
	out[1] = text(row.Find(`[data-testid=source-claimed]`).Contents().First())
	return out
}

func TestCountPageShowsEachSourceAndThePeopleOnce(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		countDemo(t, a)
		r := a.browser().get(countPath)
		if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
			t.Fatalf("count page: %d %q\n%s", r.status, r.header.Get("Content-Type"), r.body)
		}
		checkHTML(t, r.body)
		doc := r.doc(t)
		if got := text(doc.Find(`[data-testid=people-count]`)); got != "4" {
			t.Errorf("people counted = %q, want 4", got)
		}
		if got := text(doc.Find(`[data-testid=people-words]`)); !strings.Contains(got, "each counted once") {
			t.Errorf("the count does not say each person counts once: %q", got)
		}
		rows := map[string][6]string{}
		doc.Find(`[data-testid=sources] [data-testid=source]`).Each(func(_ int, row *goquery.Selection) {
			cells := sourceRow(row)
			rows[cells[5]] = cells
		})
		want := map[string][6]string{
			models.WebSourceName: {"none", "no claim", "0", "0", "0", models.WebSourceName},
			"Mijente list":       {"Mijente", "150,000", "3", "1", "2", "Mijente list"},
			"ACLU list":          {"none", "no claim", "3", "1", "2", "ACLU list"},
		}
		if len(rows) != len(want) {
			t.Errorf("source rows = %v, want %v", rows, want)
		}
		for name, w := range want {
			if rows[name] != w {
				t.Errorf("source %q = %q, want %q", name, rows[name], w)
			}
		}
		claimLink := doc.Find(`[data-testid=sources] [data-testid=source-claimed] a`)
		if href, _ := claimLink.Attr("href"); href != "https://mijente.example/press" || text(claimLink) != "Mijente press release" {
			t.Errorf("the claim's source link = %q %q", href, text(claimLink))
		}
		if doc.Find(`[data-testid=no-imports]`).Length() != 0 {
			t.Error("the page says nothing was imported, after two imports")
		}

		pairs := doc.Find(`[data-testid=pairs] [data-testid=pair]`)
		if pairs.Length() != 1 || !strings.Contains(text(pairs), "ACLU list") || !strings.Contains(text(pairs), "Mijente list") ||
			text(pairs.Find("td").Last()) != "2" {
			t.Errorf("pairs = %d %q, want the two lists sharing 2", pairs.Length(), text(pairs))
		}

		chart := doc.Find(`[data-testid=source-chart] svg`)
		if role, _ := chart.Attr("role"); role != "img" || chart.Find("title").First().Text() == "" {
			t.Errorf("chart: role %q, title %q", role, chart.Find("title").First().Text())
		}
		if desc := text(chart.Find("desc")); !strings.Contains(desc, "Mijente list (Mijente): 3 received, 1 unique, 2 shared") {
			t.Errorf("chart text equivalent = %q", desc)
		}
		if n := chart.Find("rect.unique").Length(); n != 4 { // the key's, and one a source
			t.Errorf("%d unique bars, want 4", n)
		}

		// The reported totals, each with its source, as a table.
		totals := doc.Find(`table[data-testid=reported-totals] [data-testid=reported-total]`)
		if totals.Length() != 6 {
			t.Errorf("%d reported totals, want the 6 seeded claims", totals.Length())
		}
		totals.Each(func(_ int, tr *goquery.Selection) {
			if text(tr.Find(`[data-testid=claim-source]`)) == "" || text(tr.Find(`[data-testid=claim-by]`)) == "" {
				t.Errorf("reported total without its source or claimant: %q", text(tr))
			}
		})
		if first := totals.First(); text(first.Find(`[data-testid=claim-figure]`)) != "more than 270,000" || !strings.HasPrefix(text(first.Find(`[data-testid=claim-source]`)), "The Seattle Times") {
			t.Errorf("first reported total = %q, want the headline with its source", text(first))
		}
		if n := totals.Find(".source a[href^='https://']").Length(); n < 4 {
			t.Errorf("%d reported totals link their source", n)
		}

		// The chart of them: the count made here first, then a bar per
		// reported total, each named by its figure and claimant, described
		// by the table.
		claims := doc.Find(`[data-testid=claims-chart] svg`)
		if role, _ := claims.Attr("role"); role != "img" || text(claims.Find("title").First()) == "" {
			t.Errorf("reported-totals chart: role %q, title %q", role, text(claims.Find("title").First()))
		}
		if by, _ := claims.Attr("aria-describedby"); by == "" || doc.Find("table#"+by+"[data-testid=reported-totals]").Length() != 1 {
			t.Errorf("the reported-totals chart is described by %q, not the table", by)
		}
		if _, stretched := claims.Attr("preserveAspectRatio"); stretched {
			t.Error("the reported-totals chart's words may be stretched")
		}
		bars := claims.Find(`[data-testid=claims-bar]`)
		if bars.Length() != 1+totals.Length() {
			t.Fatalf("%d bars, want the count made here and one per reported total (%d)", bars.Length(), totals.Length())
		}
		if first := bars.First(); !first.HasClass("tracker") || !strings.Contains(text(first.Find("text")), "4 counted here") {
			t.Errorf("first bar = %q, want the count made here", text(first.Find("text")))
		}
		widest := 0
		bars.Each(func(i int, g *goquery.Selection) {
			if g.Find("rect").Length() != 1 {
				t.Errorf("bar %d has %d rects", i, g.Find("rect").Length())
			}
			if w, _ := g.Find("rect").Attr("width"); w == "100.0%" {
				widest++
			}
			if i == 0 {
				return
			}
			tr := totals.Eq(i - 1)
			var lines []string
			g.Find("text").Each(func(_ int, l *goquery.Selection) { lines = append(lines, text(l)) })
			words := strings.Join(lines, " ")
			if !strings.Contains(words, text(tr.Find(`[data-testid=claim-figure]`))) || !strings.Contains(words, text(tr.Find(`[data-testid=claim-by]`))) {
				t.Errorf("bar %d says %q, not the figure and claimant of %q", i, words, text(tr))
			}
		})
		if widest == 0 {
			t.Error("no bar fills the chart: not scaled to the largest figure")
		}

		if rule := text(doc.Find(`[data-testid=identity-rule]`)); !strings.Contains(rule, "googlemail.com is gmail.com") || !strings.Contains(rule, "gmail.com: dots before the @ are ignored") {
			t.Errorf("the identity rule is not explained: %q", rule)
		}

		// Aggregates only.
		for _, s := range countSigners {
			if strings.Contains(strings.ToLower(r.body), strings.ToLower(s)) {
				t.Errorf("the count page shows %q, of a signer", s)
			}
		}
	})
}

// The campaign page links the count from its count block.
func TestCampaignPageLinksTheCount(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		r := a.browser().get("/campaigns/no-tech-for-ice")
		link := r.doc(t).Find(`[data-testid=count-link]`)
		if href, _ := link.Attr("href"); r.status != http.StatusOK || href != countPath || text(link) != "How the count is made" {
			t.Errorf("count link: %d %q %q", r.status, href, text(link))
		}
	})
}

// Before any import: the form's source alone, nothing to chart, nobody
// shared, and words saying so.
func TestCountPageBeforeAnyImport(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		r := a.browser().get(countPath)
		if r.status != http.StatusOK {
			t.Fatalf("count page: %d", r.status)
		}
		checkHTML(t, r.body)
		doc := r.doc(t)
		if got := text(doc.Find(`[data-testid=people-count]`)); got != "0" {
			t.Errorf("people = %q", got)
		}
		if doc.Find(`[data-testid=no-imports]`).Length() != 1 || doc.Find(`[data-testid=no-pairs]`).Length() != 1 {
			t.Error("no words for the empty state")
		}
		if n := doc.Find(`[data-testid=source]`).Length(); n != 1 || text(doc.Find(`[data-testid=source-name]`)) != models.WebSourceName {
			t.Errorf("%d sources, want the form's alone", n)
		}
		if doc.Find(`[data-testid=source-chart]`).Length() != 0 {
			t.Error("a chart of nothing")
		}
	})
}

func TestCountPageHeadAndUnknownCampaign(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		b := a.browser()
		for _, path := range []string{countPath, "/api/campaigns/no-tech-for-ice/deliveries"} {
			if r := b.head(path); r.status != http.StatusOK || r.body != "" {
				t.Errorf("HEAD %s = %d, %d bytes", path, r.status, len(r.body))
			}
		}
		if r := b.get("/campaigns/nope/count"); r.status != http.StatusNotFound || r.doc(t).Find(`[data-testid=error]`).Length() != 1 {
			t.Errorf("count page of an unknown campaign = %d", r.status)
		}
		r := b.get("/api/campaigns/nope/deliveries")
		var body struct {
			Error string `json:"error"`
		}
		if r.status != http.StatusNotFound || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") ||
			json.Unmarshal([]byte(r.body), &body) != nil || body.Error == "" {
			t.Errorf("deliveries API of an unknown campaign = %d %q %s", r.status, r.header.Get("Content-Type"), r.body)
		}
	})
}

type sourceJSON struct {
	Name     string `json:"name"`
	Partner  string `json:"partner"`
	Claimed  *int64 `json:"claimed"`
	Received int64  `json:"received"`
	Unique   int64  `json:"unique"`
	Shared   int64  `json:"shared"`
}

func TestCampaignJSONListsSources(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		countDemo(t, a)
		r := a.browser().get("/api/campaigns/no-tech-for-ice")
		var got struct {
			SignatureCount int64        `json:"signature_count"`
			Sources        []sourceJSON `json:"sources"`
		}
		if r.status != http.StatusOK || json.Unmarshal([]byte(r.body), &got) != nil {
			t.Fatalf("api: %d %s", r.status, r.body)
		}
		if got.SignatureCount != 4 {
			t.Errorf("signature_count = %d, want 4 people", got.SignatureCount)
		}
		claimed := int64(150_000)
		want := []sourceJSON{
			{Name: models.WebSourceName},
			{Name: "ACLU list", Received: 3, Unique: 1, Shared: 2},
			{Name: "Mijente list", Partner: "Mijente", Claimed: &claimed, Received: 3, Unique: 1, Shared: 2},
		}
		if len(got.Sources) != len(want) {
			t.Fatalf("sources = %+v", got.Sources)
		}
		for i, w := range want {
			g := got.Sources[i]
			if g.Name != w.Name || g.Partner != w.Partner || (g.Claimed == nil) != (w.Claimed == nil) ||
				(g.Claimed != nil && *g.Claimed != *w.Claimed) || g.Received != w.Received || g.Unique != w.Unique || g.Shared != w.Shared {
				t.Errorf("source %d = %+v, want %+v", i, g, w)
			}
		}
		// Exactly the six keys, claimed null when there is no claim.
		var raw struct {
			Sources []map[string]json.RawMessage `json:"sources"`
		}
		json.Unmarshal([]byte(r.body), &raw)
		if len(raw.Sources[0]) != 6 || string(raw.Sources[0]["claimed"]) != "null" || string(raw.Sources[0]["partner"]) != `""` {
			t.Errorf("the form's source in JSON = %v", raw.Sources[0])
		}
		for _, s := range countSigners {
			if strings.Contains(strings.ToLower(r.body), strings.ToLower(s)) {
				t.Errorf("the API shows %q, of a signer", s)
			}
		}
	})
}

// A delivery marked delivered carries the count of that moment, in the
// API and on the public page; one still planned carries none.
func TestDeliveriesCarryTheirCount(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		cp := countDemo(t, a)
		const secret = "PRIVATE-DELIVERY-NOTE"
		at := time.Date(2030, 7, 15, 9, 0, 0, 0, time.UTC)
		done := &models.Delivery{City: "Tacoma", Region: "WA", Country: "US", Venue: "AWS office", ScheduledAt: &at, Recipient: "Reception", Notes: secret}
		later := &models.Delivery{City: "Olympia", Region: "WA", Country: "US", ScheduledAt: &at, Notes: secret}
		for _, d := range []*models.Delivery{done, later} {
			if err := a.store.CreateDelivery(ctx, models.CommandLine, cp.ID, d); err != nil {
				t.Fatal(err)
			}
		}
		moved := time.Date(2030, 7, 15, 10, 2, 30, 0, time.UTC)
		if _, err := a.store.MoveDelivery(ctx, models.CommandLine, cp.ID, done.ID, models.DeliveryDelivered, moved, nil); err != nil {
			t.Fatal(err)
		}

		r := a.browser().get("/api/campaigns/no-tech-for-ice/deliveries")
		if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
			t.Fatalf("deliveries API: %d %q", r.status, r.header.Get("Content-Type"))
		}
		var got []struct {
			ID              uint    `json:"id"`
			City            string  `json:"city"`
			Venue           string  `json:"venue"`
			Status          string  `json:"status"`
			ScheduledAt     *string `json:"scheduled_at"`
			DeliveredAt     *string `json:"delivered_at"`
			Recipient       string  `json:"recipient"`
			CountAtDelivery *struct {
				Total   int64        `json:"total"`
				At      string       `json:"at"`
				Sources []sourceJSON `json:"sources"`
			} `json:"count_at_delivery"`
		}
		if err := json.Unmarshal([]byte(r.body), &got); err != nil {
			t.Fatal(err)
		}
		var raw []map[string]json.RawMessage
		json.Unmarshal([]byte(r.body), &raw)
		seen := 0
		for i, d := range got {
			if len(raw[i]) != 11 {
				t.Errorf("delivery %d has keys %v, want the 11", d.ID, raw[i])
			}
			switch d.ID {
			case done.ID:
				seen++
				c := d.CountAtDelivery
				if c == nil || c.Total != 4 || c.At != "2030-07-15T10:02:30Z" || d.Status != "delivered" || d.Venue != "AWS office" || d.Recipient != "Reception" {
					t.Fatalf("delivered: %+v, count %+v", d, c)
				}
				if len(c.Sources) != 2 || c.Sources[0].Name != "ACLU list" || c.Sources[1].Name != "Mijente list" ||
					c.Sources[1].Claimed == nil || *c.Sources[1].Claimed != 150_000 || c.Sources[1].Partner != "Mijente" ||
					c.Sources[1].Received != 3 || c.Sources[1].Unique != 1 || c.Sources[1].Shared != 2 {
					t.Errorf("the count's sources = %+v", c.Sources)
				}
				if d.DeliveredAt == nil || !strings.HasPrefix(*d.DeliveredAt, "2030-07-15T03:02:00-07:00") {
					t.Errorf("delivered_at = %v, want the moment in Tacoma's time", d.DeliveredAt)
				}
			case later.ID:
				seen++
				if d.CountAtDelivery != nil || string(raw[i]["count_at_delivery"]) != "null" || d.DeliveredAt != nil || d.ScheduledAt == nil {
					t.Errorf("planned: %+v %s", d, raw[i]["count_at_delivery"])
				}
			default:
				if d.CountAtDelivery != nil {
					t.Errorf("seeded delivery %d (%s) carries a count of %d, with no record", d.ID, d.City, d.CountAtDelivery.Total)
				}
			}
		}
		if seen != 2 {
			t.Errorf("the API lists %d of the two new deliveries", seen)
		}
		if strings.Contains(r.body, secret) {
			t.Error("the deliveries API shows the organisers' notes")
		}

		page := a.browser().get("/campaigns/no-tech-for-ice/deliveries")
		doc := page.doc(t)
		counts := doc.Find(`[data-testid=delivery-count]`)
		if counts.Length() != 1 {
			t.Fatalf("%d delivery counts on the page, want 1", counts.Length())
		}
		if got := text(counts); got != "Carried 4 signatures (counted 15 July 2030 at 10:02 UTC)" {
			t.Errorf("delivery count = %q", got)
		}
		row := counts.Closest(`[data-testid=delivery]`)
		if id, _ := row.Attr("id"); !strings.HasSuffix(id, "-"+itoa(done.ID)) {
			t.Errorf("the count is on the row %q", id)
		}
		if by := text(row.Find(`[data-testid=delivery-count-sources]`)); !strings.Contains(by, "Mijente list (Mijente): 3 received, 1 unique, 2 shared; claimed 150,000") {
			t.Errorf("per-source breakdown = %q", by)
		}
		checkHTML(t, page.body)
	})
}

// With the page cache on, the count page and the campaign page are kept
// apart: each address gets its own page, first request and cached.
func TestCountPageHasItsOwnCache(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		if _, err := seed.Load(context.Background(), store); err != nil {
			t.Fatal(err)
		}
		e := handlers.New(store, slog.New(slog.NewTextHandler(io.Discard, nil)), config.Config{PageCache: time.Hour}).Router()
		for range 2 {
			for path, h1 := range map[string]string{countPath: "How the count is made", "/campaigns/no-tech-for-ice": "#NoTechForICE"} {
				for _, enc := range []string{"", "gzip"} {
					req := httptest.NewRequest(http.MethodGet, path, nil)
					req.Header.Set("Accept-Encoding", enc)
					rec := httptest.NewRecorder()
					e.ServeHTTP(rec, req)
					var body io.Reader = rec.Body
					if enc == "gzip" {
						zr, err := gzip.NewReader(rec.Body)
						if err != nil {
							t.Fatalf("GET %s: not gzip: %v", path, err)
						}
						body = zr
					}
					doc, _ := goquery.NewDocumentFromReader(body)
					if rec.Code != http.StatusOK || !strings.Contains(text(doc.Find("h1")), h1) {
						t.Errorf("GET %s (%q) = %d, h1 %q", path, enc, rec.Code, text(doc.Find("h1")))
					}
				}
			}
		}
	})
}

// voidElements have no end tag.
var voidElements = map[string]bool{"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true, "img": true,
	"input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true}

// checkHTML fails t when body is not well formed: an end tag that closes
// another element than the last one open, an element left open, an id
// given twice, or an aria-labelledby, label for or #fragment link naming
// no id.
func checkHTML(t *testing.T, body string) {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(body))
	var open []string
	ids := map[string]int{}
	var refs []string
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if !errors.Is(z.Err(), io.EOF) {
				t.Fatalf("HTML: %v", z.Err())
			}
			break
		}
		tok := z.Token()
		switch tt {
		case html.StartTagToken, html.SelfClosingTagToken:
			for _, at := range tok.Attr {
				switch {
				case at.Key == "id":
					ids[at.Val]++
				case at.Key == "aria-labelledby" || at.Key == "aria-describedby":
					refs = append(refs, strings.Fields(at.Val)...)
				case at.Key == "for" && tok.Data == "label":
					refs = append(refs, at.Val)
				case at.Key == "href" && strings.HasPrefix(at.Val, "#") && len(at.Val) > 1:
					refs = append(refs, at.Val[1:])
				}
			}
			if tt == html.StartTagToken && !voidElements[tok.Data] {
				open = append(open, tok.Data)
			}
		case html.EndTagToken:
			if len(open) == 0 || open[len(open)-1] != tok.Data {
				t.Errorf("HTML: </%s> closes %v", tok.Data, open)
				return
			}
			open = open[:len(open)-1]
		}
	}
	if len(open) > 0 {
		t.Errorf("HTML: left open: %v", open)
	}
	for id, n := range ids {
		if n > 1 {
			t.Errorf("HTML: id %q given %d times", id, n)
		}
	}
	for _, ref := range refs {
		if ids[ref] == 0 {
			t.Errorf("HTML: %q names no element", ref)
		}
	}
}

// BenchmarkCountPage serves the count page beside the campaign page and
// the JSON, with the page cache on (as in production) and off, over the
// seeded campaign with 10 sources of 2,000 signatures each, every other
// source overlapping its neighbour by 30%. The figures are kept, so the
// number of signatures changes nothing here; the target is the
// count page and JSON at half the campaign page's requests a second.
// Run: go test ./handlers -run '^$' -bench CountPage
func BenchmarkCountPage(b *testing.B) {
	store := testdb.Open(b, testdb.SQLite)
	if _, err := seed.Load(context.Background(), store); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	cp, _ := store.CampaignBySlug(ctx, "no-tech-for-ice")
	for s := range 10 {
		sigs := make([]*models.Signature, 2000)
		for i := range sigs {
			n := s*1400 + i // 600 of each source's rows are the next one's first
			sigs[i] = &models.Signature{FirstName: "Signer", Email: "s" + strconv.Itoa(n) + "@signers.test", Country: "US"}
		}
		if _, err := store.ImportSignatures(ctx, cp.ID, testdb.Source(b, store, cp.ID, "List "+strconv.Itoa(s)), sigs); err != nil {
			b.Fatal(err)
		}
	}
	for _, ttl := range []time.Duration{time.Second, 0} {
		e := handlers.New(store, slog.New(slog.NewTextHandler(io.Discard, nil)), config.Config{PageCache: ttl}).Router()
		for _, path := range []string{"/campaigns/no-tech-for-ice", countPath, "/api/campaigns/no-tech-for-ice", "/api/campaigns/no-tech-for-ice/deliveries"} {
			b.Run("cache="+ttl.String()+path, func(b *testing.B) {
				b.ReportAllocs()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						rec := httptest.NewRecorder()
						e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
						if rec.Code != http.StatusOK {
							b.Fatalf("GET %s = %d", path, rec.Code)
						}
					}
				})
			})
		}
	}
}
