package views

import (
	"strconv"
	"strings"

	"campaigntrack/models"
)

// SourceNotes numbers a page's sources as notes: each record cites its
// sources as [n], and the page ends with one numbered list where each
// distinct source is given once, however many records cite it.
//
// The rule, in one place: a source is numbered the first time it is
// cited, in the order the page cites them; two citations are the same
// source when they have the same address, or, when neither has one, the
// same name (letter case and runs of spaces aside). The list keeps the
// first citation's name (and an address a later citation of the same name
// adds).
type SourceNotes struct {
	list  []models.Source
	index map[string]int // sourceKey -> number (1-based)
}

// SourceNote is one entry of the numbered list.
type SourceNote struct {
	N      int
	Source models.Source
}

// SourceRef is one citation: the note's number and its name.
type SourceRef struct {
	N     int
	Label string
}

// ID is the element id of the note, the target of its references.
func (r SourceRef) ID() string { return SourceNoteID(r.N) }

// Text is how the reference reads: [n].
func (r SourceRef) Text() string { return "[" + strconv.Itoa(r.N) + "]" }

// SourceNoteID is the element id of note n.
func SourceNoteID(n int) string { return "source-" + strconv.Itoa(n) }

// NewSourceNotes numbers the sources of records in the order given: the
// order the page cites them in.
func NewSourceNotes(records ...[]models.Source) *SourceNotes {
	n := &SourceNotes{index: map[string]int{}}
	for _, r := range records {
		for _, s := range r {
			n.cite(s)
		}
	}
	return n
}

// cite numbers s, unless it already has a number, and returns it.
func (n *SourceNotes) cite(s models.Source) int {
	if k := sourceKey(s); k != "" {
		if i, ok := n.index[k]; ok {
			return i
		}
		// A source first cited by name only, then by name and address, is
		// one source: the address is added to the note.
		if s.URL != "" && s.Name != "" {
			if i, ok := n.index[nameKey(s.Name)]; ok && n.list[i-1].URL == "" {
				n.list[i-1].URL = s.URL
				n.index[k] = i
				return i
			}
		}
		n.list = append(n.list, s)
		i := len(n.list)
		n.index[k] = i
		if s.URL != "" && s.Name != "" {
			if _, ok := n.index[nameKey(s.Name)]; !ok {
				n.index[nameKey(s.Name)] = i
			}
		}
		return i
	}
	return 0
}

// Refs is the references of one record's sources, each number once, in
// the record's order. A source the notes were not built with gets none.
func (n *SourceNotes) Refs(sources []models.Source) []SourceRef {
	if n == nil {
		return nil
	}
	var out []SourceRef
	seen := map[int]bool{}
	for _, s := range sources {
		i := n.number(s)
		if i == 0 || seen[i] {
			continue
		}
		seen[i] = true
		out = append(out, SourceRef{N: i, Label: n.list[i-1].Label()})
	}
	return out
}

// number is s's number, or 0.
func (n *SourceNotes) number(s models.Source) int {
	if i, ok := n.index[sourceKey(s)]; ok {
		return i
	}
	if s.URL == "" && s.Name != "" {
		return n.index[nameKey(s.Name)]
	}
	return 0
}

// List is the numbered list, one entry per distinct source.
func (n *SourceNotes) List() []SourceNote {
	if n == nil {
		return nil
	}
	out := make([]SourceNote, len(n.list))
	for i, s := range n.list {
		out[i] = SourceNote{N: i + 1, Source: s}
	}
	return out
}

// sourceKey is what makes two citations one source: the address, else
// the name. Empty for a source with neither.
func sourceKey(s models.Source) string {
	if u := strings.TrimSpace(s.URL); u != "" {
		return "url:" + strings.TrimSuffix(u, "/")
	}
	if strings.TrimSpace(s.Name) == "" {
		return ""
	}
	return nameKey(s.Name)
}

func nameKey(name string) string {
	return "name:" + strings.ToLower(strings.Join(strings.Fields(name), " "))
}
