package models

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: OWASP's recommended minimum (19 MiB, 2 passes, 1
// lane). They are stored in each hash, so raising them later still verifies
// old hashes.
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// MinPasswordLength is the shortest password an account may have.
const MinPasswordLength = 12

// maxPasswordLength bounds the work one sign-in attempt can cause.
const maxPasswordLength = 1024

// CheckPasswordStrength explains why a password is refused, or returns nil.
func CheckPasswordStrength(pw string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLength:
		return fmt.Errorf("the password must be at least %d characters long (it has %d)", MinPasswordLength, n)
	case len(pw) > maxPasswordLength:
		return fmt.Errorf("the password must be at most %d bytes long", maxPasswordLength)
	case strings.TrimSpace(pw) == "":
		return errors.New("the password must not be only spaces")
	}
	return nil
}

// HashPassword hashes a password with Argon2id into the PHC string format:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key, err := idKey(context.Background(), []byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	if err != nil {
		return "", err
	}
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether pw matches a hash made by HashPassword.
// A malformed hash never matches.
func VerifyPassword(hash, pw string) bool {
	ok, _ := verifyPassword(context.Background(), hash, pw)
	return ok
}

// verifyPassword is VerifyPassword waiting for a hashing slot at most
// until ctx ends or hashWait passes (then ErrBusy).
func verifyPassword(ctx context.Context, hash, pw string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || len(pw) > maxPasswordLength {
		return false, nil
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, nil
	}
	var mem, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &t, &p); err != nil || mem == 0 || mem > 1<<20 || t == 0 || t > 10 || p == 0 {
		return false, nil
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, nil
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 || len(want) > 128 {
		return false, nil
	}
	got, err := idKey(ctx, []byte(pw), salt, t, mem, p, uint32(len(want)))
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is verified against when an email is unknown, so an unknown
// account takes as long to refuse as a wrong password.
var dummyHash = sync.OnceValue(func() string {
	h, err := HashPassword("campaigntrack-dummy-password")
	if err != nil {
		panic(err)
	}
	return h
})

// releaseWorkArea collects the 19 MiB Argon2 work area that a hash has just
// left as garbage. Left for the next regular collection, it doubled the
// heap's growth target: a signature export right after a sign-in took the
// server's resident memory from 45 to 68 MB (with it collected: 47 MB, and
// the export as fast). Sign-ins are rare and each already costs tens of
// milliseconds; collecting a small heap costs about one.
func releaseWorkArea() { runtime.GC() }

// Each Argon2id hash takes a 19 MiB work area. Without a cap, 80 sign-ins
// at once took the server to 1.5 GB; with hashSlots of them at a time, a
// crowd of sign-ins waits its turn (at most hashWait) and the rest are
// told to try again (ErrBusy, a 503), so memory stays bounded.
var (
	hashSlots = make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))
	hashWait  = 3 * time.Second
)

// ErrBusy is returned when a password could not be checked because too
// many sign-ins were being checked at once.
var ErrBusy = errors.New("too many sign-ins are being checked at once; please try again in a few seconds")

// idKey runs Argon2id in one of the hashing slots. With a context that
// can end, it waits for a slot at most hashWait; commands (a Background
// context) wait as long as it takes.
func idKey(ctx context.Context, pw, salt []byte, t, mem uint32, p uint8, keyLen uint32) ([]byte, error) {
	if ctx.Done() == nil {
		hashSlots <- struct{}{}
	} else {
		timer := time.NewTimer(hashWait)
		defer timer.Stop()
		select {
		case hashSlots <- struct{}{}:
		case <-timer.C:
			return nil, ErrBusy
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	defer func() { <-hashSlots }()
	key := argon2.IDKey(pw, salt, t, mem, p, keyLen)
	releaseWorkArea()
	return key, nil
}
