//go:build !purego

#include "textflag.h"

// The constants, each byte of an XMM register set to the same value:
// X8 '"', X9 '\\', X10 ',', X11 0x26 and X12 0x7f (a bracket ORed with 0x26
// is 0x7f; see scanBlock).
#define BROADCAST(c, x) \
	MOVQ $c, AX; \
	MOVQ AX, x; \
	PUNPCKLQDQ x, x

// MASK compares X0 with x into X1 and leaves one bit per byte in r.
#define MASK(x, r) \
	MOVO X0, X1; \
	PCMPEQB x, X1; \
	PMOVMSKB X1, r

// LANE0 classifies the block's first 16 bytes into R8 to R11.
#define LANE0 \
	MOVOU (SI), X0; \
	MASK(X8, R8); \
	MASK(X9, R9); \
	MASK(X10, R10); \
	POR X11, X0; \
	PCMPEQB X12, X0; \
	PMOVMSKB X0, R11

// ADD ORs the 16 bits of r, shifted to the lane sh, into acc.
#define ADD(r, sh, acc) \
	SHLQ $sh, r; \
	ORQ r, acc

// LANE classifies the 16 bytes at off into bits sh to sh+15 of R8 to R11.
#define LANE(off, sh) \
	MOVOU off(SI), X0; \
	MASK(X8, AX); \
	ADD(AX, sh, R8); \
	MASK(X9, BX); \
	ADD(BX, sh, R9); \
	MASK(X10, DX); \
	ADD(DX, sh, R10); \
	POR X11, X0; \
	PCMPEQB X12, X0; \
	PMOVMSKB X0, BX; \
	ADD(BX, sh, R11)

// func scanClassifySSE2(p *byte, n int, out *scanBlock)
TEXT ·scanClassifySSE2(SB), NOSPLIT, $0-24
	MOVQ p+0(FP), SI
	MOVQ n+8(FP), CX
	MOVQ out+16(FP), DI
	TESTQ CX, CX
	JLE done
	BROADCAST(0x2222222222222222, X8)
	BROADCAST(0x5c5c5c5c5c5c5c5c, X9)
	BROADCAST(0x2c2c2c2c2c2c2c2c, X10)
	BROADCAST(0x2626262626262626, X11)
	BROADCAST(0x7f7f7f7f7f7f7f7f, X12)

loop:
	LANE0
	LANE(16, 16)
	LANE(32, 32)
	LANE(48, 48)
	MOVQ R8, 0(DI)
	MOVQ R9, 8(DI)
	MOVQ R10, 16(DI)
	MOVQ R11, 24(DI)
	ADDQ $64, SI
	ADDQ $32, DI
	DECQ CX
	JNZ loop

done:
	RET
