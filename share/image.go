// Package share draws a campaign's share image: the PNG (1200 x 630) a
// link to the campaign shows as its card on social sites and in chat
// apps, with the campaign's title, its count and its deliveries. Drawn on
// the server, from the same figures the pages show.
package share

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"campaigntrack/fonts"
)

// Width and Height are the image's size: the 1.91:1 card Open Graph and
// Twitter show.
const (
	Width  = 1200
	Height = 630
)

// Card is what the image shows.
type Card struct {
	Title    string // the campaign's title
	Count    string // "270,000 people have signed"
	Progress string // "5 of 9 cities delivered"
	Site     string // the site's name, bottom left
}

var (
	parsed  sync.Once
	regular *opentype.Font
	bold    *opentype.Font
	errFont error
)

func load() error {
	parsed.Do(func() {
		if regular, errFont = opentype.Parse(fonts.Regular()); errFont == nil {
			bold, errFont = opentype.Parse(fonts.Bold())
		}
	})
	return errFont
}

var (
	background = color.RGBA{0x1b, 0x1b, 0x1b, 0xff}
	accent     = color.RGBA{0xe0, 0x4f, 0x4f, 0xff}
	light      = color.RGBA{0xf5, 0xf5, 0xf5, 0xff}
	muted      = color.RGBA{0xbb, 0xbb, 0xbb, 0xff}
)

// Render draws the card as a PNG. A title too long for three lines at the
// largest size is set smaller, then cut with an ellipsis; characters the
// font lacks (it has Latin, Greek, Cyrillic, Hebrew, Arabic and more, not
// CJK) are drawn as its empty box.
func Render(c Card) ([]byte, error) {
	if err := load(); err != nil {
		return nil, fmt.Errorf("share image: %w", err)
	}
	img := image.NewRGBA(image.Rect(0, 0, Width, Height))
	draw.Draw(img, img.Bounds(), &image.Uniform{background}, image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(0, 0, 24, Height), &image.Uniform{accent}, image.Point{}, draw.Src)
	const left, right = 80, Width - 80
	y := 150
	for _, size := range []float64{64, 54, 46} {
		face, err := opentype.NewFace(bold, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
		if err != nil {
			return nil, err
		}
		lines, fits := wrap(face, clean(c.Title), right-left, 3)
		if fits || size == 46 {
			for _, l := range lines {
				text(img, face, light, left, y, l)
				y += int(size * 1.2)
			}
			break
		}
	}
	y = max(y+30, 420)
	for _, l := range []struct {
		s    string
		size float64
		col  color.Color
		f    *opentype.Font
	}{{c.Count, 44, accent, bold}, {c.Progress, 34, light, regular}} {
		if l.s == "" {
			continue
		}
		face, err := opentype.NewFace(l.f, &opentype.FaceOptions{Size: l.size, DPI: 72, Hinting: font.HintingFull})
		if err != nil {
			return nil, err
		}
		lines, _ := wrap(face, clean(l.s), right-left, 1)
		text(img, face, l.col, left, y, lines[0])
		y += int(l.size * 1.4)
	}
	if c.Site != "" {
		face, err := opentype.NewFace(regular, &opentype.FaceOptions{Size: 26, DPI: 72, Hinting: font.HintingFull})
		if err != nil {
			return nil, err
		}
		lines, _ := wrap(face, clean(c.Site), right-left, 1)
		text(img, face, muted, left, Height-50, lines[0])
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// clean makes text drawable: no control characters, runs of space as one,
// and at most 400 characters (a title longer than that is cut anyway).
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > 400 {
		s = string([]rune(s)[:400])
	}
	return s
}

// wrap breaks s into at most maxLines lines of width w, and reports whether it
// fitted (in maxLines); when it did not, the last line ends in an ellipsis. A word wider
// than a line is broken between characters.
func wrap(face font.Face, s string, w int, maxLines int) ([]string, bool) {
	width := fixed.I(w)
	var lines []string
	line := ""
	fits := func(t string) bool { return font.MeasureString(face, t) <= width }
	for _, word := range strings.Fields(s) {
		candidate := word
		if line != "" {
			candidate = line + " " + word
		}
		if fits(candidate) {
			line = candidate
			continue
		}
		if line != "" {
			lines = append(lines, line)
		}
		line = word
		for !fits(line) { // a word wider than a line
			cut := []rune(line)
			n := len(cut)
			for n > 1 && !fits(string(cut[:n])) {
				n--
			}
			lines = append(lines, string(cut[:n]))
			line = string(cut[n:])
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	if len(lines) == 0 {
		lines = []string{""}
	}
	if len(lines) <= maxLines {
		return lines, true
	}
	lines = lines[:maxLines]
	last := []rune(lines[maxLines-1])
	for len(last) > 0 && !fits(string(last)+"…") {
		last = last[:len(last)-1]
	}
	lines[maxLines-1] = strings.TrimRight(string(last), " ") + "…"
	return lines, false
}

func text(img draw.Image, face font.Face, col color.Color, x, y int, s string) {
	d := font.Drawer{Dst: img, Src: image.NewUniform(col), Face: face, Dot: fixed.P(x, y)}
	d.DrawString(s)
}
