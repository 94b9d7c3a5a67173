//! UI tests of `#[scoped_key]`, `#[scope_set]` and the scope bounds: what a user sees when a key
//! type is declared wrong, or used for a call its scopes do not allow.
//!
//! `ui/pass/*.rs` must compile and run; `ui/fail/*.rs` must fail to compile with exactly the
//! diagnostics in the `.stderr` file next to each. Each file says at the top what mistake it makes.
//!
//! The snapshots hold rustc's exact wording, so the test runs only on the pinned compiler
//! (`rust-toolchain.toml`) and is ignored on any other. After changing a message, or when moving to a
//! new compiler (update the version in the attribute marked `// STABLE` below), regenerate them with
//!
//! ```text
//! TRYBUILD=overwrite cargo test -p clarifai-typed-tests --test ui
//! ```
//!
//! and review the `.stderr` diff like code: each message should still name the mistake, point at
//! the token at fault, never mention the macro crate's internals, and a declaration with mistakes
//! should cause no errors at the places that use the key type.

#[test]
#[rustversion::attr(not(stable(1.95)), ignore = "UI snapshots are pinned to rustc 1.95")] // STABLE
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("ui/pass/*.rs");
    t.compile_fail("ui/fail/*.rs");
}
