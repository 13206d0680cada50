package models

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// What a packet prints of each signer: the campaign's setting.
const (
	PacketInitials   = "initials" // first name, last initial, city and state (the default)
	PacketFullNames  = "full"     // full name, city and state
	PacketCountsOnly = "counts"   // no names: the counts alone
)

// PacketNameSettings lists the settings in the order a form offers them.
var PacketNameSettings = []string{PacketInitials, PacketFullNames, PacketCountsOnly}

// Packet is a delivery packet as it was made: what anyone holding its
// manifest can check against the public page of its code. It holds no
// signer: the manifest is the organisers' file, its hash is public.
type Packet struct {
	ID             uint
	CampaignID     uint
	DeliveryID     uint
	Code           string // the verification code printed on every page
	ManifestSHA256 string
	Signers        int64 // the signers it prints (or counts, for a counts-only packet)
	Volumes        int
	Split          string // "every" or "state"
	EveryN         int
	Names          string // PacketInitials, PacketFullNames or PacketCountsOnly
	Draft          bool   // made before the delivery was delivered
	CountTotal     *int64 // the frozen count it carries (nil for a draft)
	CountedAt      *time.Time
	CreatedAt      time.Time
	UserID         *uint
	UserEmail      string
}

func (Packet) TableName() string { return "packets" }

// PacketSigner is what a packet may print of a signer: never an email,
// postal code or comment.
type PacketSigner struct {
	ID        uint
	FirstName string
	LastName  string
	City      string
	Region    string
}

// PacketSignerCount counts the signers a packet prints: confirmed (or
// imported) signatures counted by until (the delivery's frozen count), or
// every counted one when until is nil (a draft). Withdrawn signatures are
// gone; pending ones are not counted.
func (s *Store) PacketSignerCount(ctx context.Context, campaignID uint, until *time.Time) (int64, error) {
	var n int64
	err := packetSigners(s.db.WithContext(ctx), campaignID, until).Count(&n).Error
	return n, err
}

func packetSigners(db *gorm.DB, campaignID uint, until *time.Time) *gorm.DB {
	q := db.Model(&Signature{}).Where("campaign_id = ? AND confirmed_at IS NOT NULL", campaignID)
	if until != nil {
		q = q.Where("confirmed_at <= ?", until.UTC())
	}
	return q
}

// EachPacketSigner streams the signers a packet prints in its stable
// order, batch at a time (the slice is reused): by id, or by state and
// then id when byRegion is set (volumes split by state). It reads by keyset,
// never holding them all or a transaction open across batches.
func (s *Store) EachPacketSigner(ctx context.Context, campaignID uint, until *time.Time, byRegion bool, batch int, fn func([]PacketSigner) error) error {
	out := make([]PacketSigner, 0, batch)
	var afterID uint
	afterRegion := ""
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		q := packetSigners(s.db.WithContext(bulkContext(ctx)), campaignID, until).
			Select("id, first_name, last_name, city, region")
		if byRegion {
			q = q.Where("(region > ? OR (region = ? AND id > ?))", afterRegion, afterRegion, afterID).Order("region").Order("id")
		} else {
			q = q.Where("id > ?", afterID).Order("id")
		}
		out = out[:0]
		if err := q.Limit(batch).Find(&out).Error; err != nil {
			return err
		}
		if len(out) == 0 {
			return nil
		}
		if err := fn(out); err != nil {
			return err
		}
		last := out[len(out)-1]
		afterID, afterRegion = last.ID, last.Region
		if len(out) < batch {
			return nil
		}
	}
}

// RecordPacket keeps a packet's public record (the same code again, made
// from the same data, updates its date), with the audit entry of the
// signers' names it put in organisers' hands.
func (s *Store) RecordPacket(ctx context.Context, actor Actor, p *Packet) error {
	p.UserID, p.UserEmail = actor.UserID, actor.Email
	p.CreatedAt = time.Now().UTC()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var old Packet
		err := tx.Where("code = ?", p.Code).Take(&old).Error
		switch {
		case err == nil:
			p.ID = old.ID
			if err := tx.Save(p).Error; err != nil {
				return err
			}
		case errors.Is(err, gorm.ErrRecordNotFound):
			if err := tx.Create(p).Error; err != nil {
				return err
			}
		default:
			return err
		}
		campaignID := p.CampaignID
		return writeAudit(tx, actor, &campaignID, AuditExport, "packet", p.ID, map[string]Change{
			"delivery_id": {After: p.DeliveryID}, "code": {After: p.Code}, "signers": {After: p.Signers},
			"names": {After: p.Names}, "volumes": {After: p.Volumes}, "manifest_sha256": {After: p.ManifestSHA256},
		})
	})
}

// PacketByCode returns a campaign's packet by its code, or ErrNotFound.
func (s *Store) PacketByCode(ctx context.Context, campaignID uint, code string) (*Packet, error) {
	var p Packet
	if err := s.db.WithContext(ctx).Where("campaign_id = ? AND code = ?", campaignID, code).Take(&p).Error; err != nil {
		return nil, notFound(err)
	}
	return &p, nil
}

// PacketsFor lists the packets made for a delivery, the latest first.
func (s *Store) PacketsFor(ctx context.Context, campaignID, deliveryID uint) ([]Packet, error) {
	var out []Packet
	err := s.db.WithContext(ctx).Where("campaign_id = ? AND delivery_id = ?", campaignID, deliveryID).
		Order("created_at DESC").Order("id DESC").Find(&out).Error
	return out, err
}
