//! What stands in for the item when the attribute or the item had mistakes: the errors, and the
//! user's item as close as possible to what it would have been (as tokio-macros and thiserror
//! do), so that the only errors reported are the macro's own and the IDE keeps working.
//!
//! * A key type becomes a key that grants every scope and that any key narrows to: no use of it
//!   fails because of the mistakes.
//! * A scope set keeps its valid scopes: generic code bound by it compiles as it will once the
//!   attribute is fixed.
//! * An item that could not be read at all is given back untouched.

use proc_macro2::TokenStream;

use crate::expand::{self, Failure, Grant};
use crate::output::Output;
use crate::parse::{KeyStruct, SetTrait};

pub(crate) fn scoped_key(failure: Failure<KeyStruct>, original: TokenStream) -> Output {
    let Failure {
        error,
        item,
        declared,
        krate,
    } = failure;
    let mut out = Output::default();
    out.tokens(error.into_compile_error());
    match item {
        Some(key) => out.append(expand::key_type(&key, &declared, Grant::Everything, &krate)),
        None => out.tokens(original),
    }
    out
}

pub(crate) fn scope_set(failure: Failure<SetTrait>, original: TokenStream) -> Output {
    let Failure {
        error,
        item,
        declared,
        krate,
    } = failure;
    let mut out = Output::default();
    out.tokens(error.into_compile_error());
    match item {
        Some(set) => out.append(expand::set_trait(&set, &declared, &krate)),
        None => out.tokens(original),
    }
    out
}
