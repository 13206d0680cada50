package handlers

import (
	"net/netip"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"campaigntrack/config"
)

// clientNet is the network a client address counts as in every
// per-address limit: the address itself for IPv4, its /64 for IPv6, since
// one IPv6 subscriber or host is routinely given a whole /64 and could
// otherwise take a fresh address for each request. An address that does
// not parse (never from a real peer) counts as one unnamed network.
func clientNet(ip string) netip.Prefix {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return netip.Prefix{}
	}
	a = a.Unmap().WithZone("")
	bits := 32
	if a.Is6() {
		bits = 64
	}
	p, _ := a.Prefix(bits)
	return p
}

// signKey is what a signature's rate limit is counted by: the client's
// network and a campaign that exists. It has a fixed size and holds
// nothing a client chose freely, so no request can make it large.
type signKey struct {
	net      netip.Prefix
	campaign uint
}

// signLimiter keeps one token bucket per client network and campaign, in
// a bounded table: at most maxKeys buckets, whatever a flood sends. When
// the table is full, buckets idle for longer than a window (whose client
// is back to a full bucket anyway) are dropped; if that frees nothing, the
// table is emptied, which at worst hands every client a fresh window.
// The buckets are per instance (see README, Security).
type signLimiter struct {
	limit   rate.Limit
	burst   int
	idle    time.Duration
	maxKeys int

	mu      sync.Mutex
	buckets map[signKey]*bucket
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// maxSignKeys bounds the sign limiter's table: about 200 bytes a bucket,
// so 20 MB at most.
const maxSignKeys = 100_000

func newSignLimiter(l config.RateLimit, maxKeys int) *signLimiter {
	if l.Off() {
		return nil
	}
	return &signLimiter{
		limit: rate.Limit(float64(l.N) / l.Period.Seconds()), burst: l.N, idle: l.Period,
		maxKeys: maxKeys, buckets: make(map[signKey]*bucket),
	}
}

// allow takes one token for key at now, and says whether there was one.
// A nil limiter (the limit is off) allows everything.
func (sl *signLimiter) allow(key signKey, now time.Time) bool {
	if sl == nil {
		return true
	}
	sl.mu.Lock()
	defer sl.mu.Unlock()
	b := sl.buckets[key]
	if b == nil {
		if len(sl.buckets) >= sl.maxKeys {
			sl.evict(now)
		}
		b = &bucket{lim: rate.NewLimiter(sl.limit, sl.burst)}
		sl.buckets[key] = b
	}
	b.seen = now
	return b.lim.AllowN(now, 1)
}

// evict drops the buckets idle for a whole window, or all of them when
// none is; called with mu held, only when the table is full.
func (sl *signLimiter) evict(now time.Time) {
	for k, b := range sl.buckets {
		if now.Sub(b.seen) > sl.idle {
			delete(sl.buckets, k)
		}
	}
	if len(sl.buckets) >= sl.maxKeys {
		clear(sl.buckets)
	}
}

// size is how many buckets the limiter holds.
func (sl *signLimiter) size() int {
	sl.mu.Lock()
	defer sl.mu.Unlock()
	return len(sl.buckets)
}
