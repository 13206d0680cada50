package models

import (
	"errors"

	"gorm.io/gorm"
)

// ErrNotFound is returned by the Store when a record does not exist.
// Handlers map it to 404; no caller needs to know about gorm.
var ErrNotFound = errors.New("not found")

// notFound turns gorm.ErrRecordNotFound into ErrNotFound and passes every
// other error through.
func notFound(err error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ErrNotFound
	}
	return err
}
