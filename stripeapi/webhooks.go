package stripeapi

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"

	"kasse/pos"
)

// WebhookVerifier checks the Stripe-Signature of webhook deliveries with
// stripe-go's webhook package and decodes the event. It holds one or more
// signing secrets: during a rotation Stripe signs with the old and the new
// one (several v1 values), and either verifies. The secrets never appear
// in an error.
type WebhookVerifier struct {
	secrets   []string
	tolerance time.Duration
}

// DefaultWebhookTolerance is how old a signature may be (stripe-go's
// default, five minutes).
const DefaultWebhookTolerance = webhook.DefaultTolerance

// NewWebhookVerifier builds a verifier. tolerance 0 means
// DefaultWebhookTolerance. Empty secrets are refused.
func NewWebhookVerifier(secrets []string, tolerance time.Duration) (*WebhookVerifier, error) {
	var keep []string
	for _, s := range secrets {
		if s = strings.TrimSpace(s); s != "" {
			keep = append(keep, s)
		}
	}
	if len(keep) == 0 {
		return nil, errors.New("stripeapi: no webhook signing secret")
	}
	if tolerance <= 0 {
		tolerance = DefaultWebhookTolerance
	}
	return &WebhookVerifier{secrets: keep, tolerance: tolerance}, nil
}

// Verify checks header against payload and returns the event. A refusal
// wraps one of pos.ErrWebhookUnsigned, ErrWebhookStale,
// ErrWebhookSignature, ErrWebhookPayload or ErrWebhookAPIVersion.
func (v *WebhookVerifier) Verify(payload []byte, header string) (pos.Event, error) {
	var last error
	for _, secret := range v.secrets {
		e, err := webhook.ConstructEventWithOptions(payload, header, secret,
			webhook.ConstructEventOptions{Tolerance: v.tolerance, IgnoreAPIVersionMismatch: true})
		if err == nil {
			if e.APIVersion != stripe.APIVersion {
				return pos.Event{}, fmt.Errorf("%w: %s, Kasse reads %s (set the endpoint's api_version)", pos.ErrWebhookAPIVersion, e.APIVersion, stripe.APIVersion)
			}
			return toEvent(&e, pos.Platform, append([]byte(nil), payload...)), nil
		}
		last = err
		if errors.Is(err, webhook.ErrNotSigned) || errors.Is(err, webhook.ErrInvalidHeader) || errors.Is(err, webhook.ErrTooOld) {
			break // the same for every secret
		}
	}
	switch {
	case errors.Is(last, webhook.ErrNotSigned), errors.Is(last, webhook.ErrInvalidHeader):
		return pos.Event{}, pos.ErrWebhookUnsigned
	case errors.Is(last, webhook.ErrTooOld):
		return pos.Event{}, pos.ErrWebhookStale
	case errors.Is(last, webhook.ErrNoValidSignature):
		return pos.Event{}, pos.ErrWebhookSignature
	}
	return pos.Event{}, pos.ErrWebhookPayload
}
