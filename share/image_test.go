package share_test

import (
	"bytes"
	"image/png"
	"strings"
	"testing"

	"campaigntrack/share"
)

// TestRenderAnyTitle: long, non-Latin, empty and hostile titles all give
// a 1200 x 630 PNG.
func TestRenderAnyTitle(t *testing.T) {
	t.Parallel()
	for _, title := range []string{
		"#NoTechForICE: Amazon, stop selling technology to ICE",
		strings.Repeat("A very long campaign title that goes on ", 40),
		strings.Repeat("Supercalifragilisticexpialidocious", 20),
		"Нет технологиям для ICE", "Όχι τεχνολογία για την ICE", "لا تكنولوجيا لـ ICE", "אין טכנולוגיה", "不要把技术卖给移民局",
		"", "\x00\x1b[31mred\u202eevil\n\ttabs", "\xff\xfe not UTF-8",
	} {
		b, err := share.Render(share.Card{Title: title, Count: "270,000 people have signed", Progress: "5 of 9 cities delivered", Site: "campaigntrack"})
		if err != nil {
			t.Fatalf("%.40q: %v", title, err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil || img.Bounds().Dx() != share.Width || img.Bounds().Dy() != share.Height {
			t.Fatalf("%.40q: %v %v", title, err, img.Bounds())
		}
	}
}

func FuzzRender(f *testing.F) {
	f.Add("#NoTechForICE", "270,000", "5 of 9")
	f.Add(strings.Repeat("x", 1000), "", "")
	f.Fuzz(func(t *testing.T, title, count, progress string) {
		if _, err := share.Render(share.Card{Title: title, Count: count, Progress: progress}); err != nil {
			t.Fatal(err)
		}
	})
}
