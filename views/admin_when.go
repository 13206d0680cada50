package views

import (
	"time"

	"github.com/a-h/templ"

	"campaigntrack/models"
)

// WhenForm is a time as an organiser form holds it: the value of its date
// picker and of its time picker, as typed or as the form was filled in.
// The handlers read the two with models.ParseDateTime.
type WhenForm struct {
	Date, Clock string
}

// FormWhen shows a stored time in a form's pickers: its date and time of
// day where it happened (the record's zone), or the date alone when only
// the day is known. Nil is empty.
func FormWhen(t *time.Time, dateOnly bool, zone string) WhenForm {
	if t == nil {
		return WhenForm{}
	}
	if dateOnly {
		return WhenForm{Date: t.UTC().Format(time.DateOnly)}
	}
	local := t.In(models.ZoneOrUTC(zone))
	return WhenForm{Date: local.Format(time.DateOnly), Clock: local.Format("15:04")}
}

// NowWhen is the default of a new record's time: now, as models.NowAt
// reads it where the record happens, to the minute.
func NowWhen(local time.Time) WhenForm {
	return WhenForm{Date: local.Format(time.DateOnly), Clock: local.Format("15:04")}
}

// WhenField is a date picker and a time picker that give one time: "When"
// with its date and its time of day. The date input is named and
// identified Name (an error links to it), the time input Name+"_time".
type WhenField struct {
	Label, Name, Hint, Error string
	Value                    WhenForm
	Required                 bool // the date is required; the time stays optional (a day alone is known to the day)
	ClockRequired            bool // the time is required too
}

// ClockName is the name and id of the time input.
func (w WhenField) ClockName() string { return w.Name + "_time" }

// DateType is the date input's type: a date picker, unless what was typed
// is no date a picker can hold ("2019-07-15 11:00" typed where a browser
// has no picker, or a refused value), which a picker would blank: then a
// text box that keeps it, beside its message.
func (w WhenField) DateType() string {
	if w.Value.Date == "" {
		return "date"
	}
	if _, err := time.Parse(time.DateOnly, w.Value.Date); err != nil {
		return "text"
	}
	return "date"
}

// ClockType is the time input's type, by the same rule.
func (w WhenField) ClockType() string {
	if w.Value.Clock == "" {
		return "time"
	}
	for _, layout := range []string{"15:04", "15:04:05"} {
		if _, err := time.Parse(layout, w.Value.Clock); err == nil {
			return "time"
		}
	}
	return "text"
}

// aria is the inputs' ARIA state, as Field's: both are described by the
// one hint and error.
func (w WhenField) aria() templ.Attributes {
	return Field{Name: w.Name, Hint: w.Hint, Error: w.Error}.aria()
}
