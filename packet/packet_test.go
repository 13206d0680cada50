package packet

import (
	"bytes"
	"errors"
	"fmt"
	"iter"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// The PDFs are read back with the tools a person would use: poppler's pdftotext and pdfinfo, and
// qpdf --check. Without them the tests skip, unless CAMPAIGNTRACK_REQUIRE_PDF_TOOLS is set (as
// .ci/run sets it after installing them).
func needTools(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"pdftotext", "pdfinfo", "qpdf"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CAMPAIGNTRACK_REQUIRE_PDF_TOOLS") != "" {
				t.Fatalf("%s not found (apt-get install poppler-utils qpdf)", tool)
			}
			t.Skipf("%s not found (apt-get install poppler-utils qpdf)", tool)
		}
	}
}

// render writes v to a PDF file, checks it with qpdf, and returns its path.
func render(t *testing.T, v Volume) string {
	t.Helper()
	needTools(t)
	var buf bytes.Buffer
	if err := WriteVolume(&buf, v); err != nil {
		t.Fatalf("WriteVolume: %v", err)
	}
	path := filepath.Join(t.TempDir(), "volume.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("qpdf", "--check", path).CombinedOutput(); err != nil {
		t.Fatalf("qpdf --check: %v\n%s", err, out)
	}
	return path
}

func pageCount(t *testing.T, path string) int {
	t.Helper()
	out, err := exec.Command("pdfinfo", path).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo gave no page count:\n%s", out)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// pageText is pdftotext -layout of one page.
func pageText(t *testing.T, path string, page int) string {
	t.Helper()
	n := strconv.Itoa(page)
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", "-f", n, "-l", n, path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext page %d: %v", page, err)
	}
	return string(out)
}

func allPages(t *testing.T, path string) []string {
	t.Helper()
	n := pageCount(t, path)
	pages := make([]string, n)
	for i := range pages {
		pages[i] = pageText(t, path, i+1)
	}
	return pages
}

func lines(ls []Line) iter.Seq[Line] {
	return func(yield func(Line) bool) {
		for _, l := range ls {
			if !yield(l) {
				return
			}
		}
	}
}

func withLines(v Volume, ls []Line) Volume {
	v.Lines, v.LineCount = lines(ls), len(ls)
	return v
}

var typedNames = []string{
	"Nguyễn Thị Ánh",
	"Γιώργος Παπαδόπουλος",
	"Светлана Кузнецова",
	"Zoë Müller-Łukasiewicz",
	"Trần Văn Đức",
	"François Lefèvre-Çelik",
	"Søren Ødegård",
	"Ştefan Ţăranu",
	"Iñaki Muñoz",
	"Dvořák Šťastný",
}

// Every line is on the signer page its position says, as typed; the footers name the page and the
// range of signature numbers it holds. The volume starts at signature 50,001, as a second volume does.
func TestEveryLineIsOnItsPage(t *testing.T) {
	const n, from = 1000, 50001
	ls := make([]Line, n)
	for i := range ls {
		ls[i] = Line{Number: from + i, Text: fmt.Sprintf("%s %d, Seattle, WA", typedNames[i%len(typedNames)], i)}
	}
	v := withLines(sampleVolume(), ls)
	path := render(t, v)
	front, signerPages := CoverAndSummaryPages(v), SignerPages(n)
	if got := pageCount(t, path); got != front+signerPages {
		t.Fatalf("pdfinfo: %d pages, want %d cover and summary + %d signer pages", got, front, signerPages)
	}
	pages := allPages(t, path)
	for i, l := range ls {
		page := front + i/RowsPerPage + 1
		text := pages[page-1]
		if !strings.Contains(text, l.Text) {
			t.Fatalf("line %d (%q) is not on page %d:\n%s", l.Number, l.Text, page, text)
		}
		if !regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(thousands(int64(l.Number))) + `\s+` + regexp.QuoteMeta(l.Text) + `\s*$`).MatchString(text) {
			t.Fatalf("line %d is not printed as its number then its text on page %d:\n%s", l.Number, page, text)
		}
		for _, other := range []int{page - 1, page + 1} {
			if other > front && other <= len(pages) && strings.Contains(pages[other-1], l.Text+"\n") {
				t.Fatalf("line %d (%q) is also on page %d", l.Number, l.Text, other)
			}
		}
	}
	for p := 1; p <= signerPages; p++ {
		text := pages[front+p-1]
		firstNo := from + (p-1)*RowsPerPage
		lastNo := min(firstNo+RowsPerPage-1, from+n-1)
		for _, want := range []string{
			fmt.Sprintf("Signatures page %d of %d", p, signerPages),
			"Signatures " + thousands(int64(firstNo)) + "–" + thousands(int64(lastNo)),
			"Verification code " + v.Code,
		} {
			if !strings.Contains(text, want) {
				t.Errorf("signer page %d lacks %q:\n%s", p, want, text)
			}
		}
	}
	for p := 1; p <= front; p++ {
		if !strings.Contains(pages[p-1], "Verification code "+v.Code) {
			t.Errorf("page %d (cover or summary) is not footed with the code:\n%s", p, pages[p-1])
		}
		if strings.Contains(pages[p-1], "Signatures page") {
			t.Errorf("page %d is a cover or summary page but is footed as a signer page", p)
		}
	}
}

// Names in Latin with every diacritic, Greek and Cyrillic come out of the PDF as typed, also when
// typed decomposed; a name in a script the fonts lack shows its stand-in, and Printable says so.
func TestNamesComeOutAsTyped(t *testing.T) {
	decomposed := "Nguye\u0302\u0303n Thi\u0323 A\u0301nh" // Nguyễn Thị Ánh typed as letters and combining marks
	texts := append(append([]string{}, typedNames...), decomposed, "王小明, Seattle, WA")
	ls := make([]Line, len(texts))
	for i, s := range texts {
		p, ok := Printable(s)
		wantOK := !strings.HasPrefix(s, "王")
		if ok != wantOK {
			t.Errorf("Printable(%q) ok = %v, want %v", s, ok, wantOK)
		}
		ls[i] = Line{Number: i + 1, Text: p}
	}
	v := withLines(sampleVolume(), ls)
	path := render(t, v)
	text := pageText(t, path, CoverAndSummaryPages(v)+1)
	for _, name := range typedNames {
		if !strings.Contains(text, name) {
			t.Errorf("%q is not on the page as typed:\n%s", name, text)
		}
	}
	if got := strings.Count(text, "Nguyễn Thị Ánh"); got != 2 {
		t.Errorf("the decomposed Nguyễn Thị Ánh does not come out composed (%d of 2 found):\n%s", got, text)
	}
	if !strings.Contains(text, "[U+738B U+5C0F U+660E], Seattle, WA") {
		t.Errorf("the CJK name's stand-in is not on the page:\n%s", text)
	}
}

// Hebrew and Arabic names print in the order they are read and, in Arabic, joined: pdftotext, which
// reads a page's glyphs back into reading order, gives them as typed (once its direction marks are
// dropped and the presentation forms it reports are read as the letters they are, NFKC).
func TestRightToLeftNamesComeOutAsTyped(t *testing.T) {
	names := []string{
		"דוד כהן, Seattle, WA",
		"מרים לוי, Brooklyn, NY",
		"محمد أحمد, Dearborn, MI",
		"فاطمة الزهراء, Dearborn, MI",
		"مریم پاکزاد, Los Angeles, CA",
		"سلام علي, Detroit, MI",
	}
	ls := make([]Line, len(names))
	for i, s := range names {
		p, ok := Printable(s)
		if !ok || p != s {
			t.Fatalf("Printable(%q) = %q, %v", s, p, ok)
		}
		ls[i] = Line{Number: i + 1, Text: p}
	}
	v := withLines(sampleVolume(), ls)
	path := render(t, v)
	text := pageText(t, path, CoverAndSummaryPages(v)+1)
	read := norm.NFKC.String(strings.Map(func(r rune) rune {
		if r >= 0x202A && r <= 0x202E {
			return -1
		}
		return r
	}, text))
	for _, name := range names {
		if !strings.Contains(read, norm.NFKC.String(name)) {
			t.Errorf("%q does not come out as typed:\n%s", name, text)
		}
	}
}

// A counts-only volume has a cover and a summary and no signer page; no name is printed.
func TestCountsOnlyHasNoSignerPages(t *testing.T) {
	v := sampleVolume()
	v.Lines, v.LineCount = nil, 0
	path := render(t, v)
	pages := allPages(t, path)
	if len(pages) != CoverAndSummaryPages(v) {
		t.Fatalf("%d pages, want %d (cover and summary only)", len(pages), CoverAndSummaryPages(v))
	}
	for i, p := range pages {
		if strings.Contains(p, "Signatures page") || strings.Contains(p, "No.") {
			t.Errorf("page %d of a counts-only volume looks like a signer page:\n%s", i+1, p)
		}
	}
	if !strings.Contains(pages[0], "counts only") {
		t.Errorf("the cover does not say the volume prints counts only:\n%s", pages[0])
	}
	v.LineCount = 3
	if err := WriteVolume(&bytes.Buffer{}, v); err == nil {
		t.Error("LineCount 3 with Lines nil: no error")
	}
}

// A draft says DRAFT on every page; a delivered packet nowhere.
func TestDraftOnEveryPage(t *testing.T) {
	ls := make([]Line, 130)
	for i := range ls {
		ls[i] = Line{Number: i + 1, Text: fmt.Sprintf("Ana G. %d, Austin, TX", i)}
	}
	v := withLines(sampleVolume(), ls)
	v.Draft = true
	pages := allPages(t, render(t, v))
	if len(pages) != CoverAndSummaryPages(v)+3 {
		t.Fatalf("%d pages, want %d", len(pages), CoverAndSummaryPages(v)+3)
	}
	for i, p := range pages {
		if !strings.Contains(p, "DRAFT") {
			t.Errorf("draft page %d does not say DRAFT:\n%s", i+1, p)
		}
	}
	v.Draft = false
	v.Lines = lines(ls)
	for i, p := range allPages(t, render(t, v)) {
		if strings.Contains(p, "DRAFT") {
			t.Errorf("page %d of a delivered packet says DRAFT:\n%s", i+1, p)
		}
	}
}

// The cover prints what it is given: the hash, the code and the URL exactly, and the count, the
// sources, the claims, the delivery and the note on unprintable names.
func TestCoverShowsWhatItIsGiven(t *testing.T) {
	v := withLines(sampleVolume(), []Line{{1, "Ana G., Austin, TX"}})
	v.Unprintable = 3
	path := render(t, v)
	cover := pageText(t, path, 1)
	for _, want := range []string{
		v.ManifestSHA256, v.Code, v.CheckURL, v.CountLine, v.Title, v.Target, v.Demand,
		v.Place, v.When, v.Recipient, "MoveOn", "148,000", v.Claims[0][0], v.Claims[0][1],
		"This packet prints 270,123 signers in 6 volumes; this volume holds Signatures 1–50,000.",
		"Each signer line shows: first name, last initial, city and state.",
		"3 names could not be printed as written.", "[U+4E2D]",
		"Cover 1 of 1", "Volume 1 of 6",
	} {
		if !strings.Contains(cover, want) {
			t.Errorf("the cover lacks %q:\n%s", want, cover)
		}
	}
	summary := pageText(t, path, 2)
	for _, want := range []string{"Summary 1 of 1", "Washington", "90,000", "Seattle, WA", "50,000", "1,234 signers in places with too few signers to name"} {
		if !strings.Contains(summary, want) {
			t.Errorf("the summary lacks %q:\n%s", want, summary)
		}
	}
}

// A long petition runs over as many cover pages as it needs, each numbered "Cover i of K", and the
// signers start after them; a long list of cities does the same on the summary pages.
func TestLongCoverAndSummary(t *testing.T) {
	v := sampleVolume()
	var petition []string
	for i := range 60 {
		petition = append(petition, fmt.Sprintf("Paragraph %d. %s", i+1, strings.Repeat("Amazon must stop selling its cloud and its face recognition to ICE. ", 4)))
	}
	v.Petition = strings.Join(petition, "\n\n")
	for i := range 300 {
		v.Cities = append(v.Cities, Place{Label: fmt.Sprintf("Town %d, WA", i+1), N: int64(1000 - i)})
	}
	v = withLines(v, []Line{{Number: 1, Text: "Zoë M., Seattle, WA"}})
	path := render(t, v)
	pages := allPages(t, path)
	front := CoverAndSummaryPages(v)
	covers, summaries := 0, 0
	for _, p := range pages {
		if strings.Contains(p, "Cover ") && strings.Contains(p, "Verification code") && regexp.MustCompile(`Cover \d+ of \d+`).MatchString(p) {
			covers++
		}
		if regexp.MustCompile(`Summary \d+ of \d+`).MatchString(p) {
			summaries++
		}
	}
	if covers < 3 || summaries < 3 || covers+summaries != front {
		t.Fatalf("%d cover and %d summary pages, CoverAndSummaryPages says %d", covers, summaries, front)
	}
	for i := 1; i <= covers; i++ {
		if !strings.Contains(pages[i-1], fmt.Sprintf("Cover %d of %d", i, covers)) {
			t.Errorf("page %d is not footed Cover %d of %d", i, i, covers)
		}
	}
	joined := strings.Join(pages[:front], "\n")
	for _, want := range []string{"Paragraph 1.", "Paragraph 60.", "Town 1, WA", "Town 300, WA"} {
		if !strings.Contains(joined, want) {
			t.Errorf("the cover and summary lack %q", want)
		}
	}
	if !strings.Contains(pages[front], "Zoë M., Seattle, WA") || !strings.Contains(pages[front], "Signatures page 1 of 1") {
		t.Errorf("the signers do not start on page %d:\n%s", front+1, pages[front])
	}
}

// A name too long for a row loses no character: it is shrunk or wrapped within its row, and the
// rows after it stay on their pages.
func TestLongNameKeepsEveryCharacter(t *testing.T) {
	long := strings.Repeat("Maximiliana-Wolfeschlegelsteinhausen ", 5) + "von Bergen, Truth or Consequences, NM"
	long = long[:200]
	noSpaces := strings.Repeat("Ŵ", 150) + strings.Repeat("x", 50)
	ls := []Line{{1, "Ana G., Austin, TX"}, {2, long}, {3, noSpaces}, {4, "Zoë M., Seattle, WA"}}
	v := withLines(sampleVolume(), ls)
	path := render(t, v)
	text := pageText(t, path, CoverAndSummaryPages(v)+1)
	squeeze := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) {
				return -1
			}
			return r
		}, s)
	}
	for _, l := range ls {
		if !strings.Contains(squeeze(text), squeeze(l.Text)) {
			t.Errorf("line %d lost characters:\n%s\nnot in\n%s", l.Number, l.Text, text)
		}
	}
}

func TestFitRowNeverLosesACharacter(t *testing.T) {
	loadFaces()
	word := "Wolfeschlegelsteinhausenbergerdorff "
	for n := 1; n <= 3000; n += 7 {
		text := strings.TrimSpace(strings.Repeat(word, n/len(word)+1)[:n])
		if n%2 == 0 {
			text = strings.Repeat("Ж", n)
		}
		fit := fitRow(text)
		if got, want := strings.ReplaceAll(strings.Join(fit.lines, ""), " ", ""), strings.ReplaceAll(text, " ", ""); got != want {
			t.Fatalf("%d characters: the fitted lines hold %q, not %q", n, got, want)
		}
		for _, l := range fit.lines {
			if w := textWidth(l, false, fit.size); w > nameW+0.01 {
				t.Fatalf("%d characters: a line is %.1f pt wide, the column %.1f", n, w, nameW)
			}
		}
		if h := float64(len(fit.lines)) * fit.size; h > rowHeight {
			t.Fatalf("%d characters: %d lines at %.2f pt are taller than a row", n, len(fit.lines), fit.size)
		}
		if n <= 60 && n%2 == 1 && (fit.size != bodySize || len(fit.lines) != 1) {
			t.Fatalf("%d characters: set at %.2f pt on %d lines, want one line at %v pt", n, fit.size, len(fit.lines), bodySize)
		}
	}
}

// Lines and LineCount must agree (page N of M is printed before the end is known); when they do not,
// nothing is written.
func TestLineCountMustMatch(t *testing.T) {
	ls := []Line{{1, "a"}, {2, "b"}, {3, "c"}}
	for _, count := range []int{2, 4} {
		v := sampleVolume()
		v.Lines, v.LineCount = lines(ls), count
		var buf bytes.Buffer
		err := WriteVolume(&buf, v)
		if !errors.Is(err, errLineCount) {
			t.Errorf("LineCount %d for 3 lines: err = %v", count, err)
		}
		if buf.Len() != 0 {
			t.Errorf("LineCount %d for 3 lines: %d bytes written", count, buf.Len())
		}
	}
}

// The same volume made twice is the same bytes (its Made date set).
func TestSameVolumeSameBytes(t *testing.T) {
	make1 := func() []byte {
		var buf bytes.Buffer
		if err := WriteVolume(&buf, benchVolume(300)); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	if a, b := make1(), make1(); !bytes.Equal(a, b) {
		t.Error("the same volume rendered twice differs")
	}
}

func TestSignerPages(t *testing.T) {
	for n, want := range map[int]int{-1: 0, 0: 0, 1: 1, 55: 1, 56: 2, 110: 2, 111: 3, 50000: 910} {
		if got := SignerPages(n); got != want {
			t.Errorf("SignerPages(%d) = %d, want %d", n, got, want)
		}
	}
}

// The cover's page count does not depend on the hash's digits, so it can be counted before the
// manifest is hashed.
func TestCoverPagesDoNotDependOnTheHash(t *testing.T) {
	v := sampleVolume()
	v.Petition = strings.Repeat("A long petition paragraph that fills the cover. ", 300)
	counts := map[int]bool{}
	for _, h := range []string{strings.Repeat("0", 64), strings.Repeat("f", 64), strings.Repeat("1", 64), v.ManifestSHA256} {
		v.ManifestSHA256 = h
		counts[CoverAndSummaryPages(v)] = true
	}
	if len(counts) != 1 {
		t.Errorf("CoverAndSummaryPages varies with the hash: %v", counts)
	}
}
