package cli

import (
	"context"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"

	"campaigntrack/config"
	"campaigntrack/csvio"
	"campaigntrack/models"
)

// deliveriesVerbs are the verbs of campaigntrack deliveries.
var deliveriesVerbs = newVerbSet("deliveries", "Import and export a campaign's deliveries as CSV, and make a delivery's packet.", deliveriesNotes,
	verb{name: "import", flags: "--campaign SLUG FILE.csv", summary: "add and update a campaign's deliveries from a CSV file; rows that cannot be stored are listed with their line and field", run: deliveriesImport},
	verb{name: "export", flags: "--campaign SLUG [--status S] [--city C] [FILE|-]", summary: "write a campaign's deliveries as the public CSV to FILE (standard output by default or with -)", run: deliveriesExport},
	verb{name: "packet", flags: "--campaign SLUG --delivery ID --out DIR [--split every|state] [--every N]", summary: "write a delivery's packet into DIR: manifest.csv and the PDF volumes (owner-only files: they print signers' names)", run: deliveriesPacket},
)

var deliveriesNotes = fmt.Sprintf(`
The file's first row names the columns, in any order and any case:
  %s
Only city is required; other columns are ignored. An export writes them
all, in this order, and imports back unchanged. Times are ISO 8601:
2019-07-15 (the day only), 2019-07-15T11:00:00-07:00, or 2019-07-15 11:00
(read in the place's own time zone), in the years %d to %d. source_urls
holds addresses separated by spaces or |; sources names each source, with
its address in <...> when known, separated by "; " ("The Seattle Times;
KPIX <https://...>"). When a row's sources cell is filled, it is read and
source_urls is not.

An import matches each row to a delivery of the campaign with the same
city, region, country and venue and updates it (its private notes kept),
or else adds one. A row that is wrong is listed on standard error as
"line 4, status: ..." and not stored; the good rows are stored all the
same, and the command then exits 1. The import is recorded in the audit
log as "(command line)".

An export starts with a UTF-8 byte-order mark, so that Excel reads its
accents right (an import takes a file with or without one), and holds no
private notes. Cells that a spreadsheet would read as a
formula (=, +, - or @, also in full width or behind invisible characters)
start with a single quote; numbers (even negative ones) do not.

Every verb also takes --db (CAMPAIGNTRACK_DB) and the other flags listed by
campaigntrack --help.
`, strings.Join(csvio.DeliveryColumns, ","), models.MinYear, models.MaxYear)

// rejectedRows is the error of an import that stored its good rows but
// not all of them; the rows are listed on standard error before it.
type rejectedRows int

func (n rejectedRows) Error() string {
	rows := "rows were"
	if n == 1 {
		rows = "row was"
	}
	return fmt.Sprintf("%d %s not stored (listed above with the line and field): correct them and import the file again; the rows stored now are matched by their place and venue then, not added twice", int(n), rows)
}

func deliveriesImport(ctx context.Context, env Env, args []string) error {
	var campaign *string
	flagArgs, files := splitArgs(args)
	cfg, err := config.ParseWith("deliveries import", flagArgs, env.Getenv, env.Stderr, func(fs *flag.FlagSet) {
		campaign = fs.String("campaign", "", "the campaign's slug (required)")
	})
	if err != nil {
		return err
	}
	if err := requireCampaign(*campaign); err != nil {
		return err
	}
	if len(files) != 1 {
		return usageError{"give one CSV file to import: campaigntrack deliveries import --campaign SLUG FILE.csv"}
	}
	path := files[0]
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("cannot open the file to import: %w", err)
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil {
		return err
	} else if st.IsDir() {
		return fmt.Errorf("%s is a directory, not a CSV file", path)
	}
	// Read and check the whole file before touching the database: a file
	// that cannot be read stores nothing.
	file, err := csvio.ReadDeliveryFile(f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	store, cp, err := openCampaign(ctx, env, cfg, *campaign)
	if err != nil {
		return err
	}
	defer store.Close()

	res, err := store.ImportDeliveries(ctx, models.CommandLine, cp.ID, file.Rows, file.Columns)
	if err != nil {
		return fmt.Errorf("storing the deliveries (none was stored): %w", err)
	}
	rejected := map[int]bool{}
	for _, e := range append(file.Errors, csvio.RefusedRowErrors(file, res.Refused)...) {
		fmt.Fprintln(env.Stderr, e.Error())
		rejected[e.Line] = true
	}
	fmt.Fprintf(env.Stdout, "%s into %s: %d created, %d updated, %d unchanged, %d rejected\n",
		path, cp.Slug, res.Created, res.Updated, res.Unchanged, len(rejected))
	if len(rejected) > 0 {
		return rejectedRows(len(rejected))
	}
	return nil
}

func deliveriesExport(ctx context.Context, env Env, args []string) error {
	var campaign, status, city *string
	flagArgs, files := splitArgs(args)
	cfg, err := config.ParseWith("deliveries export", flagArgs, env.Getenv, env.Stderr, func(fs *flag.FlagSet) {
		campaign = fs.String("campaign", "", "the campaign's slug (required)")
		status = fs.String("status", "", "only the deliveries with this status: "+strings.Join(models.DeliveryStatuses, ", "))
		city = fs.String("city", "", "only the deliveries in this city (in any case)")
	})
	if err != nil {
		return err
	}
	if err := requireCampaign(*campaign); err != nil {
		return err
	}
	if len(files) > 1 {
		return usageError{"give at most one file to write: campaigntrack deliveries export --campaign SLUG [FILE|-]"}
	}
	filter := models.DeliveryFilter{
		Status: strings.ReplaceAll(strings.ToLower(strings.TrimSpace(*status)), " ", "_"),
		City:   strings.TrimSpace(*city),
	}
	if filter.Status != "" && !slices.Contains(models.DeliveryStatuses, filter.Status) {
		return usageError{fmt.Sprintf("--status %q: use one of %s", *status, strings.Join(models.DeliveryStatuses, ", "))}
	}
	store, cp, err := openCampaign(ctx, env, cfg, *campaign)
	if err != nil {
		return err
	}
	defer store.Close()
	ds, err := store.Deliveries(ctx, cp.ID, filter)
	if err != nil {
		return err
	}
	if len(files) == 0 || files[0] == "-" {
		return csvio.WriteDeliveries(env.Stdout, ds)
	}
	out := files[0]
	// The public CSV: no personal data, so the usual permissions.
	f, err := os.Create(out)
	if err != nil {
		return fmt.Errorf("cannot write the export: %w", err)
	}
	err = csvio.WriteDeliveries(f, ds)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out) // no half export left behind
		return fmt.Errorf("exporting to %s: %w", out, err)
	}
	fmt.Fprintf(env.Stdout, "wrote %d deliveries of %s to %s\n", len(ds), cp.Slug, out)
	return nil
}
