package conformance

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stripe/stripe-mock/embedded"
)

// specURL is the in-memory location under which the transformed spec is
// registered with the schema compiler.
const specURL = "mem:///spec3.json"

// ErrNoRoute is wrapped by errors about requests that match no operation in
// the spec (unknown path, or a method the path does not support).
var ErrNoRoute = errors.New("no spec operation")

// Validator checks Stripe API response bodies against the response schemas of
// the OpenAPI spec embedded in the pinned stripe-mock module (API version
// 2023-10-16, the version stripe-go v76 sends).
//
// Schemas are compiled lazily per route and cached. A Validator is safe for
// concurrent use.
type Validator struct {
	strict   bool
	version  string
	routes   map[string][]route // lower-case method -> operations
	comps    map[string]bool    // component schema names
	ops      map[string]map[string]any
	mu       sync.Mutex // guards compiler and cache
	compiler *jsonschema.Compiler
	cache    map[string]*jsonschema.Schema
}

// route is one spec path template, split into segments.
type route struct {
	tmpl  string
	segs  []string
	param []bool // segs[i] is a {parameter}
}

// NewValidator parses the embedded spec and prepares a schema compiler.
//
// OpenAPI 3.0 `nullable` is rewritten into plain JSON Schema. With strict set,
// every object schema that lists properties is closed with
// `additionalProperties: false`: Stripe's spec never closes response objects,
// so without it extra or misspelt fields pass unnoticed.
//
// Building takes a fraction of a second; the first compile of a large schema
// (the payment_intent closure) takes about a second. Prefer SharedValidator.
func NewValidator(strict bool) (*Validator, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(embedded.OpenAPISpec))
	if err != nil {
		return nil, fmt.Errorf("conformance: parse spec: %w", err)
	}
	root, ok := doc.(map[string]any)
	if !ok {
		return nil, errors.New("conformance: spec is not a JSON object")
	}
	components, _ := root["components"].(map[string]any)
	paths, _ := root["paths"].(map[string]any)
	schemas, _ := components["schemas"].(map[string]any)
	if schemas == nil || paths == nil {
		return nil, errors.New("conformance: spec lacks components.schemas or paths")
	}
	for _, s := range schemas {
		rewriteSchema(s, strict)
	}
	v := &Validator{
		strict:  strict,
		routes:  map[string][]route{},
		ops:     map[string]map[string]any{},
		cache:   map[string]*jsonschema.Schema{},
		version: specVersion(root),
		comps:   map[string]bool{},
	}
	for name := range schemas {
		v.comps[name] = true
	}
	for tmpl, item := range paths {
		methods, _ := item.(map[string]any)
		for method, op := range methods {
			opm, ok := op.(map[string]any)
			if !ok {
				continue
			}
			rewriteResponses(opm, strict)
			v.routes[method] = append(v.routes[method], newRoute(tmpl))
			v.ops[method+" "+tmpl] = opm
		}
	}
	for _, rs := range v.routes {
		sort.Slice(rs, func(i, j int) bool { return rs[i].tmpl < rs[j].tmpl })
	}
	v.compiler = jsonschema.NewCompiler()
	v.compiler.DefaultDraft(jsonschema.Draft7)
	res := map[string]any{"components": components, "paths": paths}
	if err := v.compiler.AddResource(specURL, res); err != nil {
		return nil, fmt.Errorf("conformance: add spec resource: %w", err)
	}
	return v, nil
}

var shared struct {
	once sync.Once
	v    *Validator
	err  error
}

// SharedValidator returns a process-wide strict Validator, built on first use.
func SharedValidator() (*Validator, error) {
	shared.once.Do(func() { shared.v, shared.err = NewValidator(true) })
	return shared.v, shared.err
}

// Strict reports whether v closes object schemas.
func (v *Validator) Strict() bool { return v.strict }

// APIVersion is the spec's info.version, e.g. "2023-10-16".
func (v *Validator) APIVersion() string { return v.version }

// Route returns the spec path template that serves method and path, e.g.
// "/v1/terminal/readers/{reader}" for GET /v1/terminal/readers/tmr_1. Among
// the templates with as many segments as path, the one with the most literal
// segments wins (so /v1/payment_intents/search beats
// /v1/payment_intents/{intent}); ties go to the earliest literal.
func (v *Validator) Route(method, path string) (string, bool) {
	segs := strings.Split(path, "/")
	best, bestScore, bestMask := "", -1, ""
	for _, r := range v.routes[strings.ToLower(method)] {
		score, mask, ok := r.match(segs)
		if !ok {
			continue
		}
		if score > bestScore || (score == bestScore && mask > bestMask) {
			best, bestScore, bestMask = r.tmpl, score, mask
		}
	}
	return best, best != ""
}

// ValidateResponse validates body as the response to method and path with the
// given HTTP status. Status 200 selects the operation's "200" schema, 4xx and
// 5xx the "default" (error) schema; any other status is an error, as Stripe
// answers successes with 200 only.
//
// The spec types an event's data.object as a free-form object; in successful
// bodies, every event's data.object is therefore also validated against the
// component schema its "object" field names (terminal.reader, …).
func (v *Validator) ValidateResponse(method, path string, status int, body []byte) error {
	m := strings.ToLower(method)
	tmpl, ok := v.Route(m, path)
	if !ok {
		return fmt.Errorf("%w for %s %s", ErrNoRoute, strings.ToUpper(method), path)
	}
	var code string
	switch {
	case status == 200:
		code = "200"
	case status >= 400 && status <= 599:
		code = "default"
	default:
		return fmt.Errorf("%s %s: unexpected status %d (Stripe answers 200 or 4xx/5xx)",
			strings.ToUpper(method), path, status)
	}
	if !hasJSONResponse(v.ops[m+" "+tmpl], code) {
		return fmt.Errorf("%s %s (%s): spec has no JSON %q response",
			strings.ToUpper(method), path, tmpl, code)
	}
	ptr := "/paths/" + escapePointer(tmpl) + "/" + m + "/responses/" + code +
		"/content/application~1json/schema"
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err == nil {
		err = v.validateValue(ptr, inst)
	} else {
		err = fmt.Errorf("body is not JSON: %w", err)
	}
	if err == nil && code == "200" {
		err = v.validateEventObjects(inst)
	}
	if err != nil {
		return fmt.Errorf("%s %s (%s, %d): %w", strings.ToUpper(method), path, tmpl, status, err)
	}
	return nil
}

// ValidateComponent validates body against components.schemas[name], e.g.
// "terminal.reader" or "event". Useful for payloads that are not a direct
// response to a route, such as webhook events.
func (v *Validator) ValidateComponent(name string, body []byte) error {
	if !v.comps[name] {
		return fmt.Errorf("conformance: spec has no component schema %q", name)
	}
	if err := v.validate("/components/schemas/"+escapePointer(name), body); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

func (v *Validator) validate(ptr string, body []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("body is not JSON: %w", err)
	}
	return v.validateValue(ptr, inst)
}

func (v *Validator) validateValue(ptr string, inst any) error {
	sch, err := v.schema(ptr)
	if err != nil {
		return err
	}
	if err := sch.Validate(inst); err != nil {
		return errors.New(formatValidationError(err))
	}
	return nil
}

// schema compiles (once) the schema at the JSON pointer ptr of the spec.
func (v *Validator) schema(ptr string) (*jsonschema.Schema, error) {
	loc := specURL + "#" + (&url.URL{Fragment: ptr}).EscapedFragment()
	v.mu.Lock()
	defer v.mu.Unlock()
	if sch, ok := v.cache[loc]; ok {
		return sch, nil
	}
	sch, err := v.compiler.Compile(loc)
	if err != nil {
		return nil, fmt.Errorf("conformance: compile %s: %w", ptr, err)
	}
	v.cache[loc] = sch
	return sch, nil
}

func newRoute(tmpl string) route {
	r := route{tmpl: tmpl, segs: strings.Split(tmpl, "/")}
	r.param = make([]bool, len(r.segs))
	for i, s := range r.segs {
		r.param[i] = strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}")
	}
	return r
}

// match reports whether segs fits r, the number of literal segments and a
// mask ('1' literal, '0' parameter) used to break ties.
func (r route) match(segs []string) (int, string, bool) {
	if len(segs) != len(r.segs) {
		return 0, "", false
	}
	score := 0
	mask := make([]byte, len(segs))
	for i, want := range r.segs {
		switch {
		case r.param[i]:
			if segs[i] == "" {
				return 0, "", false
			}
			mask[i] = '0'
		case want == segs[i]:
			score++
			mask[i] = '1'
		default:
			return 0, "", false
		}
	}
	return score, string(mask), true
}

func hasJSONResponse(op map[string]any, code string) bool {
	responses, _ := op["responses"].(map[string]any)
	resp, _ := responses[code].(map[string]any)
	content, _ := resp["content"].(map[string]any)
	mt, _ := content["application/json"].(map[string]any)
	return mt != nil && mt["schema"] != nil
}

func escapePointer(s string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

func specVersion(root map[string]any) string {
	info, _ := root["info"].(map[string]any)
	s, _ := info["version"].(string)
	return s
}
