package main

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// GenHeader is the importer's CSV header, in order.
var GenHeader = []string{"first_name", "last_name", "email", "city", "state", "zip", "country", "created_at"}

// GenConfig describes a file of fake signatures.
type GenConfig struct {
	N    int       // rows, not counting the header
	Seed uint64    // the same seed and End give the same file
	End  time.Time // created_at falls in the Days before End
	Days int       // 0 for 30
}

// Generate writes cfg.N unique fake signatures as CSV. Rows are built in
// reused buffers and streamed; memory stays flat whatever N is.
func Generate(w io.Writer, cfg GenConfig) error {
	if cfg.N < 0 {
		return fmt.Errorf("-n %d: want 0 or more rows", cfg.N)
	}
	days := cfg.Days
	if days <= 0 {
		days = 30
	}
	span := int64(days) * int64(24*time.Hour/time.Second)
	end := cfg.End.UTC().Truncate(time.Second)
	rng := rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15))

	firstLocal := foldAll(firstNames)
	lastLocal := foldAll(lastNames)

	bw := bufio.NewWriterSize(w, 256<<10)
	cw := csv.NewWriter(bw)
	if err := cw.Write(GenHeader); err != nil {
		return err
	}
	rec := make([]string, len(GenHeader))
	var email, when []byte
	for i := range cfg.N {
		fi, li := rng.IntN(len(firstNames)), rng.IntN(len(lastNames))
		pl := places[rng.IntN(len(places))]
		email = append(email[:0], firstLocal[fi]...)
		if lastLocal[li] != "" {
			email = append(append(email, '.'), lastLocal[li]...)
		}
		email = append(strconv.AppendInt(append(email, '.'), int64(i+1), 10), "@example.org"...)
		when = end.Add(-time.Duration(1+rng.Int64N(span))*time.Second).AppendFormat(when[:0], time.RFC3339)

		rec[0], rec[1], rec[2] = firstNames[fi], lastNames[li], string(email)
		rec[3], rec[4], rec[5], rec[6] = pl.city, pl.state, pl.zip, "US"
		rec[7] = string(when)
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

var accents = strings.NewReplacer("á", "a", "é", "e", "í", "i", "ó", "o", "ú", "u", "ñ", "n", "ë", "e", "ü", "u")

// foldAll turns names into plain lower-case ASCII for email addresses.
func foldAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		n = accents.Replace(strings.ToLower(n))
		out[i] = strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' {
				return r
			}
			return -1
		}, n)
	}
	return out
}
