package authentik

import (
	"encoding"
	"encoding/json"
	"math/bits"
	"reflect"
	"sync"
	"time"
)

// The buffers answers are read into are kept for the next answer once what
// they held is decoded: encoding/json copies everything it decodes (strings,
// numbers, json.RawMessage), so a decoded body is garbage at once, and a walk
// of 200 pages of 115 KB would otherwise allocate and collect 23 MB of them.
// Only bodies the SDK decoded into fresh values of types that cannot keep a
// reference to the bytes are given back (reusableInto; never Client.Do's,
// whose caller's value may already hold pointers): a type with its own
// UnmarshalJSON may keep them, in breach of json.Unmarshaler's contract; its
// bodies are left to the GC.
//
// A buffer is taken by the size it must hold, from the pool of the power of
// two at or above it; small ones (under 512 bytes) are not worth keeping, and
// large ones (over 4 MiB) are not kept alive. A reused buffer is
// only ever read up to the length of the body read into it.
const (
	bodyPoolMinShift = 9  // 512 bytes
	bodyPoolMaxShift = 22 // 4 MiB
)

var bodyPools [bodyPoolMaxShift - bodyPoolMinShift + 1]sync.Pool // of *[]byte

// bodyPoolClass is the pool for a buffer of at least size bytes, or -1.
func bodyPoolClass(size int) int {
	shift := bits.Len(uint(size - 1)) // the power of two at or above size
	if size < 1<<bodyPoolMinShift || shift > bodyPoolMaxShift {
		return -1
	}
	return shift - bodyPoolMinShift
}

// newBodyBuffer returns an empty slice with room for size bytes.
func newBodyBuffer(size int) []byte {
	class := bodyPoolClass(size)
	if class < 0 {
		return make([]byte, 0, size)
	}
	if p, _ := bodyPools[class].Get().(*[]byte); p != nil {
		return (*p)[:0]
	}
	return make([]byte, 0, 1<<(class+bodyPoolMinShift))
}

// releaseBody hands back a buffer from newBodyBuffer whose contents are no
// longer referenced. Only a buffer of exactly a class's size goes back (one
// grown past its class by append is left to the GC).
func releaseBody(b []byte) {
	class := bodyPoolClass(cap(b))
	if class < 0 || cap(b) != 1<<(class+bodyPoolMinShift) {
		return
	}
	b = b[:0]
	bodyPools[class].Put(&b)
}

// reusableTypes caches reusableInto by type.
var reusableTypes sync.Map // reflect.Type -> bool

var (
	unmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	// Types whose UnmarshalJSON or UnmarshalText copy what they keep.
	copyingTypes = map[reflect.Type]bool{
		reflect.TypeFor[Pagination]():      true, // into ints (pagination.go)
		reflect.TypeFor[time.Time]():       true, // parsed
		reflect.TypeFor[json.RawMessage](): true, // appends to its own slice
	}
)

// reusableInto reports whether a body decoded into v can be reused: nothing
// in v's type has an UnmarshalJSON or UnmarshalText that could keep the
// bytes, other than the SDK's own and the standard library's that copy.
func reusableInto(v any) bool {
	t := reflect.TypeOf(v)
	if t == nil {
		return false
	}
	if ok, cached := reusableTypes.Load(t); cached {
		return ok.(bool)
	}
	ok := copiesAll(t, map[reflect.Type]bool{})
	reusableTypes.Store(t, ok)
	return ok
}

func copiesAll(t reflect.Type, seen map[reflect.Type]bool) bool {
	if seen[t] || copyingTypes[t] {
		return true
	}
	seen[t] = true
	if t.Kind() == reflect.Pointer {
		return copiesAll(t.Elem(), seen) // the methods are the element's
	}
	if t.Kind() != reflect.Interface && (t.Implements(unmarshalerType) || t.Implements(textUnmarshalerType) ||
		reflect.PointerTo(t).Implements(unmarshalerType) || reflect.PointerTo(t).Implements(textUnmarshalerType)) {
		return false
	}
	if _, ok := reflect.PointerTo(t).MethodByName("UnmarshalJSONFrom"); ok {
		return false // encoding/json/v2's (GOEXPERIMENT=jsonv2), which v1 then calls
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return copiesAll(t.Elem(), seen)
	case reflect.Map:
		return copiesAll(t.Key(), seen) && copiesAll(t.Elem(), seen)
	case reflect.Struct:
		for i := range t.NumField() {
			if !copiesAll(t.Field(i).Type, seen) {
				return false
			}
		}
	}
	// An interface decodes into maps, slices, strings, numbers and bools
	// of encoding/json's own, which copy.
	return true
}
