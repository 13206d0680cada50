package views

import (
	"fmt"
	"math"
	"testing"

	"campaigntrack/geo"
)

func marker(x, y float64, status string, n int) MapMarker {
	return MapMarker{X: x, Y: y, Status: status, Label: fmt.Sprintf("place %d: %s", n, status), Href: fmt.Sprintf("#delivery-%d", n)}
}

// closest returns the smallest distance between two markers.
func closest(ms []MapMarker) float64 {
	d := math.Inf(1)
	for i := range ms {
		for j := i + 1; j < len(ms); j++ {
			d = math.Min(d, math.Hypot(ms[i].X-ms[j].X, ms[i].Y-ms[j].Y))
		}
	}
	return d
}

func TestSpreadMarkersLeavesApartMarkersAlone(t *testing.T) {
	t.Parallel()
	in := []MapMarker{marker(100, 100, "delivered", 1), marker(100+markerGap+1, 100, "planned", 2), marker(500, 300, "refused", 3)}
	out := SpreadMarkers(in)
	for i := range in {
		if out[i] != in[i] {
			t.Errorf("marker %d moved: %+v -> %+v", i, in[i], out[i])
		}
	}
	if len(SpreadMarkers(nil)) != 0 {
		t.Error("no markers in, some out")
	}
}

func TestSpreadMarkersSeparates(t *testing.T) {
	t.Parallel()
	cases := map[string][]MapMarker{
		"two on one spot": {marker(400, 300, "delivered", 1), marker(400, 300, "refused", 2)},
		"nine on one spot": func() []MapMarker {
			var ms []MapMarker
			for i := range 9 {
				ms = append(ms, marker(400, 300, "planned", i))
			}
			return ms
		}(),
		"a chain, each near the next": {marker(300, 300, "planned", 1), marker(305, 300, "planned", 2), marker(310, 300, "planned", 3), marker(315, 301, "planned", 4)},
		"two groups that meet once spread": {
			marker(300, 300, "planned", 1), marker(300, 300, "planned", 2), marker(300, 300, "planned", 3),
			marker(312, 300, "planned", 4), marker(312, 300, "planned", 5), marker(312, 300, "planned", 6),
		},
	}
	for name, in := range cases {
		orig := append([]MapMarker(nil), in...)
		out := SpreadMarkers(in)
		if d := closest(out); d < markerGap {
			t.Errorf("%s: two markers %.2f apart", name, d)
		}
		for i := range in {
			if in[i] != orig[i] {
				t.Errorf("%s: the input was changed", name)
			}
			if out[i].Href != in[i].Href || out[i].Status != in[i].Status || out[i].Label != in[i].Label {
				t.Errorf("%s: marker %d is %+v, was %+v: order lost", name, i, out[i], in[i])
			}
			// Nudged, not flung across the map.
			if d := math.Hypot(out[i].X-in[i].X, out[i].Y-in[i].Y); d > markerSpread*float64(len(in)) {
				t.Errorf("%s: marker %d moved %.1f", name, i, d)
			}
		}
		again := SpreadMarkers(in)
		for i := range out {
			if again[i] != out[i] {
				t.Errorf("%s: not deterministic: %+v then %+v", name, out[i], again[i])
			}
		}
		twice := SpreadMarkers(out)
		for i := range out {
			if twice[i] != out[i] {
				t.Errorf("%s: spreading spread markers moved %d: %+v -> %+v", name, i, out[i], twice[i])
			}
		}
	}
}

func TestSpreadMarkersKeepsBearings(t *testing.T) {
	t.Parallel()
	// West stays west of east.
	out := SpreadMarkers([]MapMarker{marker(403, 300, "planned", 1), marker(400, 300, "planned", 2)})
	if !(out[0].X > out[1].X) {
		t.Errorf("east marker at %.1f, west one at %.1f", out[0].X, out[1].X)
	}
}

func TestSpreadMarkersKeepsMarkersInFrame(t *testing.T) {
	t.Parallel()
	out := SpreadMarkers([]MapMarker{marker(-55.9, 572, "planned", 1), marker(2000, -10, "planned", 2), marker(2, 609, "planned", 3), marker(2, 609, "planned", 4)})
	for i, m := range out {
		if m.X-markerRadius < 0 || m.X+markerRadius > geo.MapWidth || m.Y-markerRadius < 0 || m.Y+markerRadius > geo.MapHeight {
			t.Errorf("marker %d at (%.1f, %.1f): outside the frame", i, m.X, m.Y)
		}
	}
}

// The campaign's nine cities, placed as the deliveries page places them.
func TestSpreadMarkersCampaignCities(t *testing.T) {
	t.Parallel()
	var ms []MapMarker
	for i, c := range [][2]string{
		{"Seattle", "WA"}, {"New York", "NY"}, {"Washington", "DC"}, {"San Francisco", "CA"},
		{"St. Louis", "MO"}, {"San Bernardino", "CA"}, {"Elizabeth", "NJ"}, {"Anchorage", "AK"}, {"Honolulu", "HI"},
	} {
		lat, lon, ok := geo.Locate(c[0], c[1])
		if !ok {
			t.Fatalf("%s, %s: not found", c[0], c[1])
		}
		x, y, ok := geo.Project(lon, lat)
		if !ok {
			t.Fatalf("%s, %s: not projected", c[0], c[1])
		}
		ms = append(ms, marker(x, y, "delivered", i))
	}
	if d := closest(ms); d >= markerGap {
		t.Fatalf("no two cities closer than %.1f: New York and Elizabeth, NJ, should overlap", d)
	}
	if d := closest(SpreadMarkers(ms)); d < markerGap {
		t.Errorf("after spreading, two markers %.2f apart", d)
	}
}
