//! Procedural macros of `clarifai-typed`. Use them through `clarifai_typed::scoped_key` and
//! `clarifai_typed::scope_set`, which document them; this crate's paths never appear in errors.
//!
//! The pipeline, one module a stage: `parse` reads the attribute and the item, keeping every
//! token for its span; `validate` checks them against the scope catalogue and collects *every*
//! mistake; `expand` writes the key type; `fallback` writes what stands in when there were
//! mistakes, so that the only errors the user sees are ours.

use proc_macro::TokenStream;

mod dump;
mod errors;
mod expand;
mod fallback;
mod parse;
mod validate;

/// See `clarifai_typed::scoped_key`.
#[proc_macro_attribute]
pub fn scoped_key(args: TokenStream, item: TokenStream) -> TokenStream {
    dump::tee(expand::scoped_key(args.into(), item.into())).into()
}

/// See `clarifai_typed::scope_set`.
#[proc_macro_attribute]
pub fn scope_set(args: TokenStream, item: TokenStream) -> TokenStream {
    dump::tee(expand::scope_set(args.into(), item.into())).into()
}
