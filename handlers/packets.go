package handlers

import (
	"archive/zip"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"campaigntrack/locale"
	"campaigntrack/models"
	"campaigntrack/packet"
	"campaigntrack/views"
)

// packetPage is a delivery's packet: the options form, or, with
// ?download=1 and valid options, the packet itself as a ZIP (the manifest
// first, then the volumes), streamed as it is made. Organisers and admins
// only: it prints signers' names. Every download is in the audit log.
func (h *Handler) packetPage(c echo.Context) error {
	cp, d, err := h.deliveryForMove(c)
	if err != nil {
		return err
	}
	if !currentUser(c).CanExportPersonalData() {
		return echo.NewHTTPError(http.StatusForbidden, "Only organisers and admins may make a packet: it prints signers' names.")
	}
	form := views.PacketForm{Split: c.QueryParam("split"), Every: c.QueryParam("every")}
	opt := packet.Options{Split: form.Split}
	fe := models.FieldErrors{}
	if form.Every != "" {
		n, err := strconv.Atoi(form.Every)
		if err != nil {
			fe.Add("every", "give the signatures a volume holds as a whole number, for example 50000")
		}
		opt.Every = n
	}
	if c.QueryParam("download") == "" {
		return h.renderPacketForm(c, cp, d, form, nil, http.StatusOK)
	}
	for k, v := range opt.Validate() {
		if fe[k] == "" {
			fe[k] = v
		}
	}
	if len(fe) > 0 {
		return h.renderPacketForm(c, cp, d, form, fe, http.StatusUnprocessableEntity)
	}
	return h.streamPacket(c, cp, d, opt)
}

func (h *Handler) renderPacketForm(c echo.Context, cp *models.Campaign, d *models.Delivery, form views.PacketForm, errs models.FieldErrors, status int) error {
	ctx := c.Request().Context()
	n, err := h.store.PacketSignerCount(ctx, cp.ID, nil)
	if err != nil {
		return err
	}
	if form.Split == "" {
		form.Split = packet.SplitEvery
	}
	if form.Every == "" {
		form.Every = strconv.Itoa(packet.DefaultEvery)
	}
	return render(c, status, views.PacketFormPage(views.PacketFormView{
		Frame: h.frame(c, locale.T(ctxOf(c), "admin_packet.title", "Place", d.Place()), cp, "deliveries"), Delivery: d, Form: form, Errors: errs,
		Signers: n, Names: cp.PacketNames,
	}))
}

// streamPacket sends the packet as a ZIP as it is made. Once the first
// byte is out the status cannot change: a failure then is logged and the
// archive left short, which an unzip tool reports.
func (h *Handler) streamPacket(c echo.Context, cp *models.Campaign, d *models.Delivery, opt packet.Options) error {
	ctx := c.Request().Context()
	attachment(c, "packet-"+cp.Slug+"-delivery-"+strconv.FormatUint(uint64(d.ID), 10)+".zip")
	c.Response().Header().Set(echo.HeaderContentType, "application/zip")
	c.Response().WriteHeader(http.StatusOK)
	zw := zip.NewWriter(c.Response())
	req := packet.Request{Campaign: cp, Delivery: d, Options: opt, BaseURL: h.config.PublicURL().String(), PlaceMin: h.config.PlaceMin(), Now: h.now()}
	p, err := packet.Build(ctx, h.store, req, zipSink{zw, c.Response()})
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		level := slog.LevelError
		if ctx.Err() != nil {
			level = slog.LevelWarn
		}
		h.log.Log(ctx, level, "packet stopped part way", "campaign", cp.Slug, "delivery", d.ID, "error", err,
			"request_id", c.Response().Header().Get(echo.HeaderXRequestID))
		return nil
	}
	if err := h.store.RecordPacket(context.WithoutCancel(ctx), actor(c), p); err != nil {
		h.log.Error("recording a packet failed", "campaign", cp.Slug, "delivery", d.ID, "error", err)
	}
	return nil
}

// zipSink writes a packet's files into a ZIP, flushing the response after
// each so the download moves as the packet is made.
type zipSink struct {
	zw *zip.Writer
	f  http.Flusher
}

func (s zipSink) Create(name string) (io.Writer, error) {
	if s.f != nil {
		s.f.Flush()
	}
	return s.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: time.Now().UTC()})
}

// packetCheck is a packet's public check page: the delivery, the count,
// when the packet was made and its manifest's hash. No signer is named.
func (h *Handler) packetCheck(c echo.Context) error {
	cp, err := h.campaign(c, cached)
	if err != nil {
		return err
	}
	code := c.Param("code")
	if !packet.ValidCode(code) {
		return pageNotFound(locale.T(ctxOf(c), "error.no_packet"))
	}
	// Kept by code: only codes that found a packet are kept (a code that
	// finds none is an error, never stored), so made-up codes add nothing.
	return h.servePage(c, h.packetPages, cp, code, "packet check page", func() (templ.Component, error) {
		p, err := h.store.PacketByCode(c.Request().Context(), cp.ID, code)
		if err != nil {
			if errors.Is(err, models.ErrNotFound) {
				return nil, pageNotFound(locale.T(ctxOf(c), "error.no_packet_code", "Code", code))
			}
			return nil, err
		}
		d, err := h.store.Delivery(c.Request().Context(), cp.ID, p.DeliveryID)
		if err != nil {
			return nil, recordErr(err)
		}
		return views.PacketCheckPage(views.PacketCheckView{Campaign: *cp, Packet: p, Delivery: d}), nil
	})
}
