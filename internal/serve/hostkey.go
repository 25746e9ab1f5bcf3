package serve

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"

	gossh "golang.org/x/crypto/ssh"

	"kasse/i18n"
)

// HostKeyFile is the host's SSH key in the data directory.
const HostKeyFile = "ssh_host_ed25519_key"

// ErrHostKeyReadable: the host key file can be read by others.
var ErrHostKeyReadable = errors.New("host key readable by others")

// hostKey loads the host's private key from path, creating an Ed25519 key
// there (mode 0600) on first run. A key file that others may read is
// refused, as OpenSSH refuses it: whoever has it can pose as this host to
// the counters.
func hostKey(path string) (pemBytes []byte, fingerprint string, err error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		b, err = newHostKey(path)
	}
	if err != nil {
		return nil, "", &i18n.Error{Kind: err, Msg: i18n.M("cli.serve.host_key_error", i18n.Args{"Path": path, "Error": err})}
	}
	if fi, err := os.Stat(path); err == nil && runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
		return nil, "", &i18n.Error{Kind: ErrHostKeyReadable, Msg: i18n.M("cli.serve.host_key_readable",
			i18n.Args{"Path": path, "Mode": fmt.Sprintf("%04o", fi.Mode().Perm())})}
	}
	signer, err := gossh.ParsePrivateKey(b)
	if err != nil {
		return nil, "", &i18n.Error{Kind: err, Msg: i18n.M("cli.serve.host_key_error", i18n.Args{"Path": path, "Error": err})}
	}
	return b, gossh.FingerprintSHA256(signer.PublicKey()), nil
}

// newHostKey writes a fresh Ed25519 key to path, never over an existing
// file (two hosts starting at once keep the first key).
func newHostKey(path string) ([]byte, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	block, err := gossh.MarshalPrivateKey(priv, "kasse serve host key") // i18n:ok the key file's comment
	if err != nil {
		return nil, err
	}
	b := pem.EncodeToMemory(block)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return os.ReadFile(path)
	}
	if err != nil {
		return nil, err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	return b, nil
}
