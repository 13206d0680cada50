package models

import (
	"context"
	"time"

	"gorm.io/gorm/clause"
)

// appState records things the application does once per database, such
// as the first start of the server.
type appState struct {
	Key       string `gorm:"primaryKey"`
	Value     string
	CreatedAt time.Time
}

func (appState) TableName() string { return "app_state" }

// Once records key and reports whether this call was the first to do so,
// across every process sharing the database.
func (s *Store) Once(ctx context.Context, key string) (first bool, err error) {
	res := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).
		Create(&appState{Key: key, CreatedAt: time.Now().UTC()})
	return res.RowsAffected == 1, res.Error
}
