package models

import "context"

// CountRows counts a table's rows; tests only (pages read kept counters).
func (s *Store) CountRows(ctx context.Context, table string) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Table(table).Count(&n).Error
	return n, err
}

// AddToCountForTest moves a campaign's kept signature counter.
func (s *Store) AddToCountForTest(ctx context.Context, campaignID uint, n int64) error {
	return addToCount(s.db.WithContext(ctx), campaignID, n, 0)
}

// ExecForTest runs SQL on the store's database; tests only.
func (s *Store) ExecForTest(ctx context.Context, sql string, args ...any) error {
	return s.db.WithContext(ctx).Exec(sql, args...).Error
}

// SessionKeysForTest lists what the sessions table keeps as keys.
func (s *Store) SessionKeysForTest(ctx context.Context) ([]string, error) {
	var out []string
	err := s.db.WithContext(ctx).Table("sessions").Pluck("token", &out).Error
	return out, err
}

// MigrateToForTest brings the schema up to version v only.
func (s *Store) MigrateToForTest(ctx context.Context, v int) error {
	_, _, err := migrateTo(s.db.WithContext(ctx), v)
	return err
}

// SourceSetsForTest lists the sources that had each signature of a
// campaign, by signature id.
func (s *Store) SourceSetsForTest(ctx context.Context, campaignID uint) (map[uint][]uint, error) {
	var ids []uint
	if err := s.db.WithContext(ctx).Model(&Signature{}).Where("campaign_id = ?", campaignID).Pluck("id", &ids).Error; err != nil {
		return nil, err
	}
	return sourceSets(s.db.WithContext(ctx), ids)
}
