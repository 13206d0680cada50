package models

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Tally dimensions: kept counts of a campaign's signatures by state or
// region, by city, and by day (UTC).
const (
	TallyRegion = "region"
	TallyCity   = "city"
	TallyDay    = "day"
)

// signatureTally is one kept count: how many signatures of a campaign
// share a region, a city or a day. Moved in the same transaction as the
// signatures, so pages never group 300,000 rows.
type signatureTally struct {
	CampaignID uint   `gorm:"primaryKey"`
	Dim        string `gorm:"primaryKey"`
	Key        string `gorm:"primaryKey"` // case-folded, so "seattle" and "Seattle" count together
	Label      string // as first written
	N          int64
}

func (signatureTally) TableName() string { return "signature_tallies" }

// Tally is a kept count as pages show it.
type Tally struct {
	Label string
	N     int64
}

// tally adds up one batch before it is written: the counted signatures
// (with their places and days) and the pending ones, per campaign.
type tally struct {
	counts  map[uint]int64 // every campaign the batch writes to has a key, even at 0
	pending map[uint]int64
	rows    map[[3]string]*signatureTally
}

func newTally() *tally {
	return &tally{counts: map[uint]int64{}, pending: map[uint]int64{}, rows: map[[3]string]*signatureTally{}}
}

// addPending moves a campaign's pending count by d.
func (t *tally) addPending(campaignID uint, d int64) {
	t.counts[campaignID] += 0
	t.pending[campaignID] += d
}

// remove takes a counted signature out of the count and its tallies.
func (t *tally) remove(sig *Signature) { t.move(sig, -1) }

func tallyKeys(sig *Signature) [][2]string {
	out := [][2]string{{TallyDay, sig.SignedAt.UTC().Format(time.DateOnly)}}
	if sig.Region != "" {
		out = append(out, [2]string{TallyRegion, sig.Region})
	}
	if sig.City != "" {
		out = append(out, [2]string{TallyCity, PlaceLabel(sig.City, sig.Region)})
	}
	return out
}

// PlaceLabel names a signer's place as every count and packet does:
// "Seattle, WA", or whichever of the two is known.
func PlaceLabel(city, region string) string {
	switch {
	case city == "":
		return region
	case region == "":
		return city
	}
	return city + ", " + region
}

// add counts a signature, in the count and its tallies.
func (t *tally) add(sig *Signature) { t.move(sig, 1) }

func (t *tally) move(sig *Signature, d int64) {
	t.counts[sig.CampaignID] += d
	for _, k := range tallyKeys(sig) {
		key := strings.ToLower(k[1])
		id := [3]string{fmt.Sprint(sig.CampaignID), k[0], key}
		row := t.rows[id]
		if row == nil {
			row = &signatureTally{CampaignID: sig.CampaignID, Dim: k[0], Key: key, Label: k[1]}
			t.rows[id] = row
		}
		row.N += d
	}
}

// write adds the batch's counts to the counter slots and tallies, with
// one statement for all the tallies (raw SQL: through GORM's reflection
// this was a fifth of a signature batch's time).
//
// Rows are locked in one fixed order (campaign, dimension, key) by every
// writer: two instances on one PostgreSQL database whose batches took the
// same tally rows in map order deadlocked each other, costing a second
// each time (found by the two-instance test: p99 1 s, 1,300 signatures/s;
// sorted, p99 11 ms, 6,500/s).
func (t *tally) write(tx *gorm.DB) error {
	campaigns := slices.Sorted(maps.Keys(t.counts))
	for _, campaignID := range campaigns {
		if err := addToCount(tx, campaignID, t.counts[campaignID], t.pending[campaignID]); err != nil {
			return err
		}
	}
	if len(t.rows) == 0 {
		return nil
	}
	rows := slices.Collect(maps.Values(t.rows))
	slices.SortFunc(rows, func(a, b *signatureTally) int {
		return cmp.Or(cmp.Compare(a.CampaignID, b.CampaignID), strings.Compare(a.Dim, b.Dim), strings.Compare(a.Key, b.Key))
	})
	const perStatement = 500
	for start := 0; start < len(rows); start += perStatement {
		chunk := rows[start:min(start+perStatement, len(rows))]
		var b strings.Builder
		b.WriteString("INSERT INTO signature_tallies (campaign_id, dim, key, label, n) VALUES ")
		args := make([]any, 0, len(chunk)*5)
		for i, r := range chunk {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString("(?,?,?,?,?)")
			args = append(args, r.CampaignID, r.Dim, r.Key, r.Label, r.N)
		}
		b.WriteString(" ON CONFLICT (campaign_id, dim, key) DO UPDATE SET n = signature_tallies.n + excluded.n")
		if err := tx.Exec(b.String(), args...).Error; err != nil {
			return err
		}
	}
	return nil
}

// PlaceCounts is how many signers came from each place, as the public
// may see it: the largest places, each named only when enough signers
// share it that none of them is picked out, and every other signer who
// gave a place summed in Other, so the figures add up to the signers who
// gave one.
type PlaceCounts struct {
	Places []Tally
	Other  int64 // signers from places not in Places: too small to name, or beyond the limit
}

// PublicPlaces returns a campaign's largest places in one dimension
// (TallyRegion or TallyCity) that have at least min signers, at most
// limit of them, and the rest as PlaceCounts.Other. This is the one place
// the public threshold is applied: a town with one signer would name that
// signer's town, whether or not they agreed to be shown. A min below 1 is
// refused rather than taken to mean "name every place".
//
// It reads every tally row of the dimension (there is no index on n to
// sort by); a campaign has thousands of places, not the 300,000
// signatures, and the campaign page that shows them is cached.
func (s *Store) PublicPlaces(ctx context.Context, campaignID uint, dim string, limit int, min int64) (PlaceCounts, error) {
	if min < 1 {
		return PlaceCounts{}, fmt.Errorf("public places: threshold %d would name single signers", min)
	}
	var all []Tally
	if err := s.db.WithContext(ctx).Model(&signatureTally{}).Select("label, n").
		Where("campaign_id = ? AND dim = ? AND n > 0", campaignID, dim).Scan(&all).Error; err != nil {
		return PlaceCounts{}, err
	}
	return NamePlaces(all, limit, min), nil
}

// NamePlaces applies the public place threshold to counts of places: the
// largest places with at least min signers, at most limit of them (most
// first, then by name), and every other signer in Other. A packet's
// summary names its places by the same rule. A min below 1 is taken as 1.
func NamePlaces(places []Tally, limit int, min int64) PlaceCounts {
	min = max(min, 1)
	sorted := slices.Clone(places)
	slices.SortFunc(sorted, func(a, b Tally) int { return cmp.Or(cmp.Compare(b.N, a.N), strings.Compare(a.Label, b.Label)) })
	var out PlaceCounts
	for _, p := range sorted {
		if p.N >= min && len(out.Places) < limit {
			out.Places = append(out.Places, p)
		} else {
			out.Other += p.N
		}
	}
	return out
}

// SignaturesPerDay returns a campaign's signatures per day (UTC), oldest
// first; Label is the date as YYYY-MM-DD.
func (s *Store) SignaturesPerDay(ctx context.Context, campaignID uint) ([]Tally, error) {
	var out []Tally
	err := s.db.WithContext(ctx).Model(&signatureTally{}).Select("label, n").
		Where("campaign_id = ? AND dim = ? AND n > 0", campaignID, TallyDay).
		Order("key").Scan(&out).Error
	return out, err
}

// PublicSigner is what the public sees of a signer who agreed to be shown.
type PublicSigner struct {
	FirstName string
	City      string
	SignedAt  time.Time
}

// LatestPublicSigners returns the latest signers who agreed to show their
// first name and city: nothing else of theirs.
func (s *Store) LatestPublicSigners(ctx context.Context, campaignID uint, limit int) ([]PublicSigner, error) {
	var out []PublicSigner
	err := s.db.WithContext(ctx).Model(&Signature{}).Select("first_name, city, signed_at").
		Where("campaign_id = ? AND show_name AND confirmed_at IS NOT NULL", campaignID). // matches the partial index signatures_public
		Order("id DESC").Limit(limit).Scan(&out).Error
	return out, err
}

// Drift is a campaign whose kept counts differed from its rows: Kept and
// Rows the counted signatures, KeptPending and RowsPending those waiting
// for confirmation.
type Drift struct {
	CampaignID               uint
	Slug                     string
	Kept, Rows               int64
	KeptPending, RowsPending int64
	SourceFigures            int // source figures (received, unique, a pair's shared) that differed from the links
}

// Recount recomputes every campaign's kept counts, tallies and source
// figures from the signature rows and their source links, and reports the
// campaigns whose counts had drifted. Each
// campaign is recounted in its own transaction that blocks new signatures
// to it meanwhile. The count and the tallies are of confirmed (and
// imported) signatures; pending ones are counted apart.
func (s *Store) Recount(ctx context.Context) ([]Drift, error) {
	campaigns, err := s.Campaigns(ctx)
	if err != nil {
		return nil, err
	}
	var drifts []Drift
	for _, c := range campaigns {
		err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if isPostgres(tx) {
				// Writers of this campaign's counters wait for the recount.
				if err := tx.Exec("LOCK TABLE signature_counters, source_counts, source_pairs IN SHARE ROW EXCLUSIVE MODE").Error; err != nil {
					return err
				}
			}
			var kept KeptCount
			if err := tx.Model(&signatureCounter{}).Where("campaign_id = ?", c.ID).
				Select("COALESCE(SUM(n), 0) AS counted, COALESCE(SUM(pending), 0) AS pending").Scan(&kept).Error; err != nil {
				return err
			}
			var rows, pending int64
			if err := tx.Model(&Signature{}).Where("campaign_id = ? AND confirmed_at IS NOT NULL", c.ID).Count(&rows).Error; err != nil {
				return err
			}
			if err := tx.Model(&Signature{}).Where("campaign_id = ? AND confirmed_at IS NULL", c.ID).Count(&pending).Error; err != nil {
				return err
			}
			sourceDrift, err := rebuildSourceFigures(tx, c.ID)
			if err != nil {
				return err
			}
			if kept.Counted != rows || kept.Pending != pending || sourceDrift > 0 {
				drifts = append(drifts, Drift{CampaignID: c.ID, Slug: c.Slug, Kept: kept.Counted, Rows: rows, KeptPending: kept.Pending, RowsPending: pending, SourceFigures: sourceDrift})
			}
			if err := tx.Where("campaign_id = ?", c.ID).Delete(&signatureCounter{}).Error; err != nil {
				return err
			}
			if err := tx.Where("campaign_id = ?", c.ID).Delete(&signatureTally{}).Error; err != nil {
				return err
			}
			t := newTally()
			t.addPending(c.ID, pending)
			var batch []*Signature
			err = tx.Model(&Signature{}).Select("id, campaign_id, city, region, signed_at").Where("campaign_id = ? AND confirmed_at IS NOT NULL", c.ID).
				FindInBatches(&batch, 5000, func(*gorm.DB, int) error {
					for _, sig := range batch {
						t.add(sig)
					}
					return nil
				}).Error
			if err != nil {
				return err
			}
			return t.write(tx)
		})
		if err != nil {
			return drifts, fmt.Errorf("recount %s: %w", c.Slug, err)
		}
	}
	return drifts, nil
}
