package models

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// A migration moves the schema one version up. Migrations run in order,
// each in its own transaction, and the version reached is recorded in
// schema_version. A migration, once released, is never edited: a change to
// the schema is a new migration at the end of the list.
//
// The SQL is written once for both engines; dialectSQL swaps the few words
// they spell differently ({{id}}, {{ts}}).
type migration struct {
	description string
	up          func(tx *gorm.DB) error
}

var migrations = []migration{
	{"campaigns, petitions, partners, claims, signatures, deliveries, actions, responses, users, audit log", migrateV1},
	{"sessions, sign-in attempts, users.sessions_not_before", migrateV2},
	{"app_state: what the application has done once", migrateV3},
	{"signature_tallies: kept counts by region, city and day", migrateV4},
	{"import_jobs: signature CSV imports; signatures indexed by campaign and id for streamed exports and for the latest public signers", migrateV5},
	{"time zones of deliveries, actions and responses; a delivery's planned day apart from its delivery time; deliveries indexed by campaign and status", migrateV6},
	{"sessions keyed by the SHA-256 of their token (every older session ends); campaign_slugs: a campaign's earlier addresses, which redirect to its current one", migrateV7},
	{"app_state: site_id, a random name for this site that its feed ids carry", migrateV8},
	{"signers' mail: signatures confirmed or pending, the pending count, campaigns' confirmation setting, mail_outbox and mail_news", migrateV9},
	{"the coalition's count: signatures keyed by the canonical identity of their email (the address as typed kept apart), signature_sources and their links, kept source figures and pairs, email_rules, delivery_counts; existing duplicates merged", migrateV10},
	{"delivery packets: campaigns' packet setting, packets (each packet's public record)", migrateV11},
	{"Spanish: a Spanish version of each public text, each signer's language (and each message's), each delivery's packet language", migrateV12},
	{"each delivery's packet language said (en) where a loader left it empty", migrateV13},
	{"Spanish news: a Spanish subject and message beside the English, and a translation of the quote", migrateV14},
}

// SchemaVersion is the schema version this binary migrates to.
func SchemaVersion() int { return len(migrations) }

// Migrate brings the schema up to date and reports the version it found and
// the version it left. A database of a newer schema version than this binary
// knows is refused rather than touched.
func Migrate(ctx context.Context, db *gorm.DB) (from, to int, err error) {
	db = db.WithContext(ctx)
	if !isPostgres(db) {
		// SQLite: each migration's write transaction takes the file's
		// lock up front (_txlock=immediate), and re-reads the version.
		return migrate(db)
	}
	// PostgreSQL: several instances may start at once. An advisory lock,
	// held on one connection for the whole run, lets one migrate while the
	// others wait and then find nothing left to do; without it two could
	// both run a migration's DDL.
	err = db.Connection(func(conn *gorm.DB) error {
		if err := conn.Exec("SELECT pg_advisory_lock(?)", migrationLock).Error; err != nil {
			return fmt.Errorf("take the migration lock: %w", err)
		}
		defer conn.Exec("SELECT pg_advisory_unlock(?)", migrationLock)
		from, to, err = migrate(conn)
		return err
	})
	return from, to, err
}

// migrationLock is the key of the PostgreSQL advisory lock migrations hold
// ("camptrk" in ASCII).
const migrationLock int64 = 0x63616d7074726b

func migrate(db *gorm.DB) (from, to int, err error) { return migrateTo(db, len(migrations)) }

// migrateTo runs the migrations up to version target (tests start from an
// older schema with it).
func migrateTo(db *gorm.DB, target int) (from, to int, err error) {
	if err := db.Exec(`CREATE TABLE IF NOT EXISTS schema_version (
		version INTEGER PRIMARY KEY,
		description TEXT NOT NULL,
		applied_at ` + tsType(db) + ` NOT NULL)`).Error; err != nil {
		return 0, 0, fmt.Errorf("create schema_version: %w", err)
	}
	current, err := currentVersion(db)
	if err != nil {
		return 0, 0, err
	}
	if current > len(migrations) {
		return current, current, fmt.Errorf("the database has schema version %d, newer than this binary knows (%d): run a newer campaigntrack", current, len(migrations))
	}
	from = current
	for v := current + 1; v <= target; v++ {
		m := migrations[v-1]
		err := db.Transaction(func(tx *gorm.DB) error {
			// Another process may have migrated meanwhile: check again
			// inside the transaction.
			again, err := currentVersion(tx)
			if err != nil {
				return err
			}
			if again >= v {
				return nil
			}
			if err := m.up(tx); err != nil {
				return err
			}
			return tx.Exec("INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)",
				v, m.description, time.Now().UTC()).Error
		})
		if err != nil {
			return from, v - 1, fmt.Errorf("migration %d (%s): %w", v, m.description, err)
		}
	}
	return from, max(from, target), nil
}

func currentVersion(db *gorm.DB) (int, error) {
	var v *int
	if err := db.Raw("SELECT MAX(version) FROM schema_version").Scan(&v).Error; err != nil {
		return 0, fmt.Errorf("read schema_version: %w", err)
	}
	if v == nil {
		return 0, nil
	}
	return *v, nil
}

func isPostgres(db *gorm.DB) bool { return db.Dialector.Name() == "postgres" }

func tsType(db *gorm.DB) string {
	if isPostgres(db) {
		return "TIMESTAMPTZ"
	}
	return "DATETIME"
}

// dialectSQL fills in the words SQLite and PostgreSQL spell differently.
func dialectSQL(db *gorm.DB, sql string) string {
	id, blob := "INTEGER PRIMARY KEY AUTOINCREMENT", "BLOB"
	if isPostgres(db) {
		id, blob = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", "BYTEA"
	}
	// A table of its primary key alone is kept in that key's tree on
	// SQLite, not in a rowid tree with the key beside it: half the writes.
	withoutRowid := " WITHOUT ROWID"
	if isPostgres(db) {
		withoutRowid = ""
	}
	return strings.NewReplacer("{{id}}", id, "{{ts}}", tsType(db), "{{blob}}", blob, "{{without_rowid}}", withoutRowid).Replace(sql)
}

func execAll(tx *gorm.DB, statements string) error {
	for _, stmt := range strings.Split(dialectSQL(tx, statements), ";\n") {
		if strings.TrimSpace(stmt) == "" {
			continue
		}
		if err := tx.Exec(stmt).Error; err != nil {
			return fmt.Errorf("%w\n%s", err, stmt)
		}
	}
	return nil
}

func migrateV1(tx *gorm.DB) error {
	return execAll(tx, `
CREATE TABLE campaigns (
	id {{id}},
	slug TEXT NOT NULL UNIQUE,
	title TEXT NOT NULL,
	target TEXT NOT NULL DEFAULT '',
	demand TEXT NOT NULL DEFAULT '',
	summary TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL DEFAULT 'active',
	starts_on TEXT NOT NULL DEFAULT '',
	ends_on TEXT NOT NULL DEFAULT '',
	signature_goal BIGINT NOT NULL DEFAULT 0,
	deliveries_planned INTEGER NOT NULL DEFAULT 0,
	created_at {{ts}} NOT NULL,
	updated_at {{ts}} NOT NULL
);
CREATE TABLE petitions (
	id {{id}},
	campaign_id BIGINT NOT NULL UNIQUE REFERENCES campaigns(id) ON DELETE CASCADE,
	heading TEXT NOT NULL DEFAULT '',
	body TEXT NOT NULL DEFAULT '',
	sources TEXT NOT NULL DEFAULT '[]',
	created_at {{ts}} NOT NULL,
	updated_at {{ts}} NOT NULL
);
CREATE TABLE organisations (
	id {{id}},
	campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	role TEXT NOT NULL DEFAULT '',
	url TEXT NOT NULL DEFAULT '',
	position INTEGER NOT NULL DEFAULT 0,
	sources TEXT NOT NULL DEFAULT '[]',
	created_at {{ts}} NOT NULL,
	updated_at {{ts}} NOT NULL,
	UNIQUE (campaign_id, name)
);
CREATE TABLE count_claims (
	id {{id}},
	campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
	count BIGINT NOT NULL,
	qualifier TEXT NOT NULL DEFAULT '',
	wording TEXT NOT NULL DEFAULT '',
	claimed_by TEXT NOT NULL,
	claimed_on TEXT NOT NULL DEFAULT '',
	source_name TEXT NOT NULL DEFAULT '',
	source_url TEXT NOT NULL DEFAULT '',
	headline BOOLEAN NOT NULL DEFAULT FALSE,
	notes TEXT NOT NULL DEFAULT '',
	created_at {{ts}} NOT NULL,
	updated_at {{ts}} NOT NULL
);
CREATE INDEX count_claims_campaign ON count_claims (campaign_id);
CREATE TABLE signatures (
	id {{id}},
	campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
	first_name TEXT NOT NULL DEFAULT '',
	last_name TEXT NOT NULL DEFAULT '',
	email TEXT NOT NULL,
	city TEXT NOT NULL DEFAULT '',
	region TEXT NOT NULL DEFAULT '',
	country TEXT NOT NULL DEFAULT '',
	postal_code TEXT NOT NULL DEFAULT '',
	comment TEXT NOT NULL DEFAULT '',
	show_name BOOLEAN NOT NULL DEFAULT FALSE,
	send_updates BOOLEAN NOT NULL DEFAULT FALSE,
	origin TEXT NOT NULL DEFAULT 'web',
	signed_at {{ts}} NOT NULL,
	created_at {{ts}} NOT NULL,
	UNIQUE (campaign_id, email)
);
CREATE TABLE signature_counters (
	campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
	slot INTEGER NOT NULL,
	n BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (campaign_id, slot)
);
CREATE TABLE deliveries (
	id {{id}},
	campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
	city TEXT NOT NULL,
	region TEXT NOT NULL DEFAULT '',
	country TEXT NOT NULL DEFAULT '',
	venue TEXT NOT NULL DEFAULT '',
	address TEXT NOT NULL DEFAULT '',
	latitude DOUBLE PRECISION,
	longitude DOUBLE PRECISION,
	kind TEXT NOT NULL DEFAULT '',
	scheduled_at {{ts}},
	delivered_at {{ts}},
	date_only BOOLEAN NOT NULL DEFAULT FALSE,
	status TEXT NOT NULL DEFAULT 'planned',
	recipient TEXT NOT NULL DEFAULT '',
	signatures_delivered BIGINT,
	delivery_form TEXT NOT NULL DEFAULT '',
	outcome TEXT NOT NULL DEFAULT '',
	lead_organisation TEXT NOT NULL DEFAULT '',
	attendance TEXT NOT NULL DEFAULT '',
	media_present BOOLEAN NOT NULL DEFAULT FALSE,
	sources TEXT NOT NULL DEFAULT '[]',
	notes TEXT NOT NULL DEFAULT '',
	created_at {{ts}} NOT NULL,
	updated_at {{ts}} NOT NULL
);
CREATE INDEX deliveries_campaign ON deliveries (campaign_id);
CREATE TABLE actions (
	id {{id}},
	campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
	kind TEXT NOT NULL,
	title TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	occurred_at {{ts}} NOT NULL,
	date_only BOOLEAN NOT NULL DEFAULT FALSE,
	place TEXT NOT NULL DEFAULT '',
	city TEXT NOT NULL DEFAULT '',
	region TEXT NOT NULL DEFAULT '',
	country TEXT NOT NULL DEFAULT '',
	attendance TEXT NOT NULL DEFAULT '',
	organisations TEXT NOT NULL DEFAULT '',
	sources TEXT NOT NULL DEFAULT '[]',
	notes TEXT NOT NULL DEFAULT '',
	created_at {{ts}} NOT NULL,
	updated_at {{ts}} NOT NULL
);
CREATE INDEX actions_campaign_occurred ON actions (campaign_id, occurred_at);
CREATE TABLE responses (
	id {{id}},
	campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
	responded_at {{ts}} NOT NULL,
	date_only BOOLEAN NOT NULL DEFAULT FALSE,
	speaker TEXT NOT NULL DEFAULT '',
	speaker_role TEXT NOT NULL DEFAULT '',
	channel TEXT NOT NULL,
	kind TEXT NOT NULL,
	quote TEXT NOT NULL DEFAULT '',
	summary TEXT NOT NULL DEFAULT '',
	sources TEXT NOT NULL DEFAULT '[]',
	delivery_id BIGINT REFERENCES deliveries(id) ON DELETE SET NULL,
	action_id BIGINT REFERENCES actions(id) ON DELETE SET NULL,
	notes TEXT NOT NULL DEFAULT '',
	created_at {{ts}} NOT NULL,
	updated_at {{ts}} NOT NULL
);
CREATE INDEX responses_campaign_responded ON responses (campaign_id, responded_at);
CREATE TABLE users (
	id {{id}},
	email TEXT NOT NULL UNIQUE,
	password_hash TEXT NOT NULL DEFAULT '',
	role TEXT NOT NULL,
	disabled BOOLEAN NOT NULL DEFAULT FALSE,
	last_login_at {{ts}},
	created_at {{ts}} NOT NULL,
	updated_at {{ts}} NOT NULL
);
CREATE TABLE audit_entries (
	id {{id}},
	created_at {{ts}} NOT NULL,
	user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
	user_email TEXT NOT NULL DEFAULT '',
	campaign_id BIGINT REFERENCES campaigns(id) ON DELETE SET NULL,
	action TEXT NOT NULL,
	record_type TEXT NOT NULL,
	record_id BIGINT,
	changes TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_entries_record ON audit_entries (record_type, record_id);
CREATE INDEX audit_entries_campaign ON audit_entries (campaign_id, created_at)
`)
}

func migrateV2(tx *gorm.DB) error {
	return execAll(tx, `
CREATE TABLE sessions (
	token TEXT PRIMARY KEY,
	data {{blob}} NOT NULL,
	expiry {{ts}} NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expiry);
CREATE TABLE login_attempts (
	id {{id}},
	email TEXT NOT NULL,
	ip TEXT NOT NULL,
	succeeded BOOLEAN NOT NULL,
	created_at {{ts}} NOT NULL
);
CREATE INDEX login_attempts_email ON login_attempts (email, created_at);
CREATE INDEX login_attempts_ip ON login_attempts (ip, created_at);
ALTER TABLE users ADD COLUMN sessions_not_before {{ts}}
`)
}

func migrateV3(tx *gorm.DB) error {
	return execAll(tx, `
CREATE TABLE app_state (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL DEFAULT '',
	created_at {{ts}} NOT NULL
)
`)
}

func migrateV4(tx *gorm.DB) error {
	return execAll(tx, `
CREATE TABLE signature_tallies (
	campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
	dim TEXT NOT NULL,
	key TEXT NOT NULL,
	label TEXT NOT NULL,
	n BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (campaign_id, dim, key)
)
`)
}

func migrateV5(tx *gorm.DB) error {
	return execAll(tx, `
CREATE TABLE import_jobs (
	id {{id}},
	campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
	user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
	user_email TEXT NOT NULL DEFAULT '',
	filename TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL DEFAULT 'running',
	bytes_total BIGINT NOT NULL DEFAULT 0,
	bytes_read BIGINT NOT NULL DEFAULT 0,
	rows_read BIGINT NOT NULL DEFAULT 0,
	imported BIGINT NOT NULL DEFAULT 0,
	duplicates BIGINT NOT NULL DEFAULT 0,
	invalid BIGINT NOT NULL DEFAULT 0,
	rejects TEXT NOT NULL DEFAULT '',
	error TEXT NOT NULL DEFAULT '',
	created_at {{ts}} NOT NULL,
	updated_at {{ts}} NOT NULL,
	finished_at {{ts}}
);
CREATE INDEX import_jobs_campaign ON import_jobs (campaign_id, created_at);
CREATE INDEX signatures_campaign_id ON signatures (campaign_id, id);
CREATE INDEX signatures_public ON signatures (campaign_id, id) WHERE show_name
`)
}

func migrateV6(tx *gorm.DB) error {
	return execAll(tx, `
ALTER TABLE deliveries ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';
ALTER TABLE deliveries ADD COLUMN scheduled_date_only BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE deliveries SET scheduled_date_only = date_only;
ALTER TABLE actions ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';
ALTER TABLE responses ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';
CREATE INDEX deliveries_campaign_status ON deliveries (campaign_id, status)
`)
}

func migrateV7(tx *gorm.DB) error {
	return execAll(tx, `
DELETE FROM sessions;
CREATE TABLE campaign_slugs (
	slug TEXT PRIMARY KEY,
	campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
	created_at {{ts}} NOT NULL
);
CREATE INDEX campaign_slugs_campaign ON campaign_slugs (campaign_id)
`)
}

// migrateV8 names the site once, at random. Feed ids carry the name, so two
// trackers never mint the same id, and the name moves with the database
// (a backup, a dump), not with the host the site is served from.
func migrateV8(tx *gorm.DB) error {
	return tx.Exec("INSERT INTO app_state (key, value, created_at) VALUES (?, ?, ?)",
		siteIDKey, strings.ToLower(rand.Text()[:16]), time.Now().UTC()).Error
}

// migrateV9 makes room for signers' mail (issue 13). mail_outbox has no
// foreign keys: checking two for each of 300,000 rows of an update made
// queueing it on PostgreSQL take 9.8 s, and the sender marks failed any
// message whose campaign or news is gone. Every signature
// stored before it counts as confirmed: it was counted already, and its
// signer was never asked. The public signers' index now also leaves out
// pending signatures, which the public never sees.
func migrateV9(tx *gorm.DB) error {
	return execAll(tx, `
ALTER TABLE campaigns ADD COLUMN confirm_signatures BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE signatures ADD COLUMN confirmed_at {{ts}};
ALTER TABLE signatures ADD COLUMN noticed_at {{ts}};
UPDATE signatures SET confirmed_at = created_at;
DROP INDEX signatures_public;
CREATE INDEX signatures_public ON signatures (campaign_id, id) WHERE show_name AND confirmed_at IS NOT NULL;
CREATE INDEX signatures_pending ON signatures (noticed_at) WHERE confirmed_at IS NULL;
ALTER TABLE signature_counters ADD COLUMN pending BIGINT NOT NULL DEFAULT 0;
CREATE TABLE mail_news (
	id {{id}},
	campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
	subject TEXT NOT NULL,
	body TEXT NOT NULL,
	quote TEXT NOT NULL DEFAULT '',
	quote_by TEXT NOT NULL DEFAULT '',
	quote_source TEXT NOT NULL DEFAULT '',
	record_kind TEXT NOT NULL DEFAULT '',
	record_id BIGINT NOT NULL DEFAULT 0,
	user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
	user_email TEXT NOT NULL DEFAULT '',
	recipients BIGINT NOT NULL DEFAULT 0,
	created_at {{ts}} NOT NULL
);
CREATE INDEX mail_news_campaign ON mail_news (campaign_id, id);
CREATE TABLE mail_outbox (
	id {{id}},
	campaign_id BIGINT NOT NULL,
	signature_id BIGINT,
	news_id BIGINT,
	kind TEXT NOT NULL,
	to_email TEXT NOT NULL DEFAULT '',
	to_name TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL DEFAULT 'queued',
	attempts INTEGER NOT NULL DEFAULT 0,
	next_at {{ts}} NOT NULL,
	claimed_until {{ts}},
	last_error TEXT NOT NULL DEFAULT '',
	created_at {{ts}} NOT NULL,
	sent_at {{ts}},
	purged BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX mail_outbox_status ON mail_outbox (status, id);
CREATE INDEX mail_outbox_signature ON mail_outbox (signature_id) WHERE signature_id IS NOT NULL;
CREATE INDEX mail_outbox_news ON mail_outbox (news_id, status) WHERE news_id IS NOT NULL
`)
}

// migrateV10 keys signatures by the canonical identity of their email and
// records every signature's source. The old email column (lower-cased
// addresses, the unique key) becomes identity, which keeps its UNIQUE
// (campaign_id, ...) constraint without rebuilding the table, and the
// address is copied to a new email column. Each campaign gets its form's
// source, and a source for each file its imports came from (their origin),
// which becomes each signature's first source (source_id);
// the people who are one under the identity rules are merged, the earliest
// signature kept with every source that had them; the figures are then
// built from the links.
func migrateV10(tx *gorm.DB) error {
	if err := execAll(tx, `
ALTER TABLE signatures RENAME COLUMN email TO identity;
ALTER TABLE signatures ADD COLUMN email TEXT NOT NULL DEFAULT '';
UPDATE signatures SET email = identity;
CREATE TABLE signature_sources (
	id {{id}},
	campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	name_key TEXT NOT NULL,
	kind TEXT NOT NULL DEFAULT 'list',
	partner_id BIGINT REFERENCES organisations(id) ON DELETE SET NULL,
	platform TEXT NOT NULL DEFAULT '',
	claimed BIGINT,
	claim_source_name TEXT NOT NULL DEFAULT '',
	claim_source_url TEXT NOT NULL DEFAULT '',
	notes TEXT NOT NULL DEFAULT '',
	created_at {{ts}} NOT NULL,
	updated_at {{ts}} NOT NULL
);
ALTER TABLE signatures ADD COLUMN source_id BIGINT REFERENCES signature_sources(id);
CREATE UNIQUE INDEX signature_sources_name ON signature_sources (campaign_id, name_key);
CREATE UNIQUE INDEX signature_sources_web ON signature_sources (campaign_id) WHERE kind = 'web';
CREATE TABLE source_signatures (
	signature_id BIGINT NOT NULL REFERENCES signatures(id) ON DELETE CASCADE,
	source_id BIGINT NOT NULL REFERENCES signature_sources(id) ON DELETE CASCADE,
	PRIMARY KEY (signature_id, source_id)
){{without_rowid}};
CREATE TABLE source_counts (
	campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
	source_id BIGINT NOT NULL REFERENCES signature_sources(id) ON DELETE CASCADE,
	slot INTEGER NOT NULL,
	received BIGINT NOT NULL DEFAULT 0,
	uniq BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (source_id, slot)
);
CREATE INDEX source_counts_campaign ON source_counts (campaign_id);
CREATE TABLE source_pairs (
	campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
	source_a BIGINT NOT NULL REFERENCES signature_sources(id) ON DELETE CASCADE,
	source_b BIGINT NOT NULL REFERENCES signature_sources(id) ON DELETE CASCADE,
	n BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (campaign_id, source_a, source_b)
);
CREATE TABLE email_rules (
	id {{id}},
	domain TEXT NOT NULL UNIQUE,
	alias_of TEXT NOT NULL DEFAULT '',
	ignore_dots BOOLEAN NOT NULL DEFAULT FALSE,
	tag_seps TEXT NOT NULL DEFAULT '',
	created_at {{ts}} NOT NULL,
	updated_at {{ts}} NOT NULL
);
CREATE TABLE delivery_counts (
	id {{id}},
	campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
	delivery_id BIGINT NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
	total BIGINT NOT NULL,
	sources TEXT NOT NULL DEFAULT '[]',
	recorded_at {{ts}} NOT NULL,
	user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
	user_email TEXT NOT NULL DEFAULT ''
);
CREATE INDEX delivery_counts_delivery ON delivery_counts (campaign_id, delivery_id, id);
ALTER TABLE import_jobs ADD COLUMN source_id BIGINT REFERENCES signature_sources(id) ON DELETE SET NULL;
ALTER TABLE import_jobs ADD COLUMN credited BIGINT NOT NULL DEFAULT 0
`); err != nil {
		return err
	}
	now := time.Now().UTC()
	var campaigns []uint
	if err := tx.Raw("SELECT id FROM campaigns ORDER BY id").Scan(&campaigns).Error; err != nil {
		return err
	}
	for _, c := range campaigns {
		if err := tx.Exec(`INSERT INTO signature_sources (campaign_id, name, name_key, kind, platform, created_at, updated_at) VALUES (?, ?, ?, 'web', 'this tracker', ?, ?)`,
			c, WebSourceName, sourceNameKey(WebSourceName), now, now).Error; err != nil {
			return err
		}
	}
	var origins []struct {
		CampaignID uint
		Origin     string
	}
	if err := tx.Raw("SELECT DISTINCT campaign_id, origin FROM signatures").Scan(&origins).Error; err != nil {
		return err
	}
	for _, o := range origins {
		name, kind := originSourceName(o.Origin)
		if kind == SourceList {
			if err := tx.Exec(`INSERT INTO signature_sources (campaign_id, name, name_key, kind, platform, created_at, updated_at) VALUES (?, ?, ?, 'list', 'file import', ?, ?)
				ON CONFLICT DO NOTHING`, o.CampaignID, name, sourceNameKey(name), now, now).Error; err != nil {
				return err
			}
		}
		if err := tx.Exec(`UPDATE signatures SET source_id = (SELECT id FROM signature_sources WHERE campaign_id = ? AND name_key = ?)
			WHERE campaign_id = ? AND origin = ?`, o.CampaignID, sourceNameKey(name), o.CampaignID, o.Origin).Error; err != nil {
			return err
		}
	}
	if _, err := reidentify(tx, nil, EmailRules{}, nil); err != nil {
		return err
	}
	for _, c := range campaigns {
		if _, err := rebuildSourceFigures(tx, c); err != nil {
			return err
		}
	}
	return nil
}

// originSourceName is the source a signature's origin (before sources
// were recorded) stands for: the form's, or the file an import named.
func originSourceName(origin string) (name, kind string) {
	switch {
	case origin == "web" || origin == "":
		return WebSourceName, SourceWeb
	case origin == "import":
		return "Imported (file not recorded)", SourceList
	case strings.HasPrefix(origin, "import: "):
		return Clip(strings.TrimPrefix(origin, "import: "), 100), SourceList
	}
	return Clip(origin, 100), SourceList
}

func migrateV11(tx *gorm.DB) error {
	return execAll(tx, `
ALTER TABLE campaigns ADD COLUMN packet_names TEXT NOT NULL DEFAULT 'initials';
CREATE TABLE packets (
	id {{id}},
	campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
	delivery_id BIGINT NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
	code TEXT NOT NULL UNIQUE,
	manifest_sha256 TEXT NOT NULL,
	signers BIGINT NOT NULL,
	volumes INTEGER NOT NULL,
	split TEXT NOT NULL,
	every_n INTEGER NOT NULL DEFAULT 0,
	names TEXT NOT NULL,
	draft BOOLEAN NOT NULL DEFAULT FALSE,
	count_total BIGINT,
	counted_at {{ts}},
	created_at {{ts}} NOT NULL,
	user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
	user_email TEXT NOT NULL DEFAULT ''
);
CREATE INDEX packets_delivery ON packets (campaign_id, delivery_id)
`)
}

// migrateV12 gives each text the public reads a Spanish version beside it
// (empty: none, the English is shown), each signature its signer's
// language (empty for signatures taken before: English) and each delivery
// the language its packet prints the petition in. A quote is never
// translated: quote_es is a translation shown as one, beside the quote.
func migrateV12(tx *gorm.DB) error {
	return execAll(tx, `
ALTER TABLE campaigns ADD COLUMN title_es TEXT NOT NULL DEFAULT '';
ALTER TABLE campaigns ADD COLUMN demand_es TEXT NOT NULL DEFAULT '';
ALTER TABLE campaigns ADD COLUMN summary_es TEXT NOT NULL DEFAULT '';
ALTER TABLE petitions ADD COLUMN heading_es TEXT NOT NULL DEFAULT '';
ALTER TABLE petitions ADD COLUMN body_es TEXT NOT NULL DEFAULT '';
ALTER TABLE count_claims ADD COLUMN wording_es TEXT NOT NULL DEFAULT '';
ALTER TABLE deliveries ADD COLUMN outcome_es TEXT NOT NULL DEFAULT '';
ALTER TABLE deliveries ADD COLUMN packet_lang TEXT NOT NULL DEFAULT 'en';
ALTER TABLE actions ADD COLUMN title_es TEXT NOT NULL DEFAULT '';
ALTER TABLE actions ADD COLUMN description_es TEXT NOT NULL DEFAULT '';
ALTER TABLE responses ADD COLUMN summary_es TEXT NOT NULL DEFAULT '';
ALTER TABLE responses ADD COLUMN quote_es TEXT NOT NULL DEFAULT '';
ALTER TABLE signatures ADD COLUMN lang TEXT NOT NULL DEFAULT '';
ALTER TABLE mail_outbox ADD COLUMN to_lang TEXT NOT NULL DEFAULT ''
`)
}

// migrateV13 says English where a delivery's packet language was stored
// empty (the demo loader wrote rows without Normalise before this).
func migrateV13(tx *gorm.DB) error {
	return tx.Exec("UPDATE deliveries SET packet_lang = 'en' WHERE packet_lang = ''").Error
}

// migrateV14 gives news to the signers a Spanish version (empty: none,
// the English is sent), for those who signed in Spanish. As with a
// response, the quote is never translated: quote_es is a translation sent
// beneath it, marked as one.
func migrateV14(tx *gorm.DB) error {
	return execAll(tx, `
ALTER TABLE mail_news ADD COLUMN subject_es TEXT NOT NULL DEFAULT '';
ALTER TABLE mail_news ADD COLUMN body_es TEXT NOT NULL DEFAULT '';
ALTER TABLE mail_news ADD COLUMN quote_es TEXT NOT NULL DEFAULT ''
`)
}
