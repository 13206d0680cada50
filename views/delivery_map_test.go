package views

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"campaigntrack/assets"
	"campaigntrack/geo"
)

func TestMapKey(t *testing.T) {
	t.Parallel()
	key := mapKey(context.Background(), []MapMarker{
		marker(0, 0, "refused", 1), marker(0, 0, "delivered", 2), marker(0, 0, "under_way", 3),
		marker(0, 0, "delivered", 4), marker(0, 0, "mystery", 5),
	})
	var got []string
	for _, k := range key {
		got = append(got, fmt.Sprintf("%s %s %d %s", k.Status, k.Label, k.Count, k.Colour))
	}
	want := []string{
		"under_way Under way 1 #0b5cad",
		"delivered Delivered 2 #1a7f37",
		"refused Refused 1 #b42318",
		"mystery Mystery 1 #6e6e6e",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("key:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func renderMap(t *testing.T, title string, ms []MapMarker) (*goquery.Document, string) {
	t.Helper()
	var b strings.Builder
	if err := DeliveryMap(title, ms).Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	return doc, b.String()
}

func TestDeliveryMapRenders(t *testing.T) {
	t.Parallel()
	markers := []MapMarker{
		{X: 97.6, Y: 46.3, Status: "delivered", Label: "Seattle, WA: delivered 15 Jul 2019", Href: "#delivery-1"},
		{X: 869.7, Y: 215.7, Status: "planned", Label: "New York, NY: planned", Href: "#delivery-2"},
		{X: 869.7, Y: 215.7, Status: "refused", Label: "New York, NY: refused <at the door>", Href: "#delivery-3"},
		{X: 500, Y: 300, Status: "cancelled", Label: "Somewhere: cancelled", Href: "#delivery-4"},
	}
	doc, raw := renderMap(t, "Where the petition was delivered: 1 of 4 cities", markers)

	svg := doc.Find(`figure.map > svg[data-testid="delivery-map"]`)
	if svg.Length() != 1 {
		t.Fatalf("%d map svgs; html:\n%s", svg.Length(), raw)
	}
	for attr, want := range map[string]string{"role": "group", "aria-labelledby": "delivery-map-title"} {
		if got, _ := svg.Attr(attr); got != want {
			t.Errorf("svg %s = %q, want %q", attr, got, want)
		}
	}
	if got := svg.Find("title#delivery-map-title").First().Text(); got != "Where the petition was delivered: 1 of 4 cities" {
		t.Errorf("map title %q", got)
	}
	img := svg.Find("image")
	if href, _ := img.Attr("href"); href != assets.Path("us-states.svg") || img.Length() != 1 {
		t.Errorf("base image: %d, href %q, want %q", img.Length(), href, assets.Path("us-states.svg"))
	}
	if w, _ := img.Attr("width"); w != "100%" {
		t.Errorf("base image width %q", w)
	}
	// No viewBox: markers are drawn in CSS px, so they keep their tap size
	// on a phone instead of shrinking with the map.
	if _, ok := svg.Attr("viewBox"); ok {
		t.Error("the map has a viewBox: its markers would shrink with it")
	}

	circles := svg.Find(`a > svg > circle[data-testid="map-marker"]`)
	if circles.Length() != len(markers) {
		t.Fatalf("%d markers, want %d", circles.Length(), len(markers))
	}
	spread := SpreadMarkers(markers)
	circles.Each(func(i int, c *goquery.Selection) {
		m := spread[i]
		attrs := map[string]string{
			"data-status": m.Status, "fill": markerColour(m.Status), "stroke": "#ffffff", "stroke-width": "2.5", "r": "14.0",
			"data-number": strconv.Itoa(i + 1),
		}
		place := c.Parent()
		if x, y := place.AttrOr("x", ""), place.AttrOr("y", ""); x != mapPercent(m.X, geo.MapWidth) || y != mapPercent(m.Y, geo.MapHeight) {
			t.Errorf("marker %d at %s,%s, want %.1f,%.1f of 975x610", i, x, y, m.X, m.Y)
		}
		if n := place.Find("text").Text(); n != strconv.Itoa(i+1) {
			t.Errorf("marker %d is numbered %q", i, n)
		}
		for a, want := range attrs {
			if got, _ := c.Attr(a); got != want {
				t.Errorf("marker %d: %s = %q, want %q", i, a, got, want)
			}
		}
		if got := c.Find("title").Text(); got != strconv.Itoa(i+1)+". "+m.Label {
			t.Errorf("marker %d: title %q, want %q", i, got, m.Label)
		}
		if href, _ := c.Parent().Parent().Attr("href"); href != m.Href {
			t.Errorf("marker %d: link %q, want %q", i, href, m.Href)
		}
	})
	if !strings.Contains(raw, "&lt;at the door&gt;") {
		t.Error("a label's markup was not escaped")
	}
	// The two New York markers no longer sit on each other.
	at := func(i int) string { p := circles.Eq(i).Parent(); return p.AttrOr("x", "") + "," + p.AttrOr("y", "") }
	if a, b := at(1), at(2); a == b {
		t.Errorf("two markers at one place: %s", a)
	}
	// Each moved marker is joined to its real place.
	if n := svg.Find(`line[data-testid="map-leader"]`).Length(); n != 2 {
		t.Errorf("%d leader lines, want 2 (the two New York markers)", n)
	}

	// The legend: the statuses present, in flow order, in the markers' colours.
	var key []string
	doc.Find(`figcaption [data-testid="map-key"] li`).Each(func(_ int, li *goquery.Selection) {
		fill, _ := li.Find("svg circle").Attr("fill")
		key = append(key, li.AttrOr("data-status", "")+" "+fill+" "+strings.Join(strings.Fields(li.Text()), " "))
	})
	wantKey := []string{"planned #0b5cad Planned: 1", "delivered #1a7f37 Delivered: 1", "refused #b42318 Refused: 1", "cancelled #b42318 Cancelled: 1"}
	if strings.Join(key, "|") != strings.Join(wantKey, "|") {
		t.Errorf("legend %q, want %q", key, wantKey)
	}
	if hidden, _ := doc.Find(`[data-testid="map-key"] svg`).First().Attr("aria-hidden"); hidden != "true" {
		t.Error("legend dots are not hidden from screen readers")
	}
	if got := doc.Find("figcaption").Text(); !strings.Contains(got, "State shapes: US Census Bureau, via us-atlas") {
		t.Errorf("no attribution in %q", got)
	}

	// What the Content-Security-Policy and "no JavaScript, nothing from
	// elsewhere" forbid.
	if n := doc.Find("[style], style, script").Length(); n > 0 {
		t.Errorf("%d style attributes, style or script elements", n)
	}
	doc.Find("[href], [src]").Each(func(_ int, s *goquery.Selection) {
		for _, a := range []string{"href", "src"} {
			if v, ok := s.Attr(a); ok && !strings.HasPrefix(v, "#") && !strings.HasPrefix(v, assets.Prefix) {
				t.Errorf("%s=%q leaves the page or the app's assets", a, v)
			}
		}
	})
	doc.Find("*").Each(func(_ int, s *goquery.Selection) {
		for _, a := range s.Nodes[0].Attr {
			if strings.HasPrefix(strings.ToLower(a.Key), "on") {
				t.Errorf("event handler attribute %s", a.Key)
			}
		}
	})
}

func TestDeliveryMapWithoutMarkers(t *testing.T) {
	t.Parallel()
	doc, _ := renderMap(t, "No deliveries yet", nil)
	if n := doc.Find(`[data-testid="map-marker"]`).Length(); n != 0 {
		t.Errorf("%d markers", n)
	}
	if n := doc.Find(`[data-testid="map-key"]`).Length(); n != 0 {
		t.Error("a legend with nothing in it")
	}
	if doc.Find(`svg[data-testid="delivery-map"] image`).Length() != 1 || !strings.Contains(doc.Find("figcaption").Text(), "us-atlas") {
		t.Error("the base map or its attribution is missing")
	}
}

func TestDeliveryMapRefusesScriptLinks(t *testing.T) {
	t.Parallel()
	doc, _ := renderMap(t, "t", []MapMarker{{X: 10, Y: 10, Status: "planned", Label: "x", Href: "javascript:alert(1)"}})
	if href, _ := doc.Find(`a:has([data-testid="map-marker"])`).Attr("href"); strings.HasPrefix(href, "javascript:") {
		t.Errorf("marker link %q", href)
	}
}

// The list under the map says what each marker says, in the markers'
// order, with the same link.
func TestDeliveryMapListMatchesMarkers(t *testing.T) {
	t.Parallel()
	markers := []MapMarker{
		{X: 97.6, Y: 46.3, Status: "delivered", Label: "Seattle, WA: delivered, 15 July 2019", Href: "#delivery-1"},
		{X: 869.7, Y: 215.7, Status: "planned", Label: "New York, NY: planned", Href: "#delivery-2"},
	}
	doc, _ := renderMap(t, "t", markers)
	items := doc.Find(`ol[data-testid="map-list"] > li`)
	marks := doc.Find(`[data-testid="map-marker"]`)
	if items.Length() != len(markers) || marks.Length() != len(markers) {
		t.Fatalf("%d list items, %d markers, want %d", items.Length(), marks.Length(), len(markers))
	}
	items.Each(func(i int, li *goquery.Selection) {
		a := li.Find("a")
		// The list's own numbering (an <ol>) is the marker's number.
		if strconv.Itoa(i+1)+". "+a.Text() != marks.Eq(i).Find("title").Text() || marks.Eq(i).AttrOr("data-number", "") != strconv.Itoa(i+1) ||
			a.AttrOr("href", "") != marks.Eq(i).Parent().Parent().AttrOr("href", "") {
			t.Errorf("item %d %q -> %q, marker says %q", i, a.Text(), a.AttrOr("href", ""), marks.Eq(i).Find("title").Text())
		}
	})
}
