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
	return addToCount(s.db.WithContext(ctx), campaignID, n)
}
