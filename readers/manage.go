package readers

import (
	"context"
	"strings"
	"unicode/utf8"

	"kasse/i18n"
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
		return pos.Reader{}, explain(err, subject{op: i18n.M("cli.readers.op.rename", i18n.Args{"ID": id}), owner: owner, readerID: id})
	}
	r.Owner = owner
	return r, nil
}

// ValidateMetadata checks Stripe's metadata limits (50 keys, keys up to 40
// characters without square brackets, values up to 500 characters).
func ValidateMetadata(md map[string]string) error {
	if len(md) > MaxMetadataKeys {
		return invalid(ErrMetadata, i18n.M("cli.readers.metadata_keys", i18n.Args{"Keys": len(md), "Max": MaxMetadataKeys}))
	}
	for k, v := range md {
		switch {
		case strings.TrimSpace(k) == "":
			return invalid(ErrMetadata, i18n.M("cli.readers.metadata_key_empty"))
		case utf8.RuneCountInString(k) > MaxMetadataKeyLength:
			return invalid(ErrMetadata, i18n.M("cli.readers.metadata_key_long", i18n.Args{"Key": q(k), "Max": MaxMetadataKeyLength}))
		case strings.ContainsAny(k, "[]"):
			return invalid(ErrMetadata, i18n.M("cli.readers.metadata_key_brackets", i18n.Args{"Key": q(k)}))
		case utf8.RuneCountInString(v) > MaxMetadataValueLength:
			return invalid(ErrMetadata, i18n.M("cli.readers.metadata_value_long", i18n.Args{"Key": q(k), "Max": MaxMetadataValueLength}))
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
		return pos.Reader{}, invalid(ErrMetadata, i18n.M("cli.readers.metadata_none"))
	}
	if err := ValidateMetadata(md); err != nil {
		return pos.Reader{}, err
	}
	r, err := f.Terminal.UpdateReader(ctx, owner, id, "", md, f.opKey("metadata"))
	if err != nil {
		return pos.Reader{}, explain(err, subject{op: i18n.M("cli.readers.op.metadata", i18n.Args{"ID": id}), owner: owner, readerID: id})
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
		return pos.Reader{}, explain(err, subject{op: readReader(id), owner: owner, readerID: id})
	}
	r.Owner = owner
	c := strings.TrimSpace(confirm)
	if c == "" || (c != r.ID && c != r.Label) {
		return r, invalid(ErrConfirm, i18n.M("cli.readers.deregister_confirm", i18n.Args{"ID": r.ID, "Label": q(r.Label), "Got": q(confirm)}))
	}
	if r.Busy() {
		return r, invalid(ErrReaderBusy, i18n.M("cli.readers.deregister_busy", i18n.Args{"ID": r.ID, "Action": ActionMessage(r.Action)}))
	}
	if err := f.Terminal.DeleteReader(ctx, owner, id); err != nil {
		return r, explain(err, subject{op: i18n.M("cli.readers.op.deregister", i18n.Args{"ID": id}), owner: owner, readerID: id})
	}
	return r, nil
}

// DescribeAction renders an action in English: "process_payment_intent
// in_progress (pi_1)", "set_reader_display succeeded", "no action". For
// people, ActionMessage words it in their language.
func DescribeAction(a *pos.ReaderAction) string { return i18n.Neutral().Render(ActionMessage(a)) }

// ActionMessage is an action as a message: Stripe's type and status, the
// PaymentIntent and the failure code (codes, the same in every language),
// or "no action" in the reader's words.
func ActionMessage(a *pos.ReaderAction) i18n.Message {
	if a == nil {
		return i18n.M("cli.readers.no_action")
	}
	s := a.Type + " " + a.Status
	if a.PaymentIntentID != "" {
		s += " (" + a.PaymentIntentID + ")"
	}
	if a.FailureCode != "" {
		s += ": " + a.FailureCode
	}
	return code(s)
}

// readReader is the operation of reading reader id, for messages.
func readReader(id string) i18n.Message {
	return i18n.M("cli.readers.op.read_reader", i18n.Args{"ID": id})
}
