//! Procedural macros of `clarifai-typed`. Use them through `clarifai_typed::scoped_key` and
//! `clarifai_typed::scope_set`, which document them; this crate's paths never appear in errors.
//!
//! The pipeline, one module a stage: `parse` reads the attribute and the item, keeping every
//! token for its span; `validate` checks them against the scope catalogue, collecting *every*
//! mistake in an `errors::Errors`; `expand` writes the key type; `fallback` writes what stands in
//! when there were mistakes, so that the only errors the user sees are ours. `output` holds the
//! generated code, mostly as text, which is much cheaper to emit than tokens. (`dump` is a hidden
//! aid of the compile-time benchmark.)

use proc_macro::TokenStream;

mod dump;
mod errors;
mod expand;
mod fallback;
mod output;
mod parse;
mod validate;

/// See `clarifai_typed::scoped_key`.
#[proc_macro_attribute]
pub fn scoped_key(args: TokenStream, item: TokenStream) -> TokenStream {
    let item = proc_macro2::TokenStream::from(item);
    dump::tee(
        expand::scoped_key(args.into(), item.clone())
            .unwrap_or_else(|failure| fallback::scoped_key(failure, item))
            .into_compiler(),
    )
}

/// See `clarifai_typed::scope_set`.
#[proc_macro_attribute]
pub fn scope_set(args: TokenStream, item: TokenStream) -> TokenStream {
    let item = proc_macro2::TokenStream::from(item);
    dump::tee(
        expand::scope_set(args.into(), item.clone())
            .unwrap_or_else(|failure| fallback::scope_set(failure, item))
            .into_compiler(),
    )
}
