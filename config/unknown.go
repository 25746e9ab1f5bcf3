package config

import (
	"slices"
	"strings"

	"github.com/BurntSushi/toml"

	"kasse/i18n"
)

// unknownKeys reports keys the file has but Kasse does not know: those the
// decoder left undecoded, and those it matched only case-insensitively.
// Keys inside the tables in skip, already reported, are left out.
func unknownKeys(md toml.MetaData, skip []string, src source, el *errs) {
	bad := map[string]bool{}
	for _, k := range md.Undecoded() {
		bad[k.String()] = true
	}
	reported := skip
	for _, k := range md.Keys() {
		ks := k.String()
		if !bad[ks] && knownKey(k) {
			continue
		}
		if hasReportedParent(ks, reported) || underLeaf(k) {
			continue
		}
		reported = append(reported, ks)
		msg := i18n.M("cli.config.unknown_key")
		if s := suggest(k); s != "" {
			msg = i18n.M("cli.config.unknown_key_suggest", i18n.Args{"Suggestion": s})
		}
		el.add(src, ks, msg)
	}
}

// underLeaf reports whether k lies below a known key that holds a value, not
// a table (api_key.x): the wrong type is reported for that key.
func underLeaf(k toml.Key) bool {
	for i := 1; i < len(k); i++ {
		p := k[:i]
		if knownKey(p) && !(len(p) == 1 && subKeys[p[0]] != nil) {
			return true
		}
	}
	return false
}

func hasReportedParent(k string, reported []string) bool {
	for _, r := range reported {
		if strings.HasPrefix(k, r+".") {
			return true
		}
	}
	return false
}

var (
	topKeys = []string{"api_key", "api_base", "console_id", "operator", "language", "capture_method",
		"tipping", "customer_cancellation", "idle_cancel", "pin_lockout", "tax_rate", "data_dir",
		"receipts_dir", "log_file", "quick_keys", "sandbox", "serve", "operators", "sellers", "webhooks"}
	subKeys = map[string][]string{
		"quick_keys": {"key", "description", "prices", "price", "currency"},
		"sandbox":    {"auto_present", "seed"},
		"serve":      {"listen", "authorized_keys"},
		"operators":  {"name", "role", "language"},
		"sellers":    sellerKeys,
		"webhooks":   {"secrets", "path", "tolerance", "catch_up"},
	}
)

// knownKey reports whether k is spelled exactly as one of Kasse's keys.
func knownKey(k toml.Key) bool {
	switch len(k) {
	case 1:
		return slices.Contains(topKeys, k[0])
	case 2:
		return slices.Contains(subKeys[k[0]], k[1])
	}
	return false
}

// suggest returns the known key closest to k's last part, if one is close.
func suggest(k toml.Key) string {
	cands := topKeys
	if len(k) == 2 {
		cands = subKeys[k[0]]
	}
	if len(k) > 2 {
		return ""
	}
	last := strings.ToLower(k[len(k)-1])
	best, bestD := "", 3
	for _, c := range cands {
		if d := editDistance(last, c); d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" {
		return ""
	}
	return append(slices.Clone(k[:len(k)-1]), best).String()
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
