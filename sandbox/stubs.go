package sandbox

// Temporary: handlers not written yet answer 500. Each part deletes its
// stubs from this file as it implements them.

func notYet() *apiError { return errInternal("not implemented in the sandbox yet") }

func (s *Server) listAccounts(rq *request) (any, *apiError)  { return nil, notYet() }
func (s *Server) getAccount(rq *request) (any, *apiError)    { return nil, notYet() }
func (s *Server) getOwnAccount(rq *request) (any, *apiError) { return nil, notYet() }
func (s *Server) listEvents(rq *request) (any, *apiError)    { return nil, notYet() }
func (s *Server) getEvent(rq *request) (any, *apiError)      { return nil, notYet() }

// emit records the event Stripe would send for a state change. object is
// the rendered object (unexpanded); previous is data.previous_attributes.
func (s *Server) emit(rq *request, account, typ string, object any, previous map[string]any) {}

func (s *Server) seed(name string) error { return nil }

func (s *Server) createLocation(rq *request) (any, *apiError)       { return nil, notYet() }
func (s *Server) listLocations(rq *request) (any, *apiError)        { return nil, notYet() }
func (s *Server) getLocation(rq *request) (any, *apiError)          { return nil, notYet() }
func (s *Server) updateLocation(rq *request) (any, *apiError)       { return nil, notYet() }
func (s *Server) deleteLocation(rq *request) (any, *apiError)       { return nil, notYet() }
func (s *Server) registerReader(rq *request) (any, *apiError)       { return nil, notYet() }
func (s *Server) listReaders(rq *request) (any, *apiError)          { return nil, notYet() }
func (s *Server) getReader(rq *request) (any, *apiError)            { return nil, notYet() }
func (s *Server) updateReader(rq *request) (any, *apiError)         { return nil, notYet() }
func (s *Server) deleteReader(rq *request) (any, *apiError)         { return nil, notYet() }
func (s *Server) processPaymentIntent(rq *request) (any, *apiError) { return nil, notYet() }
func (s *Server) processSetupIntent(rq *request) (any, *apiError)   { return nil, notYet() }
func (s *Server) cancelAction(rq *request) (any, *apiError)         { return nil, notYet() }
func (s *Server) setReaderDisplay(rq *request) (any, *apiError)     { return nil, notYet() }
func (s *Server) presentPaymentMethod(rq *request) (any, *apiError) { return nil, notYet() }
func (s *Server) createSetupIntent(rq *request) (any, *apiError)    { return nil, notYet() }
func (s *Server) getSetupIntent(rq *request) (any, *apiError)       { return nil, notYet() }

func (s *Server) createIntent(rq *request) (any, *apiError)  { return nil, notYet() }
func (s *Server) listIntents(rq *request) (any, *apiError)   { return nil, notYet() }
func (s *Server) getIntent(rq *request) (any, *apiError)     { return nil, notYet() }
func (s *Server) updateIntent(rq *request) (any, *apiError)  { return nil, notYet() }
func (s *Server) captureIntent(rq *request) (any, *apiError) { return nil, notYet() }
func (s *Server) cancelIntent(rq *request) (any, *apiError)  { return nil, notYet() }
func (s *Server) listCharges(rq *request) (any, *apiError)   { return nil, notYet() }
func (s *Server) getCharge(rq *request) (any, *apiError)     { return nil, notYet() }
func (s *Server) createRefund(rq *request) (any, *apiError)  { return nil, notYet() }
func (s *Server) listRefunds(rq *request) (any, *apiError)   { return nil, notYet() }
func (s *Server) getRefund(rq *request) (any, *apiError)     { return nil, notYet() }
