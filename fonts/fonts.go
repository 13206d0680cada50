// Package fonts holds the fonts the application draws text with, embedded:
// DejaVu Sans 2.37 and its bold, from Debian's fonts-dejavu-core, under the
// licence in LICENSE. Delivery packets embed them (subset) in their PDFs;
// the share image of a campaign is drawn with them.
package fonts

import _ "embed"

var (
	//go:embed DejaVuSans.ttf
	regular []byte
	//go:embed DejaVuSans-Bold.ttf
	bold []byte
)

// Regular is DejaVu Sans as a TrueType file. The slice is shared: never
// change it.
func Regular() []byte { return regular }

// Bold is DejaVu Sans Bold as a TrueType file. The slice is shared: never
// change it.
func Bold() []byte { return bold }
