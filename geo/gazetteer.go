package geo

import (
	_ "embed"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
)

// placesTSV is the gazetteer: US places of GeoNames with at least 1,000
// people, most populous first, one "name\tstate\tlat\tlon" a line after a
// few "#" header lines. geo/internal/gen makes it; see DATA-LICENCES.md.
//
//go:embed us-places.tsv
var placesTSV string

// Locate finds a US place by its name and state and returns its latitude
// and longitude (note the order: Project takes longitude first).
//
// region is the state's two-letter code ("WA", "DC") or its name
// ("Washington", "District of Columbia"), in any case. It is required: a
// city without a state is not guessed at, as the campaign's records leave
// what their sources do not say empty rather than invent it. The city may
// carry the state itself ("Seattle, WA"), and then region may be empty.
//
// Matching ignores case, accents, punctuation and spacing, reads "St."
// as Saint, "Ste." as Sainte, "Ft." as Fort and "Mt." as Mount, and
// knows a place by its name less a trailing "City" or state ("New York"
// finds New York City, "Washington" in DC finds "Washington, D.C.").
// An exact name wins over such a shortened one, and of two places with
// the same name in one state the more populous wins. There is no
// spelling correction: a typo is a miss (ok false), not a wrong city on
// the map.
func Locate(city, region string) (lat, lon float64, ok bool) {
	state, known := stateCode(region)
	if head, tail, found := strings.Cut(city, ","); found {
		if s, isState := stateCode(tail); isState {
			if strings.TrimSpace(region) != "" && s != state {
				return 0, 0, false // the city names another state than region
			}
			city, state, known = head, s, true
		}
	}
	if !known {
		return 0, 0, false
	}
	g := loadGazetteer()
	k := nameKey(city)
	if k == "" {
		return 0, 0, false
	}
	// Exact names first, then the shortened ones, then the query itself
	// shortened, by shortKeys' rule for "City" (two words must remain).
	candidates := [][]int32{g.exact[state+"|"+k], g.short[state+"|"+k]}
	if s, cut := strings.CutSuffix(k, " city"); cut && strings.Contains(s, " ") {
		candidates = append(candidates, g.exact[state+"|"+s])
	}
	for _, c := range candidates {
		if len(c) > 0 {
			p := g.places[c[0]] // the most populous: the file's order
			return p.lat, p.lon, true
		}
	}
	return 0, 0, false
}

type place struct {
	lat, lon float64
}

type gazetteer struct {
	places []place
	// exact maps "ST|name key" to places whose whole name has that key,
	// short to places whose name shortened (see shortKeys) does; both in
	// the file's order, most populous first.
	exact, short map[string][]int32
}

var (
	gazOnce sync.Once
	gaz     *gazetteer
)

// loadGazetteer parses the embedded file on first use, so a process that
// never draws a map never pays for it (about 15 ms and 2.3 MB of heap).
func loadGazetteer() *gazetteer {
	gazOnce.Do(func() { gaz = parseGazetteer(placesTSV) })
	return gaz
}

func parseGazetteer(tsv string) *gazetteer {
	g := &gazetteer{exact: map[string][]int32{}, short: map[string][]int32{}}
	for line := range strings.Lines(tsv) {
		line = strings.TrimRight(line, "\r\n")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 4 {
			panic("geo: bad line in us-places.tsv: " + line)
		}
		lat, err1 := strconv.ParseFloat(f[2], 64)
		lon, err2 := strconv.ParseFloat(f[3], 64)
		if err1 != nil || err2 != nil {
			panic("geo: bad coordinates in us-places.tsv: " + line)
		}
		i := int32(len(g.places))
		g.places = append(g.places, place{lat: lat, lon: lon})
		name, state := f[0], f[1]
		k := nameKey(name)
		g.exact[state+"|"+k] = append(g.exact[state+"|"+k], i)
		for _, s := range shortKeys(k, state) {
			g.short[state+"|"+s] = append(g.short[state+"|"+s], i)
		}
	}
	return g
}

// shortKeys returns the other names a place goes by, from its name's key:
// without a parenthesised part ("middlebury (village)"), a leading "city
// of" and the like, a trailing state ("washington dc", "new century ks")
// or a trailing "city" ("new york city"). Each rule applies to the
// results of the ones before it too.
func shortKeys(k, state string) []string {
	out := []string{}
	add := func(s string) {
		s = strings.Join(strings.Fields(s), " ")
		if s != "" && s != k && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	variants := func() []string { return append([]string{k}, out...) }
	if i := strings.Index(k, "("); i > 0 {
		add(k[:i])
	}
	for _, v := range variants() {
		for _, prefix := range []string{"city of ", "town of ", "village of ", "borough of "} {
			if s, ok := strings.CutPrefix(v, prefix); ok {
				add(s)
			}
		}
	}
	for _, v := range variants() {
		for _, st := range []string{stateKeys[state].code, stateKeys[state].name} {
			if s, ok := strings.CutSuffix(v, " "+st); ok && st != "" {
				add(s)
			}
		}
	}
	// "City" goes only where two words or more remain: "New York City" is
	// New York, but "New City" is not New, nor "Kansas City" Kansas.
	for _, v := range variants() {
		if s, ok := strings.CutSuffix(v, " city"); ok && strings.Contains(s, " ") {
			add(s)
		}
	}
	return out
}

// abbreviations are the words US place names shorten, each read as its
// whole form, on either side of the match.
var abbreviations = map[string]string{
	"st":  "saint",
	"ste": "sainte",
	"ft":  "fort",
	"mt":  "mount",
}

// nameKey reduces a place name to the form names are matched in: lower
// case, accents off, apostrophes and the Hawaiian ʻokina dropped ("Kapa‘a"
// is "kapaa"), other punctuation a space, abbreviations spelt out, and
// runs of single letters joined, so "St. Louis" is "saint louis" and
// "Washington, D.C." is "washington dc". A parenthesis is kept, as "(",
// for shortKeys.
func nameKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r == '\'' || r == '’' || r == '‘' || r == 'ʻ' || r == '`':
			// dropped: "O'Fallon" is "ofallon"
		case r == '(':
			b.WriteString(" ( ")
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
			b.WriteRune(r)
		case unicode.IsLetter(r):
			if f, ok := foldAccent[r]; ok {
				b.WriteString(f)
			} else {
				b.WriteRune(r)
			}
		case unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	words := strings.Fields(b.String())
	out := words[:0]
	for i, w := range words {
		if len(w) == 1 && w != "(" && i > 0 && len(words[i-1]) == 1 && words[i-1] != "(" && len(out) > 0 {
			out[len(out)-1] += w // "d c" → "dc", "u s" → "us"
			continue
		}
		if full, ok := abbreviations[w]; ok {
			w = full
		}
		out = append(out, w)
	}
	return strings.Join(out, " ")
}

// foldAccent maps the accented letters of US place names (Spanish,
// French, Hawaiian, a few others) to plain ones, so "Canon City" finds
// "Cañon City". The standard library has no Unicode decomposition, and
// this short table saves a dependency.
var foldAccent = func() map[rune]string {
	m := map[rune]string{'æ': "ae", 'œ': "oe", 'ß': "ss"}
	for plain, accented := range map[string]string{
		"a": "àáâãäåāăą", "c": "çćĉċč", "d": "ďđ", "e": "èéêëēĕėęě",
		"g": "ĝğġģ", "h": "ĥħ", "i": "ìíîïĩīĭįı", "j": "ĵ", "k": "ķ",
		"l": "ĺļľŀł", "n": "ñńņňŉ", "o": "òóôõöøōŏő", "r": "ŕŗř",
		"s": "śŝşšș", "t": "ţťŧț", "u": "ùúûüũūŭůűų", "w": "ŵ", "y": "ýÿŷ",
		"z": "źżž",
	} {
		for _, r := range accented {
			m[r] = plain
		}
	}
	return m
}()

// stateCode reads a state's code or name (in any case, with any
// punctuation: "wa", "Washington", "D.C.", "District of Columbia") and
// returns its two-letter code.
func stateCode(region string) (string, bool) {
	code, ok := stateByKey[nameKey(region)]
	return code, ok
}

// states are the 50 states and DC, the places the gazetteer holds.
var states = [...]struct{ code, name string }{
	{"AL", "Alabama"}, {"AK", "Alaska"}, {"AZ", "Arizona"}, {"AR", "Arkansas"},
	{"CA", "California"}, {"CO", "Colorado"}, {"CT", "Connecticut"}, {"DE", "Delaware"},
	{"DC", "District of Columbia"}, {"FL", "Florida"}, {"GA", "Georgia"}, {"HI", "Hawaii"},
	{"ID", "Idaho"}, {"IL", "Illinois"}, {"IN", "Indiana"}, {"IA", "Iowa"},
	{"KS", "Kansas"}, {"KY", "Kentucky"}, {"LA", "Louisiana"}, {"ME", "Maine"},
	{"MD", "Maryland"}, {"MA", "Massachusetts"}, {"MI", "Michigan"}, {"MN", "Minnesota"},
	{"MS", "Mississippi"}, {"MO", "Missouri"}, {"MT", "Montana"}, {"NE", "Nebraska"},
	{"NV", "Nevada"}, {"NH", "New Hampshire"}, {"NJ", "New Jersey"}, {"NM", "New Mexico"},
	{"NY", "New York"}, {"NC", "North Carolina"}, {"ND", "North Dakota"}, {"OH", "Ohio"},
	{"OK", "Oklahoma"}, {"OR", "Oregon"}, {"PA", "Pennsylvania"}, {"RI", "Rhode Island"},
	{"SC", "South Carolina"}, {"SD", "South Dakota"}, {"TN", "Tennessee"}, {"TX", "Texas"},
	{"UT", "Utah"}, {"VT", "Vermont"}, {"VA", "Virginia"}, {"WA", "Washington"},
	{"WV", "West Virginia"}, {"WI", "Wisconsin"}, {"WY", "Wyoming"},
}

// stateByKey maps each state's code and name, as nameKey reduces them
// ("MT" becomes "mount", as any word "mt" does), to its code; stateKeys
// maps a code to those two keys.
var stateByKey, stateKeys = func() (map[string]string, map[string]struct{ code, name string }) {
	byKey := map[string]string{}
	keys := map[string]struct{ code, name string }{}
	for _, s := range states {
		c, n := nameKey(s.code), nameKey(s.name)
		byKey[c], byKey[n] = s.code, s.code
		keys[s.code] = struct{ code, name string }{c, n}
	}
	byKey[nameKey("Washington, D.C.")] = "DC" // as a region, not a place
	return byKey, keys
}()
