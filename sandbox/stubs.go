package sandbox

// Temporary: handlers not written yet answer 500. Each part deletes its
// stubs from this file as it implements them.

func notYet() *apiError { return errInternal("not implemented in the sandbox yet") }
