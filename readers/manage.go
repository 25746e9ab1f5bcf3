package readers

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"kasse/pos"
)

// Stripe's metadata limits.
const (
	MaxMetadataKeys        = 50
	MaxMetadataKeyLength   = 40
	MaxMetadataValueLength = 500
)

// Rename changes a reader's label (checked with ValidateLabel).
func (f *Fleet) Rename(ctx context.Context, owner pos.Account, id, label string) (pos.Reader, error) {
	if err := checkReaderID(id); err != nil {
		return pos.Reader{}, err
	}
	label, err := ValidateLabel(label)
	if err != nil {
		return pos.Reader{}, err
	}
	r, err := f.Terminal.UpdateReader(ctx, owner, id, label, nil, f.opKey("label"))
	if err != nil {
		return pos.Reader{}, explain(err, subject{op: "rename reader " + id, owner: owner, readerID: id})
	}
	r.Owner = owner
	return r, nil
}

// ValidateMetadata checks Stripe's metadata limits (50 keys, keys up to 40
// characters without square brackets, values up to 500 characters).
func ValidateMetadata(md map[string]string) error {
	if len(md) > MaxMetadataKeys {
		return invalid(ErrMetadata, fmt.Sprintf("%d metadata keys; Stripe allows at most %d", len(md), MaxMetadataKeys))
	}
	for k, v := range md {
		switch {
		case strings.TrimSpace(k) == "":
			return invalid(ErrMetadata, "a metadata key is empty")
		case utf8.RuneCountInString(k) > MaxMetadataKeyLength:
			return invalid(ErrMetadata, fmt.Sprintf("metadata key %q is longer than %d characters", k, MaxMetadataKeyLength))
		case strings.ContainsAny(k, "[]"):
			return invalid(ErrMetadata, fmt.Sprintf("metadata key %q contains square brackets", k))
		case utf8.RuneCountInString(v) > MaxMetadataValueLength:
			return invalid(ErrMetadata, fmt.Sprintf("the value of metadata key %q is longer than %d characters", k, MaxMetadataValueLength))
		}
	}
	return nil
}

// SetMetadata merges md into the reader's metadata; a key with value ""
// removes that key.
func (f *Fleet) SetMetadata(ctx context.Context, owner pos.Account, id string, md map[string]string) (pos.Reader, error) {
	if err := checkReaderID(id); err != nil {
		return pos.Reader{}, err
	}
	if len(md) == 0 {
		return pos.Reader{}, invalid(ErrMetadata, "no metadata to set")
	}
	if err := ValidateMetadata(md); err != nil {
		return pos.Reader{}, err
	}
	r, err := f.Terminal.UpdateReader(ctx, owner, id, "", md, f.opKey("metadata"))
	if err != nil {
		return pos.Reader{}, explain(err, subject{op: "update the metadata of reader " + id, owner: owner, readerID: id})
	}
	r.Owner = owner
	return r, nil
}

// Deregister removes a reader from owner after a confirmation: confirm
// must be the reader's current label or its id, exactly (surrounding
// spaces aside). The reader is read first, so the confirmation is checked
// against what Stripe holds, and a reader in the middle of a payment is
// refused (clear it first). It returns the reader as it was.
func (f *Fleet) Deregister(ctx context.Context, owner pos.Account, id, confirm string) (pos.Reader, error) {
	if err := checkReaderID(id); err != nil {
		return pos.Reader{}, err
	}
	r, err := f.Terminal.GetReader(ctx, owner, id)
	if err != nil {
		return pos.Reader{}, explain(err, subject{op: "read reader " + id, owner: owner, readerID: id})
	}
	r.Owner = owner
	c := strings.TrimSpace(confirm)
	if c == "" || (c != r.ID && c != r.Label) {
		return r, invalid(ErrConfirm, fmt.Sprintf("to deregister reader %s type its label (%q) or its id to confirm; got %q", r.ID, r.Label, confirm))
	}
	if r.Busy() {
		return r, invalid(ErrReaderBusy, fmt.Sprintf("reader %s is busy (%s); clear it before deregistering", r.ID, DescribeAction(r.Action)))
	}
	if err := f.Terminal.DeleteReader(ctx, owner, id); err != nil {
		return r, explain(err, subject{op: "deregister reader " + id, owner: owner, readerID: id})
	}
	return r, nil
}

// DescribeAction renders an action for humans: "process_payment_intent
// in_progress (pi_1)", "set_reader_display succeeded", "no action".
func DescribeAction(a *pos.ReaderAction) string {
	if a == nil {
		return "no action"
	}
	s := a.Type + " " + a.Status
	if a.PaymentIntentID != "" {
		s += " (" + a.PaymentIntentID + ")"
	}
	if a.FailureCode != "" {
		s += ": " + a.FailureCode
	}
	return s
}
