package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"campaigntrack/config"
	"campaigntrack/models"
	"campaigntrack/packet"
	"campaigntrack/private"
)

// deliveriesPacket writes a delivery's packet into a directory: the
// manifest and the PDF volumes, each readable by its owner only (they
// print signers' names), and records the packet (audited).
func deliveriesPacket(ctx context.Context, env Env, args []string) error {
	var campaign, out, split *string
	var delivery *uint
	var every *int
	cfg, err := config.ParseWith("deliveries packet", args, env.Getenv, env.Stderr, func(fs *flag.FlagSet) {
		campaign = fs.String("campaign", "", "the campaign's slug (required)")
		delivery = fs.Uint("delivery", 0, "the delivery's id, as the admin's delivery page shows it (required)")
		out = fs.String("out", "", "the directory to write the manifest and volumes into, made if missing (required)")
		split = fs.String("split", packet.SplitEvery, "split the volumes every N signatures (every) or by state (state)")
		every = fs.Int("every", packet.DefaultEvery, "with --split every: the signatures a volume holds")
	})
	if err != nil {
		return err
	}
	if err := requireCampaign(*campaign); err != nil {
		return err
	}
	if *delivery == 0 {
		return usageError{"--delivery is required: the delivery's id, as the admin's delivery page shows it"}
	}
	if *out == "" {
		return usageError{"--out is required: the directory the packet goes into"}
	}
	opt := packet.Options{Split: *split, Every: *every}
	if fe := opt.Validate(); len(fe) > 0 {
		return fmt.Errorf("the packet's options: %w", fe)
	}
	store, cp, err := openCampaign(ctx, env, cfg, *campaign)
	if err != nil {
		return err
	}
	defer store.Close()
	d, err := store.Delivery(ctx, cp.ID, *delivery)
	if err != nil {
		if errors.Is(err, models.ErrNotFound) {
			return fmt.Errorf("campaign %s has no delivery %d", cp.Slug, *delivery)
		}
		return err
	}
	if err := os.MkdirAll(*out, 0o700); err != nil {
		return fmt.Errorf("cannot make %s: %w", *out, err)
	}
	sink := &dirSink{dir: *out}
	defer sink.close()
	req := packet.Request{Campaign: cp, Delivery: d, Options: opt, BaseURL: cfg.PublicURL().String(), PlaceMin: cfg.PlaceMin(), Now: time.Now()}
	p, err := packet.Build(ctx, store, req, sink)
	if err == nil {
		err = sink.close()
	}
	if err != nil {
		return err
	}
	if err := store.RecordPacket(ctx, models.CommandLine, p); err != nil {
		return err
	}
	draft := ""
	if p.Draft {
		draft = " (a draft: the delivery is not marked delivered)"
	}
	fmt.Fprintf(env.Stdout, "packet %s for %s%s: %d signers in %d volumes, written to %s\nmanifest SHA-256 %s\ncheck page %s/campaigns/%s/packets/%s\n",
		p.Code, d.Place(), draft, p.Signers, p.Volumes, *out, p.ManifestSHA256, cfg.PublicURL().String(), cp.Slug, p.Code)
	return nil
}

// dirSink writes each of a packet's files into dir, owner-only.
type dirSink struct {
	dir string
	f   *os.File
}

func (s *dirSink) Create(name string) (io.Writer, error) {
	if err := s.close(); err != nil {
		return nil, err
	}
	f, err := private.Create(filepath.Join(s.dir, name))
	if err != nil {
		return nil, err
	}
	s.f = f
	return f, nil
}

func (s *dirSink) close() error {
	if s.f == nil {
		return nil
	}
	err := s.f.Close()
	s.f = nil
	return err
}
