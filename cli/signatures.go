package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"campaigntrack/config"
	"campaigntrack/csvio"
	"campaigntrack/models"
	"campaigntrack/private"
)

// signaturesVerbs are the verbs of campaigntrack signatures.
var signaturesVerbs = newVerbSet("signatures", "Import, export and recount a campaign's signatures.", signaturesNotes,
	verb{name: "import", flags: "--campaign SLUG [--source NAME [--new-source]] [--rejects FILE] FILE.csv", summary: "import signatures from a CSV file into one of the campaign's sources; rows that cannot be imported go to FILE.rejects.csv with the reason", run: signaturesImport},
	verb{name: "export", flags: "--campaign SLUG [--out FILE]", summary: "write a campaign's signatures as CSV to FILE (standard output by default)", run: signaturesExport},
	verb{name: "recount", summary: "recompute every campaign's kept signature count, tallies and source figures from its rows and report any drift", run: signaturesRecount},
)

const signaturesNotes = `
An import needs a header row with an email column and a first_name (or
name) column; it also reads last_name, city, state/region, country, zip or
postal_code, created_at/signed_at/date, comment, show_name/public and
send_updates/opt_in. Other columns are ignored. Valid rows are stored in
batches of 50,000, each all or nothing. Every row is credited to one
signature source of the campaign: --source names it (an unknown name is
refused with the list of the campaign's sources, unless --new-source makes
it); without --source, a source named after the file, made the first time.
A person who has signed already (the same email under the identity rules:
case, +tags, Gmail's dots) is a duplicate, stored once and credited to this
source too. The import is recorded in the audit log as "(command line)".

Exports hold signers' personal data: keep the file safe. Cells that a
spreadsheet would read as a formula start with a single quote.

Every verb also takes --db (CAMPAIGNTRACK_DB) and the other flags listed by
campaigntrack --help.
`

func signaturesImport(ctx context.Context, env Env, args []string) error {
	var campaign, rejectsPath, sourceName *string
	var newSource *bool
	flagArgs, files := splitArgs(args, "new-source")
	cfg, err := config.ParseWith("signatures import", flagArgs, env.Getenv, env.Stderr, func(fs *flag.FlagSet) {
		campaign = fs.String("campaign", "", "the campaign's slug (required)")
		sourceName = fs.String("source", "", "the signature source the rows are credited to (default: a source named after the file)")
		newSource = fs.Bool("new-source", false, "make the --source if the campaign has none of that name")
		rejectsPath = fs.String("rejects", "", "where to write the rows that cannot be imported, with the reasons (default FILE.rejects.csv, written only when there are such rows)")
	})
	if err != nil {
		return err
	}
	if err := requireCampaign(*campaign); err != nil {
		return err
	}
	if len(files) != 1 {
		return usageError{"give one CSV file to import: campaigntrack signatures import --campaign SLUG FILE.csv"}
	}
	path := files[0]
	if *rejectsPath == "" {
		*rejectsPath = strings.TrimSuffix(path, filepath.Ext(path)) + ".rejects.csv"
	}
	if filepath.Clean(*rejectsPath) == filepath.Clean(path) {
		return fmt.Errorf("--rejects %s is the file being imported: name another file", *rejectsPath)
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("cannot open the file to import: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if st.IsDir() {
		return fmt.Errorf("%s is a directory, not a CSV file", path)
	}
	if err := csvio.CheckHeader(f); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	store, cp, err := openCampaign(ctx, env, cfg, *campaign)
	if err != nil {
		return err
	}
	defer store.Close()
	// Held while the import runs, so that a server starting meanwhile does
	// not take it for an import a crash left running.
	lock, _, err := store.LockInstance(ctx)
	if err != nil {
		return err
	}
	defer lock.Release()

	name := filepath.Base(path)
	create := *newSource
	if *sourceName == "" {
		*sourceName, create = models.Clip(name, 100), true
	}
	src, err := store.SourceForImport(ctx, models.CommandLine, cp.ID, *sourceName, create)
	if err != nil {
		return err
	}
	job, err := store.StartImportJob(ctx, models.CommandLine, cp.ID, src.ID, name, st.Size())
	if err != nil {
		return err
	}
	rejects := &lazyFile{path: *rejectsPath}
	opt := csvio.ImportOptions{Origin: csvio.Origin(name), Rejects: rejects}
	var bar *progressBar
	if isTerminal(env.Stdout) {
		bar = &progressBar{w: env.Stdout, total: st.Size(), start: time.Now()}
		opt.Progress = bar.update
	}
	sum, err := csvio.RunJob(ctx, store, job, f, opt)
	if bar != nil {
		bar.clear()
	}
	if cerr := rejects.Close(); cerr != nil && err == nil {
		err = fmt.Errorf("writing %s: %w", rejects.path, cerr)
	}
	fmt.Fprintf(env.Stdout, "%s into %s, source %q: %s\n", name, cp.Slug, src.Name, sum)
	if rejects.f != nil {
		fmt.Fprintf(env.Stdout, "the invalid rows are listed, with their line and the reason, in %s\n", rejects.path)
	}
	return err
}

func signaturesExport(ctx context.Context, env Env, args []string) error {
	var campaign, out *string
	cfg, err := config.ParseWith("signatures export", args, env.Getenv, env.Stderr, func(fs *flag.FlagSet) {
		campaign = fs.String("campaign", "", "the campaign's slug (required)")
		out = fs.String("out", "", "the file to write (default: standard output)")
	})
	if err != nil {
		return err
	}
	if err := requireCampaign(*campaign); err != nil {
		return err
	}
	store, cp, err := openCampaign(ctx, env, cfg, *campaign)
	if err != nil {
		return err
	}
	defer store.Close()
	if *out == "" {
		_, err := csvio.WriteSignatures(ctx, env.Stdout, store, cp.ID)
		return err
	}
	// Signers' personal data: readable by the owner only.
	f, err := private.Create(*out)
	if err != nil {
		return fmt.Errorf("cannot write the export: %w", err)
	}
	n, err := csvio.WriteSignatures(ctx, f, store, cp.ID)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(*out) // no half export left behind
		return fmt.Errorf("exporting to %s: %w", *out, err)
	}
	fmt.Fprintf(env.Stdout, "wrote %d signatures of %s to %s\n", n, cp.Slug, *out)
	return nil
}

func signaturesRecount(ctx context.Context, env Env, args []string) error {
	cfg, err := config.Parse("signatures recount", args, env.Getenv, env.Stderr)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, env, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	change, err := store.Reidentify(ctx)
	if err != nil {
		return err
	}
	if change.Changed+change.Merged > 0 {
		fmt.Fprintf(env.Stdout, "%d signatures had an identity out of date with the email rules; %d of them were another signature of the same person and were merged into it\n",
			change.Changed+change.Merged, change.Merged)
	}
	drifts, err := store.Recount(ctx)
	for _, d := range drifts {
		fmt.Fprintf(env.Stdout, "%s: kept count %d, signature rows %d (drift %+d); pending kept %d, pending rows %d (drift %+d); %d source figures drifted; the counts now match the rows\n",
			d.Slug, d.Kept, d.Rows, d.Rows-d.Kept, d.KeptPending, d.RowsPending, d.RowsPending-d.KeptPending, d.SourceFigures)
	}
	if err != nil {
		return err
	}
	if len(drifts) == 0 {
		fmt.Fprintln(env.Stdout, "no drift: every campaign's kept count and source figures match its signature rows")
	}
	return nil
}

// lazyFile is a file created on its first write, so an import with no
// invalid rows leaves no reject file.
type lazyFile struct {
	path string
	f    *os.File
}

func (l *lazyFile) Write(p []byte) (int, error) {
	if l.f == nil {
		// The rows hold signers' personal data: readable by the owner only.
		f, err := private.Create(l.path)
		if err != nil {
			return 0, err
		}
		l.f = f
	}
	return l.f.Write(p)
}

func (l *lazyFile) Close() error {
	if l.f == nil {
		return nil
	}
	return l.f.Close()
}

// isTerminal reports whether w is a terminal, where progress is drawn.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// progressBar redraws one line on a terminal: rows read, rows a second,
// and how much of the file has been read.
type progressBar struct {
	w          io.Writer
	total      int64
	start, at  time.Time
	lastLength int
}

func (b *progressBar) update(p csvio.Progress) {
	now := time.Now()
	if now.Sub(b.at) < 100*time.Millisecond {
		return
	}
	b.at = now
	rate := float64(p.Rows) / max(now.Sub(b.start).Seconds(), 0.001)
	pct := int64(100)
	if b.total > 0 {
		pct = min(p.Bytes*100/b.total, 100)
	}
	line := fmt.Sprintf("%d rows  %.0f rows/s  %d%%", p.Rows, rate, pct)
	fmt.Fprintf(b.w, "\r%-*s", b.lastLength, line)
	b.lastLength = len(line)
}

func (b *progressBar) clear() {
	fmt.Fprintf(b.w, "\r%s\r", strings.Repeat(" ", b.lastLength))
}
