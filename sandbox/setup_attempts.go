package sandbox

import (
	"kasse/sandbox/internal/apierr"
	"kasse/sandbox/internal/expand"
	"kasse/sandbox/internal/form"
	"kasse/sandbox/internal/list"
	"kasse/sandbox/internal/store"
)

// SetupAttempts: GET /v1/setup_attempts?setup_intent=…, the attempts to
// set a card up, newest first. A reader's process_setup_intent makes one
// per card read (settleSetup); a successful one names the generated card
// in payment_method_details.card_present.generated_card (§12).

type setupAttempt struct {
	store.Meta
	Object               string             `json:"object"`
	Application          any                `json:"application"`
	AttachToSelf         bool               `json:"attach_to_self"`
	Created              int64              `json:"created"`
	Customer             ref                `json:"customer"`
	FlowDirections       []string           `json:"flow_directions"`
	Livemode             bool               `json:"livemode"`
	OnBehalfOf           any                `json:"on_behalf_of"`
	PaymentMethod        ref                `json:"payment_method"`
	PaymentMethodDetails setupAttemptPMJSON `json:"payment_method_details"`
	SetupError           *setupErrorJSON    `json:"setup_error"`
	SetupIntent          ref                `json:"setup_intent"`
	Status               string             `json:"status"` // succeeded | failed
	Usage                string             `json:"usage"`
}

func (*setupAttempt) objectType() string { return "setup_attempt" }

// setupAttemptPMJSON is setup_attempt_payment_method_details for a card
// read on a reader.
type setupAttemptPMJSON struct {
	CardPresent *setupAttemptCardPresentJSON `json:"card_present,omitempty"`
	Type        string                       `json:"type"`
}

type setupAttemptCardPresentJSON struct {
	GeneratedCard *string `json:"generated_card"`
}

var setupAttemptExpandable = []string{"customer", "payment_method", "setup_intent", "application", "on_behalf_of"}

// newSetupAttempt stores the attempt of si with the card_present
// PaymentMethod cp (succeeded until settleSetup says otherwise). Called
// in a change.
func (s *Server) newSetupAttempt(si *setupIntent, cp *paymentMethod, now int64) *setupAttempt {
	at := &setupAttempt{Meta: s.newMeta("setatt", si.Account), Object: "setup_attempt", Created: now,
		Customer: si.Customer, PaymentMethod: cp.ID, SetupIntent: si.ID, Status: "succeeded", Usage: si.Usage,
		PaymentMethodDetails: setupAttemptPMJSON{Type: "card_present", CardPresent: &setupAttemptCardPresentJSON{}}}
	put(s, s.st.setupAttempts, at)
	return at
}

func (s *Server) renderSetupAttempt(at *setupAttempt, exp *expand.Tree) any {
	if exp.Empty() {
		return at
	}
	c := *at
	c.Customer = s.customerRef(at.Customer, exp.Sub("customer"))
	if sub := exp.Sub("payment_method"); sub != nil {
		if pm, ok := s.st.paymentMethods.Get(refID(at.PaymentMethod)); ok {
			c.PaymentMethod = s.renderPaymentMethod(pm, sub)
		}
	}
	if sub := exp.Sub("setup_intent"); sub != nil {
		if si, ok := s.st.setups.Get(refID(at.SetupIntent)); ok {
			c.SetupIntent = s.renderSetupIntent(si, sub)
		}
	}
	return &c
}

// listSetupAttempts: setup_intent is required (a SetupIntent of the
// request's account); created and the cursors as every list.
func (s *Server) listSetupAttempts(rq *request) (any, *apierr.Error) {
	if err := expand.Check(rq.Expand, expand.WithPrefix("data.", setupAttemptExpandable)); err != nil {
		return nil, err
	}
	siID, err := form.Required(rq.Params, "setup_intent", "setup_intent")
	if err != nil {
		return nil, err
	}
	si, ok := s.st.setups.Get(siID)
	if !ok || !owned(si, rq) {
		return nil, apierr.NoSuch("setupintent", siID).WithParam("setup_intent")
	}
	created, err := list.ParseCreated(rq.Params)
	if err != nil {
		return nil, err
	}
	pg, err := list.ParsePage(rq.Params)
	if err != nil {
		return nil, err
	}
	return listTable(s, rq, s.st.setupAttempts, pg, func(at *setupAttempt) bool {
		return refID(at.SetupIntent) == si.ID && created.Match(at.Created)
	}, "/v1/setup_attempts", s.renderSetupAttempt)
}
