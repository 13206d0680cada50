package models

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// ImportResult counts what a bulk import did with its rows.
type ImportResult struct {
	Imported   int // new people: signatures stored
	Duplicates int // rows of people who had signed already (before, or earlier in the file)
	Credited   int // of the duplicates, people who had signed through another source and are now credited to this one too
}

// importBatchRows is how many rows go into one INSERT statement: 18
// parameters a row stays well under SQLite's limit of 32,766.
const importBatchRows = 1000

// ImportSignatures stores a batch of signatures from one source of a
// campaign in one transaction, all or nothing: the rows, their links to
// the source, the kept count, the tallies and the source figures move
// together, so a failure loses nothing imported by earlier batches and
// leaves no half batch behind. Signatures must be normalised and valid.
// A person who has signed already (under the identity rules) is a
// duplicate: stored once, the earliest signature kept, and credited to
// this source when it did not have them yet. A pending web signature
// that a source also has counts from then on: the source confirmed it.
// Importing the same file again changes nothing.
func (s *Store) ImportSignatures(ctx context.Context, campaignID, sourceID uint, sigs []*Signature) (ImportResult, error) {
	if err := ctx.Err(); err != nil {
		return ImportResult{}, err
	}
	ctx = bulkContext(ctx)
	var res ImportResult
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res = ImportResult{}
		ins, err := s.newSignatureInserter(tx)
		if err != nil {
			return err
		}
		rules, err := loadEmailRules(tx)
		if err != nil {
			return err
		}
		var src SignatureSource
		if err := tx.Select("id").Where("id = ? AND campaign_id = ?", sourceID, campaignID).Take(&src).Error; err != nil {
			return fmt.Errorf("import: source %d of campaign %d: %w", sourceID, campaignID, notFound(err))
		}
		t, st := newTally(), newSourceTally()
		now := time.Now().UTC()
		for _, sig := range sigs {
			sig.ConfirmedAt = &now // an imported signature counts as its source confirmed it
			sig.Identity, sig.SourceID = rules.Identity(sig.Email), &sourceID
		}
		// Inserting in identity order touches the identity index page by
		// page instead of at random: on 300,000 real-looking addresses
		// this halved the import. Of two rows of one person the earlier
		// one in the file is the one stored: ties keep the file's order
		// (a stable sort did the same at twice the cost).
		order := make([]int32, len(sigs))
		for i := range order {
			order[i] = int32(i)
		}
		slices.SortFunc(order, func(a, b int32) int {
			if c := strings.Compare(sigs[a].Identity, sigs[b].Identity); c != 0 {
				return c
			}
			return int(a - b)
		})
		sorted := make([]*Signature, len(sigs))
		for i, j := range order {
			sorted[i] = sigs[j]
		}
		sigs = sorted
		prev := "\x00" // the identity of the row before: rows of one person are next to each other once sorted
		for start := 0; start < len(sigs); start += importBatchRows {
			chunk := sigs[start:min(start+importBatchRows, len(sigs))]
			inserted, err := ins.insert(ctx, campaignID, chunk, now)
			if err != nil {
				return err
			}
			var known []string
			for _, sig := range chunk {
				if _, ok := inserted[sig.Identity]; ok {
					t.add(sig)
					st.join(campaignID, nil, sourceID)
					res.Imported++
					delete(inserted, sig.Identity) // a second row of the same person is a duplicate
					prev = sig.Identity
					continue
				}
				res.Duplicates++
				if sig.Identity != prev {
					known = append(known, sig.Identity)
				}
				prev = sig.Identity
			}
			credited, err := s.creditKnown(tx, campaignID, sourceID, known, t, st, now)
			if err != nil {
				return err
			}
			res.Credited += credited
		}
		if err := t.write(tx); err != nil { // the counter before the source figures, the order Recount locks them in
			return err
		}
		return st.write(tx)
	})
	if err != nil {
		return ImportResult{}, err
	}
	return res, nil
}

// creditKnown records that a source has people who signed already
// (their identities), inside tx, and moves the figures of those it did
// not have yet: a counted person joins the source; a pending one is
// confirmed by it and counted with every source that has them. It
// returns how many were credited.
func (s *Store) creditKnown(tx *gorm.DB, campaignID, sourceID uint, identities []string, t *tally, st *sourceTally, now time.Time) (int, error) {
	if len(identities) == 0 {
		return 0, nil
	}
	var people []*Signature
	if err := tx.Select("id, campaign_id, city, region, signed_at, confirmed_at, source_id").
		Where("campaign_id = ? AND identity IN ?", campaignID, identities).Find(&people).Error; err != nil {
		return 0, err
	}
	links := make([]sourceLink, 0, len(people))
	for _, p := range people {
		if p.SourceID == nil || *p.SourceID != sourceID { // its first source has it already
			links = append(links, sourceLink{SignatureID: p.ID, SourceID: sourceID})
		}
	}
	added, err := s.insertLinks(tx, links)
	if err != nil || len(added) == 0 {
		return 0, err
	}
	ids := make([]uint, 0, len(added))
	for id := range added {
		ids = append(ids, id)
	}
	sets, err := sourceSets(tx, ids)
	if err != nil {
		return 0, err
	}
	var confirm []uint
	for _, p := range people {
		if !added[p.ID] {
			continue
		}
		set := sets[p.ID]
		if p.Confirmed() {
			before := make([]uint, 0, len(set))
			for _, src := range set {
				if src != sourceID {
					before = append(before, src)
				}
			}
			st.join(campaignID, before, sourceID)
			continue
		}
		confirm = append(confirm, p.ID)
		t.add(p)
		t.addPending(campaignID, -1)
		st.person(campaignID, set, 1)
	}
	if len(confirm) > 0 {
		res := tx.Model(&Signature{}).Where("id IN ? AND confirmed_at IS NULL", confirm).Update("confirmed_at", now)
		if res.Error != nil {
			return 0, res.Error
		}
		if res.RowsAffected != int64(len(confirm)) {
			return 0, fmt.Errorf("import: %d pending signatures changed while they were credited", int64(len(confirm))-res.RowsAffected)
		}
	}
	return len(added), nil
}

// signatureInserter inserts rows with multi-row INSERT statements. The
// statements are prepared once per connection and row count (the Store
// keeps them) and reused by every transaction on that connection: a
// statement of thousands of parameters cost more to prepare than to run.
// Row counts are kept to a few sizes (1,000 and the powers of two below
// it), so a batch of 37 rows runs the statements for 32, 4 and 1.
type signatureInserter struct {
	store *Store
	tx    *sql.Tx
	args  []any
}

func (s *Store) newSignatureInserter(tx *gorm.DB) (*signatureInserter, error) {
	pool := tx.Statement.ConnPool
	if p, ok := pool.(*gorm.PreparedStmtTX); ok {
		pool = p.Tx
	}
	sqlTx, ok := pool.(*sql.Tx)
	if !ok {
		return nil, fmt.Errorf("insert signatures: not in a database/sql transaction (%T)", tx.Statement.ConnPool)
	}
	return &signatureInserter{store: s, tx: sqlTx}, nil
}

const signatureColumns = 19

// insertStatement returns the Store's prepared INSERT for n rows. ON
// CONFLICT DO NOTHING ... RETURNING gives back only the rows it inserted,
// on SQLite (3.35+) and PostgreSQL alike.
func (s *Store) insertStatement(ctx context.Context, n int) (*sql.Stmt, error) {
	if st, ok := s.insertStmts.Load(n); ok {
		return st.(*sql.Stmt), nil
	}
	var b strings.Builder
	b.WriteString(`INSERT INTO signatures (campaign_id, source_id, first_name, last_name, email, identity, city, region, country, postal_code, comment, show_name, send_updates, origin, signed_at, created_at, confirmed_at, noticed_at, lang) VALUES `)
	postgres := isPostgres(s.db)
	p := 0
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		for j := range signatureColumns {
			if j > 0 {
				b.WriteByte(',')
			}
			p++
			if postgres {
				b.WriteString("$" + strconv.Itoa(p))
			} else {
				b.WriteByte('?')
			}
		}
		b.WriteByte(')')
	}
	b.WriteString(" ON CONFLICT (campaign_id, identity) DO NOTHING RETURNING id, identity")
	sqlDB, err := s.db.DB()
	if err != nil {
		return nil, err
	}
	st, err := sqlDB.PrepareContext(ctx, b.String())
	if err != nil {
		return nil, fmt.Errorf("insert signatures: %w", err)
	}
	if prev, loaded := s.insertStmts.LoadOrStore(n, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

// statementSize is the largest prepared size that fits n rows.
func statementSize(n int) int {
	if n >= importBatchRows {
		return importBatchRows
	}
	size := 1
	for size*2 <= n {
		size *= 2
	}
	return size
}

// insert stores rows and returns the identities that were new, with the
// id each was stored under.
func (in *signatureInserter) insert(ctx context.Context, campaignID uint, sigs []*Signature, now time.Time) (map[string]uint, error) {
	inserted := make(map[string]uint, len(sigs))
	for len(sigs) > 0 {
		n := statementSize(len(sigs))
		if err := in.insertExactly(ctx, campaignID, sigs[:n], now, inserted); err != nil {
			return nil, err
		}
		sigs = sigs[n:]
	}
	return inserted, nil
}

func (in *signatureInserter) insertExactly(ctx context.Context, campaignID uint, sigs []*Signature, now time.Time, inserted map[string]uint) error {
	prepared, err := in.store.insertStatement(ctx, len(sigs))
	if err != nil {
		return err
	}
	st := in.tx.StmtContext(ctx, prepared) // reuses the connection's prepared copy
	defer st.Close()
	args := in.args[:0]
	for _, sig := range sigs {
		sig.CampaignID = campaignID
		if sig.SignedAt.IsZero() {
			sig.SignedAt = now
		}
		if sig.Origin == "" {
			sig.Origin = "import"
		}
		args = append(args, campaignID, uintOrNil(sig.SourceID), sig.FirstName, sig.LastName, sig.Email, sig.Identity, sig.City, sig.Region, sig.Country,
			sig.PostalCode, sig.Comment, sig.ShowName, sig.SendUpdates, sig.Origin, sig.SignedAt.UTC(), now, utcOrNil(sig.ConfirmedAt), utcOrNil(sig.NoticedAt), sig.Lang)
	}
	in.args = args
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return fmt.Errorf("insert signatures: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id uint
		var identity string
		if err := rows.Scan(&id, &identity); err != nil {
			return err
		}
		inserted[identity] = id
	}
	return rows.Err()
}

// uintOrNil is a nullable id as a statement argument.
func uintOrNil(id *uint) any {
	if id == nil {
		return nil
	}
	return *id
}

// utcOrNil is a nullable time as a statement argument.
func utcOrNil(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}

// EachSignature streams a campaign's signatures in id order, batch rows
// at a time, without holding them all in memory or a transaction open
// across batches. fn's error stops the walk; the slice it gets is reused
// for the next batch, and CreatedAt is left empty (exports do not carry
// it), as is NoticedAt.
//
// The text fields come back packed into one column, joined by the ASCII
// unit separator, with the comment (the one free-text field that may hold
// control characters) last: mattn/go-sqlite3 crosses into C several times
// for every column of every row, and at 300,000 rows of 14 columns that
// was most of an export. || and CASE are standard SQL, the same on
// PostgreSQL.
func (s *Store) EachSignature(ctx context.Context, campaignID uint, batch int, fn func([]Signature) error) error {
	const sep = "\x1f"
	var after uint
	out := make([]Signature, 0, batch)
	names, err := s.sourceNames(ctx, campaignID)
	if err != nil {
		return err
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		out = out[:0]
		rows, err := s.db.WithContext(bulkContext(ctx)).Raw(`SELECT id, signed_at, confirmed_at, origin, source_id,
			CASE WHEN show_name THEN '1' ELSE '0' END || CASE WHEN send_updates THEN '1' ELSE '0' END || ? ||
			first_name || ? || last_name || ? || email || ? || city || ? || region || ? || country || ? || postal_code || ? || comment
			FROM signatures WHERE campaign_id = ? AND id > ? ORDER BY id LIMIT ?`,
			sep, sep, sep, sep, sep, sep, sep, sep, campaignID, after, batch).Rows()
		if err != nil {
			return err
		}
		var packed string
		for rows.Next() {
			sig := Signature{CampaignID: campaignID}
			if err := rows.Scan(&sig.ID, &sig.SignedAt, &sig.ConfirmedAt, &sig.Origin, &sig.SourceID, &packed); err != nil {
				rows.Close()
				return err
			}
			if !unpackSignature(packed, sep, &sig) {
				rows.Close()
				return fmt.Errorf("signature %d: a name, place or email holds a control character", sig.ID)
			}
			out = append(out, sig)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return err
		}
		if len(out) == 0 {
			return nil
		}
		if err := s.fillSources(ctx, names, after, out); err != nil {
			return err
		}
		if err := fn(out); err != nil {
			return err
		}
		after = out[len(out)-1].ID
		if len(out) < batch {
			return nil
		}
	}
}

// sourceNames are a campaign's sources' names by id, read once for a
// whole export.
func (s *Store) sourceNames(ctx context.Context, campaignID uint) (map[uint]string, error) {
	var sources []SignatureSource
	if err := s.db.WithContext(ctx).Select("id, name").Where("campaign_id = ?", campaignID).Find(&sources).Error; err != nil {
		return nil, err
	}
	names := make(map[uint]string, len(sources))
	for _, src := range sources {
		names[src.ID] = src.Name
	}
	return names, nil
}

// fillSources names the sources of a batch of signatures (in id order,
// all after the id after), reading their links by the range of ids the
// batch spans: one query a batch, on the links' primary key.
func (s *Store) fillSources(ctx context.Context, names map[uint]string, after uint, batch []Signature) error {
	rows, err := s.db.WithContext(bulkContext(ctx)).Raw(`SELECT signature_id, source_id FROM source_signatures
		WHERE signature_id > ? AND signature_id <= ? ORDER BY signature_id`, after, batch[len(batch)-1].ID).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	lists := make([][]string, len(batch))
	for j := range batch {
		if batch[j].SourceID != nil {
			if name, ok := names[*batch[j].SourceID]; ok {
				lists[j] = append(lists[j], name)
			}
		}
	}
	i := 0
	for rows.Next() {
		var sigID, srcID uint
		if err := rows.Scan(&sigID, &srcID); err != nil {
			return err
		}
		for i < len(batch) && batch[i].ID < sigID {
			i++
		}
		if i < len(batch) && batch[i].ID == sigID {
			if name, ok := names[srcID]; ok {
				lists[i] = append(lists[i], name)
			}
		}
	}
	for j := range batch {
		slices.Sort(lists[j])
		batch[j].Sources = strings.Join(lists[j], SourcesSep)
	}
	return rows.Err()
}

// SourcesSep separates the names of a signer's sources in an export.
const SourcesSep = "; "

// unpackSignature splits the packed text columns of EachSignature into
// sig without allocating a slice per row.
func unpackSignature(packed, sep string, sig *Signature) bool {
	flags, rest, ok := strings.Cut(packed, sep)
	if !ok || len(flags) != 2 {
		return false
	}
	sig.ShowName, sig.SendUpdates = flags[0] == '1', flags[1] == '1'
	for _, f := range []*string{&sig.FirstName, &sig.LastName, &sig.Email, &sig.City, &sig.Region, &sig.Country, &sig.PostalCode} {
		if *f, rest, ok = strings.Cut(rest, sep); !ok {
			return false
		}
	}
	sig.Comment = rest // last, whatever it holds
	return true
}

// bulkContext is the context a bulk read or write runs its statements on:
// never cancelled, so callers check ctx between batches instead. With a
// cancellable context mattn/go-sqlite3 starts a goroutine for every row,
// which more than doubles a 300,000-row import or export.
func bulkContext(ctx context.Context) context.Context { return context.WithoutCancel(ctx) }
