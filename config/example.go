package config

// Example returns a commented example config.toml. Its active lines are the
// defaults; lines of the form "#key = value" (no space after '#') are
// optional settings that are valid once uncommented, except the api_key
// placeholder. Prose comments start with "# ".
func Example() string { return example }

const example = `# Kasse configuration: $XDG_CONFIG_HOME/kasse/config.toml
# (~/.config/kasse/config.toml), or the file named by --config / KASSE_CONFIG.
#
# Precedence: defaults < this file < environment < command-line flags.
# Unknown keys are errors, so a misspelt key never falls back to a default.

# The Stripe secret (sk_test_…, sk_live_…) or restricted (rk_…) key of the
# platform. Prefer the environment variable STRIPE_API_KEY; there is no
# --api-key flag because command lines are visible to other users. Keep this
# file private (chmod 600) if you put the key here. Without any key Kasse
# runs against its embedded sandbox.
#api_key = "sk_test_…"

# Stripe API base (env KASSE_API_BASE, flag --api-base). Only Stripe's API
# or a loopback address (stripe-mock, e.g. http://localhost:12111) is allowed.
api_base = "https://api.stripe.com"

# This console's id, recorded on every payment (env KASSE_CONSOLE_ID, flag
# --console-id). Default: derived from the host name.
#console_id = "front-till-1"

# Operator signed in by default (env KASSE_OPERATOR, flag --operator).
# Default: your login name.
#operator = "alex"

# The console's language: "de" or "en", optionally with a region for
# number and money formats ("de-AT", "de-CH", "en-GB"). Default: the
# POSIX locale (LC_ALL, then LC_MESSAGES, then LANG; "de_DE.UTF-8" is
# German, "C" English), else English. An operator may have their own.
# Kasse is being translated: what is not in its German catalog yet stays
# English.
#language = "de"

# automatic: charge at once; manual: authorise now, capture later.
capture_method = "automatic"

# Ask the customer for a tip on the reader.
tipping = false

# Let the customer cancel the payment on the reader.
customer_cancellation = true

# Cancel a sale waiting on the reader after this long ("0s" = never).
idle_cancel = "2m"

# After five wrong supervisor PINs in a row, the operator's supervisor
# actions stay locked this long (at most "24h"). PINs are set with
# ` + "`kasse pin set --operator NAME`" + ` and kept, hashed, in the journal.
pin_lockout = "5m"

# Sales tax in percent, up to three decimals: 8.875 means 8.875%.
tax_rate = 0

# Where Kasse keeps its journal (env KASSE_DATA_DIR, flag --data-dir).
# Default: $XDG_DATA_HOME/kasse (~/.local/share/kasse). "~" is expanded;
# relative paths are relative to this file's directory.
#data_dir = "~/.local/share/kasse"

# Receipts. Default: the receipts directory inside data_dir.
#receipts_dir = "~/.local/share/kasse/receipts"

# Log file (env KASSE_LOG_FILE, flag --log-file).
# Default: $XDG_STATE_HOME/kasse/kasse.log (~/.local/state/kasse/kasse.log).
#log_file = "~/.local/state/kasse/kasse.log"

# Quick keys: one keystroke adds a preset line to the cart. key is one of
# 1-9 or a-z. prices gives the price in each currency the key is sold in,
# quoted, in major units ("3.50" USD, "450" JPY). A seller whose currency
# has no price cannot use the key: the register shows it unavailable, a
# price is never carried from one currency to another.
#[[quick_keys]]
#key = "1"
#description = "Espresso"
#prices = { usd = "3.50", eur = "3.20", jpy = "450" }
#
# A key sold in one currency only may give price with its currency.
#[[quick_keys]]
#key = "c"
#description = "Croissant"
#price = "2.80"
#currency = "eur"

# People who may use this console: role is cashier, supervisor or tech.
# Supervisors (refunds, voids) and techs (readers) also need a PIN, set
# with ` + "`kasse pin set --operator NAME`" + `. language (optional) is the
# operator's own, over the console's.
#[[operators]]
#name = "alex"
#role = "supervisor"
#language = "en-GB"

# How the platform charges for each seller (Stripe Connect). A seller not
# named here is charged directly, without a platform fee. Name a seller by
# its account id, or by its display name (name = "Lumen Coffee").
# charge_type: direct (the payment lives on the seller's account),
# destination (on the platform, transferred to the seller, which is the
# settlement merchant: on_behalf_of) or separate (on the platform; Kasse
# transfers the seller's part afterwards). destination needs the seller's
# card_payments and transfers capabilities active, separate its transfers.
# fee_percent (0 to 100, up to three decimals) and fee_fixed (per currency,
# never carried to another) make the platform's fee, rounded half up in
# the currency's minor units and never above the sale; tips go to the
# seller whole. refund_fee (default true): refunds give the platform's fee
# back in proportion (refund_application_fee); false keeps the fee. A
# separate charge's refund always reverses the seller's transfer in
# proportion.
#[[sellers]]
#account = "acct_1Lumen00000000"
#charge_type = "destination"
#fee_percent = 2.5
#fee_fixed = { usd = "0.30", eur = "0.25", jpy = "30" }
#refund_fee = true
# Stripe's events: kasse webhooks serve and the console's catch-up.
[webhooks]
# The webhook endpoint's signing secrets (whsec_…): one, or the old and the
# new while you roll it. Or set KASSE_WEBHOOK_SECRET (comma-separated);
# never a flag. Keep this file private (chmod 600).
#secrets = ["whsec_YourEndpointSecretFromStripe"]
# The path kasse webhooks serve takes deliveries on.
path = "/"
# How old a delivery's signature may be.
tolerance = "5m"
# How often the console and kasse webhooks serve read the Events API for
# what webhooks missed ("0s" = only at start).
catch_up = "1m"

# kasse serve: the console over SSH for the counters of one host.
[serve]
# Where to listen (flag --listen). Default 127.0.0.1:2222, this machine
# only; name the host's address (or 0.0.0.0) to serve counters on the network.
#listen = "0.0.0.0:2222"
# The operators' public keys, one per line in OpenSSH authorized_keys
# format, each key's comment naming its operator ("alex", or
# "alex@counter-1" for a key that always sits at one counter) (env
# KASSE_AUTHORIZED_KEYS, flag --authorized-keys). Default: authorized_keys
# next to this file.
#authorized_keys = "~/.config/kasse/authorized_keys"

# The embedded sandbox, used when no API key is configured.
[sandbox]
# Present a test card automatically after this long ("" = never).
auto_present = ""
# demo: sellers, locations and simulated readers to try things on; none:
# an empty platform.
seed = "demo"
`
