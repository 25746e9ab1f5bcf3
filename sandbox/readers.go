package sandbox

import (
	"fmt"
	"net/http"
	"strings"

	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/expand"
	"kasse/sandbox/internal/list"
)

// Terminal readers: register/list/get/update/delete. The sandbox pairs
// only simulated readers (registration codes simulated-wpe and
// simulated-s700; see simulatedCodes).

// findReader returns the request account's reader id. A reader of another
// account, an unknown id, or a deleted reader (unless withDeleted: GET
// answers its stub) is "No such terminal.reader", param "reader" (the
// spec's name of the path parameter, as Stripe names it in 404s).
func (s *Server) findReader(rq *request, id string, withDeleted bool) (*reader, *apierr.Error) {
	r, ok := s.st.readers[id]
	if !ok || !owned(&r.meta, rq) || (r.deleted && !withDeleted) {
		return nil, apierr.NoSuch("terminal.reader", id).WithParam("reader")
	}
	return r, nil
}

// errRegistrationCode: Stripe's answer to a bad code is UNVERIFIED; the
// sandbox answers 400 invalid_request_error, param registration_code, no
// code, with a message in the form one public app matches ("The
// registration code is invalid.") followed by the sandbox's limitation.
func errRegistrationCode(code string) *apierr.Error {
	msg := "The registration code is invalid."
	if strings.Count(code, "-") == 2 && !strings.HasPrefix(code, "simulated-") {
		msg += fmt.Sprintf(" '%s' looks like a physical reader's pairing code: the sandbox cannot pair physical readers.", code)
	}
	msg += " The sandbox pairs only simulated readers: use registration_code simulated-wpe or simulated-s700."
	return apierr.Invalid(http.StatusBadRequest, "", "registration_code", "%s", msg)
}

// registerReader: registration_code is required and must be a simulated
// code. Decision: location is required (the docs require one for smart
// readers, and every simulated reader is a smart reader): parameter_missing
// "location"; it must be a location of the request's account, else 404 No
// such terminal.location (param location). label defaults to the code.
func (s *Server) registerReader(rq *request) (any, *apierr.Error) {
	code, err := termRequired(rq.Params, "registration_code", "registration_code")
	if err != nil {
		return nil, err
	}
	label, err := termString(rq.Params, "label", "label", 5000)
	if err != nil {
		return nil, err
	}
	locID, err := termString(rq.Params, "location", "location", 5000)
	if err != nil {
		return nil, err
	}
	md, err := termMetadata(rq.Params, nil)
	if err != nil {
		return nil, err
	}
	if err := expand.Check(rq.Expand, readerExpandable); err != nil {
		return nil, err
	}
	if _, ok := simulatedCodes[code]; !ok {
		return nil, errRegistrationCode(code)
	}
	if locID == "" {
		return nil, apierr.MissingParam("location")
	}
	l, err := s.findLocation(rq, locID, false)
	if err != nil {
		return nil, err
	}
	r := s.newSimulatedReader(rq.Account, code, label, l.id, rq.Now.Unix())
	r.metadata = md
	return s.renderReader(r, rq.Expand), nil
}

// getReader answers the reader, or its deleted stub once deleted.
func (s *Server) getReader(rq *request) (any, *apierr.Error) {
	if err := expand.Check(rq.Expand, readerExpandable); err != nil {
		return nil, err
	}
	r, err := s.findReader(rq, rq.ID, true)
	if err != nil {
		return nil, err
	}
	return s.renderReader(r, rq.Expand), nil
}

// updateReader changes label and metadata (the route admits nothing else:
// location cannot move in 2023-10-16). label="" restores the default label
// (the registration code).
func (s *Server) updateReader(rq *request) (any, *apierr.Error) {
	if err := expand.Check(rq.Expand, readerExpandable); err != nil {
		return nil, err
	}
	r, err := s.findReader(rq, rq.ID, false)
	if err != nil {
		return nil, err
	}
	label := r.label
	if rq.Params.Has("label") {
		if label, err = termString(rq.Params, "label", "label", 5000); err != nil {
			return nil, err
		}
		if label == "" {
			label = r.regCode
		}
	}
	md, err := termMetadata(rq.Params, r.metadata)
	if err != nil {
		return nil, err
	}
	r.label, r.metadata = label, md
	return s.renderReader(r, rq.Expand), nil
}

// deleteReader answers the deleted stub; the reader's action (if any) is
// dropped (a card already authorizing still settles its intent, without
// reader events). Deleting twice is a 404.
func (s *Server) deleteReader(rq *request) (any, *apierr.Error) {
	r, err := s.findReader(rq, rq.ID, false)
	if err != nil {
		return nil, err
	}
	r.deleted, r.action = true, nil
	return s.renderReader(r, nil), nil
}

// listReaders filters by location (an id; unknown or foreign ids simply
// match nothing), status (online|offline), device_type and serial_number.
func (s *Server) listReaders(rq *request) (any, *apierr.Error) {
	if err := expand.Check(rq.Expand, readerListExpandable); err != nil {
		return nil, err
	}
	p := rq.Params
	status := p.Child("status").Value()
	if p.Has("status") && status != "online" && status != "offline" {
		return nil, apierr.InvalidParam("status", "Invalid status: must be one of offline or online")
	}
	loc, dev, serial := p.Child("location").Value(), p.Child("device_type").Value(), p.Child("serial_number").Value()
	var items []*reader
	for _, r := range s.st.readers {
		if !owned(&r.meta, rq) || r.deleted ||
			(p.Has("location") && r.locationID != loc) || (p.Has("status") && r.status != status) ||
			(p.Has("device_type") && r.deviceType != dev) || (p.Has("serial_number") && r.serialNumber != serial) {
			continue
		}
		items = append(items, r)
	}
	exp := rq.Expand.Sub("data")
	return list.Paginate(rq.Params, "/v1/terminal/readers", "terminal.reader", items, func(r *reader) any { return s.renderReader(r, exp) })
}

// SetReaderOnline marks a reader online or offline (tests, demos). An
// offline reader lists with status "offline" and refuses actions with
// terminal_reader_offline; an action in progress stays as it is, as on
// Stripe when a reader drops off mid-payment.
func (s *Server) SetReaderOnline(id string, online bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.st.readers[id]
	if !ok || r.deleted {
		return fmt.Errorf("sandbox: no such reader %q", id)
	}
	r.status = "offline"
	if online {
		r.status = "online"
	}
	return nil
}
