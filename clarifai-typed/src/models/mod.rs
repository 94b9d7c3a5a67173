//! Serde models of the requests and responses of every endpoint in the table.
