package models

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
)

// SignatureSource is where a campaign's signatures came from: this site's
// form (one per campaign, Kind SourceWeb), or a partner's list or a paper
// drive (SourceList), each with the coalition partner it belongs to, its
// platform, and the count the partner claims, with where that claim was
// made. Every signature is recorded against every source that had its
// signer (source_signatures), and each source's figures are kept.
type SignatureSource struct {
	ID              uint
	CampaignID      uint
	Name            string
	NameKey         string // case folded: names are unique per campaign whatever their case
	Kind            string
	PartnerID       *uint // the coalition partner (Organisation), if any
	Platform        string
	Claimed         *int64 // the count the partner claims for this source
	ClaimSourceName string
	ClaimSourceURL  string
	Notes           string // organisers only
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

func (SignatureSource) TableName() string { return "signature_sources" }

// Source kinds.
const (
	SourceWeb  = "web"
	SourceList = "list"
)

// WebSourceName is the name the site's own form goes by as a source.
const WebSourceName = "This site's form"

// ClaimSource is the claim's source.
func (s SignatureSource) ClaimSource() Source {
	return Source{Name: s.ClaimSourceName, URL: s.ClaimSourceURL}
}

// Normalise trims the text fields and keys the name.
func (s *SignatureSource) Normalise() {
	for _, f := range []*string{&s.Name, &s.Platform, &s.ClaimSourceName, &s.ClaimSourceURL} {
		*f = strings.Join(strings.Fields(*f), " ")
	}
	s.Notes = strings.TrimSpace(s.Notes)
	s.NameKey = sourceNameKey(s.Name)
	if s.Kind == "" {
		s.Kind = SourceList
	}
}

func sourceNameKey(name string) string {
	return foldEmail(strings.Join(strings.Fields(name), " "))
}

// Validate names each field of a source that is wrong. A claimed count
// needs its source, as every figure shown does.
func (s *SignatureSource) Validate() FieldErrors {
	fe := FieldErrors{}
	if s.Name == "" {
		fe.Add("name", "give the source a name, for example \"Mijente list\" or \"Paper sheets, Seattle\"")
	}
	checkLen(fe, "name", "The name", s.Name, 100)
	if LooksLikeFormula(s.Name) {
		fe.Add("name", "the name cannot start with =, +, - or @: it is exported, and a spreadsheet would run it as a formula")
	}
	checkLen(fe, "platform", "The platform", s.Platform, 100)
	checkLen(fe, "claim_source_name", "The claim's source", s.ClaimSourceName, 300)
	checkLen(fe, "notes", "The notes", s.Notes, 2000)
	if msg := checkURL(s.ClaimSourceURL); msg != "" {
		fe.Add("claim_source_url", "the address "+msg)
	}
	if s.Claimed != nil {
		if *s.Claimed < 0 || *s.Claimed > 10_000_000_000 {
			fe.Add("claimed", "give the claimed count as a whole number, for example 120000")
		}
		if s.ClaimSourceName == "" && s.ClaimSourceURL == "" {
			fe.Add("claim_source_name", "say where the partner claimed this count (a name or an address): every figure shown carries its source")
		}
	} else if s.ClaimSourceName != "" || s.ClaimSourceURL != "" {
		fe.Add("claimed", "give the count this source is for, or leave its source empty")
	}
	if s.Kind != SourceWeb && s.Kind != SourceList {
		fe.Add("kind", "unknown kind of source")
	}
	for _, f := range []struct{ field, value string }{{"name", s.Name}, {"platform", s.Platform}, {"claim_source_name", s.ClaimSourceName}} {
		if strings.ContainsFunc(f.value, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			fe.Add(f.field, "contains control characters")
		}
	}
	return fe
}

// ErrSourceInUse is returned when a source that holds signatures is
// deleted.
var ErrSourceInUse = errors.New("this source holds signatures: it can be renamed but not deleted")

// SourcesFor lists a campaign's signature sources: this site's form
// first, then by name.
func (s *Store) SourcesFor(ctx context.Context, campaignID uint) ([]SignatureSource, error) {
	return s.sourcesOf(s.db.WithContext(ctx), campaignID)
}

// sourcesOf lists a campaign's sources on db in their order, making the
// form's first if need be.
func (s *Store) sourcesOf(db *gorm.DB, campaignID uint) ([]SignatureSource, error) {
	if _, err := webSource(db, s, campaignID); err != nil {
		return nil, err
	}
	var out []SignatureSource
	err := db.Where("campaign_id = ?", campaignID).
		Order("CASE WHEN kind = 'web' THEN 0 ELSE 1 END").Order("name_key").Find(&out).Error
	return out, err
}

// SignatureSource returns one source of a campaign.
func (s *Store) SignatureSource(ctx context.Context, campaignID, id uint) (*SignatureSource, error) {
	return getScoped[SignatureSource](ctx, s, campaignID, id)
}

// SourceByName finds a campaign's source by name, whatever its case.
func (s *Store) SourceByName(ctx context.Context, campaignID uint, name string) (*SignatureSource, error) {
	var src SignatureSource
	err := s.db.WithContext(ctx).Where("campaign_id = ? AND name_key = ?", campaignID, sourceNameKey(name)).Take(&src).Error
	if err != nil {
		return nil, notFound(err)
	}
	return &src, nil
}

// WebSource returns the campaign's source for this site's form, making it
// the first time it is asked for. The id is kept: the form's source is
// never deleted.
func (s *Store) WebSource(ctx context.Context, campaignID uint) (uint, error) {
	return webSource(s.db.WithContext(ctx), s, campaignID)
}

func webSource(tx *gorm.DB, s *Store, campaignID uint) (uint, error) {
	if id, ok := s.webSources.Load(campaignID); ok {
		return id.(uint), nil
	}
	var ids []uint
	if err := tx.Model(&SignatureSource{}).Where("campaign_id = ? AND kind = ?", campaignID, SourceWeb).Pluck("id", &ids).Error; err != nil {
		return 0, err
	}
	if len(ids) > 0 {
		s.webSources.Store(campaignID, ids[0])
		return ids[0], nil
	}
	// Made here, inside tx: not kept until it is read back committed, as
	// a transaction that fails would leave a kept id of no source.
	{
		now := time.Now().UTC()
		name := WebSourceName
		if err := tx.Exec(`INSERT INTO signature_sources (campaign_id, name, name_key, kind, platform, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, campaignID, name, sourceNameKey(name), SourceWeb, "this tracker", now, now).Error; err != nil {
			return 0, err
		}
		if err := tx.Model(&SignatureSource{}).Where("campaign_id = ? AND kind = ?", campaignID, SourceWeb).Pluck("id", &ids).Error; err != nil {
			return 0, err
		}
		if len(ids) == 0 {
			return 0, fmt.Errorf("campaign %d: the form's source could not be made (a source already has its name)", campaignID)
		}
	}
	return ids[0], nil
}

// CreateSource adds a signature source to a campaign; audited.
func (s *Store) CreateSource(ctx context.Context, actor Actor, campaignID uint, src *SignatureSource) error {
	src.Kind = SourceList
	src.Normalise()
	if err := s.checkPartner(ctx, campaignID, src.PartnerID); err != nil {
		return err
	}
	err := createAudited(ctx, s, actor, campaignID, "signature_source", src)
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return FieldErrors{"name": sourceNameTaken}
	}
	return err
}

const sourceNameTaken = "the campaign has a source of this name already"

// UpdateSource edits a source of a campaign; audited. Its kind is not the
// caller's to change.
func (s *Store) UpdateSource(ctx context.Context, actor Actor, campaignID, id uint, change func(*SignatureSource)) (*SignatureSource, error) {
	var partner error
	src, err := updateAudited(ctx, s, actor, campaignID, "signature_source", id, func(src *SignatureSource) error {
		kind := src.Kind
		change(src)
		src.Kind = kind
		src.Normalise()
		partner = s.checkPartner(ctx, campaignID, src.PartnerID)
		return partner
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return nil, FieldErrors{"name": sourceNameTaken}
	}
	return src, err
}

func (s *Store) checkPartner(ctx context.Context, campaignID uint, id *uint) error {
	if id == nil {
		return nil
	}
	if _, err := s.Organisation(ctx, campaignID, *id); err != nil {
		if errors.Is(err, ErrNotFound) {
			return FieldErrors{"partner_id": "choose one of the campaign's partners, or none"}
		}
		return err
	}
	return nil
}

// DeleteSource removes a source that holds no signatures; audited. The
// form's source is never deleted.
func (s *Store) DeleteSource(ctx context.Context, actor Actor, campaignID, id uint) error {
	src, err := s.SignatureSource(ctx, campaignID, id)
	if err != nil {
		return err
	}
	if src.Kind == SourceWeb {
		return ErrSourceInUse
	}
	var first, other []uint
	if err := s.db.WithContext(ctx).Model(&Signature{}).Where("source_id = ?", id).Limit(1).Pluck("id", &first).Error; err != nil {
		return err
	}
	if err := s.db.WithContext(ctx).Model(&sourceLink{}).Where("source_id = ?", id).Limit(1).Pluck("signature_id", &other).Error; err != nil {
		return err
	}
	if len(first)+len(other) > 0 {
		return ErrSourceInUse
	}
	return deleteAudited[SignatureSource](ctx, s, actor, campaignID, "signature_source", id)
}

// SourceForImport finds the source an import goes to by name: an
// existing source, or, when create is set, a new one of that name
// (audited). The form's own source is refused: its signatures are the
// ones made here. A name no source has, without create, is ErrUnknownSource
// listing the names there are.
func (s *Store) SourceForImport(ctx context.Context, actor Actor, campaignID uint, name string, create bool) (*SignatureSource, error) {
	if _, err := s.WebSource(ctx, campaignID); err != nil { // made on first ask: it must be found by its name too
		return nil, err
	}
	src, err := s.SourceByName(ctx, campaignID, name)
	if err == nil && src.Kind == SourceWeb {
		return nil, FieldErrors{"source": fmt.Sprintf("%q is this site's own form: a file's rows come from a partner's list or a drive, so name or make a source for it", src.Name)}
	}
	if err == nil || !errors.Is(err, ErrNotFound) {
		return src, err
	}
	if !create {
		all, err := s.SourcesFor(ctx, campaignID)
		if err != nil {
			return nil, err
		}
		names := make([]string, len(all))
		for i, a := range all {
			names[i] = a.Name
		}
		return nil, &UnknownSourceError{Name: name, Known: names}
	}
	src = &SignatureSource{Name: name, Platform: "file import"}
	if err := s.CreateSource(ctx, actor, campaignID, src); err != nil {
		var fe FieldErrors
		if errors.As(err, &fe) && fe["name"] == sourceNameTaken {
			return s.SourceByName(ctx, campaignID, name) // made by an import a moment earlier
		}
		return nil, err
	}
	return src, nil
}

// UnknownSourceError is an import to a source the campaign does not have.
type UnknownSourceError struct {
	Name  string
	Known []string
}

func (e *UnknownSourceError) Error() string {
	return fmt.Sprintf("the campaign has no source named %q; its sources are: %s", e.Name, strings.Join(quoteAll(e.Known), ", "))
}

func quoteAll(in []string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

// SourceFigure is what a source brought, as the count page shows it: the
// people whose signatures it had (Received), those no other source has
// (Unique) and those it shares with another (Shared).
type SourceFigure struct {
	SourceID uint   `json:"-"`
	Name     string `json:"name"`
	Partner  string `json:"partner"`
	Platform string `json:"platform,omitempty"`
	Claimed  *int64 `json:"claimed"`
	Received int64  `json:"received"`
	Unique   int64  `json:"unique"`
	Shared   int64  `json:"shared"`
	// The claim's source, shown beside it.
	ClaimSource Source `json:"claim_source"`
}

// SourcePair is how many people two sources share.
type SourcePair struct {
	A, B   string
	Shared int64
}

// SourceCount is a campaign's count as it is made: the distinct people,
// each source's figures, and the people each pair of sources shares.
type SourceCount struct {
	People  int64
	Sources []SourceFigure
	Pairs   []SourcePair
}

// SourceFigures reads a campaign's kept source figures: a few rows per
// source, never the signatures.
func (s *Store) SourceFigures(ctx context.Context, campaignID uint) (SourceCount, error) {
	return s.sourceFigures(s.db.WithContext(ctx), campaignID)
}

// sourceFigures reads the figures on db (a transaction, when a delivery's
// count is frozen).
func (s *Store) sourceFigures(db *gorm.DB, campaignID uint) (SourceCount, error) {
	var out SourceCount
	sources, err := s.sourcesOf(db, campaignID)
	if err != nil {
		return out, err
	}
	var partners []Organisation
	if err := db.Select("id, name").Where("campaign_id = ?", campaignID).Find(&partners).Error; err != nil {
		return out, err
	}
	partnerName := map[uint]string{}
	for _, p := range partners {
		partnerName[p.ID] = p.Name
	}
	var kept []struct {
		SourceID uint
		Received int64
		Uniq     int64
	}
	if err := db.Model(&sourceCount{}).Select("source_id, SUM(received) AS received, SUM(uniq) AS uniq").
		Where("campaign_id = ?", campaignID).Group("source_id").Scan(&kept).Error; err != nil {
		return out, err
	}
	byID := map[uint]int{}
	for _, src := range sources {
		f := SourceFigure{SourceID: src.ID, Name: src.Name, Platform: src.Platform, Claimed: src.Claimed, ClaimSource: src.ClaimSource()}
		if src.PartnerID != nil {
			f.Partner = partnerName[*src.PartnerID]
		}
		byID[src.ID] = len(out.Sources)
		out.Sources = append(out.Sources, f)
	}
	for _, k := range kept {
		if i, ok := byID[k.SourceID]; ok {
			out.Sources[i].Received, out.Sources[i].Unique = k.Received, k.Uniq
			out.Sources[i].Shared = k.Received - k.Uniq
		}
	}
	var pairs []sourcePair
	if err := db.Where("campaign_id = ? AND n <> 0", campaignID).Find(&pairs).Error; err != nil {
		return out, err
	}
	for _, p := range pairs {
		a, okA := byID[p.SourceA]
		b, okB := byID[p.SourceB]
		if okA && okB {
			out.Pairs = append(out.Pairs, SourcePair{A: out.Sources[a].Name, B: out.Sources[b].Name, Shared: p.N})
		}
	}
	sort.Slice(out.Pairs, func(i, j int) bool {
		if out.Pairs[i].Shared != out.Pairs[j].Shared {
			return out.Pairs[i].Shared > out.Pairs[j].Shared
		}
		return out.Pairs[i].A+"\x00"+out.Pairs[i].B < out.Pairs[j].A+"\x00"+out.Pairs[j].B
	})
	err = db.Model(&signatureCounter{}).Where("campaign_id = ?", campaignID).Select("COALESCE(SUM(n), 0)").Scan(&out.People).Error
	return out, err
}
