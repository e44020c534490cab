package authentik

import "encoding/binary"

// The memory guard's pre-scan (jsonscan.go) looks at a body 64 bytes at a
// time, and what it needs of each block is where four kinds of byte are: one
// bit per byte for each. Finding them is most of the scan's work, so it is
// done apart, a few kilobytes at a time, by scanClassify: with SSE2 on amd64
// (jsonclassify_amd64.s, 16 bytes an instruction), elsewhere by
// scanClassifyPortable below, eight bytes at a time in a word (SWAR).

// scanBlock is one 64-byte block's bytes of interest: bit k is set when byte
// k of the block is one.
type scanBlock struct {
	quotes  uint64 // '"'
	slashes uint64 // '\\'
	commas  uint64 // ','
	// brackets are '[', ']', '{' and '}', and also 'Y', '_', 'y' and
	// 0x7f: the one test that finds all four brackets (a byte ORed with
	// 0x26 is 0x7f) finds those too. None of them can stand outside a
	// string in valid JSON, and the scan looks at the byte of each bit.
	brackets uint64
}

// scanClassifyPortable is scanClassify in portable Go: it fills out[i] from
// b[64*i:64*i+64]; b holds at least 64*len(out) bytes.
func scanClassifyPortable(b []byte, out []scanBlock) {
	_ = b[:64*len(out)]
	for i := range out {
		w := b[64*i : 64*i+64 : 64*i+64]
		var m scanBlock
		for k := 0; k < 64; k += 8 {
			x := binary.LittleEndian.Uint64(w[k:])
			m.quotes |= swarBits(x, 0x2222222222222222) << k
			m.slashes |= swarBits(x, 0x5c5c5c5c5c5c5c5c) << k
			m.commas |= swarBits(x, 0x2c2c2c2c2c2c2c2c) << k
			m.brackets |= swarBits(x|0x2626262626262626, 0x7f7f7f7f7f7f7f7f) << k
		}
		out[i] = m
	}
}

// SWAR constants: every byte of the word set to the same value.
const (
	swarLow7  = 0x7f7f7f7f7f7f7f7f
	swarHighs = 0x8080808080808080
	// swarGather multiplies a word whose bytes are 0x80 or 0 so that the
	// top byte of the product holds bit 7 of byte k as bit k: each bit
	// lands at 56+k, and no two partial products meet, so nothing carries.
	swarGather = 0x0002040810204081
)

// swarBits returns a byte whose bit k is set when byte k of the
// little-endian word x equals that of the word c (every byte of c the
// same). The zero-byte test is the exact one (no false positive next to a
// real match), because every bit is used.
func swarBits(x, c uint64) uint64 {
	t := x ^ c // zero bytes where x matches
	zero := ^(((t & swarLow7) + swarLow7) | t) & swarHighs
	return zero * swarGather >> 56
}
