package views

import (
	"reflect"
	"testing"

	"campaigntrack/models"
)

func TestSourceNotesNumberEachSourceOnce(t *testing.T) {
	times := models.Source{Name: "The Seattle Times"}
	kpix := models.Source{Name: "KPIX", URL: "https://cbs.example/kpix"}
	kos := models.Source{Name: "Daily Kos", URL: "https://kos.example/1"}
	notes := NewSourceNotes(
		[]models.Source{times},
		[]models.Source{kpix, times},
		// The same address under another name is the same source.
		[]models.Source{{Name: "KPIX CBS San Francisco", URL: "https://cbs.example/kpix/"}},
		// The same name, other case and spacing, is the same source.
		[]models.Source{{Name: "the  seattle times"}},
		[]models.Source{kos, times, kos},
		// A source with neither name nor address gets no number.
		[]models.Source{{}},
	)
	var got []string
	for _, n := range notes.List() {
		got = append(got, n.Source.Label())
	}
	if want := []string{"The Seattle Times", "KPIX", "Daily Kos"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("list = %q, want %q", got, want)
	}
	for i, n := range notes.List() {
		if n.N != i+1 {
			t.Errorf("note %d numbered %d", i+1, n.N)
		}
	}
	refs := func(ss ...models.Source) []int {
		var out []int
		for _, r := range notes.Refs(ss) {
			out = append(out, r.N)
		}
		return out
	}
	for _, tc := range []struct {
		name    string
		sources []models.Source
		want    []int
	}{
		{"one source", []models.Source{times}, []int{1}},
		{"in the record's order", []models.Source{kos, kpix}, []int{3, 2}},
		{"each number once", []models.Source{kos, times, kos}, []int{3, 1}},
		{"by another name at the same address", []models.Source{{Name: "CBS", URL: "https://cbs.example/kpix"}}, []int{2}},
		{"by name only, for a source known with its address", []models.Source{{Name: "KPIX"}}, []int{2}},
		{"a source not on the page", []models.Source{{Name: "Elsewhere"}}, nil},
		{"none", nil, nil},
	} {
		if got := refs(tc.sources...); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: refs %v, want %v", tc.name, got, tc.want)
		}
	}
	if r := notes.Refs([]models.Source{kos})[0]; r.Text() != "[3]" || r.ID() != "source-3" || r.Label != "Daily Kos" {
		t.Errorf("ref = %q %q %q", r.Text(), r.ID(), r.Label)
	}
}

// A source first cited by its name alone, then with its address, is one
// note, and the note gets the address.
func TestSourceNotesAddTheAddressOfANameCitedBefore(t *testing.T) {
	notes := NewSourceNotes(
		[]models.Source{{Name: "Fast Company"}},
		[]models.Source{{Name: "Fast Company", URL: "https://fastcompany.example/1"}},
	)
	list := notes.List()
	if len(list) != 1 || list[0].Source.URL != "https://fastcompany.example/1" {
		t.Fatalf("list = %+v, want one Fast Company note with its address", list)
	}
	if r := notes.Refs([]models.Source{{URL: "https://fastcompany.example/1"}}); len(r) != 1 || r[0].N != 1 {
		t.Errorf("refs by address = %+v", r)
	}
}

func TestNilSourceNotes(t *testing.T) {
	var notes *SourceNotes
	if notes.Refs([]models.Source{{Name: "x"}}) != nil || notes.List() != nil {
		t.Error("nil notes cite something")
	}
}
