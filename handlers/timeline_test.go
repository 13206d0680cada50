package handlers_test

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"campaigntrack/config"
	"campaigntrack/models"
	"campaigntrack/seed"
	"campaigntrack/testdb"
)

// The documented headers of the public actions and responses CSVs
// (csvio.ActionColumns, csvio.ResponseColumns), written out here so a
// change to either is a change someone has to mean.
const (
	actionsHeader   = "kind,title,description,occurred_at,place,city,region,country,attendance,organisations,source_urls,sources,title_es,description_es"
	responsesHeader = "responded_at,speaker,speaker_role,channel,kind,quote,summary,answers,answers_city,source_urls,sources,summary_es,quote_es"
)

const timelinePath = "/campaigns/no-tech-for-ice/timeline"

// tlDemo is the demo campaign.
func tlDemo(t *testing.T, a *app) *models.Campaign {
	t.Helper()
	cp, err := a.store.CampaignBySlug(context.Background(), "no-tech-for-ice")
	if err != nil {
		t.Fatal(err)
	}
	return cp
}

// tlEntries are the timeline entries of a page, each checked for what
// every entry must have: an id, a kind, a date in a <time> and a title.
func tlEntries(t *testing.T, doc *goquery.Document) *goquery.Selection {
	t.Helper()
	entries := doc.Find(`[data-testid=timeline] [data-testid=timeline-entry]`)
	entries.Each(func(_ int, e *goquery.Selection) {
		id, _ := e.Attr("id")
		kind, _ := e.Attr("data-kind")
		dt, _ := e.Find("time").Attr("datetime")
		if id == "" || kind == "" || dt == "" || text(e.Find("time")) == "" || text(e.Find("h4")) == "" {
			t.Errorf("entry without its id, kind, date or title: %q", text(e))
		}
	})
	return entries
}

func tlKinds(entries *goquery.Selection) map[string]int {
	out := map[string]int{}
	entries.Each(func(_ int, e *goquery.Selection) {
		k, _ := e.Attr("data-kind")
		out[k]++
	})
	return out
}

func TestTimelinePageShowsTheSeededRecord(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		cp := tlDemo(t, a)
		// Private notes on the records the timeline shows must stay in the
		// organiser area.
		const secret = "PRIVATE-TIMELINE-NOTE"
		actions, _ := a.store.ActionsFor(ctx, cp.ID, models.ActionFilter{})
		if _, err := a.store.UpdateAction(ctx, models.CommandLine, cp.ID, actions[0].ID, func(x *models.Action) { x.Notes = secret }); err != nil {
			t.Fatal(err)
		}
		rs, _ := a.store.ResponsesFor(ctx, cp.ID, models.ResponsesOldestFirst)
		if _, err := a.store.UpdateResponse(ctx, models.CommandLine, cp.ID, rs[3].ID, func(x *models.Response) { x.Notes = secret }); err != nil {
			t.Fatal(err)
		}

		r := a.browser().get(timelinePath)
		if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
			t.Fatalf("timeline: %d %s", r.status, r.header.Get("Content-Type"))
		}
		if strings.Contains(r.body, secret) {
			t.Error("a private note is on the public timeline")
		}
		doc := r.doc(t)
		if n := doc.Find("h1").Length(); n != 1 {
			t.Errorf("%d h1, want 1", n)
		}
		entries := tlEntries(t, doc)
		kinds := tlKinds(entries)
		if kinds["response"] != 4 || kinds["action"] != 6 || kinds["delivery"] != 6 || kinds["milestone"] != 5 {
			t.Errorf("entries by kind = %v, want 4 responses, 6 actions, 6 deliveries, 5 milestones", kinds)
		}
		entries.Each(func(_ int, e *goquery.Selection) {
			if e.Find(`[data-testid=sources]`).Length() != 1 {
				t.Errorf("entry without its sources: %q", text(e))
			}
		})
		// Oldest first: the AWS Summit disruption, then Vogels' answer to it.
		if first := text(entries.First().Find("h4")); first != "Protesters disrupt the AWS Summit in New York" {
			t.Errorf("first entry = %q", first)
		}
		if dt, _ := entries.First().Find("time").Attr("datetime"); dt != "2019-07-11" {
			t.Errorf("first entry's datetime = %q", dt)
		}
		// The silence to KPIX is on the record, in words.
		noReply := entries.Filter(`[data-kind=response]`).FilterFunction(func(_ int, e *goquery.Selection) bool {
			return e.Find(`[data-testid=no-reply]`).Length() == 1
		})
		if noReply.Length() != 1 || !strings.Contains(text(noReply), "KPIX") || strings.Count(strings.ToLower(text(noReply)), "no reply") != 1 {
			t.Errorf("the no-reply entry = %q", text(noReply))
		}
		// Anchors the feed and the responses page link to.
		for _, id := range []string{"action-1", "response-1", "delivery-1", "claim-1"} {
			if doc.Find("#"+id).Length() != 1 {
				t.Errorf("no entry #%s", id)
			}
		}
		feed := doc.Find(`a[type="application/atom+xml"]`)
		if href, _ := feed.Attr("href"); href != timelinePath+".atom" || !strings.Contains(text(feed), "Follow with a feed reader (Atom)") {
			t.Errorf("feed link = %q %q", href, text(feed))
		}
	})
}

func TestTimelineFilters(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		b := a.browser()
		cases := []struct {
			query string
			kinds map[string]int
			city  string // every entry's city, when the filter names one
			shown string // the heading
		}{
			{"?kind=response", map[string]int{"response": 4}, "", "Responses"},
			{"?kind=+Action+", map[string]int{"action": 6}, "", "Actions"},
			{"?kind=milestone", map[string]int{"milestone": 5}, "", "Milestones"},
			{"?city=Seattle", map[string]int{"delivery": 1, "action": 1}, "Seattle", "Entries in Seattle"},
			{"?city=seattle", map[string]int{"delivery": 1, "action": 1}, "Seattle", "Entries in Seattle"},
			{"?kind=response&city=San+Francisco", map[string]int{"response": 1}, "San Francisco", "Responses in San Francisco"},
			{"?kind=&city=", map[string]int{"milestone": 5, "delivery": 6, "action": 6, "response": 4}, "", "Everything on record"},
		}
		for _, tc := range cases {
			r := b.get(timelinePath + tc.query)
			if r.status != http.StatusOK {
				t.Errorf("%s: %d", tc.query, r.status)
				continue
			}
			doc := r.doc(t)
			entries := tlEntries(t, doc)
			if got := tlKinds(entries); !equalCounts(got, tc.kinds) {
				t.Errorf("%s: entries by kind = %v, want %v", tc.query, got, tc.kinds)
			}
			if tc.city != "" {
				entries.Each(func(_ int, e *goquery.Selection) {
					if got := text(e.Find(`[data-testid=entry-city]`)); got != tc.city {
						t.Errorf("%s: an entry in %q: %q", tc.query, got, text(e.Find("h4")))
					}
				})
				// The form shows the city as the records spell it.
				if v, _ := doc.Find(`#timeline-city option[selected]`).Attr("value"); v != tc.city {
					t.Errorf("%s: the city list selects %q", tc.query, v)
				}
			}
			if got := text(doc.Find("h2#timeline-heading")); got != tc.shown {
				t.Errorf("%s: heading %q, want %q", tc.query, got, tc.shown)
			}
		}

		for query, want := range map[string]string{
			"?city=Nowhere":                 "Nothing on the timeline for Nowhere.",
			"?kind=response&city=Portland":  "No responses on the timeline for Portland.",
			"?kind=milestone&city=New+York": "No milestones on the timeline for New York.",
		} {
			doc := b.get(timelinePath + query).doc(t)
			if got := text(doc.Find(`[data-testid=timeline-empty]`)); got != want {
				t.Errorf("%s: %q, want %q", query, got, want)
			}
			if doc.Find(`[data-testid=timeline]`).Length() != 0 {
				t.Errorf("%s: an empty list is shown", query)
			}
		}

		// One filter: the form, which shows what the page is narrowed to.
		doc := b.get(timelinePath + "?city=Seattle&kind=delivery").doc(t)
		if n := doc.Find(`form[data-testid=timeline-filter]`).Length(); n != 1 || doc.Find(`[data-testid=timeline-kinds]`).Length() != 0 {
			t.Errorf("%d filter forms, and the kind links are still there: %d", n, doc.Find(`[data-testid=timeline-kinds]`).Length())
		}
		kind, _ := doc.Find(`#timeline-kind option[selected]`).Attr("value")
		city, _ := doc.Find(`#timeline-city option[selected]`).Attr("value")
		if kind != "delivery" || city != "Seattle" {
			t.Errorf("the form shows kind %q, city %q", kind, city)
		}
		// Entries are grouped by day, each day once, oldest first.
		doc = b.get(timelinePath).doc(t)
		var days []string
		doc.Find(`[data-testid=timeline-day] > h3 time`).Each(func(_ int, s *goquery.Selection) {
			d, _ := s.Attr("datetime")
			days = append(days, d)
		})
		if len(days) < 2 || !slices.IsSorted(days) || len(slices.Compact(slices.Clone(days))) != len(days) {
			t.Errorf("days %q: want each once, oldest first", days)
		}
		if n := doc.Find(`[data-testid=timeline-day] [data-testid=timeline-entry]`).Length(); n != doc.Find(`[data-testid=timeline-entry]`).Length() || n == 0 {
			t.Errorf("%d entries under a day", n)
		}
	})
}

func equalCounts(a, b map[string]int) bool {
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	for k, v := range b {
		if a[k] != v {
			return false
		}
	}
	return true
}

// TestTimelineFilterFormIsAPlainGET submits the filter form as a browser
// without JavaScript would: its method and action, and the value of each
// of its controls.
func TestTimelineFilterFormIsAPlainGET(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		b := a.browser()
		form := b.get(timelinePath).doc(t).Find(`form[data-testid=timeline-filter]`)
		if form.Length() != 1 {
			t.Fatal("no filter form")
		}
		method, _ := form.Attr("method")
		action, _ := form.Attr("action")
		if !strings.EqualFold(method, "get") || action != timelinePath {
			t.Fatalf("form %s %s", method, action)
		}
		if form.Find(`button[type=submit]`).Length() != 1 {
			t.Error("no submit button")
		}
		// Every control has a label.
		form.Find("select, input").Each(func(_ int, s *goquery.Selection) {
			id, _ := s.Attr("id")
			if id == "" || form.Find(`label[for="`+id+`"]`).Length() != 1 {
				t.Errorf("control %q without a label", id)
			}
		})
		choose := map[string]string{"kind": "response", "city": "San Francisco"}
		q := url.Values{}
		form.Find("select").Each(func(_ int, s *goquery.Selection) {
			name, _ := s.Attr("name")
			found := false
			s.Find("option").Each(func(_ int, o *goquery.Selection) {
				if v, _ := o.Attr("value"); v == choose[name] {
					found = true
				}
			})
			if !found {
				t.Errorf("the %s list does not offer %q", name, choose[name])
			}
			q.Set(name, choose[name])
		})
		r := b.get(action + "?" + q.Encode())
		if r.status != http.StatusOK {
			t.Fatalf("submitting the form: %d", r.status)
		}
		doc := r.doc(t)
		entries := tlEntries(t, doc)
		if entries.Length() != 1 || !strings.Contains(text(entries), "KPIX") {
			t.Errorf("filtered to %d entries: %q", entries.Length(), text(entries))
		}
		for name, want := range choose {
			if v, _ := doc.Find(`select[name=` + name + `] option[selected]`).Attr("value"); v != want {
				t.Errorf("after submitting, the %s list selects %q", name, v)
			}
		}
		// The form offers every city on the record, even on a page
		// narrowed to one.
		if n := doc.Find(`select[name=city] option`).Length(); n != 9 {
			t.Errorf("%d city options, want All + 8 cities", n)
		}
	})
}

func TestTimelineBadFiltersAre400(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		b := a.browser()
		for _, path := range []string{timelinePath, timelinePath + ".atom"} {
			r := b.get(path + "?kind=tweet")
			if r.status != http.StatusBadRequest {
				t.Fatalf("%s?kind=tweet: %d", path, r.status)
			}
			msg := text(r.doc(t).Find(`[data-testid=error]`))
			if !strings.Contains(msg, "kind filter") {
				t.Errorf("%s: the message does not name the kind filter: %q", path, msg)
			}
			for _, k := range models.TimelineKinds {
				if !strings.Contains(msg, k) {
					t.Errorf("%s: the message does not list %q: %q", path, k, msg)
				}
			}
			long := strings.Repeat("é", 201)
			if r := b.get(path + "?city=" + url.QueryEscape(long)); r.status != http.StatusBadRequest || !strings.Contains(r.body, "city filter") {
				t.Errorf("%s: a 201-character city: %d", path, r.status)
			}
			if r := b.get(path + "?city=" + url.QueryEscape(long[2:])); r.status != http.StatusOK {
				t.Errorf("%s: a 200-character city: %d", path, r.status)
			}
			if r := b.get(strings.Replace(path, "no-tech-for-ice", "nope", 1)); r.status != http.StatusNotFound {
				t.Errorf("%s for an unknown campaign: %d", path, r.status)
			}
		}
	})
}

// TestTimelineShowsTimesWhereTheyHappened: a timed record is shown in its
// own zone, with the offset in its <time>.
func TestTimelineShowsTimesWhereTheyHappened(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		cp := tlDemo(t, a)
		act := &models.Action{Kind: "rally", Title: "Evening vigil", OccurredAt: time.Date(2019, 7, 16, 18, 30, 0, 0, time.UTC),
			City: "Seattle", Region: "WA", Country: "US", TimeZone: "America/Los_Angeles", Sources: models.Sources{{Name: "A local paper"}}}
		if err := a.store.CreateAction(context.Background(), models.CommandLine, cp.ID, act); err != nil {
			t.Fatal(err)
		}
		e := a.browser().get(timelinePath + "?kind=action&city=Seattle").doc(t).Find(`[data-testid=timeline-entry]`).Last()
		tm := e.Find("time")
		if dt, _ := tm.Attr("datetime"); dt != "2019-07-16T11:30:00-07:00" || text(tm) != "16 July 2019, 11:30 PDT" {
			t.Errorf("time = %q %q", dt, text(tm))
		}
	})
}

// The feed as a reader parses it: names in the Atom namespace, and slices
// where RFC 4287 says "exactly one", so a repeat shows.
type tlFeed struct {
	XMLName xml.Name `xml:"feed"`
	IDs     []string `xml:"http://www.w3.org/2005/Atom id"`
	Titles  []string `xml:"http://www.w3.org/2005/Atom title"`
	Updated []string `xml:"http://www.w3.org/2005/Atom updated"`
	Authors []struct {
		Names []string `xml:"http://www.w3.org/2005/Atom name"`
	} `xml:"http://www.w3.org/2005/Atom author"`
	Links   []tlLink  `xml:"http://www.w3.org/2005/Atom link"`
	Entries []tlEntry `xml:"http://www.w3.org/2005/Atom entry"`
}

type tlEntry struct {
	IDs       []string `xml:"http://www.w3.org/2005/Atom id"`
	Titles    []string `xml:"http://www.w3.org/2005/Atom title"`
	Updated   []string `xml:"http://www.w3.org/2005/Atom updated"`
	Published []string `xml:"http://www.w3.org/2005/Atom published"`
	Links     []tlLink `xml:"http://www.w3.org/2005/Atom link"`
	Content   []string `xml:"http://www.w3.org/2005/Atom content"`
	Category  []struct {
		Term string `xml:"term,attr"`
	} `xml:"http://www.w3.org/2005/Atom category"`
}

type tlLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
	Href string `xml:"href,attr"`
}

func (f tlFeed) link(rel string) string {
	for _, l := range f.Links {
		if l.Rel == rel {
			return l.Href
		}
	}
	return ""
}

// parseTimelineAtom checks that body is well-formed XML, strictly, and
// decodes it.
func parseTimelineAtom(t *testing.T, body string) tlFeed {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(body))
	dec.Strict = true
	for {
		if _, err := dec.Token(); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, body)
		}
	}
	var f tlFeed
	if err := xml.Unmarshal([]byte(body), &f); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestTimelineAtomFeed(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		cp := tlDemo(t, a)
		const secret = "PRIVATE-FEED-NOTE"
		ds, _ := a.store.DeliveriesFor(ctx, cp.ID)
		if _, err := a.store.UpdateDelivery(ctx, models.CommandLine, cp.ID, ds[0].ID, func(d *models.Delivery) { d.Notes = secret }); err != nil {
			t.Fatal(err)
		}

		r := a.browser().get(timelinePath + ".atom")
		if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/atom+xml; charset=utf-8" {
			t.Fatalf("feed: %d %q", r.status, r.header.Get("Content-Type"))
		}
		if strings.Contains(r.body, secret) {
			t.Error("a private note is in the feed")
		}
		f := parseTimelineAtom(t, r.body)
		page := "http://localhost:8080" + timelinePath // the base URL of a Config that sets none
		site, err := a.store.SiteID(ctx)
		if err != nil || site == "" {
			t.Fatalf("site id %q, %v", site, err)
		}
		tag := fmt.Sprintf("tag:campaigntrack,2019:%s/campaign/%d/", site, cp.ID)
		if f.XMLName.Space != "http://www.w3.org/2005/Atom" {
			t.Errorf("namespace = %q", f.XMLName.Space)
		}
		if len(f.IDs) != 1 || f.IDs[0] != tag+"timeline" {
			t.Errorf("feed id = %q, want %q", f.IDs, tag+"timeline")
		}
		if len(f.Titles) != 1 || f.Titles[0] != cp.Title+": timeline" {
			t.Errorf("feed title = %q", f.Titles)
		}
		if len(f.Updated) != 1 {
			t.Fatalf("feed updated = %q", f.Updated)
		}
		updated, err := time.Parse(time.RFC3339, f.Updated[0])
		if err != nil {
			t.Errorf("feed updated %q: %v", f.Updated[0], err)
		}
		if len(f.Authors) != 1 || len(f.Authors[0].Names) != 1 || !strings.Contains(f.Authors[0].Names[0], "ACLU of Washington") || !strings.Contains(f.Authors[0].Names[0], "Mijente") {
			t.Errorf("author = %+v, want the coalition", f.Authors)
		}
		if got := f.link("self"); got != page+".atom" {
			t.Errorf("self link = %q", got)
		}
		if got := f.link("alternate"); got != page {
			t.Errorf("alternate link = %q", got)
		}

		if len(f.Entries) != 21 {
			t.Errorf("%d entries, want the 21 of the timeline", len(f.Entries))
		}
		ids := map[string]bool{}
		kinds := map[string]int{}
		var latest, previous time.Time
		for i, e := range f.Entries {
			if len(e.IDs) != 1 || len(e.Titles) != 1 || e.Titles[0] == "" || len(e.Updated) != 1 || len(e.Links) != 1 || len(e.Category) != 1 {
				t.Errorf("entry %d lacks an id, title, updated, link or category: %+v", i, e)
				continue
			}
			id := e.IDs[0]
			if ids[id] {
				t.Errorf("id %q repeated", id)
			}
			ids[id] = true
			if anchor, ok := strings.CutPrefix(id, tag); !ok || e.Links[0].Href != page+"#"+anchor || e.Links[0].Rel != "alternate" {
				t.Errorf("entry %q links to %+v", id, e.Links)
			}
			u, err := time.Parse(time.RFC3339, e.Updated[0])
			if err != nil {
				t.Errorf("entry %q updated %q: %v", id, e.Updated[0], err)
			}
			if u.After(latest) {
				latest = u
			}
			// Newest first.
			published, _ := time.Parse(time.RFC3339, e.Published[0])
			if i > 0 && published.After(previous) {
				t.Errorf("entry %q (%s) comes after an older one", id, published)
			}
			previous = published
			kinds[e.Category[0].Term]++
			if len(e.Content) != 1 || !strings.Contains(e.Content[0], "Sources:") {
				t.Errorf("entry %q has no sources: %q", id, e.Content)
			}
		}
		if !updated.Equal(latest) {
			t.Errorf("feed updated %s, latest entry %s", updated, latest)
		}
		if kinds["response"] != 4 || kinds["action"] != 6 {
			t.Errorf("entries by kind = %v, want 4 responses and 6 actions", kinds)
		}
		// Each response and action is there with its own source.
		for _, want := range []struct{ id, title, source string }{
			{"response-1", "Amazon: statement by Werner Vogels", "The Washington Post, 11 July 2019"},
			{"response-2", "Amazon: statement by AWS spokesperson", "BuzzFeed News"},
			{"response-3", "Amazon: no comment", "The Seattle Times / Tribune News Service"},
			{"response-4", "Amazon: no reply", "KPIX CBS San Francisco <https://cbsnews.com/"},
			{"action-1", "Protesters disrupt the AWS Summit in New York", "The Washington Post"},
			{"action-4", "Prime Day protest in Portland", "Public reporting gathered"},
		} {
			i := slices.IndexFunc(f.Entries, func(e tlEntry) bool { return len(e.IDs) == 1 && e.IDs[0] == tag+want.id })
			if i < 0 {
				t.Errorf("no entry %s", want.id)
				continue
			}
			e := f.Entries[i]
			if e.Titles[0] != want.title || !strings.Contains(e.Content[0], want.source) {
				t.Errorf("%s: %q, content %q", want.id, e.Titles[0], e.Content[0])
			}
		}

		// A filtered feed is a feed of its own; its entries keep their ids.
		r = a.browser().get(timelinePath + ".atom?kind=response&city=san+francisco")
		if r.status != http.StatusOK {
			t.Fatalf("filtered feed: %d", r.status)
		}
		f = parseTimelineAtom(t, r.body)
		if f.IDs[0] != tag+"timeline?city=San+Francisco&kind=response" || f.link("self") != page+".atom?city=San+Francisco&kind=response" ||
			f.link("alternate") != page+"?city=San+Francisco&kind=response" {
			t.Errorf("filtered feed id %q, links %+v", f.IDs, f.Links)
		}
		if len(f.Entries) != 1 || f.Entries[0].IDs[0] != tag+"response-4" {
			t.Errorf("filtered entries = %+v", f.Entries)
		}
		// A filter that matches nothing is still a valid feed.
		f = parseTimelineAtom(t, a.browser().get(timelinePath+".atom?city=Nowhere").body)
		if len(f.Entries) != 0 || len(f.Updated) != 1 || f.Updated[0] == "" {
			t.Errorf("empty feed: %d entries, updated %q", len(f.Entries), f.Updated)
		}
	})
}

// feedAs fetches the feed through a's router as a request with the given
// Host and headers, from a proxy on this machine.
func feedAs(t *testing.T, e http.Handler, path, host string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Host = host
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	req.RemoteAddr = "127.0.0.1:5000"
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s (Host %s): %d", path, host, rec.Code)
	}
	return rec
}

// TestTimelineAtomIgnoresTheRequestsHost: the feed is the same bytes
// whatever Host or forwarding headers a request carries, so no client can
// make the feed (or a shared cache's copy of it) point elsewhere, and its
// strong ETag is true of every copy.
func TestTimelineAtomIgnoresTheRequestsHost(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		for _, path := range []string{timelinePath + ".atom", timelinePath + ".atom?kind=response"} {
			one := feedAs(t, a.echo, path, "campaign.example.org")
			two := feedAs(t, a.echo, path, "evil.example.net", "X-Forwarded-Host", "evil.example.net", "X-Forwarded-Proto", "https", "Forwarded", "host=evil.example.net;proto=https")
			if one.Body.String() != two.Body.String() || one.Header().Get("ETag") != two.Header().Get("ETag") {
				t.Errorf("%s: the feed differs with the Host header", path)
			}
			if strings.Contains(two.Body.String(), "evil.example.net") || !strings.Contains(one.Body.String(), "http://localhost:8080/campaigns/") {
				t.Errorf("%s: the feed's links are not on the base URL:\n%s", path, two.Body)
			}
		}
	})
}

// TestTimelineAtomLinksUseTheBaseURL: links are on the configured public
// address, path prefix included, while ids are tag URIs that stay the same
// when the site moves to another host, scheme or path.
func TestTimelineAtomLinksUseTheBaseURL(t *testing.T) {
	t.Parallel()
	testdb.Each(t, func(t *testing.T, store *models.Store) {
		base, err := config.ParseBaseURL("https://campaign.example.org/sub/")
		if err != nil {
			t.Fatal(err)
		}
		moved := newApp(t, store, config.Config{BaseURL: base})
		before := parseTimelineAtom(t, feedAs(t, newApp(t, store, config.Config{}).echo, timelinePath+".atom", "old.example.org").Body.String())
		after := parseTimelineAtom(t, feedAs(t, moved.echo, timelinePath+".atom", "campaign.example.org").Body.String())

		page := "https://campaign.example.org/sub" + timelinePath
		if after.link("self") != page+".atom" || after.link("alternate") != page {
			t.Errorf("links = %+v, want them under %s", after.Links, page)
		}
		if len(before.IDs) != 1 || len(after.IDs) != 1 || before.IDs[0] != after.IDs[0] || !strings.HasPrefix(after.IDs[0], "tag:campaigntrack,2019:") {
			t.Errorf("feed id before the move %q, after %q; want one tag URI", before.IDs, after.IDs)
		}
		if len(after.Entries) == 0 || len(after.Entries) != len(before.Entries) {
			t.Fatalf("%d entries after the move, %d before", len(after.Entries), len(before.Entries))
		}
		for i, e := range after.Entries {
			if e.IDs[0] != before.Entries[i].IDs[0] || !strings.HasPrefix(e.IDs[0], "tag:campaigntrack,2019:") {
				t.Errorf("entry id %q after the move, %q before", e.IDs[0], before.Entries[i].IDs[0])
			}
			if !strings.HasPrefix(e.Links[0].Href, page+"#") {
				t.Errorf("entry link %q is not on the base URL", e.Links[0].Href)
			}
		}
	})
}

var daysWaiting = regexp.MustCompile(`^No answer for [0-9,]+ days$`)

func TestResponsesPageListsAnswersAndSilence(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		cp := tlDemo(t, a)
		const secret = "PRIVATE-RESPONSE-NOTE"
		rs, _ := a.store.ResponsesFor(ctx, cp.ID, models.ResponsesOldestFirst)
		if _, err := a.store.UpdateResponse(ctx, models.CommandLine, cp.ID, rs[0].ID, func(r *models.Response) { r.Notes = secret }); err != nil {
			t.Fatal(err)
		}

		r := a.browser().get("/campaigns/no-tech-for-ice/responses")
		if r.status != http.StatusOK {
			t.Fatalf("responses page: %d", r.status)
		}
		if strings.Contains(r.body, secret) {
			t.Error("a private note is on the responses page")
		}
		doc := r.doc(t)
		var headings []string
		doc.Find("main h1, main h2").Each(func(_ int, s *goquery.Selection) { headings = append(headings, goquery.NodeName(s)+" "+text(s)) })
		if want := []string{"h1 What Amazon (Amazon Web Services) said", "h2 Answers on record", "h2 Waiting for an answer"}; !slices.Equal(headings, want) {
			t.Errorf("headings = %q", headings)
		}
		answers := doc.Find(`[data-testid=responses] [data-testid=response]`)
		if answers.Length() != 4 {
			t.Fatalf("%d responses, want 4", answers.Length())
		}
		answers.Each(func(_ int, s *goquery.Selection) {
			if s.Find(`[data-testid=sources]`).Length() != 1 || s.Find("time[datetime]").Length() != 1 {
				t.Errorf("a response without its date or sources: %q", text(s))
			}
		})
		// Oldest first: Vogels on stage, in answer to the disruption.
		vogels := answers.First()
		if !strings.Contains(text(vogels.Find("h3")), "Werner Vogels, Chief Technology Officer, Amazon") || text(vogels.Find(`[data-testid=response-channel]`)) != "On stage" {
			t.Errorf("first response = %q", text(vogels))
		}
		if q := text(vogels.Find("blockquote")); !strings.Contains(q, "let me finish first") {
			t.Errorf("quote = %q", q)
		}
		if href, _ := vogels.Find(`a[data-testid=response-answers]`).Attr("href"); !regexp.MustCompile(`^/campaigns/no-tech-for-ice/timeline#action-[0-9]+$`).MatchString(href) {
			t.Errorf("Vogels answers %q", href)
		}
		if got := text(answers.Eq(1).Find(`[data-testid=response-answers]`)); got != "the campaign" {
			t.Errorf("the press statement answers %q", got)
		}
		// Silence to KPIX: marked as such, with who asked, and what it was
		// silence to.
		silent := answers.Filter(`[data-kind=no_reply]`)
		if silent.Length() != 1 {
			t.Fatalf("%d no-reply responses, want 1", silent.Length())
		}
		// "No reply" is said once: in the heading, not again in a badge and a line.
		if text(silent.Find("h3")) != "No reply from Amazon" || strings.Count(text(silent), "No reply") != 1 || silent.Find(`[data-testid=no-reply]`).Length() != 1 ||
			silent.Find("blockquote").Length() != 0 || !strings.Contains(text(silent.Find(`[data-testid=response-summary]`)), "KPIX") {
			t.Errorf("the no reply = %q", text(silent))
		}
		if href, _ := silent.Find(`a[data-testid=response-answers]`).Attr("href"); !regexp.MustCompile(`^/campaigns/no-tech-for-ice/deliveries#delivery-[0-9]+$`).MatchString(href) {
			t.Errorf("the no reply answers %q", href)
		}

		// Waiting: the five deliveries made and the five actions not
		// answered (Vogels answered the disruption), oldest first.
		waiting := doc.Find(`[data-testid=awaiting] [data-testid=awaiting-item]`)
		if waiting.Length() != 10 {
			t.Errorf("%d awaiting, want 10", waiting.Length())
		}
		if first := text(waiting.First().Find("th")); first != "Petition delivered in Elizabeth, NJ" {
			t.Errorf("longest wait = %q", first)
		}
		waiting.Each(func(_ int, s *goquery.Selection) {
			if got := text(s.Find(`[data-testid=awaiting-days]`)); !daysWaiting.MatchString(got) {
				t.Errorf("%q: %q", text(s.Find("th")), got)
			}
			if strings.Contains(text(s), "AWS Summit") {
				t.Error("the answered disruption is listed as waiting")
			}
		})

		// A logged silence is not an answer: Seattle keeps waiting, now
		// with its silence on the record.
		ds, _ := a.store.DeliveriesFor(ctx, cp.ID)
		seattle := ds[slices.IndexFunc(ds, func(d models.Delivery) bool { return d.City == "Seattle" })]
		if err := a.store.CreateResponse(ctx, models.CommandLine, cp.ID, &models.Response{
			RespondedAt: time.Date(2019, 7, 20, 0, 0, 0, 0, time.UTC), DateOnly: true, Speaker: "Amazon", Kind: models.ResponseNoReply,
			Summary: "Asked by the coalition for a meeting; no answer.", DeliveryID: &seattle.ID, Sources: models.Sources{{Name: "Coalition press release"}},
		}); err != nil {
			t.Fatal(err)
		}
		doc = a.browser().get("/campaigns/no-tech-for-ice/responses").doc(t)
		if n := doc.Find(`[data-testid=response][data-kind=no_reply]`).Length(); n != 2 {
			t.Errorf("%d no replies, want 2", n)
		}
		waiting = doc.Find(`[data-testid=awaiting-item]`)
		item := waiting.Filter(`[data-kind=delivery]`).FilterFunction(func(_ int, s *goquery.Selection) bool { return strings.Contains(text(s), "Seattle, WA") })
		if waiting.Length() != 10 || item.Length() != 1 || item.Find(`[data-testid=no-reply-logged]`).Length() != 1 ||
			!strings.Contains(text(item), "days (no reply logged: the silence on record)") {
			t.Errorf("%d waiting; Seattle: %q", waiting.Length(), text(item))
		}
		if href, _ := item.Find(`[data-testid=no-reply-logged] a`).Attr("href"); href == "" || doc.Find(href).Length() != 1 {
			t.Errorf("the logged silence links to %q", href)
		}

		if r := a.browser().get("/campaigns/nope/responses"); r.status != http.StatusNotFound {
			t.Errorf("unknown campaign: %d", r.status)
		}
	})
}

func TestResponsesAndActionsCSV(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		cp := tlDemo(t, a)
		const secret = "PRIVATE-CSV-NOTE"
		// Cells a spreadsheet would run as formulas.
		if err := a.store.CreateAction(ctx, models.CommandLine, cp.ID, &models.Action{
			Kind: "rally", Title: `=HYPERLINK("http://evil.example","x")`, Description: "+1 more", OccurredAt: time.Date(2019, 7, 16, 0, 0, 0, 0, time.UTC),
			DateOnly: true, City: "@Seattle", Notes: secret, Sources: models.Sources{{Name: "A paper", URL: "https://example.org/a"}},
		}); err != nil {
			t.Fatal(err)
		}
		if err := a.store.CreateResponse(ctx, models.CommandLine, cp.ID, &models.Response{
			RespondedAt: time.Date(2019, 7, 16, 0, 0, 0, 0, time.UTC), DateOnly: true, Speaker: "-Amazon", Channel: "email", Kind: "statement",
			Quote: "=1+1", Notes: secret, Sources: models.Sources{{Name: "A paper"}},
		}); err != nil {
			t.Fatal(err)
		}

		for _, tc := range []struct {
			path, what, header string
			rows               int
			cells              []string // neutralised cells the file must hold
		}{
			{"/campaigns/no-tech-for-ice/actions.csv", "actions", actionsHeader, 7, []string{`'=HYPERLINK("http://evil.example","x")`, "'+1 more", "'@Seattle"}},
			{"/campaigns/no-tech-for-ice/responses.csv", "responses", responsesHeader, 5, []string{"'-Amazon", "'=1+1"}},
		} {
			r := a.browser().get(tc.path)
			if r.status != http.StatusOK || r.header.Get("Content-Type") != "text/csv; charset=utf-8" {
				t.Fatalf("%s: %d %q", tc.path, r.status, r.header.Get("Content-Type"))
			}
			if cd := r.header.Get("Content-Disposition"); !regexp.MustCompile(`^attachment; filename="no-tech-for-ice-` + tc.what + `-\d{4}-\d{2}-\d{2}\.csv"$`).MatchString(cd) {
				t.Errorf("%s: Content-Disposition %q", tc.path, cd)
			}
			if first, _, _ := strings.Cut(r.body, "\n"); first != bom+tc.header {
				t.Errorf("%s: header %q", tc.path, first)
			}
			if strings.Contains(r.body, secret) {
				t.Errorf("%s: a private note is in the CSV", tc.path)
			}
			rows := readCSV(t, r.body)
			if len(rows)-1 != tc.rows {
				t.Errorf("%s: %d rows, want %d", tc.path, len(rows)-1, tc.rows)
			}
			var cells []string
			for _, row := range rows[1:] {
				cells = append(cells, row...)
			}
			for _, want := range tc.cells {
				if !slices.Contains(cells, want) {
					t.Errorf("%s: no neutralised cell %q", tc.path, want)
				}
			}
			for _, c := range cells {
				if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
					t.Errorf("%s: a cell a spreadsheet would run: %q", tc.path, c)
				}
			}
			if r := a.browser().get(strings.Replace(tc.path, "no-tech-for-ice", "nope", 1)); r.status != http.StatusNotFound {
				t.Errorf("%s for an unknown campaign: %d", tc.path, r.status)
			}
		}
		// Oldest first, each with what it answers.
		rows := readCSV(t, a.browser().get("/campaigns/no-tech-for-ice/responses.csv").body)
		if rows[1][1] != "Werner Vogels" || rows[1][7] != "action" || rows[1][8] != "New York" {
			t.Errorf("first response row = %q", rows[1])
		}
	})
}

// FuzzTimelineQuery sends arbitrary kind and city filters to the timeline
// page and its feed: the answer is a page, a feed or a 400, never a 5xx,
// and a feed is always well-formed XML.
func FuzzTimelineQuery(f *testing.F) {
	store := testdb.Open(f, testdb.SQLite)
	if _, err := seed.Load(context.Background(), store); err != nil {
		f.Fatal(err)
	}
	e := newRouter(store)
	for _, s := range [][2]string{
		{"", ""}, {"response", "Seattle"}, {"RESPONSE ", " seattle "}, {"tweet", ""}, {"", strings.Repeat("x", 201)},
		{"milestone", "Portland"}, {"action\x00", "San\xffFrancisco"}, {"", "<script>"}, {"delivery", "\u202eWashington"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, kind, city string) {
		q := url.Values{"kind": {kind}, "city": {city}}.Encode()
		for _, path := range []string{timelinePath, timelinePath + ".atom"} {
			rec := get(t, e, path+"?"+q)
			if rec.Code != http.StatusOK && rec.Code != http.StatusBadRequest {
				t.Fatalf("GET %s?%s = %d\n%s", path, q, rec.Code, rec.Body)
			}
			if rec.Code != http.StatusOK || !strings.HasSuffix(path, ".atom") {
				continue
			}
			dec := xml.NewDecoder(rec.Body)
			dec.Strict = true
			for {
				_, err := dec.Token()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatalf("GET %s?%s: not well-formed XML: %v", path, q, err)
				}
			}
		}
	})
}

// A feed reader that polls gets a 304 while nothing changed, and the new
// feed as soon as something did.
func TestTimelineAtomAnswersConditionalRequests(t *testing.T) {
	t.Parallel()
	eachApp(t, func(t *testing.T, a *app) {
		b := a.browser()
		first := b.get("/campaigns/no-tech-for-ice/timeline.atom")
		etag := first.header.Get("ETag")
		if first.status != http.StatusOK || etag == "" {
			t.Fatalf("feed: %d, ETag %q", first.status, etag)
		}
		if r := b.get("/campaigns/no-tech-for-ice/timeline.atom", "If-None-Match", etag); r.status != http.StatusNotModified || r.body != "" {
			t.Fatalf("unchanged feed with its ETag: %d, %d bytes", r.status, len(r.body))
		}
		ctx := context.Background()
		cp, _ := a.store.CampaignBySlug(ctx, "no-tech-for-ice")
		act := &models.Action{Kind: "rally", Title: "A new rally", OccurredAt: time.Date(2019, 7, 20, 18, 0, 0, 0, time.UTC)}
		if err := a.store.CreateAction(ctx, models.CommandLine, cp.ID, act); err != nil {
			t.Fatal(err)
		}
		if r := b.get("/campaigns/no-tech-for-ice/timeline.atom", "If-None-Match", etag); r.status != http.StatusOK || !strings.Contains(r.body, "A new rally") {
			t.Fatalf("changed feed with the old ETag: %d", r.status)
		}
	})
}
