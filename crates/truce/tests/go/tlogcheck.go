// tlogcheck: an independent check of a Truce log, as a C2SP tlog-tiles client built on Go's
// golang.org/x/mod/sumdb/tlog and sumdb/note (Debian's golang-golang-x-mod-dev, no download).
//
// It reads only a copy of the bucket's objects (a directory: checkpoint, tile/L/N…, tile/entries/N…)
// and checks:
//   - the checkpoint's signature, by the log's verifier key;
//   - every hash tile a full read of the tree needs, against the checkpoint's root;
//   - every entry of every bundle, against its leaf hash;
//   - each acknowledged entry given (a line "INDEX BASE64" each): its bytes at its index, and an
//     inclusion proof built and checked by the library.
//
// Usage: tlogcheck DIR VKEY_FILE ACKED_FILE
//
// C2SP paths carry no tile height (tile/L/N), Go's carry it (tile/8/L/N): the reader maps one to the
// other. Go's "data tiles" are not C2SP's entry bundles, so bundles are read here directly.
package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

const height = 8

type dirReader struct {
	dir   string
	tiles int
}

func (r *dirReader) Height() int { return height }

func (r *dirReader) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		path := strings.Replace(t.Path(), fmt.Sprintf("tile/%d/", height), "tile/", 1)
		data, err := os.ReadFile(filepath.Join(r.dir, filepath.FromSlash(path)))
		if err != nil {
			return nil, fmt.Errorf("tile %s: %v", path, err)
		}
		out[i] = data
		r.tiles++
	}
	return out, nil
}

func (r *dirReader) SaveTiles(tiles []tlog.Tile, data [][]byte) {}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "tlogcheck: "+format+"\n", args...)
	os.Exit(1)
}

// bundlePath is the C2SP path of entry bundle n holding w entries.
func bundlePath(n int64, w int) string {
	t := tlog.Tile{H: height, L: 0, N: n, W: w}
	return strings.Replace(t.Path(), fmt.Sprintf("tile/%d/0/", height), "tile/entries/", 1)
}

func main() {
	if len(os.Args) != 4 {
		fail("usage: tlogcheck DIR VKEY_FILE ACKED_FILE")
	}
	dir := os.Args[1]
	vkey, err := os.ReadFile(os.Args[2])
	if err != nil {
		fail("%v", err)
	}
	verifier, err := note.NewVerifier(strings.TrimSpace(string(vkey)))
	if err != nil {
		fail("verifier key: %v", err)
	}
	msg, err := os.ReadFile(filepath.Join(dir, "checkpoint"))
	if err != nil {
		fail("checkpoint: %v", err)
	}
	n, err := note.Open(msg, note.VerifierList(verifier))
	if err != nil {
		fail("checkpoint signature: %v", err)
	}
	lines := strings.SplitN(n.Text, "\n", 4)
	if len(lines) < 4 || lines[0] != verifier.Name() {
		fail("checkpoint origin %q is not the key's name %q", lines[0], verifier.Name())
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		fail("checkpoint size %q: %v", lines[1], err)
	}
	rootBytes, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(rootBytes) != tlog.HashSize {
		fail("checkpoint root %q", lines[2])
	}
	var tree tlog.Tree
	tree.N = size
	copy(tree.Hash[:], rootBytes)

	reader := &dirReader{dir: dir}
	hashes := tlog.TileHashReader(tree, reader)
	// Every leaf hash, read through tiles authenticated against the root.
	indexes := make([]int64, size)
	for i := int64(0); i < size; i++ {
		indexes[i] = tlog.StoredHashIndex(0, i)
	}
	leaves, err := hashes.ReadHashes(indexes)
	if err != nil {
		fail("tiles against the root: %v", err)
	}
	// Every entry of every bundle against its leaf.
	entries := make([][]byte, 0, size)
	for b := int64(0); b*256 < size; b++ {
		w := int(size - b*256)
		if w > 256 {
			w = 256
		}
		path := bundlePath(b, w)
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(path)))
		if err != nil {
			fail("bundle %s: %v", path, err)
		}
		for k := 0; k < w; k++ {
			if len(data) < 2 {
				fail("bundle %s ends before entry %d", path, k)
			}
			l := int(data[0])<<8 | int(data[1])
			if len(data) < 2+l {
				fail("bundle %s: entry %d is cut short", path, k)
			}
			entries = append(entries, data[2:2+l])
			data = data[2+l:]
		}
		if len(data) != 0 {
			fail("bundle %s has %d bytes after its %d entries", path, len(data), w)
		}
	}
	for i, e := range entries {
		if tlog.RecordHash(e) != leaves[i] {
			fail("entry %d does not match its leaf hash", i)
		}
	}
	// Each acknowledged entry: at its index, and proven included.
	acked, err := os.Open(os.Args[3])
	if err != nil {
		fail("%v", err)
	}
	defer acked.Close()
	scanner := bufio.NewScanner(acked)
	scanner.Buffer(make([]byte, 1<<20), 1<<24)
	proven := 0
	for scanner.Scan() {
		fields := strings.Fields(scanner.Text())
		if len(fields) != 2 {
			continue
		}
		index, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil {
			fail("acknowledged index %q", fields[0])
		}
		want, err := base64.StdEncoding.DecodeString(fields[1])
		if err != nil {
			fail("acknowledged entry %d: %v", index, err)
		}
		if index >= size {
			fail("acknowledged entry %d is beyond the checkpoint's size %d", index, size)
		}
		if !bytes.Equal(entries[index], want) {
			fail("acknowledged entry %d differs from the log's entry at that index", index)
		}
		proof, err := tlog.ProveRecord(size, index, hashes)
		if err != nil {
			fail("proof of entry %d: %v", index, err)
		}
		if err := tlog.CheckRecord(proof, size, tree.Hash, index, tlog.RecordHash(want)); err != nil {
			fail("inclusion of entry %d: %v", index, err)
		}
		proven++
	}
	if err := scanner.Err(); err != nil {
		fail("%v", err)
	}
	fmt.Printf("tlogcheck (golang.org/x/mod/sumdb/tlog): checkpoint of size %d signed by %s; %d tiles read and authenticated against its root; %d entries match their leaves; %d acknowledged entries at their index and proven included\n",
		size, verifier.Name(), reader.tiles, len(entries), proven)
}
