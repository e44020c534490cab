//go:build !amd64 || purego

package authentik

// scanClassify fills out[i] with the bytes of interest of the 64-byte block
// b[64*i:64*i+64]; b holds at least 64*len(out) bytes.
func scanClassify(b []byte, out []scanBlock) { scanClassifyPortable(b, out) }
