package views

import (
	"context"
	"math"
	"slices"
	"strconv"
	"strings"

	"campaigntrack/geo"
	"campaigntrack/locale"
	"campaigntrack/models"
)

// MapMarker is one delivery on the map, already projected.
type MapMarker struct {
	X, Y   float64 // in the 975×610 frame
	Status string  // planned, under_way, delivered, refused, postponed, cancelled
	Label  string  // "Seattle, WA: delivered 15 Jul 2019"
	Href   string  // "#delivery-12": the row in the table below the map
}

// placedMarker is a marker as DeliveryMap draws it: its number (its
// line in the list below the map), and where it is drawn and where its
// place really is, as percentages of the frame.
type placedMarker struct {
	MapMarker
	Number             int
	X, Y, TrueX, TrueY string // "36.2%"
	Moved              bool   // spread from its place: a leader line joins the two
}

// placeMarkers numbers the markers in their order and spreads those that
// would hide each other (SpreadMarkers).
func placeMarkers(ms []MapMarker) []placedMarker {
	spread := SpreadMarkers(ms)
	out := make([]placedMarker, len(ms))
	for i, m := range ms {
		s := spread[i]
		out[i] = placedMarker{
			MapMarker: m, Number: i + 1,
			X: mapPercent(s.X, geo.MapWidth), Y: mapPercent(s.Y, geo.MapHeight),
			TrueX: mapPercent(m.X, geo.MapWidth), TrueY: mapPercent(m.Y, geo.MapHeight),
			Moved: math.Hypot(s.X-m.X, s.Y-m.Y) > 1,
		}
	}
	return out
}

// mapPercent is a map coordinate as a percentage of the frame's side.
func mapPercent(v, side float64) string {
	return strconv.FormatFloat(v/side*100, 'f', 2, 64) + "%"
}

// markerColours are the marker fills by status: green done, blue still to
// come, amber put off, red did not happen. Each stands out from the white
// ring (at least 4.8:1) and the grey land (3.9:1; WCAG asks 3:1 of
// graphics). Colour is not the only carrier: each marker's title, the
// legend and the table below say the status in words.
var markerColours = map[string]string{
	models.DeliveryDelivered: "#1a7f37",
	models.DeliveryPlanned:   "#0b5cad",
	models.DeliveryUnderWay:  "#0b5cad",
	models.DeliveryPostponed: "#b35900",
	models.DeliveryRefused:   "#b42318",
	models.DeliveryCancelled: "#b42318",
}

// markerColour is a status's colour; a status the map does not know is
// grey rather than missing.
func markerColour(status string) string {
	if c, ok := markerColours[status]; ok {
		return c
	}
	return "#6e6e6e"
}

// mapKeyEntry is one line of the map's legend.
type mapKeyEntry struct {
	Status, Label, Colour string
	Count                 int
}

// mapKey lists the statuses the markers have, in the delivery flow's
// order (unknown ones after, alphabetically), with how many of each.
func mapKey(ctx context.Context, ms []MapMarker) []mapKeyEntry {
	counts := map[string]int{}
	for _, m := range ms {
		counts[m.Status]++
	}
	statuses := slices.Clone(models.DeliveryStatuses)
	var other []string
	for s := range counts {
		if !slices.Contains(statuses, s) {
			other = append(other, s)
		}
	}
	slices.Sort(other)
	var key []mapKeyEntry
	for _, s := range append(statuses, other...) {
		if counts[s] == 0 {
			continue
		}
		name := label(ctx, s)
		if name == "" {
			name = locale.T(ctx, "map.no_status")
		}
		key = append(key, mapKeyEntry{Status: s, Label: name, Colour: markerColour(s), Count: counts[s]})
	}
	return key
}

// MarkerLabel is what a delivery's marker says, in the page's language:
// "Seattle, WA: Delivered, 15 July 2019".
func MarkerLabel(ctx context.Context, d models.Delivery) string {
	if w := d.When(); w != nil {
		return locale.T(ctx, "deliveries.marker_when", "Place", d.Place(), "Status", label(ctx, d.Status), "When", whenIn(ctx, w, d.WhenDateOnly(), d.TimeZone))
	}
	return locale.T(ctx, "deliveries.marker", "Place", d.Place(), "Status", label(ctx, d.Status))
}

// capitalise upper-cases the first letter: "under way" is "Under way".
func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
