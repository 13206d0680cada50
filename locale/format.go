package locale

import (
	"context"
	"strconv"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// Numbers are written as the campaign's readers write them. Spanish takes
// the United States' Spanish ("270,000 firmas"): the signers this site is
// for live there, and it groups digits as English does.
var printers = map[Lang]*message.Printer{
	English: message.NewPrinter(language.MustParse("en-US")),
	Spanish: message.NewPrinter(language.MustParse("es-US")),
}

// Number is n as ctx's language writes it: 270000 -> "270,000".
func Number(ctx context.Context, n int64) string { return NumberIn(Of(ctx), n) }

// NumberIn is Number in the language l.
func NumberIn(l Lang, n int64) string {
	p, ok := printers[l]
	if !ok {
		p = printers[English]
	}
	return p.Sprintf("%d", n)
}

// Date is a day as ctx's language writes it: "15 July 2019",
// "15 de julio de 2019". t is taken as it is: the caller picks the zone.
func Date(ctx context.Context, t time.Time) string { return DateIn(Of(ctx), t) }

// DateIn is Date in the language l.
func DateIn(l Lang, t time.Time) string {
	return TIn(l, "format.date",
		"Day", strconv.Itoa(t.Day()),
		"Month", TIn(l, "format.month."+strconv.Itoa(int(t.Month()))),
		"Year", strconv.Itoa(t.Year()))
}

// DateTime is a day and a time of day with its zone's abbreviation, as
// ctx's language writes them: "15 July 2019, 11:00 PDT".
func DateTime(ctx context.Context, t time.Time) string {
	l := Of(ctx)
	return TIn(l, "format.datetime", "Date", DateIn(l, t), "Time", t.Format("15:04 MST"))
}
