//go:build !purego

package authentik

// scanClassify fills out[i] with the bytes of interest of the 64-byte block
// b[64*i:64*i+64]; b holds at least 64*len(out) bytes (checked here, so that
// the assembly never reads past it).
func scanClassify(b []byte, out []scanBlock) {
	_ = b[:64*len(out)]
	if len(out) > 0 {
		scanClassifySSE2(&b[0], len(out), &out[0])
	}
}

// scanClassifySSE2 is scanClassify for n blocks from p into out, 16 bytes
// at a time with SSE2, which every amd64 processor has
// (jsonclassify_amd64.s).
//
//go:noescape
func scanClassifySSE2(p *byte, n int, out *scanBlock)
