// Package geo places US cities on the campaign map: a gazetteer that turns
// a city and state into coordinates, and the composite Albers projection
// that turns coordinates into a point on the 975×610 base map.
package geo

import "math"

// The frame of the base map (assets/static/us-states.svg) and of the
// projection: us-atlas's pre-projected files fit this viewport.
const (
	MapWidth  = 975
	MapHeight = 610
)

// Project places a longitude and latitude (degrees) on the 975×610 map,
// exactly as d3-geo's geoAlbersUsa().scale(1300).translate([487.5, 305])
// does: the projection us-atlas used for states-albers-10m.json, from which
// the base map is drawn, so a marker lands on the state it is in. Alaska
// and Hawaii are drawn in insets at the bottom left, each with a
// projection of its own.
//
// ok is false when the point falls in none of the three clip boxes (lower
// 48, Alaska, Hawaii): London, Mexico City, Havana. The boxes are
// rectangles on the map, not borders, so a place just across the Canadian
// or Mexican border (Toronto, Vancouver, Tijuana) is placed as d3 places
// it; the gazetteer only knows US places, so that does not arise from it.
// Like d3's, the Alaska inset's clip box reaches past the frame's left
// edge, so the far west of the Aleutians has x < 0.
//
// The code is a port of d3-geo 3.1.2 (ISC licence; see DATA-LICENCES.md)
// and agrees with it to about 1e-12 px (albersusa_test.go).
func Project(lon, lat float64) (x, y float64, ok bool) {
	// d3's albersUsa tries the lower 48 first, then Alaska, then Hawaii,
	// and takes the first projection whose clip box holds the point.
	for i := range usaParts {
		if x, y, ok := usaParts[i].project(lon, lat); ok {
			return x, y, true
		}
	}
	return 0, 0, false
}

// d3-geo's epsilon, by which the inset clip boxes are shrunk.
const epsilon = 1e-6

// radians and tau are computed in float64 at run time, as JavaScript
// computes them (Math.PI / 180), not exactly as Go would fold constants:
// a last-bit difference could move a point lying on a clip edge.
var (
	pi      = math.Pi
	radians = pi / 180
	tau     = pi * 2
)

// conicEqualArea is one d3 conicEqualArea projection with its rotation,
// center, scale, translate and rectangular clip extent, reduced to the
// few numbers a point needs. The arithmetic follows d3-geo 3.1's
// projectionMutator, conicEqualAreaRaw and clipRectangle step by step, in
// the same order, so results agree with d3's to the last few bits.
type conicEqualArea struct {
	n, c, r0       float64 // conicEqualAreaRaw for the two parallels
	rotate         float64 // the rotation's longitude, radians
	k, dx, dy      float64 // scale, and translate less the projected center
	x0, y0, x1, y1 float64 // clip extent, in map units
}

// newConicEqualArea mirrors d3's
//
//	conicEqualArea().rotate([rotate, 0]).center(center).parallels(parallels)
//	    .scale(k).translate(translate).clipExtent(clip)
//
// with every angle in degrees, as d3 takes them.
func newConicEqualArea(parallels [2]float64, rotate float64, center [2]float64, k float64, translate [2]float64, clip [4]float64) conicEqualArea {
	// conicEqualAreaRaw(y0, y1). Its cylindrical fallback, for parallels
	// symmetric about the equator, is left out: none of ours are.
	y0, y1 := parallels[0]*radians, parallels[1]*radians
	sy0 := math.Sin(y0)
	n := (sy0 + math.Sin(y1)) / 2
	c := 1 + sy0*(2*n-sy0)
	p := conicEqualArea{n: n, c: c, r0: math.Sqrt(c) / n, k: k}
	// projection.rotate and projection.center reduce degrees modulo 360
	// first; the center is projected unrotated (d3 applies rotation to the
	// input point only).
	p.rotate = math.Mod(rotate, 360) * radians
	cx, cy := p.raw(math.Mod(center[0], 360)*radians, math.Mod(center[1], 360)*radians)
	// recenter: center = scaleTranslate(k, 0, 0)(project(center)), then
	// transform = scaleTranslate(k, x - center[0], y - center[1]).
	p.dx = translate[0] - (0 + k*cx)
	p.dy = translate[1] - (0 - k*cy)
	p.x0, p.y0, p.x1, p.y1 = clip[0], clip[1], clip[2], clip[3]
	return p
}

// raw is conicEqualAreaRaw's forward projection, on radians.
func (p *conicEqualArea) raw(lambda, phi float64) (x, y float64) {
	r := math.Sqrt(p.c-2*p.n*math.Sin(phi)) / p.n
	lambda *= p.n
	return r * math.Sin(lambda), p.r0 - r*math.Cos(lambda)
}

// project runs one point down d3's projection stream: degrees to radians,
// the rotation (wrapped into [-π, π] as rotationLambda does), the raw
// projection, scale and translate, then the clip box (inclusive, as d3's
// clipRectangle tests it). The antimeridian pre-clip and resampling let
// a lone point through unchanged, so they do not appear.
func (p *conicEqualArea) project(lon, lat float64) (x, y float64, ok bool) {
	lambda, phi := lon*radians, lat*radians
	if p.rotate != 0 {
		lambda += p.rotate
		if math.Abs(lambda) > math.Pi {
			// JavaScript's Math.round; the quotient is never a tie here,
			// since |lambda| > π.
			lambda -= math.Round(lambda/tau) * tau
		}
	}
	rx, ry := p.raw(lambda, phi)
	x, y = p.dx+p.k*rx, p.dy-p.k*ry
	if !(p.x0 <= x && x <= p.x1 && p.y0 <= y && y <= p.y1) {
		return 0, 0, false // also NaN, from a NaN input
	}
	return x, y, true
}

// usaParts are d3's albersUsa after .scale(1300).translate([487.5, 305]):
// the lower 48 (d3's geoAlbers), Alaska (EPSG:3338's parallels, scaled
// by 0.35) and Hawaii (ESRI:102007's), each translated into its inset and
// clipped to it.
var usaParts = func() [3]conicEqualArea {
	// Variables, not constants: Go would compute constant expressions
	// exactly, JavaScript rounds each step, and the clip edges should be
	// the same float64s as d3's.
	var k, x, y float64 = 1300, 487.5, 305
	return [3]conicEqualArea{
		newConicEqualArea([2]float64{29.5, 45.5}, 96, [2]float64{-0.6, 38.7}, k,
			[2]float64{x, y},
			[4]float64{x - 0.455*k, y - 0.238*k, x + 0.455*k, y + 0.238*k}),
		newConicEqualArea([2]float64{55, 65}, 154, [2]float64{-2, 58.5}, k*0.35,
			[2]float64{x - 0.307*k, y + 0.201*k},
			[4]float64{x - 0.425*k + epsilon, y + 0.120*k + epsilon, x - 0.214*k - epsilon, y + 0.234*k - epsilon}),
		newConicEqualArea([2]float64{8, 18}, 157, [2]float64{-3, 19.9}, k,
			[2]float64{x - 0.205*k, y + 0.212*k},
			[4]float64{x - 0.214*k + epsilon, y + 0.166*k + epsilon, x - 0.115*k - epsilon, y + 0.234*k - epsilon}),
	}
}()
