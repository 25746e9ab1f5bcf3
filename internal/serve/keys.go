package serve

import (
	"bufio"
	"bytes"
	"errors"
	"io/fs"
	"os"
	"regexp"
	"strings"

	gossh "golang.org/x/crypto/ssh"

	"kasse/i18n"
)

// The authorized keys file: OpenSSH's authorized_keys format, one public
// key per line, whose comment names the operator who signs in with it —
// "alex", or "alex@counter-1" for a key that always sits at one counter
// (the last "@" splits them when what follows is a counter name). The
// SSH user name is never taken for who someone is: it only names the
// counter a key without one connects to. Lines with OpenSSH options
// (from=, command=, …) are refused rather than half honoured. The file is
// read again on every connection, so a key added or removed takes effect
// at once.

// Key is one usable line of the authorized keys file.
type Key struct {
	Operator string
	// Counter is the counter the key always connects to ("": any, named
	// by the SSH user name).
	Counter     string
	Fingerprint string // SHA256:…, as ssh-keygen -l prints it
	key         gossh.PublicKey
}

// Keys is the parsed file: the usable keys, and what was wrong with the
// other lines (for the log; never a key's material, only line numbers and
// fingerprints).
type Keys struct {
	Path     string
	Keys     []Key
	Problems []i18n.Message
}

// counterName is what a counter may be called: it becomes part of the
// console id, of sale ids and of file names.
var counterName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$`)

// ValidCounter reports whether s may name a counter.
func ValidCounter(s string) bool { return counterName.MatchString(s) }

// ErrNoKeysFile is returned (wrapped) when the authorized keys file does
// not exist.
var ErrNoKeysFile = errors.New("no authorized keys file")

// ReadKeys reads and parses the authorized keys file at path.
func ReadKeys(path string) (*Keys, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &i18n.Error{Kind: ErrNoKeysFile, Msg: i18n.M("cli.serve.no_keys_file", i18n.Args{"Path": path})}
	}
	if err != nil {
		return nil, err
	}
	return ParseKeys(path, b), nil
}

// ParseKeys parses the contents of an authorized keys file.
func ParseKeys(path string, data []byte) *Keys {
	ks := &Keys{Path: path}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		pk, comment, options, _, err := gossh.ParseAuthorizedKey([]byte(line))
		if err != nil {
			ks.Problems = append(ks.Problems, i18n.M("cli.serve.keys.not_a_key", i18n.Args{"Line": n}))
			continue
		}
		fp := gossh.FingerprintSHA256(pk)
		if len(options) > 0 {
			ks.Problems = append(ks.Problems, i18n.M("cli.serve.keys.options", i18n.Args{"Line": n, "Fingerprint": fp}))
			continue
		}
		op, counter := splitComment(comment)
		if op == "" {
			ks.Problems = append(ks.Problems, i18n.M("cli.serve.keys.no_operator", i18n.Args{"Line": n, "Fingerprint": fp}))
			continue
		}
		if prev := ks.find(pk); prev != nil {
			ks.Problems = append(ks.Problems, i18n.M("cli.serve.keys.twice", i18n.Args{"Line": n, "Fingerprint": fp, "Operator": prev.Operator}))
			continue
		}
		ks.Keys = append(ks.Keys, Key{Operator: op, Counter: counter, Fingerprint: fp, key: pk})
	}
	if err := sc.Err(); err != nil {
		ks.Problems = append(ks.Problems, i18n.M("cli.serve.keys.read_error", i18n.Args{"Error": err}))
	}
	return ks
}

// splitComment reads "operator" or "operator@counter".
func splitComment(c string) (operator, counter string) {
	c = strings.TrimSpace(c)
	if i := strings.LastIndexByte(c, '@'); i > 0 && ValidCounter(c[i+1:]) {
		return strings.TrimSpace(c[:i]), c[i+1:]
	}
	return c, ""
}

func (ks *Keys) find(pk gossh.PublicKey) *Key {
	want := pk.Marshal()
	for i := range ks.Keys {
		if bytes.Equal(ks.Keys[i].key.Marshal(), want) {
			return &ks.Keys[i]
		}
	}
	return nil
}

// Lookup finds the line of public key pk.
func (ks *Keys) Lookup(pk gossh.PublicKey) (Key, bool) {
	if pk == nil {
		return Key{}, false
	}
	if k := ks.find(pk); k != nil {
		return *k, true
	}
	return Key{}, false
}
