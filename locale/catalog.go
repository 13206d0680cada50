package locale

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// The catalogues: one pair of files per part of the site
// (catalog/<part>.en.json and catalog/<part>.es.json), each a JSON object
// of message id to text, or to {"one": ..., "other": ...} for a text that
// follows a count. {{.Name}} in a text is filled in by the caller.
//
//go:embed catalog/*.json
var catalogFS embed.FS

var (
	bundle     *i18n.Bundle
	localizers = map[Lang]*i18n.Localizer{}
)

func init() {
	bundle = i18n.NewBundle(language.English)
	bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
	files, err := fs.Glob(catalogFS, "catalog/*.json")
	if err != nil {
		panic(err)
	}
	for _, f := range files {
		if _, err := bundle.LoadMessageFileFS(catalogFS, f); err != nil {
			panic(fmt.Sprintf("locale: %s: %v", f, err))
		}
	}
	for _, l := range All {
		// No fallback to English: a missing Spanish text shows as its id,
		// which the catalogue test finds first.
		localizers[l] = i18n.NewLocalizer(bundle, string(l))
	}
}

// T is the text id in ctx's language, with args as name, value pairs
// filled into it: T(ctx, "sign.thanks", "Name", name).
func T(ctx context.Context, id string, args ...any) string {
	return TIn(Of(ctx), id, args...)
}

// TIn is T in the language l (a mail to a signer, who is not the request).
func TIn(l Lang, id string, args ...any) string {
	return localize(l, &i18n.LocalizeConfig{MessageID: id, TemplateData: data(args)})
}

// N is the text id for the count n in ctx's language, by the language's
// plural rules, with {{.Count}} the count written as the language writes
// numbers: N(ctx, "count.signatures", 270000) -> "270,000 firmas".
func N(ctx context.Context, id string, n int64, args ...any) string {
	return NIn(Of(ctx), id, n, args...)
}

// NIn is N in the language l.
func NIn(l Lang, id string, n int64, args ...any) string {
	d := data(args)
	d["Count"] = NumberIn(l, n)
	return localize(l, &i18n.LocalizeConfig{MessageID: id, TemplateData: d, PluralCount: n})
}

// Lookup is T for an id made at run time from a code the catalogues may
// not know ("label."+code): the text, and whether the catalogue has it.
func Lookup(ctx context.Context, id string, args ...any) (string, bool) {
	return lookup(Of(ctx), &i18n.LocalizeConfig{MessageID: id, TemplateData: data(args)})
}

// localize is the text, or its id when the catalogue has none: a missing
// text shows as its id, which the catalogue test finds first.
func localize(l Lang, cfg *i18n.LocalizeConfig) string {
	if s, ok := lookup(l, cfg); ok {
		return s
	}
	return cfg.MessageID
}

func lookup(l Lang, cfg *i18n.LocalizeConfig) (string, bool) {
	loc, ok := localizers[l]
	if !ok {
		loc = localizers[English]
	}
	s, err := loc.Localize(cfg)
	return s, err == nil
}

func data(args []any) map[string]any {
	d := make(map[string]any, len(args)/2+1)
	for i := 0; i+1 < len(args); i += 2 {
		if k, ok := args[i].(string); ok {
			d[k] = args[i+1]
		}
	}
	return d
}

// Catalogue is one language's message ids and the plural forms each
// gives, read from the files; for the tests that hold the catalogues
// complete.
func Catalogue(l Lang) (map[string][]string, error) {
	files, err := fs.Glob(catalogFS, "catalog/*."+string(l)+".json")
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, f := range files {
		b, err := catalogFS.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		for id, v := range m {
			if _, dup := out[id]; dup {
				return nil, fmt.Errorf("%s: %q is in two files", f, id)
			}
			var forms []string
			if o, ok := v.(map[string]any); ok {
				for k := range o {
					if k != "description" {
						forms = append(forms, k)
					}
				}
				sort.Strings(forms)
			}
			out[id] = forms
		}
	}
	return out, nil
}

// Part is the catalogue file an id belongs in: the text before its first
// dot ("sign.thanks" is in sign.en.json and sign.es.json).
func Part(id string) string {
	part, _, _ := strings.Cut(id, ".")
	return part
}
