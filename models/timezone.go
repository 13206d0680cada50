package models

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // zone names work on hosts without a zoneinfo database
)

// A record's time zone is stored by name: an IANA zone such as
// "America/New_York", a fixed offset such as "-04:00" (what a CSV row gives
// when its offset matches no zone of its place), or "" for UTC. Times are
// stored in UTC; the zone says how to show them where they happened.
//
// A record whose times are known to the day only (DateOnly) stores the
// date's noon in UTC and is shown as the date alone, whatever its zone.

// LoadZone returns the location a stored zone name stands for.
func LoadZone(name string) (*time.Location, error) {
	if name == "" || name == "UTC" {
		return time.UTC, nil
	}
	if off, ok := parseOffset(name); ok {
		return time.FixedZone(name, off), nil
	}
	if strings.Contains(name, "/") {
		if loc, err := time.LoadLocation(name); err == nil {
			return loc, nil
		}
	}
	return nil, fmt.Errorf("unknown time zone %q: use a zone name such as America/New_York or an offset such as -04:00", name)
}

// ZoneOrUTC is LoadZone for a name already validated: an unknown name
// shows times in UTC rather than failing a page.
func ZoneOrUTC(name string) *time.Location {
	loc, err := LoadZone(name)
	if err != nil {
		return time.UTC
	}
	return loc
}

// OffsetName is the fixed-offset zone name of t's offset: "-04:00".
func OffsetName(t time.Time) string {
	_, off := t.Zone()
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("%c%02d:%02d", sign, off/3600, off%3600/60)
}

// parseOffset reads "+05:30" or "-04:00".
func parseOffset(s string) (int, bool) {
	if len(s) != 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':' {
		return 0, false
	}
	h, err1 := strconv.Atoi(s[1:3])
	m, err2 := strconv.Atoi(s[4:6])
	if err1 != nil || err2 != nil || h > 14 || m > 59 {
		return 0, false
	}
	off := h*3600 + m*60
	if s[0] == '-' {
		off = -off
	}
	return off, true
}

// ZoneFor is the time zone of a place, when its region alone settles it:
// the zone of most of a US state's people. Elsewhere it is "" (UTC) and the
// organiser picks one.
func ZoneFor(country, region string) string {
	if country != "" && !strings.EqualFold(country, "US") {
		return ""
	}
	return usStateZones[strings.ToUpper(strings.TrimSpace(region))]
}

// ZoneFromOffset picks the zone a time read with an offset belongs to: the
// place's own zone when its offset at that moment matches, or else the
// offset itself, so the time is shown and exported exactly as it was given.
func ZoneFromOffset(t time.Time, country, region string) string {
	_, off := t.Zone()
	if z := ZoneFor(country, region); z != "" {
		if loc, err := time.LoadLocation(z); err == nil {
			if _, zoff := t.In(loc).Zone(); zoff == off {
				return z
			}
		}
	}
	if off == 0 {
		return ""
	}
	return OffsetName(t)
}

// CommonZones are offered first in forms.
var CommonZones = []string{
	"America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
	"America/Anchorage", "Pacific/Honolulu", "America/Puerto_Rico", "UTC",
	"Europe/London", "Europe/Berlin", "America/Mexico_City", "America/Toronto",
}

var usStateZones = map[string]string{
	"AL": "America/Chicago", "AK": "America/Anchorage", "AZ": "America/Phoenix", "AR": "America/Chicago",
	"CA": "America/Los_Angeles", "CO": "America/Denver", "CT": "America/New_York", "DE": "America/New_York",
	"DC": "America/New_York", "FL": "America/New_York", "GA": "America/New_York", "HI": "Pacific/Honolulu",
	"ID": "America/Boise", "IL": "America/Chicago", "IN": "America/Indiana/Indianapolis", "IA": "America/Chicago",
	"KS": "America/Chicago", "KY": "America/New_York", "LA": "America/Chicago", "ME": "America/New_York",
	"MD": "America/New_York", "MA": "America/New_York", "MI": "America/Detroit", "MN": "America/Chicago",
	"MS": "America/Chicago", "MO": "America/Chicago", "MT": "America/Denver", "NE": "America/Chicago",
	"NV": "America/Los_Angeles", "NH": "America/New_York", "NJ": "America/New_York", "NM": "America/Denver",
	"NY": "America/New_York", "NC": "America/New_York", "ND": "America/Chicago", "OH": "America/New_York",
	"OK": "America/Chicago", "OR": "America/Los_Angeles", "PA": "America/New_York", "RI": "America/New_York",
	"SC": "America/New_York", "SD": "America/Chicago", "TN": "America/Chicago", "TX": "America/Chicago",
	"UT": "America/Denver", "VT": "America/New_York", "VA": "America/New_York", "WA": "America/Los_Angeles",
	"WV": "America/New_York", "WI": "America/Chicago", "WY": "America/Denver", "PR": "America/Puerto_Rico",
	"GU": "Pacific/Guam", "VI": "America/St_Thomas", "AS": "Pacific/Pago_Pago", "MP": "Pacific/Saipan",
}

// FormatWhen writes a record's time in ISO 8601 as it is exported: the date
// alone when only the day is known ("2019-07-15"), or else the time where
// it happened with its offset ("2019-07-15T11:00:00-07:00"). Nil is "".
func FormatWhen(t *time.Time, dateOnly bool, zone string) string {
	if t == nil {
		return ""
	}
	if dateOnly {
		return t.UTC().Format(time.DateOnly)
	}
	return t.In(ZoneOrUTC(zone)).Format("2006-01-02T15:04:05-07:00")
}
