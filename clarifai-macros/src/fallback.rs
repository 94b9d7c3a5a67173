//! What stands in for the key type when the attribute had mistakes: the user's struct, turned into
//! a key that grants every scope, so that the only errors reported are the macro's own and no use
//! of the type fails because of them.

use proc_macro2::TokenStream;

use crate::expand::{self, Grant};
use crate::parse::KeyStruct;
use crate::validate::Declared;

pub(crate) fn key(item: &KeyStruct, declared: &[Declared], krate: &syn::Path) -> TokenStream {
    expand::key_type(item, declared, Grant::Everything, krate)
}
