package models

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// The kept figures of signature sources. Each person (a signature) is
// recorded with every source that had them: the first on the signature's
// own row (source_id), any other in source_signatures. Most people come
// from one source, so most signatures need no second row: an import of
// 300,000 wrote 300,000 link rows more before (a fifth of its time), and
// every web signature a statement more. The figures of counted people
// (confirmed or imported signatures) are moved in the same transaction as
// the rows, like the signature counter, so the count page reads a few
// rows per source and never the signatures:
//   - source_counts: per source, the people it had (received) and those
//     no other source has (uniq), spread over counter slots as the
//     signature count is, so concurrent signers do not queue on one row;
//   - source_pairs: per pair of sources (a < b), the people both had.
// Shared is received - uniq. Pending signatures are linked but not
// counted until they are confirmed.

// sourceLink is one source, other than its first, having one
// signature's signer.
type sourceLink struct {
	SignatureID uint `gorm:"primaryKey"`
	SourceID    uint `gorm:"primaryKey"`
}

func (sourceLink) TableName() string { return "source_signatures" }

type sourceCount struct {
	CampaignID uint
	SourceID   uint `gorm:"primaryKey"`
	Slot       int  `gorm:"primaryKey"`
	Received   int64
	Uniq       int64
}

func (sourceCount) TableName() string { return "source_counts" }

type sourcePair struct {
	CampaignID uint `gorm:"primaryKey"`
	SourceA    uint `gorm:"primaryKey"`
	SourceB    uint `gorm:"primaryKey"`
	N          int64
}

func (sourcePair) TableName() string { return "source_pairs" }

// sourceTally adds up a batch's moves of the source figures before they
// are written.
type sourceTally struct {
	campaign map[uint]uint // source -> campaign
	received map[uint]int64
	uniq     map[uint]int64
	pairs    map[[3]uint]int64 // campaign, a, b with a < b
}

func newSourceTally() *sourceTally {
	return &sourceTally{campaign: map[uint]uint{}, received: map[uint]int64{}, uniq: map[uint]int64{}, pairs: map[[3]uint]int64{}}
}

func (st *sourceTally) touch(campaignID, src uint) {
	st.campaign[src] = campaignID
	st.received[src] += 0
}

func (st *sourceTally) pair(campaignID, a, b uint, d int64) {
	if a > b {
		a, b = b, a
	}
	st.pairs[[3]uint{campaignID, a, b}] += d
}

// person counts (d = 1) or uncounts (d = -1) a person whom the sources in
// set had.
func (st *sourceTally) person(campaignID uint, set []uint, d int64) {
	for i, a := range set {
		st.touch(campaignID, a)
		st.received[a] += d
		for _, b := range set[i+1:] {
			st.pair(campaignID, a, b, d)
		}
	}
	if len(set) == 1 {
		st.uniq[set[0]] += d
	}
}

// join records that source src now has a counted person whom the sources
// in before had already (none for a new person).
func (st *sourceTally) join(campaignID uint, before []uint, src uint) {
	st.touch(campaignID, src)
	st.received[src]++
	switch len(before) {
	case 0:
		st.uniq[src]++
	case 1:
		st.touch(campaignID, before[0])
		st.uniq[before[0]]--
	}
	for _, b := range before {
		st.pair(campaignID, b, src, 1)
	}
}

// write adds the batch's moves to the kept figures, in a fixed order
// (source, then pair) as the signature tallies are, so two writers never
// take the same rows in opposite orders.
func (st *sourceTally) write(tx *gorm.DB) error {
	for _, src := range slices.Sorted(maps.Keys(st.received)) {
		r, u := st.received[src], st.uniq[src] // written even at 0: see AddSignatures
		if err := tx.Exec(`INSERT INTO source_counts (campaign_id, source_id, slot, received, uniq) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (source_id, slot) DO UPDATE SET received = source_counts.received + excluded.received, uniq = source_counts.uniq + excluded.uniq`,
			st.campaign[src], src, rand.IntN(counterSlots), r, u).Error; err != nil {
			return err
		}
	}
	keys := slices.Collect(maps.Keys(st.pairs))
	slices.SortFunc(keys, func(a, b [3]uint) int {
		return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1]), cmp.Compare(a[2], b[2]))
	})
	const perStatement = 300
	for start := 0; start < len(keys); start += perStatement {
		chunk := keys[start:min(start+perStatement, len(keys))]
		var b strings.Builder
		b.WriteString("INSERT INTO source_pairs (campaign_id, source_a, source_b, n) VALUES ")
		args := make([]any, 0, len(chunk)*4)
		n := 0
		for _, k := range chunk {
			d := st.pairs[k]
			if d == 0 {
				continue
			}
			if n > 0 {
				b.WriteByte(',')
			}
			n++
			b.WriteString("(?,?,?,?)")
			args = append(args, k[0], k[1], k[2], d)
		}
		if n == 0 {
			continue
		}
		b.WriteString(" ON CONFLICT (campaign_id, source_a, source_b) DO UPDATE SET n = source_pairs.n + excluded.n")
		if err := tx.Exec(b.String(), args...).Error; err != nil {
			return err
		}
	}
	return nil
}

// insertLinks records links (sources other than a signature's first),
// leaving those there already, and returns the signatures whose link is
// new. With a Store (every caller but the
// migration, which has none) the rows go in through the Store's prepared
// statements on the transaction's connection, as signatures do (see
// signatureInserter): through GORM, a 300,000-row import spent a third of
// its added time building statements of 4,000 arguments.
func (s *Store) insertLinks(tx *gorm.DB, links []sourceLink) (map[uint]bool, error) {
	added := make(map[uint]bool, len(links))
	var sqlTx *sql.Tx
	if s != nil {
		pool := tx.Statement.ConnPool
		if p, ok := pool.(*gorm.PreparedStmtTX); ok {
			pool = p.Tx
		}
		sqlTx, _ = pool.(*sql.Tx)
	}
	ctx := context.Background()
	if tx.Statement.Context != nil {
		ctx = bulkContext(tx.Statement.Context)
	}
	args := make([]any, 0, 2*min(len(links), linkBatchRows))
	for len(links) > 0 {
		n := min(len(links), linkBatchRows)
		if sqlTx != nil {
			n = linkStatementSize(len(links))
		}
		chunk := links[:n]
		links = links[n:]
		args = args[:0]
		for _, l := range chunk {
			args = append(args, l.SignatureID, l.SourceID)
		}
		if err := s.insertLinkRows(ctx, tx, sqlTx, n, args, added); err != nil {
			return nil, err
		}
	}
	return added, nil
}

// insertLinkRows runs one statement of n links, noting the signatures
// whose link is new in added.
func (s *Store) insertLinkRows(ctx context.Context, tx *gorm.DB, sqlTx *sql.Tx, n int, args []any, added map[uint]bool) error {
	var rows *sql.Rows
	var err error
	if sqlTx != nil {
		var st *sql.Stmt
		if st, err = s.linkStatement(ctx, n); err != nil {
			return err
		}
		txSt := sqlTx.StmtContext(ctx, st) // the connection's prepared copy
		defer txSt.Close()
		rows, err = txSt.QueryContext(ctx, args...)
	} else {
		rows, err = tx.Raw(linkSQL(n, false), args...).Rows()
	}
	if err != nil {
		return fmt.Errorf("record sources: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id uint
		if err := rows.Scan(&id); err != nil {
			return err
		}
		added[id] = true
	}
	return rows.Err()
}

// linkBatchRows is the most links one statement records.
const linkBatchRows = 1024

// linkStatementSize is the largest prepared size that fits n links: 1,024
// and the powers of two below it.
func linkStatementSize(n int) int {
	size := 1
	for size*2 <= min(n, linkBatchRows) {
		size *= 2
	}
	return size
}

func linkSQL(n int, postgres bool) string {
	var b strings.Builder
	b.Grow(n*12 + 120)
	b.WriteString("INSERT INTO source_signatures (signature_id, source_id) VALUES ")
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		if postgres {
			fmt.Fprintf(&b, "($%d,$%d)", 2*i+1, 2*i+2)
		} else {
			b.WriteString("(?,?)")
		}
	}
	b.WriteString(" ON CONFLICT DO NOTHING RETURNING signature_id")
	return b.String()
}

// linkStatement returns the Store's prepared INSERT for n links.
func (s *Store) linkStatement(ctx context.Context, n int) (*sql.Stmt, error) {
	if st, ok := s.linkStmts.Load(n); ok {
		return st.(*sql.Stmt), nil
	}
	sqlDB, err := s.db.DB()
	if err != nil {
		return nil, err
	}
	st, err := sqlDB.PrepareContext(ctx, linkSQL(n, isPostgres(s.db)))
	if err != nil {
		return nil, fmt.Errorf("record sources: %w", err)
	}
	if prev, loaded := s.linkStmts.LoadOrStore(n, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

// sourceSets returns the sources that had each of the signatures: its
// first, then its links, each set in source order.
func sourceSets(tx *gorm.DB, ids []uint) (map[uint][]uint, error) {
	out := make(map[uint][]uint, len(ids))
	for start := 0; start < len(ids); start += 5000 {
		chunk := ids[start:min(start+5000, len(ids))]
		var firsts []struct {
			ID       uint
			SourceID *uint
		}
		if err := tx.Model(&Signature{}).Select("id, source_id").Where("id IN ?", chunk).Find(&firsts).Error; err != nil {
			return nil, err
		}
		for _, f := range firsts {
			if f.SourceID != nil {
				out[f.ID] = append(out[f.ID], *f.SourceID)
			}
		}
		var links []sourceLink
		if err := tx.Where("signature_id IN ?", chunk).Find(&links).Error; err != nil {
			return nil, err
		}
		for _, l := range links {
			if !slices.Contains(out[l.SignatureID], l.SourceID) {
				out[l.SignatureID] = append(out[l.SignatureID], l.SourceID)
			}
		}
	}
	for id := range out {
		slices.Sort(out[id])
	}
	return out, nil
}

// rebuildSourceFigures recomputes a campaign's source figures from its
// links (of counted signatures only), inside tx, and returns how many
// figures (a source's received or unique, a pair's shared) had drifted
// from the kept ones. The sources are read in signature order, a person's
// together, without holding them all.
func rebuildSourceFigures(tx *gorm.DB, campaignID uint) (int, error) {
	fresh := newSourceTally()
	rows, err := tx.Raw(`SELECT id, source_id FROM signatures WHERE campaign_id = ? AND confirmed_at IS NOT NULL AND source_id IS NOT NULL
		UNION
		SELECT l.signature_id, l.source_id FROM source_signatures l JOIN signatures s ON s.id = l.signature_id
		WHERE s.campaign_id = ? AND s.confirmed_at IS NOT NULL
		ORDER BY 1, 2`, campaignID, campaignID).Rows()
	if err != nil {
		return 0, err
	}
	var current uint
	var set []uint
	for rows.Next() {
		var sigID, srcID uint
		if err := rows.Scan(&sigID, &srcID); err != nil {
			rows.Close()
			return 0, err
		}
		if sigID != current && len(set) > 0 {
			fresh.person(campaignID, set, 1)
			set = set[:0]
		}
		current = sigID
		set = append(set, srcID)
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return 0, err
	}
	if len(set) > 0 {
		fresh.person(campaignID, set, 1)
	}

	// Compare with what was kept.
	var kept []struct {
		SourceID uint
		Received int64
		Uniq     int64
	}
	if err := tx.Model(&sourceCount{}).Select("source_id, SUM(received) AS received, SUM(uniq) AS uniq").
		Where("campaign_id = ?", campaignID).Group("source_id").Scan(&kept).Error; err != nil {
		return 0, err
	}
	drifted := 0
	keptSources := map[uint]bool{}
	for _, k := range kept {
		keptSources[k.SourceID] = true
		if k.Received != fresh.received[k.SourceID] || k.Uniq != fresh.uniq[k.SourceID] {
			drifted++
		}
	}
	for src, r := range fresh.received {
		if !keptSources[src] && (r != 0 || fresh.uniq[src] != 0) {
			drifted++
		}
	}
	var pairs []sourcePair
	if err := tx.Where("campaign_id = ?", campaignID).Find(&pairs).Error; err != nil {
		return 0, err
	}
	keptPairs := map[[3]uint]bool{}
	for _, p := range pairs {
		k := [3]uint{campaignID, p.SourceA, p.SourceB}
		keptPairs[k] = true
		if p.N != fresh.pairs[k] {
			drifted++
		}
	}
	for k, n := range fresh.pairs {
		if !keptPairs[k] && n != 0 {
			drifted++
		}
	}

	if err := tx.Where("campaign_id = ?", campaignID).Delete(&sourceCount{}).Error; err != nil {
		return 0, err
	}
	if err := tx.Where("campaign_id = ?", campaignID).Delete(&sourcePair{}).Error; err != nil {
		return 0, err
	}
	return drifted, fresh.write(tx)
}
