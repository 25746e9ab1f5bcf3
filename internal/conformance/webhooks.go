package conformance

import (
	"encoding/json"
	"sync"

	"github.com/stripe/stripe-mock/embedded"
)

// EnabledEventTypes is the list of event types a webhook endpoint may
// subscribe to in the pinned spec (POST /v1/webhook_endpoints,
// enabled_events[] — "*" included), in the spec's order. Nil if the spec
// cannot be read.
func EnabledEventTypes() []string { return enabledEventTypes() }

var enabledEventTypes = sync.OnceValue(func() []string {
	var spec struct {
		Paths map[string]map[string]struct {
			RequestBody struct {
				Content map[string]struct {
					Schema struct {
						Properties map[string]struct {
							Items struct {
								Enum []string `json:"enum"`
							} `json:"items"`
						} `json:"properties"`
					} `json:"schema"`
				} `json:"content"`
			} `json:"requestBody"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(embedded.OpenAPISpec, &spec); err != nil {
		return nil
	}
	op := spec.Paths["/v1/webhook_endpoints"]["post"]
	return op.RequestBody.Content["application/x-www-form-urlencoded"].Schema.Properties["enabled_events"].Items.Enum
})
