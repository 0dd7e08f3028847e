//! Acceptance tests: the documented Graph JSON examples against the generated types.
