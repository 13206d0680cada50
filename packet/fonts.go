package packet

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sync"

	"campaigntrack/fonts"
)

// The fonts every packet embeds (subset to the characters it prints): DejaVu Sans 2.37 and its bold
// (package fonts, with their licence).
var (
	regularTTF = fonts.Regular()
	boldTTF    = fonts.Bold()
)

// face is what this package needs to know of a font without a PDF at hand: which characters it
// prints, and how wide each is, in the units fpdf measures with (thousandths of the font size).
type face struct {
	covered [65536 / 64]uint64 // bit r: the font maps rune r to a glyph other than .notdef
	width   [65536]uint16      // advance of rune r, rounded as fpdf rounds it
}

func (f *face) has(r rune) bool {
	return r >= 0 && r < 65536 && f.covered[r/64]&(1<<(uint(r)%64)) != 0
}

var (
	fontsOnce         sync.Once
	regular, bold     *face
	errFontsUnusable  error
	printableCoverage *face // the runes both fonts print (names can be set in either)
)

func loadFaces() {
	fontsOnce.Do(func() {
		var err1, err2 error
		regular, err1 = parseFace(regularTTF)
		bold, err2 = parseFace(boldTTF)
		if errFontsUnusable = errors.Join(err1, err2); errFontsUnusable != nil {
			return
		}
		printableCoverage = &face{}
		for i := range printableCoverage.covered {
			printableCoverage.covered[i] = regular.covered[i] & bold.covered[i]
		}
		buildArabicForms(printableCoverage.has)
	})
}

// parseFace reads the cmap and hmtx tables of a TrueType font. Like fpdf, it reads only the
// format-4 (Basic Multilingual Plane) cmap of the Unicode or Windows Unicode platform: fpdf writes
// text as 16-bit character codes, so a character outside the BMP can never print, whatever the font
// holds. A character counts as covered when that cmap gives it a glyph other than 0 (.notdef).
func parseFace(ttf []byte) (*face, error) {
	tables, err := ttfTables(ttf)
	if err != nil {
		return nil, err
	}
	head, hhea, maxp, hmtx, cmap := tables["head"], tables["hhea"], tables["maxp"], tables["hmtx"], tables["cmap"]
	if len(head) < 20 || len(hhea) < 36 || len(maxp) < 6 || cmap == nil || hmtx == nil {
		return nil, errors.New("packet: font lacks head, hhea, maxp, hmtx or cmap")
	}
	unitsPerEm := int(binary.BigEndian.Uint16(head[18:]))
	numHMetrics := int(binary.BigEndian.Uint16(hhea[34:]))
	numGlyphs := int(binary.BigEndian.Uint16(maxp[4:]))
	if unitsPerEm == 0 || numHMetrics == 0 || len(hmtx) < 4*numHMetrics {
		return nil, errors.New("packet: font's metrics are malformed")
	}
	advance := func(gid int) int {
		if gid >= numHMetrics {
			gid = numHMetrics - 1
		}
		return int(binary.BigEndian.Uint16(hmtx[4*gid:]))
	}
	scale := 1000 / float64(unitsPerEm)

	sub, err := format4(cmap)
	if err != nil {
		return nil, err
	}
	f := &face{}
	segX2 := int(binary.BigEndian.Uint16(sub[6:]))
	if len(sub) < 16+4*segX2 {
		return nil, errors.New("packet: font's cmap is truncated")
	}
	ends, starts := sub[14:], sub[16+segX2:]
	deltas, offsets := sub[16+2*segX2:], sub[16+3*segX2:]
	for s := 0; s < segX2/2; s++ {
		end := int(binary.BigEndian.Uint16(ends[2*s:]))
		start := int(binary.BigEndian.Uint16(starts[2*s:]))
		delta := int(binary.BigEndian.Uint16(deltas[2*s:]))
		off := int(binary.BigEndian.Uint16(offsets[2*s:]))
		for c := start; c <= end && c < 0xFFFF; c++ {
			gid := 0
			if off == 0 {
				gid = (c + delta) & 0xFFFF
			} else {
				at := 16 + 3*segX2 + 2*s + off + 2*(c-start)
				if at+2 <= len(sub) {
					if g := int(binary.BigEndian.Uint16(sub[at:])); g != 0 {
						gid = (g + delta) & 0xFFFF
					}
				}
			}
			if gid == 0 || gid >= numGlyphs {
				continue
			}
			f.covered[c/64] |= 1 << (uint(c) % 64)
			f.width[c] = uint16(math.Round(scale * float64(advance(gid))))
		}
	}
	return f, nil
}

// ttfTables maps each table tag of a TrueType file to its bytes.
func ttfTables(ttf []byte) (map[string][]byte, error) {
	if len(ttf) < 12 {
		return nil, errors.New("packet: font file too short")
	}
	n := int(binary.BigEndian.Uint16(ttf[4:]))
	if len(ttf) < 12+16*n {
		return nil, errors.New("packet: font's table directory is truncated")
	}
	tables := make(map[string][]byte, n)
	for i := range n {
		rec := ttf[12+16*i:]
		off, length := int(binary.BigEndian.Uint32(rec[8:])), int(binary.BigEndian.Uint32(rec[12:]))
		if off < 0 || length < 0 || off+length > len(ttf) {
			return nil, fmt.Errorf("packet: font table %q lies outside the file", rec[:4])
		}
		tables[string(rec[:4])] = ttf[off : off+length]
	}
	return tables, nil
}

// format4 finds the cmap subtable fpdf uses: the first format-4 subtable of platform 0 (Unicode)
// or of platform 3 encoding 1 (Windows Unicode BMP).
func format4(cmap []byte) ([]byte, error) {
	if len(cmap) < 4 {
		return nil, errors.New("packet: font's cmap is truncated")
	}
	n := int(binary.BigEndian.Uint16(cmap[2:]))
	for i := range n {
		rec := 4 + 8*i
		if rec+8 > len(cmap) {
			break
		}
		platform, encoding := binary.BigEndian.Uint16(cmap[rec:]), binary.BigEndian.Uint16(cmap[rec+2:])
		off := int(binary.BigEndian.Uint32(cmap[rec+4:]))
		if !(platform == 0 || platform == 3 && encoding == 1) || off+14 > len(cmap) {
			continue
		}
		if binary.BigEndian.Uint16(cmap[off:]) != 4 {
			continue
		}
		length := int(binary.BigEndian.Uint16(cmap[off+2:]))
		if off+length > len(cmap) {
			length = len(cmap) - off
		}
		return cmap[off : off+length], nil
	}
	return nil, errors.New("packet: font has no format-4 Unicode cmap")
}
