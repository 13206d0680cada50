package packet

import "time"

func sampleVolume() Volume {
	return Volume{
		Title:    "#NoTechForICE: Amazon, stop powering ICE",
		Target:   "Amazon",
		Demand:   "Stop selling technology to ICE and Palantir.",
		Petition: "We, the undersigned, call on Amazon to stop powering ICE.\n\nAmazon Web Services hosts the databases ICE uses.",
		Place:    "Seattle, WA", When: "15 July 2019 at 10:00 PDT", Recipient: "The reception desk of Amazon's headquarters",
		CountLine:      "270,123 signatures at delivery, counted 15 July 2019 at 10:02 UTC",
		Printed:        270123,
		Sources:        [][]string{{"This site's form", "", "12,000", "11,800", "200"}, {"MoveOn", "MoveOn", "150,000", "148,000", "2,000"}},
		Claims:         [][2]string{{"More than 270,000 signatures", "Seattle Times / TNS, 15 July 2019"}},
		Code:           "K7QF-9XPM-2D",
		CheckURL:       "https://campaigntrack.example/campaigns/no-tech-for-ice/packets/K7QF-9XPM-2D",
		ManifestSHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
		VolumeNo:       1, Volumes: 6,
		VolumeLabel:     "Signatures 1–50,000",
		NamesNote:       "first name, last initial, city and state",
		UnprintableNote: UnprintableNote,
		States:          []Place{{"Washington", 90000}, {"New York", 60000}},
		Cities:          []Place{{"Seattle, WA", 50000}, {"New York, NY", 40000}},
		OtherPlaces:     1234,
		Made:            time.Date(2019, 7, 14, 18, 0, 0, 0, time.UTC),
	}
}
