// Command gogitdiff times go-gitdiff's parser over an mbox the way the KernelPatch benchmarks' `compare` command
// times its contenders, so that the two numbers can be set side by side (docs/performance.md, "go-gitdiff").
//
// It is not part of the .NET build and nothing in CI runs it; it needs Go and the go-gitdiff module:
//
//	cd benchmarks/peers/go-gitdiff && go mod tidy && go run . PATH
//
// go-gitdiff reads diffs only: the mail headers and commit messages of an mbox are text it skips between files.
// Every file, fragment and line it returns is visited, as KernelPatch's end-to-end benchmark visits its records.
package main

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"sort"
	"time"

	"github.com/bluekeyes/go-gitdiff/gitdiff"
)

const (
	rounds        = 5
	minWarmupRuns = 2
	maxWarmupRuns = 200
	warmupTime    = 2 * time.Second
	roundTime     = 250 * time.Millisecond
)

type tally struct{ files, hunks, lines, sum int64 }

// parseAndVisit parses the whole input and touches every record, so that no work is left undone.
func parseAndVisit(input []byte) (tally, error) {
	files, _, err := gitdiff.Parse(bytes.NewReader(input))
	var t tally
	for _, f := range files {
		t.files++
		t.sum += int64(len(f.OldName) + len(f.NewName) + len(f.OldOIDPrefix) + len(f.NewOIDPrefix))
		for _, h := range f.TextFragments {
			t.hunks++
			t.sum += h.OldPosition + h.NewPosition + int64(len(h.Comment))
			for _, l := range h.Lines {
				t.lines++
				t.sum += int64(len(l.Line)) + int64(l.Op)
			}
		}
		if f.BinaryFragment != nil {
			t.sum += f.BinaryFragment.Size
		}
	}
	return t, err
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run . PATH   (PATH: an existing mbox or patch file)")
		os.Exit(2)
	}
	input, err := os.ReadFile(os.Args[1])
	if err != nil || len(input) == 0 {
		fmt.Fprintln(os.Stderr, "cannot read a non-empty input:", err)
		os.Exit(2)
	}
	fmt.Printf("input %s (%d bytes), %d rounds after a warm-up of %v, GOMAXPROCS=%d\n",
		os.Args[1], len(input), rounds, warmupTime, runtime.GOMAXPROCS(0))

	var sink int64
	warmStart := time.Now()
	for w := 0; w < maxWarmupRuns && (w < minWarmupRuns || time.Since(warmStart) < warmupTime); w++ {
		t, perr := parseAndVisit(input)
		sink += t.sum
		if w == 0 && perr != nil {
			fmt.Println("note: go-gitdiff stopped with an error, what it read before is timed:", perr)
		}
	}

	perRun := make([]float64, rounds)
	allocated := make([]float64, rounds)
	var last tally
	for r := 0; r < rounds; r++ {
		// As `compare` does: a full collection outside the timing, then runs back to back for at least roundTime.
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		start := time.Now()
		runs := 0
		for {
			last, _ = parseAndVisit(input)
			sink += last.sum
			runs++
			if time.Since(start) >= roundTime {
				break
			}
		}
		perRun[r] = time.Since(start).Seconds() / float64(runs)
		runtime.ReadMemStats(&after)
		allocated[r] = float64(after.TotalAlloc-before.TotalAlloc) / float64(runs)
	}

	mbps := make([]float64, rounds)
	for r := range perRun {
		mbps[r] = float64(len(input)) / 1e6 / perRun[r]
	}
	sort.Float64s(mbps)
	sort.Float64s(allocated)
	fmt.Printf("go-gitdiff %10.1f MB/s %9.3f allocated bytes/input byte (files=%d hunks=%d lines=%d)\n",
		mbps[rounds/2], allocated[rounds/2]/float64(len(input)), last.files, last.hunks, last.lines)
	if sink == -1 {
		fmt.Println()
	}
}
