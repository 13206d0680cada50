package packet

import (
	"fmt"
	"io"
	"iter"
	"runtime"
	"testing"
	"time"
)

// realisticLines yields n signer lines as the default packet setting prints them: first name, last
// initial, city and state, in a mix of scripts and lengths.
func realisticLines(n int) iter.Seq[Line] {
	first := []string{"María", "James", "Nguyễn", "Γιώργος", "Светлана", "Zoë", "Oluwaseun", "Siobhán", "Jean-Baptiste", "Wei", "Ana", "Michael", "Priya", "Łukasz", "Fatima"}
	last := []string{"G.", "S.", "T.", "P.", "K.", "M.", "A.", "O.", "D.", "L."}
	places := []string{"Seattle, WA", "New York, NY", "San Francisco, CA", "Minneapolis, MN", "Saint Paul, MN", "Chicago, IL", "Boston, MA", "Austin, TX", "Portland, OR", "Washington, DC", "Truth or Consequences, NM", "Los Angeles, CA"}
	return func(yield func(Line) bool) {
		for i := 1; i <= n; i++ {
			text := first[i%len(first)] + " " + last[i%len(last)] + ", " + places[(i/3)%len(places)]
			if !yield(Line{Number: i, Text: text}) {
				return
			}
		}
	}
}

func benchVolume(n int) Volume {
	v := sampleVolume()
	v.Lines, v.LineCount = realisticLines(n), n
	v.VolumeLabel = "Signatures 1–" + thousands(int64(n))
	return v
}

// BenchmarkWriteVolume renders one volume of 50,000 signers (909 signer pages), the default volume
// size, and reports its peak heap in use (sampled every millisecond while rendering) and its size.
func BenchmarkWriteVolume(b *testing.B) {
	const n = 50000
	var peak uint64
	var size int64
	for b.Loop() {
		runtime.GC()
		done := make(chan struct{})
		sampled := make(chan uint64)
		go func() {
			var m runtime.MemStats
			var top uint64
			t := time.NewTicker(time.Millisecond)
			defer t.Stop()
			for {
				runtime.ReadMemStats(&m)
				top = max(top, m.HeapInuse)
				select {
				case <-done:
					sampled <- top
					return
				case <-t.C:
				}
			}
		}()
		cw := &countingWriter{}
		if err := WriteVolume(cw, benchVolume(n)); err != nil {
			b.Fatal(err)
		}
		close(done)
		peak = max(peak, <-sampled)
		size = cw.n
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(size)/(1<<20), "pdf-MiB")
}

type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

var _ io.Writer = (*countingWriter)(nil)

func ExampleSignerPages() {
	fmt.Println(SignerPages(50000), SignerPages(55), SignerPages(56), SignerPages(0))
	// Output: 910 1 2 0
}

// BenchmarkPrintable: one signer line, as the lead calls it for every printed signer.
func BenchmarkPrintable(b *testing.B) {
	for b.Loop() {
		Printable("Nguyễn Thị Ánh, Saint Paul, MN")
	}
}
