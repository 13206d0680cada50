package handlers

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/labstack/echo/v4"

	"campaigntrack/csvio"
	"campaigntrack/locale"
	"campaigntrack/models"
	"campaigntrack/private"
	"campaigntrack/views"
)

// The signature upload takes a CSV of up to 50 MB; every other route keeps
// the global 1 MB limit. routes.go skips the global limit for this path and
// puts the upload's own limit before anything reads the body.
const (
	signatureUploadPath  = "/admin/campaigns/:slug/signatures/import"
	signatureUploadLimit = "50M"
)

// isSignatureUpload picks out the upload route, which the global body
// limit skips.
func isSignatureUpload(c echo.Context) bool { return c.Path() == signatureUploadPath }

// parseUpload reads a multipart upload as it arrives, before the CSRF
// check reads the form's _csrf field (which would otherwise keep up to
// 32 MB in memory): see readUpload. Whatever becomes of the request
// (refused, failed, panicked, the client gone), the uploaded file is
// closed and gone when it ends, unless the handler took it for an
// import, which then owns it. A body that is not multipart is left for
// the CSRF check to read, and the handler finds no file in it.
func parseUpload(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		up, err := readUpload(c.Request())
		var he *echo.HTTPError
		switch {
		case errors.Is(err, http.ErrNotMultipart):
			return next(c)
		case errors.As(err, &he) && he.Code == http.StatusRequestEntityTooLarge:
			return refuse(http.StatusRequestEntityTooLarge, "The file is larger than 50 MB. Split it into smaller files and upload them one after the other.").because(err)
		case err != nil:
			return refuse(http.StatusBadRequest, "The upload could not be read. Try again.").because(err)
		}
		defer up.release()
		c.Set(ctxUpload, up)
		return next(c)
	}
}

func signaturesPath(cp *models.Campaign) string { return "/admin/campaigns/" + cp.Slug + "/signatures" }

func importPath(cp *models.Campaign, id uint) string {
	return "/admin/campaigns/" + cp.Slug + "/imports/" + strconv.FormatUint(uint64(id), 10)
}

// signaturesPage shows a campaign's kept signature count and its imports;
// organisers and admins also get the upload form and the export link.
func (h *Handler) signaturesPage(c echo.Context) error {
	cp, err := h.campaign(c, fresh)
	if err != nil {
		return err
	}
	return h.renderSignatures(c, cp, nil)
}

func (h *Handler) renderSignatures(c echo.Context, cp *models.Campaign, errs models.FieldErrors) error {
	ctx := c.Request().Context()
	v := views.SignaturesView{
		Frame: h.frame(c, inCampaign(c, locale.T(ctxOf(c), "admin.tab.signatures"), cp), cp, "signatures"), Errors: errs,
		CanEdit: currentUser(c).CanExportPersonalData(),
	}
	var err error
	if v.Kept, err = h.store.SignatureCount(ctx, cp.ID); err != nil {
		return err
	}
	if v.Imports, err = h.store.ImportJobs(ctx, cp.ID, 20); err != nil {
		return err
	}
	sources, err := h.store.SourcesFor(ctx, cp.ID)
	if err != nil {
		return err
	}
	v.SourceNames = make(map[uint]string, len(sources))
	for _, src := range sources {
		v.SourceNames[src.ID] = src.Name
		if src.Kind != models.SourceWeb {
			v.Sources = append(v.Sources, src)
		}
	}
	figures, err := h.store.SourceFigures(ctx, cp.ID)
	if err != nil {
		return err
	}
	v.Figures = figures.Sources
	if errs != nil { // a refused upload: its choice of source is kept
		v.Upload = views.UploadForm{Source: strings.TrimSpace(c.FormValue("source")), NewSource: strings.TrimSpace(c.FormValue("new_source"))}
	}
	return renderForm(c, errs, views.SignaturesPage(v))
}

// importSignatures takes an uploaded CSV, refuses it at once when it
// cannot be imported (no email column), and otherwise starts importing
// it in the background; the browser goes to the import's page, which
// follows it.
func (h *Handler) importSignatures(c echo.Context) error {
	cp, err := h.campaign(c, fresh)
	if err != nil {
		return err
	}
	up, _ := c.Get(ctxUpload).(*upload)
	if up == nil || up.file == nil {
		return h.renderSignatures(c, cp, models.FieldErrors{"file": locale.T(ctxOf(c), "admin_signatures.choose_file")})
	}
	if err := csvio.CheckHeader(up.file); err != nil {
		msg := err.Error()
		return h.renderSignatures(c, cp, models.FieldErrors{"file": strings.ToUpper(msg[:1]) + msg[1:] + "."})
	}
	if _, err := up.file.Seek(0, io.SeekStart); err != nil {
		return err
	}
	src, errs, err := h.uploadSource(c, cp, uploadName(up.name))
	if err != nil {
		return err
	}
	if errs != nil {
		return h.renderSignatures(c, cp, errs)
	}
	job, err := h.store.StartImportJob(c.Request().Context(), actor(c), cp.ID, src.ID, uploadName(up.name), up.size)
	if err != nil {
		return err
	}
	f := up.take()
	h.imports.Add(1)
	go func() {
		defer h.imports.Done()
		h.runImport(job, f)
	}()
	return c.Redirect(http.StatusSeeOther, importPath(cp, job.ID))
}

// uploadSource is the source an upload's rows are credited to: the one
// chosen (field source, an id), or a new one named in new_source, or
// after the file when neither is given.
func (h *Handler) uploadSource(c echo.Context, cp *models.Campaign, filename string) (*models.SignatureSource, models.FieldErrors, error) {
	ctx := c.Request().Context()
	choice := strings.TrimSpace(c.FormValue("source"))
	if choice == "" || choice == "new" {
		name := strings.Join(strings.Fields(c.FormValue("new_source")), " ")
		if name == "" {
			name = models.Clip(filename, 100)
		}
		src, err := h.store.SourceForImport(ctx, actor(c), cp.ID, name, true)
		var fe models.FieldErrors
		if errors.As(err, &fe) {
			msgs := slices.Sorted(maps.Values(fe)) // the source's own fields' messages, beside the one field here
			return nil, models.FieldErrors{"new_source": strings.Join(msgs, "; ")}, nil
		}
		return src, nil, err
	}
	id, err := strconv.ParseUint(choice, 10, 32)
	if err != nil {
		return nil, models.FieldErrors{"source": "Choose one of the campaign's sources, or a new one."}, nil
	}
	src, err := h.store.SignatureSource(ctx, cp.ID, uint(id))
	if errors.Is(err, models.ErrNotFound) {
		return nil, models.FieldErrors{"source": "Choose one of the campaign's sources, or a new one: that source does not exist."}, nil
	}
	if err == nil && src.Kind == models.SourceWeb {
		return nil, models.FieldErrors{"source": "Choose a partner's source, or a new one: this site's own form holds the signatures made here."}, nil
	}
	return src, nil, err
}

// uploadName is the uploaded file's name as the browser gave it, made
// safe to keep and show: no directories, no control characters, at most
// 200 characters.
func uploadName(name string) string {
	name = filepath.Base(strings.ReplaceAll(strings.ToValidUTF8(name, "\uFFFD"), `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, name)
	if r := []rune(name); len(r) > 200 {
		name = string(r[:200])
	}
	if name == "" || name == "." || name == "/" {
		return "upload.csv"
	}
	return name
}

// runImport imports an uploaded file in the background. It runs on a
// context of its own, not the request's, which ends with the redirect.
// Its outcome goes to the job's row (which the job's page shows) and the
// log; so does a panic.
func (h *Handler) runImport(job *models.ImportJob, f *os.File) {
	defer private.Discard(f)
	log := h.log.With("import_job", job.ID, "campaign_id", job.CampaignID, "file", job.Filename, "user", job.UserEmail)
	defer func() {
		if r := recover(); r != nil {
			log.Error("signature import panicked", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			job.Status, job.Error = models.ImportFailed, "the import stopped on an internal fault; the batches stored before it stay stored"
			if err := h.store.FinishImportJob(context.Background(), job); err != nil {
				log.Error("recording the failed import failed", "error", err)
			}
		}
	}()
	sum, err := csvio.RunJob(context.Background(), h.store, job, f, csvio.ImportOptions{Origin: csvio.Origin(job.Filename)})
	if err != nil {
		log.Error("signature import failed", "error", err, "rows", sum.Rows, "imported", sum.Imported)
		return
	}
	log.Info("signatures imported", "rows", sum.Rows, "imported", sum.Imported, "duplicates", sum.Duplicates, "invalid", sum.Invalid)
}

// importJobPage shows an import's progress, refreshing itself while it
// runs, and its outcome.
func (h *Handler) importJobPage(c echo.Context) error {
	cp, job, err := h.importJob(c)
	if err != nil {
		return err
	}
	var sourceName string
	if job.SourceID != nil {
		src, err := h.store.SignatureSource(c.Request().Context(), cp.ID, *job.SourceID)
		switch {
		case err == nil:
			sourceName = src.Name
		case !errors.Is(err, models.ErrNotFound):
			return err
		}
	}
	return render(c, http.StatusOK, views.ImportJobPage(views.ImportJobView{
		Frame: h.frame(c, inCampaign(c, locale.T(ctxOf(c), "admin_signatures.title_import"), cp), cp, "signatures"), Job: job, SourceName: sourceName,
		CanSeeRejects: currentUser(c).CanExportPersonalData(),
		Stalled:       job.Stalled(h.now()),
	}))
}

// importRejects sends an import's rejected rows, with the reasons, as CSV.
func (h *Handler) importRejects(c echo.Context) error {
	cp, job, err := h.importJob(c)
	if err != nil {
		return err
	}
	if job.Rejects == "" {
		return pageNotFound("This import has no list of rejected rows.")
	}
	attachment(c, fmt.Sprintf("rejects-%s-import-%d.csv", cp.Slug, job.ID))
	c.Response().Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	c.Response().WriteHeader(http.StatusOK)
	return csvio.WriteStored(c.Response(), job.Rejects)
}

func (h *Handler) importJob(c echo.Context) (*models.Campaign, *models.ImportJob, error) {
	cp, err := h.campaign(c, fresh)
	if err != nil {
		return nil, nil, err
	}
	id, err := recordID(c)
	if err != nil {
		return nil, nil, err
	}
	job, err := h.store.ImportJob(c.Request().Context(), cp.ID, id)
	if err != nil {
		return nil, nil, recordErr(err)
	}
	return cp, job, nil
}

// exportSignatures streams a campaign's signatures as CSV, a batch at a
// time, never the whole file in memory.
func (h *Handler) exportSignatures(c echo.Context) error {
	cp, err := h.campaign(c, fresh)
	if err != nil {
		return err
	}
	attachment(c, "signatures-"+cp.Slug+"-"+h.now().UTC().Format(time.DateOnly)+".csv")
	c.Response().Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	c.Response().WriteHeader(http.StatusOK)
	n, err := csvio.WriteSignatures(c.Request().Context(), c.Response(), h.store, cp.ID)
	// Who took signers' personal data, and how much, is on the record.
	if aerr := h.store.RecordExport(context.WithoutCancel(c.Request().Context()), actor(c), cp.ID, "signatures", int64(n)); aerr != nil {
		h.log.Error("recording a signature export in the audit log failed", "campaign", cp.Slug, "error", aerr)
	}
	if err != nil {
		// The status has gone out, so the answer cannot become an error
		// page: log it here, once. A client that went away is a warning,
		// not a fault.
		level := slog.LevelError
		if c.Request().Context().Err() != nil {
			level = slog.LevelWarn
		}
		h.log.Log(c.Request().Context(), level, "signature export stopped part way", "campaign", cp.Slug, "rows_written", n,
			"error", err, "request_id", c.Response().Header().Get(echo.HeaderXRequestID))
	}
	return nil
}

// exportSignaturesXLSX sends a campaign's signatures as an XLSX workbook,
// audited as the CSV is. The rows are streamed into the workbook (16 MB in
// memory, the rest in a temporary file, 0600, removed when the answer is
// sent), then zipped straight to the client: the status goes out only
// once every row is read, so a failure before that is an error page.
func (h *Handler) exportSignaturesXLSX(c echo.Context) error {
	cp, err := h.campaign(c, fresh)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	wb, n, err := csvio.SignaturesWorkbook(ctx, h.store, cp.ID)
	if errors.Is(err, csvio.ErrTooManyXLSXRows) {
		return refuse(http.StatusUnprocessableEntity, fmt.Sprintf("This campaign has more signatures than an XLSX sheet holds (%d): download the CSV instead.", csvio.MaxXLSXRows)).because(err)
	}
	if err != nil {
		return err
	}
	defer wb.Close()
	attachment(c, "signatures-"+cp.Slug+"-"+h.now().UTC().Format(time.DateOnly)+".xlsx")
	c.Response().Header().Set(echo.HeaderContentType, xlsxType)
	c.Response().WriteHeader(http.StatusOK)
	_, err = wb.WriteTo(c.Response())
	// Who took signers' personal data, and how much, is on the record.
	if aerr := h.store.RecordExport(context.WithoutCancel(ctx), actor(c), cp.ID, "signatures", int64(n)); aerr != nil {
		h.log.Error("recording a signature export in the audit log failed", "campaign", cp.Slug, "error", aerr)
	}
	if err != nil {
		level := slog.LevelError
		if ctx.Err() != nil {
			level = slog.LevelWarn
		}
		h.log.Log(ctx, level, "signature XLSX export stopped part way", "campaign", cp.Slug, "rows", n,
			"error", err, "request_id", c.Response().Header().Get(echo.HeaderXRequestID))
	}
	return nil
}

// attachment makes the response a download that no cache keeps.
func attachment(c echo.Context, filename string) {
	hd := c.Response().Header()
	hd.Set(echo.HeaderContentDisposition, `attachment; filename="`+filename+`"`)
	hd.Set(echo.HeaderCacheControl, "no-store")
}
