package conformance

import (
	"errors"
	"slices"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// formatValidationError flattens a jsonschema error tree into its leaf
// failures, one "at '/ptr': reason" per line, without the schema URL header.
//
// Where no branch of an anyOf/oneOf matched, only the closest branch is
// reported: branches that fail merely on the value's type are dropped (the
// ID-string and null alternatives of an expandable field, say) and, of the
// rest, the one with the fewest wrong properties wins. So a reader with an
// extra field is reported against terminal.reader, not also against
// deleted_terminal.reader.
func formatValidationError(err error) string {
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return err.Error()
	}
	var lines []string
	for _, l := range leafErrors(ve) {
		if line := l.Error(); !slices.Contains(lines, line) {
			lines = append(lines, line)
		}
	}
	if len(lines) == 0 {
		return ve.Error()
	}
	return strings.Join(lines, "\n")
}

func leafErrors(e *jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(e.Causes) == 0 {
		return []*jsonschema.ValidationError{e}
	}
	switch e.ErrorKind.(type) {
	case *kind.AnyOf, *kind.OneOf:
		return closestBranch(e)
	}
	var out []*jsonschema.ValidationError
	for _, c := range e.Causes {
		out = append(out, leafErrors(c)...)
	}
	return out
}

func closestBranch(e *jsonschema.ValidationError) []*jsonschema.ValidationError {
	var best []*jsonschema.ValidationError
	bestWeight := -1
	var typeOnly []*jsonschema.ValidationError
	for _, c := range e.Causes {
		ls := leafErrors(c)
		if onlyTypeMismatch(ls, e.InstanceLocation) {
			typeOnly = append(typeOnly, ls...)
			continue
		}
		if w := weight(ls); bestWeight < 0 || w < bestWeight {
			best, bestWeight = ls, w
		}
	}
	if best == nil {
		return typeOnly
	}
	return best
}

// onlyTypeMismatch reports whether every leaf is a type error at loc.
func onlyTypeMismatch(ls []*jsonschema.ValidationError, loc []string) bool {
	for _, l := range ls {
		if _, ok := l.ErrorKind.(*kind.Type); !ok || !slices.Equal(l.InstanceLocation, loc) {
			return false
		}
	}
	return len(ls) > 0
}

// weight counts wrong properties rather than errors, so that one
// "additional properties a, b, c not allowed" weighs 3.
func weight(ls []*jsonschema.ValidationError) int {
	w := 0
	for _, l := range ls {
		switch k := l.ErrorKind.(type) {
		case *kind.Required:
			w += len(k.Missing)
		case *kind.AdditionalProperties:
			w += len(k.Properties)
		default:
			w++
		}
	}
	return w
}
