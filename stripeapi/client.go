package stripeapi

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"

	"kasse/pos"
)

// defaultHTTPTimeout bounds one HTTP attempt when Config.HTTPClient is nil.
// Reader commands answer at once (their outcome is asynchronous), so 30 s
// is generous; stripe-go's own default is 80 s.
const defaultHTTPTimeout = 30 * time.Second

// Client is a Stripe API client for one key and one base URL. It is safe for
// concurrent use.
type Client struct {
	api      *client.API
	key      string // never logged, never part of an error
	baseURL  string
	live     bool
	log      *slog.Logger
	requests *requestLog
}

// Compile-time proof that Client implements the ports.
var (
	_ pos.Sellers   = (*Client)(nil)
	_ pos.Payments  = (*Client)(nil)
	_ pos.Terminal  = (*Client)(nil)
	_ pos.Presenter = (*Client)(nil)
	_ pos.Transfers = (*Client)(nil)
)

// New validates cfg and builds a Client. It makes no request.
func New(cfg Config) (*Client, error) {
	if err := ValidateAPIKey(cfg.APIKey); err != nil {
		return nil, err
	}
	base, err := ValidateBaseURL(cfg.BaseURL)
	if err != nil {
		// Belt and braces: someone may paste the key into the URL field.
		return nil, fmt.Errorf("%s", strings.ReplaceAll(err.Error(), cfg.APIKey, RedactKey(cfg.APIKey)))
	}

	c := &Client{
		key:      cfg.APIKey,
		baseURL:  base,
		live:     keyLiveMode(cfg.APIKey),
		log:      cfg.Logger,
		requests: newRequestLog(cfg.logSize()),
	}

	hc := &http.Client{Timeout: defaultHTTPTimeout}
	if cfg.HTTPClient != nil {
		copied := *cfg.HTTPClient
		hc = &copied
	}
	next := hc.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	if cfg.Budget != nil {
		next = cfg.Budget.Transport(next)
	}
	hc.Transport = &transport{next: next, log: c.requests, logger: c.log, scrub: c.scrub}

	var leveled stripe.LeveledLoggerInterface = &stripe.LeveledLogger{Level: stripe.LevelNull}
	if c.log != nil {
		leveled = &slogBridge{log: c.log, scrub: c.scrub}
	}
	bc := &stripe.BackendConfig{
		URL:               stripe.String(base),
		HTTPClient:        hc,
		MaxNetworkRetries: stripe.Int64(cfg.retries()),
		LeveledLogger:     leveled,
		EnableTelemetry:   stripe.Bool(false),
	}
	c.api = client.New(cfg.APIKey, &stripe.Backends{
		API:     stripe.GetBackendWithConfig(stripe.APIBackend, bc),
		Connect: stripe.GetBackendWithConfig(stripe.ConnectBackend, bc),
		Uploads: stripe.GetBackendWithConfig(stripe.UploadsBackend, bc),
	})

	if c.log != nil {
		c.log.Info("stripe client ready",
			"base_url", base,
			"mode", c.Mode(),
			"key", RedactKey(cfg.APIKey),
			"max_network_retries", cfg.retries())
	}
	return c, nil
}

// LiveMode reports whether the key is a live-mode key (sk_live_/rk_live_).
func (c *Client) LiveMode() bool { return c.live }

// Mode is "live" or "test".
func (c *Client) Mode() string {
	if c.live {
		return "live"
	}
	return "test"
}

// BaseURL is the validated base URL requests go to.
func (c *Client) BaseURL() string { return c.baseURL }

// scrub removes the API key from s. Every message that leaves the package
// (errors, log lines, request records) passes through it.
func (c *Client) scrub(s string) string {
	if c.key == "" || !strings.Contains(s, c.key) {
		return s
	}
	return strings.ReplaceAll(s, c.key, RedactKey(c.key))
}
