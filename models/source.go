package models

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"strings"
)

// Source is where a fact was reported: a publication's name and, when it is
// known, the address of the report. Sources disagree, so every figure and
// every record carries its own.
type Source struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

// Label is how a source is named on a page: its name, or its host when
// only an address is known.
func (s Source) Label() string {
	if s.Name != "" {
		return s.Name
	}
	return s.URL
}

// Sources is a list of sources stored as a JSON array in one text column,
// which reads the same on SQLite and PostgreSQL.
type Sources []Source

// Value implements driver.Valuer.
func (s Sources) Value() (driver.Value, error) {
	if s == nil {
		return "[]", nil
	}
	b, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

// Scan implements sql.Scanner.
func (s *Sources) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case nil:
		*s = nil
		return nil
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		return fmt.Errorf("sources: cannot scan %T", src)
	}
	if len(strings.TrimSpace(string(b))) == 0 {
		*s = nil
		return nil
	}
	return json.Unmarshal(b, s)
}

// URLs lists the addresses of the sources that have one.
func (s Sources) URLs() []string {
	var out []string
	for _, src := range s {
		if src.URL != "" {
			out = append(out, src.URL)
		}
	}
	return out
}

// MaxSources is how many sources a record may carry.
const MaxSources = 50

// validateSources names a list of more than MaxSources, or the first source
// that is neither named nor linked, or whose address is not a web address.
func validateSources(fe FieldErrors, field string, sources Sources) {
	if len(sources) > MaxSources {
		fe.Add(field, fmt.Sprintf("give at most %d sources (there are %d)", MaxSources, len(sources)))
	}
	for i, s := range sources {
		if strings.TrimSpace(s.Name) == "" && strings.TrimSpace(s.URL) == "" {
			fe.Add(field, fmt.Sprintf("source %d has neither a name nor an address", i+1))
		}
		if msg := checkURL(s.URL); msg != "" {
			fe.Add(field, fmt.Sprintf("source %d: the address %s", i+1, msg))
		}
	}
}
