package models_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"campaigntrack/models"
	"campaigntrack/testdb"
)

// TestRenamesRecordTheirOldSlugs runs sequences of renames and creations
// and checks where each slug leads afterwards: to the campaign that has
// it, to the current slug of the campaign that had it, or nowhere.
func TestRenamesRecordTheirOldSlugs(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		steps []string // "x:a>b" renames campaign x from a to b; "+y:a" creates campaign y at a
		want  map[string]string
	}{
		{"one rename", []string{"x:a>b"}, map[string]string{"a": "-> b", "b": "x"}},
		{"a chain goes straight to the end", []string{"x:a>b", "x:b>c"}, map[string]string{"a": "-> c", "b": "-> c", "c": "x"}},
		{"renamed back", []string{"x:a>b", "x:b>a"}, map[string]string{"a": "x", "b": "-> a"}},
		{"back and forth", []string{"x:a>b", "x:b>a", "x:a>b"}, map[string]string{"a": "-> b", "b": "x"}},
		{"a new campaign takes a vacated slug", []string{"x:a>b", "+y:a"}, map[string]string{"a": "y", "b": "x"}},
		{"which then moves on", []string{"x:a>b", "+y:a", "y:a>c"}, map[string]string{"a": "-> c", "b": "x", "c": "y"}},
		{"one takes another's old slug", []string{"+y:z", "x:a>b", "y:z>a"}, map[string]string{"a": "y", "b": "x", "z": "-> a"}},
		{"never used", nil, map[string]string{"q": "", "NOT A SLUG": ""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			testdb.Each(t, func(t *testing.T, store *models.Store) {
				ctx := context.Background()
				ids := map[string]uint{}
				create := func(name, slug string) {
					c := &models.Campaign{Slug: slug, Title: name, Target: "T", Demand: "D"}
					if err := store.CreateCampaign(ctx, models.CommandLine, c); err != nil {
						t.Fatalf("create %s at %s: %v", name, slug, err)
					}
					ids[name] = c.ID
				}
				create("x", "a")
				for _, step := range tc.steps {
					if name, slug, ok := strings.Cut(strings.TrimPrefix(step, "+"), ":"); strings.HasPrefix(step, "+") && ok {
						create(name, slug)
						continue
					}
					name, move, _ := strings.Cut(step, ":")
					from, to, _ := strings.Cut(move, ">")
					if _, err := store.UpdateCampaign(ctx, models.CommandLine, ids[name], func(c *models.Campaign) { c.Slug = to }); err != nil {
						t.Fatalf("%s: rename %s from %s: %v", step, name, from, err)
					}
				}
				for slug, want := range tc.want {
					if got := where(ctx, store, ids, slug); got != want {
						t.Errorf("after %v, %q leads to %q, want %q", tc.steps, slug, got, want)
					}
				}
			})
		})
	}
}

// where is the campaign at slug by name, "-> s" for a redirect to s, or
// "" for nothing.
func where(ctx context.Context, store *models.Store, ids map[string]uint, slug string) string {
	if c, err := store.CampaignBySlug(ctx, slug); err == nil {
		for name, id := range ids {
			if id == c.ID {
				return name
			}
		}
		return "?"
	}
	to, err := store.CampaignSlugRedirect(ctx, slug)
	if errors.Is(err, models.ErrNotFound) {
		return ""
	}
	if err != nil {
		return "error: " + err.Error()
	}
	return "-> " + to
}
