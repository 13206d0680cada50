package main

import (
	"bufio"
	"io"
	"os"
	"sync"
	"time"
)

// ackFlushEvery is how often the ack file's buffer is written out. A
// process killed outright (SIGKILL) loses at most this much of the file;
// any other exit writes it all.
const ackFlushEvery = 50 * time.Millisecond

// ackLog is the -ack file: the email of every signature the server
// acknowledged, one a line, written only once the success answer has been
// read in full. It is the tool's side of a durability check: after a
// crash, every line must be a signature row (a row without a line is a
// signature whose answer never arrived, which is allowed).
//
// Lines go into a buffer, shared by every signer under a lock, that a
// background loop writes out every ackFlushEvery: a write call per
// signature would cost thousands of system calls a second on the cores
// the tool shares with the server. What is written out is in the kernel's
// hands, so it survives the tool being killed; only the last
// ackFlushEvery can be lost that way.
type ackLog struct {
	mu    sync.Mutex
	f     *os.File
	w     *bufio.Writer
	lines int64
	err   error // the first write error; the file is incomplete after it
	// failed is called once, with the first write error, to stop the run:
	// signing on without a record would make the record worthless.
	failed func(error)

	stop      chan struct{}
	done      chan struct{}
	closeOnce sync.Once
}

// createAckLog creates (or empties) the file at path and starts its flush
// loop; close it with Close.
func createAckLog(path string, failed func(error)) (*ackLog, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	return newAckLog(f, f, failed), nil
}

// newAckLog starts an ackLog writing to w (f, when not nil, is closed by
// Close).
func newAckLog(w io.Writer, f *os.File, failed func(error)) *ackLog {
	a := &ackLog{f: f, w: bufio.NewWriterSize(w, 64<<10), failed: failed,
		stop: make(chan struct{}), done: make(chan struct{})}
	go a.flushLoop()
	return a
}

// record adds one acknowledged email. A nil ackLog records nothing.
func (a *ackLog) record(email []byte) {
	if a == nil {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.err != nil {
		return
	}
	if _, err := a.w.Write(email); err != nil {
		a.fail(err)
		return
	}
	if err := a.w.WriteByte('\n'); err != nil {
		a.fail(err)
		return
	}
	a.lines++
}

// fail keeps the first error and reports it; a.mu is held.
func (a *ackLog) fail(err error) {
	if a.err == nil {
		a.err = err
		if a.failed != nil {
			a.failed(err)
		}
	}
}

func (a *ackLog) flush() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.err == nil && a.w.Buffered() > 0 {
		if err := a.w.Flush(); err != nil {
			a.fail(err)
		}
	}
}

func (a *ackLog) flushLoop() {
	defer close(a.done)
	t := time.NewTicker(ackFlushEvery)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			a.flush()
		case <-a.stop:
			return
		}
	}
}

// discard closes an ackLog whose run never started; nil is fine.
func (a *ackLog) discard() {
	if a != nil {
		a.Close()
	}
}

// Close stops the flush loop, writes out what is left and closes the
// file. It returns the lines recorded and the first error, if any: with
// an error, the file does not hold every acknowledged signature.
// Closing it again returns the same.
func (a *ackLog) Close() (int64, error) {
	a.closeOnce.Do(func() {
		close(a.stop)
		<-a.done
		a.flush()
		a.mu.Lock()
		defer a.mu.Unlock()
		if a.f != nil {
			if err := a.f.Close(); err != nil && a.err == nil {
				a.err = err
			}
		}
	})
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.lines, a.err
}
