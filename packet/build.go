package packet

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"campaigntrack/csvio"
	"campaigntrack/locale"
	"campaigntrack/models"
	"campaigntrack/private"
	"campaigntrack/views"
)

// How a packet is split into volumes.
const (
	SplitEvery   = "every" // every Options.Every signers
	SplitState   = "state" // one volume a state
	DefaultEvery = 50_000
)

// Options are what an organiser chooses for a packet.
type Options struct {
	Split string
	Every int
}

// Validate names what is wrong with the options, and fills the defaults.
func (o *Options) Validate() models.FieldErrors {
	fe := models.FieldErrors{}
	if o.Split == "" {
		o.Split = SplitEvery
	}
	if o.Split != SplitEvery && o.Split != SplitState {
		fe.Add("split", "split the packet every N signatures or by state")
	}
	if o.Every == 0 {
		o.Every = DefaultEvery
	}
	if o.Every < RowsPerPage || o.Every > 1_000_000 {
		fe.Add("every", fmt.Sprintf("give the signatures a volume holds as a whole number from %d to 1,000,000, for example 50000", RowsPerPage))
	}
	return fe
}

// Store is what a packet reads.
type Store interface {
	PetitionFor(ctx context.Context, campaignID uint) (*models.Petition, error)
	DeliveryCounts(ctx context.Context, campaignID uint) (map[uint]models.DeliveryCount, error)
	ClaimsFor(ctx context.Context, campaignID uint) ([]models.CountClaim, error)
	EachPacketSigner(ctx context.Context, campaignID uint, until *time.Time, byRegion bool, batch int, fn func([]models.PacketSigner) error) error
}

// Sink receives a packet's files in order: the manifest, then each
// volume.
type Sink interface {
	Create(name string) (io.Writer, error)
}

// ManifestColumns are the manifest's columns: one row per printed signer.
var ManifestColumns = []string{"number", "volume", "page", "printed"}

// Request is one packet to make.
type Request struct {
	Campaign  *models.Campaign
	Delivery  *models.Delivery
	Options   Options
	BaseURL   string // the site's public address, for the check page's URL
	PlaceMin  int64  // the public place threshold
	Now       time.Time
	MaxPlaces int // how many states and cities the summary names (0: 50)
}

// Build makes a packet: the manifest first (streamed to the sink as it is
// read, and to a private temporary file), then each volume, rendered from
// that file, so the volumes print exactly the rows the manifest holds
// whatever changes in the database meanwhile. It returns the packet's
// public record; the caller records it.
//
// The signers are the delivery's: counted by the time its count was frozen
// (still there: withdrawn ones are gone), or, for a draft, by now.
//
// The packet prints in the delivery's packet language (English when it
// names none): its fixed text, numbers and dates, and the campaign's and
// the petition's texts where they have a version in it.
func Build(ctx context.Context, store Store, req Request, sink Sink) (*models.Packet, error) {
	cp, d := req.Campaign, req.Delivery
	ctx = locale.With(ctx, locale.Request{Lang: locale.OrEnglish(d.PacketLang)})
	if fe := req.Options.Validate(); len(fe) > 0 {
		return nil, fe
	}
	p := &models.Packet{CampaignID: cp.ID, DeliveryID: d.ID, Split: req.Options.Split, EveryN: req.Options.Every, Names: cp.PacketNames}
	if p.Names == "" {
		p.Names = models.PacketInitials
	}
	if p.Split == SplitState {
		p.EveryN = 0
	}
	var frozen *models.DeliveryCount
	if d.Status == models.DeliveryDelivered {
		counts, err := store.DeliveryCounts(ctx, cp.ID)
		if err != nil {
			return nil, err
		}
		if dc, ok := counts[d.ID]; ok {
			frozen = &dc
		}
	}
	until := req.Now.UTC()
	if frozen != nil {
		until = frozen.RecordedAt
		total := frozen.Total
		p.CountTotal, p.CountedAt = &total, &frozen.RecordedAt
	} else {
		p.Draft = true
	}

	// Pass one: the manifest, its hash, the volumes and the summary.
	tmp, err := private.TempFile("packet-*.tsv")
	if err != nil {
		return nil, err
	}
	defer private.Discard(tmp)
	mf, err := sink.Create("manifest.csv")
	if err != nil {
		return nil, err
	}
	hash := sha256.New()
	plan, err := writeManifest(ctx, store, cp.ID, &until, p.Names, req.Options, io.MultiWriter(mf, hash), tmp)
	if err != nil {
		return nil, err
	}
	p.ManifestSHA256 = hex.EncodeToString(hash.Sum(nil))
	p.Code = code(p)
	p.Signers, p.Volumes = plan.signers, len(plan.volumes)

	// Pass two: the volumes, read back from the private copy.
	cover, err := coverOf(ctx, store, req, p, frozen, plan)
	if err != nil {
		return nil, err
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	rows := bufio.NewReaderSize(tmp, 64<<10)
	for i, vol := range plan.volumes {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		v := cover
		v.VolumeNo, v.Volumes, v.VolumeLabel = i+1, len(plan.volumes), vol.label
		if p.Names != models.PacketCountsOnly {
			v.LineCount = vol.lines
			v.Lines = readLines(rows, vol.lines)
		}
		w, err := sink.Create(fmt.Sprintf("volume-%02d.pdf", i+1))
		if err != nil {
			return nil, err
		}
		if err := WriteVolume(w, v); err != nil {
			return nil, fmt.Errorf("volume %d: %w", i+1, err)
		}
	}
	return p, nil
}

// code is the packet's verification code: a hash of what it is (campaign,
// delivery, setting, split, manifest), so the same delivery and data give
// the same code again. Ten base-32 letters, grouped by five.
func code(p *models.Packet) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("campaigntrack packet 1|%d|%d|%s|%s|%d|%s", p.CampaignID, p.DeliveryID, p.Names, p.Split, p.EveryN, p.ManifestSHA256)))
	c := base32.StdEncoding.EncodeToString(sum[:])[:10]
	return c[:5] + "-" + c[5:]
}

// ValidCode reports whether s could be a packet's code, so a made-up one
// is a 404 without a query.
func ValidCode(s string) bool {
	if len(s) != 11 || s[5] != '-' {
		return false
	}
	for i, r := range s {
		if i == 5 {
			continue
		}
		if !(r >= 'A' && r <= 'Z' || r >= '2' && r <= '7') {
			return false
		}
	}
	return true
}

type volumePlan struct {
	label string
	first int64 // the number of its first signer
	lines int
}

type manifestPlan struct {
	signers     int64
	volumes     []volumePlan
	unprintable int
	regions     map[string]*models.Tally
	cities      map[string]*models.Tally
}

// LineText is what a packet prints of a signer under a setting: first
// name and last initial, or the full name, then the city and state.
func LineText(s models.PacketSigner, names string) string {
	name := s.FirstName
	if last := strings.TrimSpace(s.LastName); last != "" {
		if names == models.PacketFullNames {
			name += " " + last
		} else {
			r, _ := utf8.DecodeRuneInString(last)
			name += " " + string(r) + "."
		}
	}
	place := models.PlaceLabel(s.City, s.Region)
	if place == "" {
		return name
	}
	return name + " — " + place
}

// writeManifest streams the signers, writing the public manifest (CSV,
// neutralised) to w and the rows as printed to tmp (one a line, tab
// separated), and plans the volumes, labelled in ctx's language.
func writeManifest(ctx context.Context, store Store, campaignID uint, until *time.Time, names string, opt Options, w io.Writer, tmp io.Writer) (*manifestPlan, error) {
	plan := &manifestPlan{regions: map[string]*models.Tally{}, cities: map[string]*models.Tally{}}
	cw, err := csvio.NewPlainWriter(w, ManifestColumns...) // no BOM: the manifest is hashed
	if err != nil {
		return nil, err
	}
	tw := bufio.NewWriterSize(tmp, 64<<10)
	byState := opt.Split == SplitState
	region := "\x00"
	inVolume := 0
	row := make([]string, 4)
	err = store.EachPacketSigner(ctx, campaignID, until, byState, 5000, func(batch []models.PacketSigner) error {
		for _, s := range batch {
			plan.signers++
			count(plan.regions, s.Region)
			if s.City != "" {
				count(plan.cities, models.PlaceLabel(s.City, s.Region))
			}
			newVolume := len(plan.volumes) == 0 || (names != models.PacketCountsOnly && // counts only: one volume, of counts
				((byState && s.Region != region) || (!byState && inVolume == opt.Every)))
			if newVolume {
				plan.volumes = append(plan.volumes, volumePlan{label: s.Region, first: plan.signers})
				inVolume, region = 0, s.Region
			}
			inVolume++
			vol := &plan.volumes[len(plan.volumes)-1]
			vol.lines++
			if names == models.PacketCountsOnly {
				continue
			}
			text, ok := Printable(LineText(s, names))
			if !ok {
				plan.unprintable++
			}
			page := (inVolume-1)/RowsPerPage + 1
			row[0], row[1], row[2], row[3] = strconv.FormatInt(plan.signers, 10), strconv.Itoa(len(plan.volumes)), strconv.Itoa(page), text
			if err := cw.Write(row); err != nil {
				return err
			}
			fmt.Fprintf(tw, "%d\t%s\n", plan.signers, strings.ReplaceAll(text, "\n", " "))
		}
		return cw.Flush()
	})
	if err != nil {
		return nil, err
	}
	for i, vol := range plan.volumes {
		switch {
		case !byState:
			plan.volumes[i].label = locale.T(ctx, "packet.pdf.signer_range",
				"First", strconv.FormatInt(vol.first, 10), "Last", strconv.FormatInt(vol.first+int64(vol.lines)-1, 10))
		case vol.label == "":
			plan.volumes[i].label = locale.T(ctx, "packet.pdf.no_state")
		}
	}
	if len(plan.volumes) == 0 {
		plan.volumes = []volumePlan{{label: locale.T(ctx, "packet.pdf.no_signatures")}}
	}
	if names == models.PacketCountsOnly {
		plan.volumes[0].label = locale.N(ctx, "packet.pdf.counts_of", plan.signers)
	}
	if err := cw.Flush(); err != nil {
		return nil, err
	}
	return plan, tw.Flush()
}

// count adds a signer to a place's count, places compared whatever
// their case, as the kept tallies compare them.
func count(m map[string]*models.Tally, label string) {
	if label == "" {
		return
	}
	k := strings.ToLower(label)
	t := m[k]
	if t == nil {
		t = &models.Tally{Label: label}
		m[k] = t
	}
	t.N++
}

// readLines yields n rows of the private copy, in order.
func readLines(r *bufio.Reader, n int) iter.Seq[Line] {
	return func(yield func(Line) bool) {
		for range n {
			s, err := r.ReadString('\n')
			if err != nil {
				return
			}
			num, text, _ := strings.Cut(strings.TrimSuffix(s, "\n"), "\t")
			number, _ := strconv.Atoi(num)
			if !yield(Line{Number: number, Text: text}) {
				return
			}
		}
	}
}

// coverOf is what every volume's cover and summary print, in ctx's
// language.
func coverOf(ctx context.Context, store Store, req Request, p *models.Packet, frozen *models.DeliveryCount, plan *manifestPlan) (Volume, error) {
	cp, d := req.Campaign, req.Delivery
	lang := locale.Of(ctx)
	title, _ := locale.Pick(ctx, cp.Title, cp.TitleES)
	demand, _ := locale.Pick(ctx, cp.Demand, cp.DemandES)
	v := Volume{
		Lang:  lang,
		Title: title, Target: cp.Target, Demand: demand,
		Place: d.Place(), Recipient: d.Recipient, Draft: p.Draft,
		Printed: plan.signers, Code: p.Code, ManifestSHA256: p.ManifestSHA256, Made: req.Now,
		CheckURL:    strings.TrimSuffix(req.BaseURL, "/") + locale.Path(ctx, "/campaigns/"+cp.Slug+"/packets/"+p.Code), // the check page in the packet's language
		NamesNote:   namesNote(ctx, p.Names),
		Unprintable: plan.unprintable, UnprintableNote: UnprintableNoteIn(lang),
	}
	v.When = views.WhenInLang(ctx, d.When(), d.WhenDateOnly(), d.TimeZone)
	if pet, err := store.PetitionFor(ctx, cp.ID); err != nil {
		return v, err
	} else if pet != nil {
		v.Petition, v.PetitionNote = petitionText(ctx, pet)
	}
	if frozen != nil {
		v.CountLine = locale.N(ctx, "packet.pdf.count_line", frozen.Total,
			"CountedAt", views.CountedAt(ctx, frozen.RecordedAt), "Printed", locale.Number(ctx, plan.signers))
		for _, f := range frozen.Sources {
			v.Sources = append(v.Sources, []string{f.Name, f.Partner, locale.Number(ctx, f.Received), locale.Number(ctx, f.Unique), locale.Number(ctx, f.Shared)})
		}
	} else {
		v.CountLine = locale.N(ctx, "packet.pdf.count_line_draft", plan.signers, "CountedAt", views.CountedAt(ctx, req.Now))
	}
	claims, err := store.ClaimsFor(ctx, cp.ID)
	if err != nil {
		return v, err
	}
	for _, c := range claims {
		figure := views.ClaimFigureLang(ctx, c)
		text := locale.T(ctx, "packet.pdf.claim", "Figure", figure, "Who", c.ClaimedBy)
		if c.ClaimedOn != "" {
			text = locale.T(ctx, "packet.pdf.claim_on", "Figure", figure, "Who", c.ClaimedBy, "Day", views.DayLang(ctx, c.ClaimedOn))
		}
		v.Claims = append(v.Claims, [2]string{text, sourceText(c.Source())})
	}
	places := func(m map[string]*models.Tally) ([]Place, int64) {
		tallies := make([]models.Tally, 0, len(m))
		for _, t := range m {
			tallies = append(tallies, *t)
		}
		named := models.NamePlaces(tallies, max(req.MaxPlaces, 50), max(req.PlaceMin, 1))
		out := make([]Place, len(named.Places))
		for i, t := range named.Places {
			out[i] = Place{Label: t.Label, N: t.N}
		}
		return out, named.Other
	}
	var otherStates int64
	v.States, otherStates = places(plan.regions)
	v.Cities, v.OtherPlaces = places(plan.cities)
	_ = otherStates
	return v, nil
}

// petitionText is the petition as the packet prints it, in ctx's
// language when it has a version in it (its body; the heading goes with
// it, or is left out when it has none), and a note when it is printed in
// English instead.
func petitionText(ctx context.Context, pet *models.Petition) (text, note string) {
	body, in := locale.Pick(ctx, pet.Body, pet.BodyES)
	heading := pet.Heading
	if in == locale.Spanish {
		heading = pet.HeadingES
	}
	if in != locale.Of(ctx) {
		note = locale.T(ctx, "packet.pdf.petition_in_english")
	}
	return strings.TrimSpace(heading + "\n\n" + body), note
}

// namesNote says what each signer line shows under a setting.
func namesNote(ctx context.Context, names string) string {
	switch names {
	case models.PacketFullNames:
		return locale.T(ctx, "packet.pdf.names_full")
	case models.PacketCountsOnly:
		return locale.T(ctx, "packet.pdf.names_counts")
	}
	return locale.T(ctx, "packet.pdf.names_initials")
}

func sourceText(s models.Source) string {
	switch {
	case s.Name != "" && s.URL != "":
		return s.Name + " (" + s.URL + ")"
	case s.Name != "":
		return s.Name
	}
	return s.URL
}
