//! The quickstart: declare a key type, see what it holds and what it may call.
fn main() {}
