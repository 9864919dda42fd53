// gozip: Go's archive/zip on the same scenarios as zipbench; each subcommand
// prints one JSON line.
//
//	gozip parse ARCHIVE [R]         zip.OpenReader + a map name -> *zip.File (Close untimed)
//	gozip lookup ARCHIVE            map lookups of random names (hit) and of the same names with
//	                                one byte changed (miss), in batches of 1,024: median per lookup
//	gozip inflate ARCHIVE NAME [R]  OpenReader, File.Open, io.Copy to io.Discard (CRC-32 checked)
//	gozip once ARCHIVE              parse once and exit: {"entries", "onceNs"}
//
// Without R, repetitions fill BENCH_TARGET_MS (1500) after a warm-up run, 5 to
// 100,000, as the C floor does; with R and BENCH_SKIP_WARMUP set, no warm-up.
package main

import (
	"archive/zip"
	"fmt"
	"io"
	"os"
	"runtime"
	"sort"
	"strconv"
	"time"
)

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "gozip: "+format+"\n", args...)
	os.Exit(1)
}

type stats struct {
	runs                 int
	median, minNs, maxNs int64
}

func targetNs() int64 {
	if s := os.Getenv("BENCH_TARGET_MS"); s != "" {
		if ms, err := strconv.Atoi(s); err == nil && ms > 0 {
			return int64(ms) * 1e6
		}
	}
	return 1500 * 1e6
}

// run times body (cleanup, if any, runs untimed after each run).
func run(repetitions string, body func(), cleanup func()) stats {
	if cleanup == nil {
		cleanup = func() {}
	}
	one := int64(0)
	if repetitions == "" || os.Getenv("BENCH_SKIP_WARMUP") == "" {
		body()
		cleanup()
		start := time.Now()
		body()
		one = time.Since(start).Nanoseconds()
		cleanup()
	}
	runs := 0
	if repetitions != "" {
		n, err := strconv.Atoi(repetitions)
		if err != nil || n < 1 {
			fail("repetitions must be a positive integer")
		}
		runs = n
	} else {
		if one < 1 {
			one = 1
		}
		runs = int(targetNs() / one)
		if runs < 5 {
			runs = 5
		}
		if runs > 100000 {
			runs = 100000
		}
	}
	samples := make([]int64, runs)
	for i := range samples {
		t0 := time.Now()
		body()
		samples[i] = time.Since(t0).Nanoseconds()
		cleanup()
	}
	sort.Slice(samples, func(a, b int) bool { return samples[a] < samples[b] })
	return stats{runs, samples[runs/2], samples[0], samples[runs-1]}
}

func openIndex(path string) (*zip.ReadCloser, map[string]*zip.File) {
	r, err := zip.OpenReader(path)
	if err != nil {
		fail("%s: %v", path, err)
	}
	index := make(map[string]*zip.File, len(r.File))
	for _, f := range r.File {
		index[f.Name] = f
	}
	return r, index
}

func parse(path, repetitions string) {
	entries := 0
	var r *zip.ReadCloser
	s := run(repetitions, func() {
		var index map[string]*zip.File
		r, index = openIndex(path)
		entries = len(index)
	}, func() { r.Close() })
	fmt.Printf("{\"entries\": %d, \"runs\": %d, \"medianNs\": %d, \"minNs\": %d, \"maxNs\": %d, \"nsPerEntry\": %.2f}\n",
		entries, s.runs, s.median, s.minNs, s.maxNs, float64(s.median)/float64(max(entries, 1)))
}

func max(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// xorshift64*, the generator of the C floor's lookup mode.
type xorshift struct{ state uint64 }

func (x *xorshift) next() uint64 {
	x.state ^= x.state >> 12
	x.state ^= x.state << 25
	x.state ^= x.state >> 27
	return x.state * 0x2545f4914f6cdd1d
}

const lookupQueries = 1 << 16
const lookupBatch = 1024

func lookup(path string) {
	r, index := openIndex(path)
	defer r.Close()
	if len(r.File) == 0 {
		fail("%s has no entries", path)
	}
	rng := xorshift{0x9e3779b97f4a7c15}
	hits := make([]string, 0, lookupQueries)
	misses := make([]string, 0, lookupQueries)
	for len(hits) < lookupQueries {
		hits = append(hits, r.File[rng.next()%uint64(len(r.File))].Name)
	}
	for attempts := 0; len(misses) < lookupQueries; attempts++ {
		if attempts > 100*lookupQueries {
			fail("cannot make missing names")
		}
		name := []byte(r.File[rng.next()%uint64(len(r.File))].Name)
		if len(name) == 0 {
			continue
		}
		name[len(name)/2] ^= 0x20
		if _, ok := index[string(name)]; ok {
			continue
		}
		misses = append(misses, string(name))
	}
	timeLookups := func(queries []string, expectHit bool) float64 {
		found := 0
		for _, q := range queries { // warm-up
			if _, ok := index[q]; ok {
				found++
			}
		}
		if (found == len(queries)) != expectHit || (!expectHit && found != 0) {
			fail("lookup returned the wrong kind of result")
		}
		batches := 2048
		samples := make([]int64, batches)
		k := 0
		var sink *zip.File
		for b := 0; b < batches; b++ {
			t0 := time.Now()
			for i := 0; i < lookupBatch; i++ {
				if f := index[queries[k]]; f != nil {
					sink = f
				}
				k++
				if k == len(queries) {
					k = 0
				}
			}
			samples[b] = time.Since(t0).Nanoseconds()
		}
		runtime.KeepAlive(sink)
		sort.Slice(samples, func(a, b int) bool { return samples[a] < samples[b] })
		return float64(samples[batches/2]) / lookupBatch
	}
	hit := timeLookups(hits, true)
	miss := timeLookups(misses, false)
	fmt.Printf("{\"entries\": %d, \"hitNs\": %.2f, \"missNs\": %.2f}\n", len(r.File), hit, miss)
}

func inflate(path, name, repetitions string) {
	var bytes int64
	s := run(repetitions, func() {
		r, err := zip.OpenReader(path)
		if err != nil {
			fail("%s: %v", path, err)
		}
		defer r.Close()
		for _, f := range r.File {
			if f.Name != name {
				continue
			}
			rc, err := f.Open()
			if err != nil {
				fail("%s: %v", name, err)
			}
			n, err := io.Copy(io.Discard, rc)
			if err != nil {
				fail("%s: %v", name, err) // includes zip.ErrChecksum
			}
			rc.Close()
			bytes = n
			return
		}
		fail("no entry %s in %s", name, path)
	}, nil)
	fmt.Printf("{\"bytes\": %d, \"runs\": %d, \"medianNs\": %d, \"minNs\": %d, \"maxNs\": %d, \"mbPerSec\": %.2f}\n",
		bytes, s.runs, s.median, s.minNs, s.maxNs, float64(bytes)/1e6/(float64(s.median)/1e9))
}

func main() {
	a := os.Args[1:]
	switch {
	case len(a) >= 2 && len(a) <= 3 && a[0] == "parse":
		rep := ""
		if len(a) == 3 {
			rep = a[2]
		}
		parse(a[1], rep)
	case len(a) == 2 && a[0] == "lookup":
		lookup(a[1])
	case len(a) >= 3 && len(a) <= 4 && a[0] == "inflate":
		rep := ""
		if len(a) == 4 {
			rep = a[3]
		}
		inflate(a[1], a[2], rep)
	case len(a) == 2 && a[0] == "once":
		start := time.Now()
		r, index := openIndex(a[1])
		elapsed := time.Since(start).Nanoseconds()
		fmt.Printf("{\"entries\": %d, \"onceNs\": %d}\n", len(index), elapsed)
		r.Close()
	default:
		fmt.Fprintln(os.Stderr, "usage: gozip parse ARCHIVE [R] | lookup ARCHIVE | inflate ARCHIVE NAME [R] | once ARCHIVE")
		os.Exit(2)
	}
}
