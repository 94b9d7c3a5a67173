//! Writes the key type (and the scope-set trait) from the validated input.

use clarifai_catalogue::{SCOPES, closure};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::errors::Errors;
use crate::parse::{self, KeyStruct};
use crate::validate::{self, Declared};

/// Which `Grants` impls to write.
pub(crate) enum Grant {
    /// The closure of the declared scopes.
    Closure,
    /// Every scope: the fallback, so that mistakes in the attribute cause no errors at use sites.
    Everything,
}

pub(crate) fn scoped_key(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let args = parse::args(args);
    let declared = validate::scopes(&args.scopes, "scoped_key", &mut errors);
    let krate = args.krate.unwrap_or_else(default_crate);
    let original = item.clone();
    let key = parse::key_struct(item, &mut errors);
    let code = match (&key, errors.is_empty()) {
        (Some(key), true) => key_type(key, &declared, Grant::Closure, &krate),
        (Some(key), false) => crate::fallback::key(key, &declared, &krate),
        // Not a struct: give the item back untouched, next to the errors.
        (None, _) => original,
    };
    let errors = errors.to_compile_errors();
    quote! { #errors #code }
}

pub(crate) fn scope_set(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let args = parse::args(args);
    let declared = validate::scopes(&args.scopes, "scope_set", &mut errors);
    let krate = args.krate.unwrap_or_else(default_crate);
    let original = item.clone();
    let code = match parse::set_trait(item, &mut errors) {
        Some(set) => {
            let p = private(&krate);
            let markers = markers(&closure_of(&declared), &krate);
            let deprecations = deprecation_warnings(&declared, &krate);
            let parse::SetTrait { attrs, vis, ident } = set;
            let listed: Vec<String> = declared.iter().map(|d| format!("`{}`", d.ident)).collect();
            let message = format!("key type `{{Self}}` does not grant every scope of `{ident}`");
            let label = format!("`{ident}` needs {}", listed.join(", "));
            let note =
                "add the missing scopes, named below, to the key type's `#[scoped_key(...)]` list";
            quote! {
                #(#attrs)*
                #[diagnostic::on_unimplemented(message = #message, label = #label, note = #note)]
                #[allow(deprecated)]
                #vis trait #ident: #p::Key #(+ #p::Grants<#markers>)* {}
                #[allow(deprecated)]
                impl<__K> #ident for __K where __K: #p::Key #(+ #p::Grants<#markers>)* {}
                #deprecations
            }
        }
        None => original,
    };
    let errors = errors.to_compile_errors();
    quote! { #errors #code }
}

fn default_crate() -> syn::Path {
    syn::parse_quote!(::clarifai_typed)
}

fn private(krate: &syn::Path) -> TokenStream {
    quote!(#krate::__private01)
}

/// Catalogue indices of the declared scopes' closure (plus `Apps:Get`), in catalogue order.
fn closure_of(declared: &[Declared]) -> Vec<usize> {
    let held = closure(declared.iter().map(|d| d.index));
    held.iter()
        .enumerate()
        .filter(|(_, h)| **h)
        .map(|(i, _)| i)
        .collect()
}

/// `#krate::__private01::scope::Name` for each index.
fn markers(indices: &[usize], krate: &syn::Path) -> Vec<TokenStream> {
    let p = private(krate);
    indices
        .iter()
        .map(|&i| {
            let name = Ident::new(SCOPES[i].rust_name, Span::call_site());
            quote!(#p::scope::#name)
        })
        .collect()
}

pub(crate) fn key_type(
    key: &KeyStruct,
    declared: &[Declared],
    grant: Grant,
    krate: &syn::Path,
) -> TokenStream {
    let p = private(krate);
    let KeyStruct { attrs, vis, ident } = key;
    let name = ident.to_string();
    let held = closure_of(declared);
    let held_markers = markers(&held, krate);
    let granted = match grant {
        Grant::Closure => held_markers.clone(),
        Grant::Everything => markers(&(0..SCOPES.len()).collect::<Vec<_>>(), krate),
    };
    let declared_markers: Vec<TokenStream> = declared
        .iter()
        .map(|d| {
            // The user's own token, so that go-to-definition on a scope in the attribute works.
            let ident = &d.ident;
            quote!(#p::scope::#ident)
        })
        .collect();
    let deprecations = deprecation_warnings(declared, krate);
    let narrow_bounds = match grant {
        Grant::Closure => held_markers.clone(),
        Grant::Everything => Vec::new(),
    };
    quote! {
        #(#attrs)*
        #vis struct #ident {
            __secret: #p::ApiSecret,
        }

        impl #ident {
            /// Makes the key from its secret, as shown in the Clarifai portal.
            ///
            /// # Errors
            ///
            /// When the secret is empty, or holds a character that cannot go into an HTTP header
            /// (white space, a line break, a control or non-ASCII character).
            #vis fn new(
                secret: impl ::core::convert::Into<::std::string::String>,
            ) -> #p::Result<Self, #p::KeyError> {
                #p::ApiSecret::new(secret).map(|__secret| Self { __secret })
            }

            /// Reads the key's secret from the environment variable `var`.
            ///
            /// # Errors
            ///
            /// When the variable is unset or not Unicode (the error names it), or its value would
            /// be refused by `new`.
            #vis fn from_env(var: &str) -> #p::Result<Self, #p::KeyError> {
                #p::ApiSecret::from_env(var).map(|__secret| Self { __secret })
            }
        }

        impl #p::Clone for #ident {
            fn clone(&self) -> Self {
                Self { __secret: #p::Clone::clone(&self.__secret) }
            }
        }

        impl #p::fmt::Debug for #ident {
            fn fmt(&self, f: &mut #p::fmt::Formatter<'_>) -> #p::fmt::Result {
                #p::debug_key(f, #name, <Self as #p::Key>::DECLARED)
            }
        }

        #[allow(deprecated)]
        impl #p::Key for #ident {
            const SCOPES: &'static [#p::Scope] = &[
                #(<#held_markers as #p::ScopeMarker>::SCOPE,)*
            ];
            const DECLARED: &'static [#p::Scope] = &[
                #(<#declared_markers as #p::ScopeMarker>::SCOPE,)*
            ];
            const NAME: &'static str = #name;

            fn __secret(&self) -> &#p::ApiSecret {
                &self.__secret
            }

            fn __from_secret(__secret: #p::ApiSecret, _: #p::Internal) -> Self {
                Self { __secret }
            }
        }

        #(
            #[diagnostic::do_not_recommend]
            #[allow(deprecated)]
            impl #p::Grants<#granted> for #ident {}
        )*

        #[allow(deprecated)]
        impl<__KeyWithAllTheseScopes: #p::Key> #p::NarrowFrom<__KeyWithAllTheseScopes> for #ident
        where
            #(__KeyWithAllTheseScopes: #p::Grants<#narrow_bounds>,)*
        {}

        #deprecations
    }
}

/// One use of each declared deprecated scope's marker, spanned on the user's token, so that the
/// compiler's deprecation warning points at the attribute. (Proc macros cannot warn on stable.)
fn deprecation_warnings(declared: &[Declared], krate: &syn::Path) -> TokenStream {
    let p = private(krate);
    declared
        .iter()
        .filter(|d| SCOPES[d.index as usize].deprecated)
        .map(|d| {
            let ident = &d.ident;
            quote::quote_spanned!(ident.span()=> const _: #p::Option<#p::scope::#ident> = #p::Option::None;)
        })
        .collect()
}
