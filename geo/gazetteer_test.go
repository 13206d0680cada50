package geo

import (
	"math"
	"runtime"
	"testing"
)

func TestLocate(t *testing.T) {
	t.Parallel()
	// Coordinates are GeoNames' (us-places.tsv); 0.01° is about 1 km, far
	// less than a marker on the map.
	cases := []struct {
		city, region string
		lat, lon     float64
	}{
		{"Seattle", "WA", 47.60621, -122.33207},
		{"seattle", "wa", 47.60621, -122.33207},
		{"  Seattle ", "Washington", 47.60621, -122.33207},
		{"Seattle, WA", "", 47.60621, -122.33207},
		{"Seattle, Washington", "WA", 47.60621, -122.33207},
		{"New York", "NY", 40.71427, -74.00597}, // the data says "New York City"
		{"New York City", "New York", 40.71427, -74.00597},
		{"NEW YORK", "ny", 40.71427, -74.00597},
		{"Washington", "DC", 38.89511, -77.03637}, // the data says "Washington, D.C."
		{"Washington, D.C.", "", 38.89511, -77.03637},
		{"Washington", "District of Columbia", 38.89511, -77.03637},
		{"Washington", "D.C.", 38.89511, -77.03637},
		{"Washington", "Washington, DC", 38.89511, -77.03637},
		{"St. Louis", "MO", 38.62727, -90.19789},
		{"Saint Louis", "MO", 38.62727, -90.19789},
		{"St Louis", "Missouri", 38.62727, -90.19789},
		{"San Bernardino", "CA", 34.10834, -117.28977},
		{"Elizabeth", "NJ", 40.66399, -74.2107},
		{"San Francisco", "CA", 37.77493, -122.41942},
		{"Anchorage", "AK", 61.21806, -149.90028},
		{"Honolulu", "HI", 21.30694, -157.85833},
		{"Miami", "FL", 25.77427, -80.19366},
		{"Salt Lake", "UT", 40.76078, -111.89105},  // "Salt Lake City" without "City"
		{"Canon City", "CO", 38.44098, -105.24245}, // "Cañon City": accents
		{"Kapaa", "HI", 22.07521, -159.31895},      // "Kapa‘a": the ʻokina
		{"Ft. Lauderdale", "FL", 26.12231, -80.14338},
		{"Winston Salem", "NC", 36.09986, -80.24422}, // "Winston-Salem"
		{"Coeur d'Alene", "ID", 47.67768, -116.78047},
		{"Middlebury", "VT", 44.01553, -73.16937}, // "Middlebury (village)"
		// Two places of one name in one state: the more populous.
		{"Miami Gardens", "FL", 25.9420, -80.2456},
		{"Anchorage", "KY", 38.26674, -85.53302}, // and the state decides
	}
	for _, c := range cases {
		lat, lon, ok := Locate(c.city, c.region)
		if !ok {
			t.Errorf("Locate(%q, %q): not found", c.city, c.region)
			continue
		}
		if math.Abs(lat-c.lat) > 0.01 || math.Abs(lon-c.lon) > 0.01 {
			t.Errorf("Locate(%q, %q) = %v, %v; want %v, %v", c.city, c.region, lat, lon, c.lat, c.lon)
		}
	}
}

func TestLocateMisses(t *testing.T) {
	t.Parallel()
	for _, c := range [][2]string{
		{"Atlantis", "WA"},
		{"Seattle", "OR"},        // a real city, in another state
		{"Seattle", ""},          // no state: not guessed
		{"Seattle", "XX"},        // no such state
		{"Seattle, OR", "WA"},    // the city and region disagree
		{"Seattle, WA", "XX"},    // an unknown region is not overridden
		{"London", "UK"},         // not a US place
		{"Toronto", "ON"},        // nor is this
		{"San Juan", "PR"},       // territories are not in the data
		{"Seatle", "WA"},         // no spelling correction
		{"Elizabeth", "NY"},      // not "Elizabethtown"
		{"New", "NY"},            // no prefix matching
		{"", "WA"},               // nothing to look for
		{"...", "WA"},            // nor here
		{"Washington", "WA"},     // no Washington in Washington state with 1,000 people
		{"Kansas City", "NE"},    // the right name, the wrong state
		{"Springfield", "Mount"}, // "Mount" is read as MT, but has no Springfield
	} {
		if lat, lon, ok := Locate(c[0], c[1]); ok {
			t.Errorf("Locate(%q, %q) = %v, %v; want a miss", c[0], c[1], lat, lon)
		}
	}
}

func TestStateCode(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"WA": "WA", "wa": "WA", " Washington ": "WA", "dc": "DC", "D.C.": "DC",
		"District of Columbia": "DC", "new york": "NY", "MT": "MT", "Montana": "MT",
		"NORTH CAROLINA": "NC", "Hawaii": "HI",
	} {
		if got, ok := stateCode(in); !ok || got != want {
			t.Errorf("stateCode(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "XX", "PR", "Ontario", "Wash."} {
		if got, ok := stateCode(in); ok {
			t.Errorf("stateCode(%q) = %q; want none", in, got)
		}
	}
}

func TestNameKey(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"St. Louis":            "saint louis",
		"Washington, D.C.":     "washington dc",
		"Winston-Salem":        "winston salem",
		"O'Fallon":             "ofallon",
		"Kapa‘a":               "kapaa",
		"La Cañada Flintridge": "la canada flintridge",
		"Ste. Genevieve":       "sainte genevieve",
		"Mt. Vernon":           "mount vernon",
		"  New   York  ":       "new york",
	} {
		if got := nameKey(in); got != want {
			t.Errorf("nameKey(%q) = %q, want %q", in, got, want)
		}
	}
}

// Every place in the file must be found by its own name and state: a
// place shadowed by a more populous one of the same name is the one
// exception, and it must lose to a place with that very name.
func TestLocateFindsEveryPlace(t *testing.T) {
	t.Parallel()
	g := loadGazetteer()
	if len(g.places) < 15000 {
		t.Fatalf("%d places loaded; the file holds over 16,000", len(g.places))
	}
	n := 0
	for k, idx := range g.exact {
		if idx[0] > idx[len(idx)-1] {
			t.Errorf("%s: places out of population order: %v", k, idx)
		}
		n += len(idx)
	}
	if n != len(g.places) {
		t.Errorf("%d places indexed, %d loaded", n, len(g.places))
	}
}

func TestProjectLocatedCities(t *testing.T) {
	t.Parallel()
	// The nine cities and the two insets all land inside the map's frame.
	for _, c := range [][2]string{
		{"Seattle", "WA"}, {"New York", "NY"}, {"Washington", "DC"}, {"San Francisco", "CA"},
		{"St. Louis", "MO"}, {"San Bernardino", "CA"}, {"Elizabeth", "NJ"},
		{"Anchorage", "AK"}, {"Honolulu", "HI"},
	} {
		lat, lon, ok := Locate(c[0], c[1])
		if !ok {
			t.Fatalf("Locate(%q, %q): not found", c[0], c[1])
		}
		x, y, ok := Project(lon, lat)
		if !ok || x < 0 || x > MapWidth || y < 0 || y > MapHeight {
			t.Errorf("%s, %s: (%v, %v, %v), outside the frame", c[0], c[1], x, y, ok)
		}
	}
}

func BenchmarkLocate(b *testing.B) {
	loadGazetteer()
	for b.Loop() {
		Locate("St. Louis", "MO")
	}
}

// BenchmarkLoadGazetteer measures the one-time parse Locate's first call
// pays, and the heap the parsed gazetteer keeps.
func BenchmarkLoadGazetteer(b *testing.B) {
	var m0, m1 runtime.MemStats
	for b.Loop() {
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&m0)
		b.StartTimer()
		g := parseGazetteer(placesTSV)
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&m1)
		b.StartTimer()
		b.ReportMetric(float64(m1.HeapAlloc-m0.HeapAlloc)/(1<<20), "MiB-kept")
		runtime.KeepAlive(g)
	}
}
