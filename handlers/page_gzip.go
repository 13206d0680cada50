// The token splice (this file) serves the cached campaign page gzipped
// with no compression work per request: the page is compressed once per
// cache period in two parts around the visitor's CSRF token, and each
// response joins them with the token in between (gzipParts, below).
//
// What it buys, measured on a loaded 2-core machine (2 December 2026):
// BenchmarkCampaign (go test ./handlers/ -run x -bench Campaign -benchmem)
// serves the seeded 19.5 KB page in 8-11 µs as 5,106 bytes with the
// splice, against 380-530 µs as 5,468 bytes when negotiate.Gzip compresses
// each response at BestSpeed (plain bytes, uncompressed: 4-6 µs): about 45
// times the CPU. Under campaigntrack-load read -c 50 -d 10s (as in README
// Performance, same machine, runs alternating) the splice gave 3,193-3,710
// req/s and per-response compression 1,825-2,184: the splice is 1.7-1.9
// times the throughput, so it stays. (The branch before negotiate.Gzip:
// 3,223-3,833; the middleware costs the spliced page nothing measurable.)
//
// What breaks if it is changed: the response carries Content-Encoding, so
// negotiate.Gzip passes it untouched; without the splice (or when it
// fails, or with the page cache off) the page goes out plain and
// negotiate.Gzip compresses it, correct but at the cost above. The head
// must end with a sync flush (byte-aligned, not final) and the tail be a
// stream of its own; the token goes in a stored block, so it must stay
// under 64 KB; only the first placeholder in the page is replaced.

package handlers

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/crc32"
)

// gzipParts is a cached page compressed once, around the visitor's CSRF
// token: head is the gzip header and the page up to the token, compressed
// and ended with a sync flush (so the stream is byte-aligned there); tail
// is the rest of the page compressed on its own, ending the stream. Each
// response adds the token as a stored (uncompressed) deflate block between
// them and the gzip trailer. Stored blocks refer to nothing before them
// and tail's back-references stay within tail, so the joined stream is
// valid gzip. A 23.5 KB page goes out as about a quarter of that, with no
// compression work per request.
type gzipParts struct {
	head, tail []byte
	crcBefore  uint32 // CRC-32 of the page up to the token
	after      []byte // the page after the token, for the running CRC
	size       int    // uncompressed length without the token
}

func newGzipParts(before, after []byte) (*gzipParts, error) {
	g := &gzipParts{crcBefore: crc32.ChecksumIEEE(before), after: after, size: len(before) + len(after)}
	var head bytes.Buffer
	// ID1 ID2 CM=deflate FLG=0 MTIME=0 XFL=0 OS=unknown
	head.Write([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255})
	fw, err := flate.NewWriter(&head, flate.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := fw.Write(before); err != nil {
		return nil, err
	}
	if err := fw.Flush(); err != nil { // sync flush: byte-aligned, not final
		return nil, err
	}
	var tail bytes.Buffer
	fw, err = flate.NewWriter(&tail, flate.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := fw.Write(after); err != nil {
		return nil, err
	}
	if err := fw.Close(); err != nil { // the final block
		return nil, err
	}
	g.head, g.tail = head.Bytes(), tail.Bytes()
	return g, nil
}

// appendTo appends the whole gzip stream with token in place to b.
func (g *gzipParts) appendTo(b []byte, token string) []byte {
	b = append(b, g.head...)
	// A stored block: header byte (BFINAL=0, BTYPE=00), LEN, NLEN, data.
	n := uint16(len(token))
	b = append(b, 0)
	b = binary.LittleEndian.AppendUint16(b, n)
	b = binary.LittleEndian.AppendUint16(b, ^n)
	b = append(b, token...)
	b = append(b, g.tail...)
	crc := crc32.Update(g.crcBefore, crc32.IEEETable, []byte(token))
	crc = crc32.Update(crc, crc32.IEEETable, g.after)
	b = binary.LittleEndian.AppendUint32(b, crc)
	return binary.LittleEndian.AppendUint32(b, uint32(g.size+len(token)))
}
