package sandbox

// state is everything the sandbox knows. It is guarded by Server.mu.
// Objects of all accounts share one map per type; each carries the account
// it belongs to, and lookups check it (see lookup helpers).
type state struct {
	seq        int64 // creation counter: list order and event order
	platformID string

	accounts  map[string]*account
	locations map[string]*location
	readers   map[string]*reader
	intents   map[string]*paymentIntent
	charges   map[string]*charge
	refunds   map[string]*refund
	setups    map[string]*setupIntent
	events    []*event
}

func newState() *state {
	return &state{
		platformID: "acct_" + randomString(16),
		accounts:   map[string]*account{},
		locations:  map[string]*location{},
		readers:    map[string]*reader{},
		intents:    map[string]*paymentIntent{},
		charges:    map[string]*charge{},
		refunds:    map[string]*refund{},
		setups:     map[string]*setupIntent{},
	}
}

// meta is what every stored object has.
type meta struct {
	id      string
	account string // "" = the platform; else the connected account
	seq     int64
	created int64 // unix seconds
}

func (m *meta) ObjectID() string  { return m.id }
func (m *meta) CreatedSeq() int64 { return m.seq }

// newMeta stamps a new object of account with id prefix. Called with mu held.
func (s *Server) newMeta(prefix, account string, now int64) meta {
	s.st.seq++
	return meta{id: newID(prefix), account: account, seq: s.st.seq, created: now}
}

// owned reports whether an object of owner may be seen from the request's
// account context. Objects are visible only in their own account.
func owned(m *meta, rq *request) bool { return m.account == rq.Account }

// livemode: the sandbox is always test mode.
const livemode = false
