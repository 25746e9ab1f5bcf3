package sandbox

import (
	crand "crypto/rand"
	"math/rand/v2"
	"sync"
)

const idAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// newID returns a Stripe-looking id: prefix, "_", 24 base62 characters.
func newID(prefix string) string {
	b := make([]byte, len(prefix)+1+24)
	copy(b, prefix)
	b[len(prefix)] = '_'
	fillRandom(b[len(prefix)+1:])
	return string(b)
}

func randomString(n int) string {
	b := make([]byte, n)
	fillRandom(b)
	return string(b)
}

// ids draws the random characters: ChaCha8, a cryptographically strong
// generator (client secrets are made of these characters too), seeded from
// the system once, without a system call per id.
var ids = struct {
	sync.Mutex
	r *rand.ChaCha8
}{r: func() *rand.ChaCha8 {
	var seed [32]byte
	_, _ = crand.Read(seed[:]) // crypto/rand.Read never fails
	return rand.NewChaCha8(seed)
}()}

// fillRandom fills b with uniformly random base62 characters.
func fillRandom(b []byte) {
	var buf [64]byte
	for i := 0; i < len(b); {
		ids.Lock()
		_, _ = ids.r.Read(buf[:]) // ChaCha8.Read never fails
		ids.Unlock()
		for _, c := range buf {
			if c >= 248 { // 248 = 4·62: keep the draw uniform
				continue
			}
			b[i] = idAlphabet[c%62]
			if i++; i == len(b) {
				return
			}
		}
	}
}

func newRequestID() string { return "req_" + randomString(14) }
