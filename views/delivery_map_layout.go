package views

import (
	"cmp"
	"math"
	"slices"

	"campaigntrack/geo"
)

// The delivery map's marker layout: where each marker is drawn once
// markers that would hide each other are moved apart. It is part of the
// view, not of geo: geo says where a place is on the map (Project, to
// d3's 1e-12 px), while every number here is about how a marker is drawn
// (its radius, a tap target on a phone, and how much of it must stay in
// sight), and would change with the drawing, not with the places.
// DeliveryMap (delivery_map.templ) draws at these sizes and calls
// SpreadMarkers itself.

// Marker geometry. A marker is drawn at a fixed size in CSS pixels,
// whatever the map's width (DeliveryMap has no viewBox: markers sit at
// percentages of the frame), so it stays a 28 px tap target on a phone
// instead of shrinking with the map to 7 px. The layout below works in
// map units (the base map's 975×610 frame) at the narrowest width the map
// is drawn at, markerMinWidth: markers spread far enough apart there are
// further apart at any wider width.
const (
	markerPx       = 14.0  // a marker's radius in CSS px: 28 px across, over the 24 px minimum target
	markerMinWidth = 320.0 // the narrowest map, in CSS px: a 360 px phone less the page's margins
	// markerRadius is a marker's radius in map units at markerMinWidth,
	// for keeping markers inside the frame.
	markerRadius = markerPx * geo.MapWidth / markerMinWidth
	// markerGap is the distance, in map units, below which two markers
	// are moved apart: two radii and a 2 px gap at the narrowest map.
	markerGap = (2*markerPx + 2) * geo.MapWidth / markerMinWidth
	// markerSpread is the spacing SpreadMarkers places markers at, a
	// little over markerGap, so that spread markers are not found too
	// close again by rounding and a second call changes nothing.
	markerSpread = markerGap + 1
)

// SpreadMarkers returns the markers with those closer than markerGap map
// units to each other (two cities in one metro area, or two deliveries in
// one city) moved apart, so none hides another; the rest keep their
// place. Markers within reach of each other, directly or through others,
// form a group, which is laid out on a ring around its centre, in the
// order its members lie around that centre; groups that touch after
// that merge and are laid out again. Markers outside the frame are
// brought inside it. The result is in the input's order and depends only
// on it; the input is not changed.
func SpreadMarkers(ms []MapMarker) []MapMarker {
	out := slices.Clone(ms)
	// Into the frame first, so a marker outside it is spread from where
	// it will be drawn; and again at the end, for a ring at the edge.
	clampAll(out)
	// Each pass spreads every group; a ring can reach a neighbour, so
	// repeat until nothing is too close (a handful of passes at most for
	// a campaign's few dozen cities; the bound only stops pathological
	// input).
	for range len(out) + 1 {
		groups := closeGroups(out)
		if len(groups) == 0 {
			break
		}
		for _, g := range groups {
			spreadGroup(out, g)
		}
	}
	clampAll(out)
	return out
}

// clampAll keeps every marker, ring included, inside the frame.
func clampAll(ms []MapMarker) {
	for i := range ms {
		ms[i].X = clamp(ms[i].X, markerRadius+1, geo.MapWidth-markerRadius-1)
		ms[i].Y = clamp(ms[i].Y, markerRadius+1, geo.MapHeight-markerRadius-1)
	}
}

// closeGroups returns the groups (indices, ascending) of two or more
// markers linked by distances under markerGap.
func closeGroups(ms []MapMarker) [][]int {
	parent := make([]int, len(ms))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		if parent[i] != i {
			parent[i] = find(parent[i])
		}
		return parent[i]
	}
	for i := range ms {
		for j := i + 1; j < len(ms); j++ {
			if math.Hypot(ms[i].X-ms[j].X, ms[i].Y-ms[j].Y) < markerGap {
				a, b := find(i), find(j)
				parent[max(a, b)] = min(a, b) // the lower index roots: stable
			}
		}
	}
	byRoot := map[int][]int{}
	for i := range ms {
		r := find(i)
		byRoot[r] = append(byRoot[r], i)
	}
	var groups [][]int
	for i := range ms { // in index order, not the map's
		if g := byRoot[i]; len(g) > 1 {
			groups = append(groups, g)
		}
	}
	return groups
}

// spreadGroup lays a group's markers out on a ring around their centre,
// with markerSpread between neighbours, in the order of their bearings
// from the centre and turned to match them, so a marker east of the
// others stays east; markers on one spot go round clockwise from the top
// in input order.
func spreadGroup(ms []MapMarker, g []int) {
	var cx, cy float64
	for _, i := range g {
		cx += ms[i].X
		cy += ms[i].Y
	}
	n := float64(len(g))
	cx, cy = cx/n, cy/n
	// The bearing, clockwise from straight up (y grows downwards), in
	// [0, 2π); a marker on the centre itself counts as straight up.
	bearing := func(i int) float64 {
		dx, dy := ms[i].X-cx, ms[i].Y-cy
		if math.Hypot(dx, dy) < 1e-9 {
			return 0
		}
		b := math.Atan2(dx, -dy)
		if b < 0 {
			b += 2 * math.Pi
		}
		return b
	}
	order := slices.Clone(g)
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(bearing(a), bearing(b)) })
	// The ring is turned to where the markers were: by the mean of each
	// one's bearing less its place on the ring (a circular mean, so 350°
	// and 10° average to 0°, not 180°). Markers all on one spot have no
	// bearing and start at the top.
	var sumSin, sumCos float64
	for k, i := range order {
		d := bearing(i) - 2*math.Pi*float64(k)/n
		sumSin += math.Sin(d)
		sumCos += math.Cos(d)
	}
	start := 0.0
	if math.Hypot(sumSin, sumCos) > 1e-9 {
		start = math.Atan2(sumSin, sumCos)
	}
	// Neighbours on a ring of n points at radius r are 2r·sin(π/n) apart.
	r := markerSpread / (2 * math.Sin(math.Pi/n))
	for k, i := range order {
		a := start + 2*math.Pi*float64(k)/n
		ms[i].X = cx + r*math.Sin(a)
		ms[i].Y = cy - r*math.Cos(a)
	}
}

func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }
