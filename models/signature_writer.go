package models

import (
	"context"
	"errors"
	"sync"
	"time"
)

// SignatureWriter takes signatures from many concurrent requests and
// writes them in batches: while one transaction commits, the signatures
// that arrive meanwhile queue and go together in the next one. Each caller
// waits until its own signature is committed (or refused), so a success
// answer always means the signature and the count moved together and are
// on disk.
//
// Batching is what lets one SQLite file take thousands of signatures a
// second: one commit per batch, not per signature.
type SignatureWriter struct {
	store    *Store
	in       chan *pendingSignature
	maxBatch int
	linger   time.Duration
	wg       sync.WaitGroup
	mu       sync.RWMutex // held for reading while sending, for writing to close
	closed   bool
}

type pendingSignature struct {
	ctx  context.Context
	sig  *Signature
	done chan error
}

// writerLinger is how long the writer waits for more signatures after
// the first of a batch.
var writerLinger = time.Millisecond

// ErrWriterClosed is returned by Add after Close.
var ErrWriterClosed = errors.New("the server is shutting down; please try again in a moment")

// NewSignatureWriter starts a writer; maxBatch caps the signatures in one
// transaction.
func (s *Store) NewSignatureWriter(maxBatch int) *SignatureWriter {
	if maxBatch < 1 {
		maxBatch = 1
	}
	w := &SignatureWriter{store: s, in: make(chan *pendingSignature, maxBatch*4), maxBatch: maxBatch, linger: writerLinger}
	w.wg.Add(1)
	go w.run()
	return w
}

// Add stores one signature and returns when it is committed: nil, or
// ErrAlreadySigned for a repeat, or the error that stopped its batch.
func (w *SignatureWriter) Add(ctx context.Context, sig *Signature) error {
	p := &pendingSignature{ctx: ctx, sig: sig, done: make(chan error, 1)}
	w.mu.RLock()
	if w.closed {
		w.mu.RUnlock()
		return ErrWriterClosed
	}
	select {
	case w.in <- p:
		w.mu.RUnlock()
	case <-ctx.Done():
		w.mu.RUnlock()
		return ctx.Err()
	}
	// Once queued, wait for the outcome even if the client goes away: the
	// signature may be committed, and the answer must say so truthfully.
	return <-p.done
}

// Close stops taking signatures and waits for the queued ones.
func (w *SignatureWriter) Close() {
	w.mu.Lock()
	if !w.closed {
		w.closed = true
		close(w.in)
	}
	w.mu.Unlock()
	w.wg.Wait()
}

func (w *SignatureWriter) run() {
	defer w.wg.Done()
	batch := make([]*pendingSignature, 0, w.maxBatch)
	linger := time.NewTimer(time.Hour)
	linger.Stop()
	for first := range w.in {
		batch = append(batch[:0], first)
		// Linger a moment for more signatures: one commit then carries
		// many. Under light load the wait is at most w.linger.
		linger.Reset(w.linger)
	collect:
		for len(batch) < w.maxBatch {
			select {
			case p, ok := <-w.in:
				if !ok {
					break collect
				}
				batch = append(batch, p)
			case <-linger.C:
				break collect
			}
		}
		linger.Stop()
		w.write(batch)
	}
}

func (w *SignatureWriter) write(batch []*pendingSignature) {
	sigs := make([]*Signature, len(batch))
	for i, p := range batch {
		sigs[i] = p.sig
	}
	errs, err := w.store.AddSignatures(context.Background(), sigs)
	if err != nil && len(batch) > 1 {
		// One bad signature must not fail its neighbours: retry each alone.
		for _, p := range batch {
			p.done <- w.store.AddSignature(context.Background(), p.sig)
		}
		return
	}
	for i, p := range batch {
		if err != nil {
			p.done <- err
		} else {
			p.done <- errs[i]
		}
	}
}
