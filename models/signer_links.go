package models

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
)

// What a mailed link lets its holder do with one signature.
const (
	LinkConfirm     = "confirm"
	LinkWithdraw    = "withdraw"
	LinkUnsubscribe = "unsubscribe"
)

// SignerLinks makes and checks the tokens of the links mailed to signers.
// A token is the signature's id and an HMAC of the purpose, the campaign
// and the id under the site's secret: nothing is stored per link, every
// instance checks it with the key in the database, a token for one
// purpose or campaign is no good for another, and ids are never reused
// (both engines' ids only grow), so a withdrawn signature's link cannot
// reach a later one.
type SignerLinks struct{ key []byte }

// SignerLinks reads (or makes) the key of signers' links.
func (s *Store) SignerLinks(ctx context.Context) (SignerLinks, error) {
	key, err := s.Secret(ctx, "signer-links")
	return SignerLinks{key: key}, err
}

// macLen is the bytes of HMAC a token carries: 128 bits, unguessable.
const macLen = 16

// Token is the token of a link for purpose to the signature id of a
// campaign: "<id>.<22 characters>".
func (l SignerLinks) Token(purpose string, campaignID, id uint) string {
	return strconv.FormatUint(uint64(id), 10) + "." + base64.RawURLEncoding.EncodeToString(l.mac(purpose, campaignID, id))
}

// Check returns the signature id a token names, if it is a token for
// purpose in that campaign. Anything else (malformed, forged, another
// purpose or campaign) is ok == false.
func (l SignerLinks) Check(purpose string, campaignID uint, token string) (id uint, ok bool) {
	idText, macText, found := strings.Cut(token, ".")
	if !found || len(idText) == 0 || len(idText) > 19 || len(macText) != base64.RawURLEncoding.EncodedLen(macLen) {
		return 0, false
	}
	n, err := strconv.ParseUint(idText, 10, 64)
	if err != nil || n == 0 || uint64(uint(n)) != n || strconv.FormatUint(n, 10) != idText {
		return 0, false
	}
	got, err := base64.RawURLEncoding.DecodeString(macText)
	if err != nil || !hmac.Equal(got, l.mac(purpose, campaignID, uint(n))) {
		return 0, false
	}
	return uint(n), true
}

func (l SignerLinks) mac(purpose string, campaignID, id uint) []byte {
	m := hmac.New(sha256.New, l.key)
	m.Write([]byte(purpose + "\x00" + strconv.FormatUint(uint64(campaignID), 10) + "\x00" + strconv.FormatUint(uint64(id), 10)))
	return m.Sum(nil)[:macLen]
}
