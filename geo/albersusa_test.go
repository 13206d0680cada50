package geo

import (
	"math"
	"testing"
)

// The expected coordinates were computed once with d3-geo 3.1.2 in Node 20
// (npm install d3-geo@3.1.2 in a scratch directory), by
//
//	import {geoAlbersUsa} from 'd3-geo';
//	const p = geoAlbersUsa().scale(1300).translate([487.5, 305]);
//	p([lon, lat]) // [x, y], or null when no part of the projection takes the point
//
// and pasted here; a null became ok=false. The same comparison on 200,000
// random points agreed on every null and to within 2e-12 px elsewhere.
var d3Points = []struct {
	name     string
	lon, lat float64
	x, y     float64
	ok       bool
}{
	{"Seattle, WA", -122.33207, 47.60621, 97.62547302443892, 46.31856885085904, true},
	{"New York, NY", -74.00597, 40.71427, 869.7115476405585, 215.70766144572508, true},
	{"San Francisco, CA", -122.41942, 37.77493, 34.840940311537224, 261.43478181564774, true},
	{"Washington, DC", -77.03637, 38.89511, 827.4926077802596, 267.5849113070241, true},
	{"Miami, FL", -80.19366, 25.77427, 822.6537104482843, 572.2686099762194, true},
	{"Key West, FL", -81.78163, 24.55524, 794.3716997327417, 604.4544774592816, true},
	{"Bangor, ME", -68.77265, 44.80118, 929.608225045356, 103.40142367160524, true},
	// The Alaska inset.
	{"Anchorage, AK", -149.90028, 61.21806, 112.27752328171613, 544.2782297412753, true},
	{"Juneau, AK", -134.41974, 58.30194, 176.9367709510245, 556.0835295918232, true},
	{"Utqiagvik, AK", -156.78872, 71.29058, 89.39012470685267, 465.03414586487474, true},
	// East of the antimeridian: the rotation wraps it into the inset, left
	// of the 975×610 frame (us-atlas's own geometry reaches x = -57.7).
	{"Attu, AK", 172.9, 52.9, -55.89237986093498, 572.0965577241546, true},
	// The Hawaii inset.
	{"Honolulu, HI", -157.85833, 21.30694, 266.95931121015326, 549.1894695333958, true},
	{"Hilo, HI", -155.09, 19.72, 326.1539126500044, 584.8943357753406, true},
	// d3 places these: the lower 48's clip is a rectangle around the map,
	// not the border, so nearby Canada and Mexico fall inside it.
	{"Toronto", -79.4163, 43.70011, 767.523917171382, 167.13415431133103, true},
	{"Vancouver", -123.11934, 49.24966, 96.36699775004081, 7.531568931220136, true},
	{"Tijuana", -117.00371, 32.5027, 101.59194883173109, 402.8674755306274, true},
	// In none of the three parts.
	{"London", -0.12574, 51.50853, 0, 0, false},
	{"Mexico City", -99.12766, 19.42847, 0, 0, false},
	{"Havana", -82.38304, 23.13302, 0, 0, false},
	{"San Juan, PR", -66.10572, 18.46633, 0, 0, false},
	{"Tokyo", 139.69171, 35.6895, 0, 0, false},
	{"Sydney", 151.20732, -33.86785, 0, 0, false},
	{"0, 0", 0, 0, 0, 0, false},
}

func TestProjectMatchesD3(t *testing.T) {
	t.Parallel()
	const tolerance = 0.01 // px
	for _, p := range d3Points {
		x, y, ok := Project(p.lon, p.lat)
		if ok != p.ok {
			t.Errorf("%s: ok = %v, want %v (got %.4f, %.4f)", p.name, ok, p.ok, x, y)
			continue
		}
		if math.Abs(x-p.x) > tolerance || math.Abs(y-p.y) > tolerance {
			t.Errorf("%s: (%.4f, %.4f), want (%.4f, %.4f)", p.name, x, y, p.x, p.y)
		}
	}
}

func TestProjectRejectsNaN(t *testing.T) {
	t.Parallel()
	for _, c := range [][2]float64{{math.NaN(), 40}, {-100, math.NaN()}, {math.Inf(1), 40}} {
		if _, _, ok := Project(c[0], c[1]); ok {
			t.Errorf("Project(%v, %v) ok", c[0], c[1])
		}
	}
}

func BenchmarkProject(b *testing.B) {
	for b.Loop() {
		Project(-122.33207, 47.60621)
	}
}
