//! Reads the attribute arguments and the item, keeping the original tokens for their spans.

use proc_macro2::{Delimiter, Ident, Span, TokenStream, TokenTree};
use syn::parse::Parser;

use crate::errors::Errors;

/// One entry of the scope list, as written.
pub(crate) enum ScopeArg {
    /// `Predict`
    Name(Ident),
    /// `"Inputs:Add"`, or `Inputs:Add` without quotes: the wire spelling; `"Predict"`: quoted.
    Wire { text: String, tokens: TokenStream },
    /// `scope::Predict`: a path where a bare name goes.
    Path { last: Ident, tokens: TokenStream },
    /// Something else; the error says what was expected.
    Invalid(syn::Error),
}

/// The attribute's arguments.
pub(crate) struct Args {
    /// The scope entries and the malformed entries, in source order, so that errors come out in
    /// the order of the tokens they point at.
    pub(crate) scopes: Vec<ScopeArg>,
    /// `crate = path`
    pub(crate) krate: Option<syn::Path>,
}

/// Splits `args` at top-level commas and reads each entry; a bad entry is an error, the others are
/// still read.
pub(crate) fn args(args: TokenStream) -> Args {
    let mut parsed = Args {
        scopes: Vec::new(),
        krate: None,
    };
    for entry in split_commas(args) {
        read_entry(entry, &mut parsed);
    }
    parsed
}

fn split_commas(tokens: TokenStream) -> Vec<Vec<TokenTree>> {
    let mut entries = vec![Vec::new()];
    for token in tokens {
        match &token {
            TokenTree::Punct(p) if p.as_char() == ',' => entries.push(Vec::new()),
            _ => entries.last_mut().map_or((), |e| e.push(token)),
        }
    }
    entries.retain(|e| !e.is_empty());
    entries
}

const EXPECTED: &str = "expected a scope name such as `Predict` or `AddInputs`, or `crate = path`";
const EXPECTED_PATH: &str = "expected a path after `crate =`, e.g. `crate = my_sdk::clarifai`";

fn read_entry(entry: Vec<TokenTree>, parsed: &mut Args) {
    let stream: TokenStream = entry.iter().cloned().collect();
    let is_punct = |t: &TokenTree, c: char| matches!(t, TokenTree::Punct(p) if p.as_char() == c);
    let invalid = |span: Span, message: &str| ScopeArg::Invalid(syn::Error::new(span, message));
    let arg = match entry.as_slice() {
        [TokenTree::Ident(name)] => ScopeArg::Name(name.clone()),
        [TokenTree::Literal(lit)] => match syn::parse2::<syn::LitStr>(stream.clone()) {
            Ok(s) => ScopeArg::Wire {
                text: s.value(),
                tokens: stream,
            },
            Err(_) => invalid(lit.span(), EXPECTED),
        },
        [TokenTree::Ident(resource), colon, TokenTree::Ident(verb)] if is_punct(colon, ':') => {
            ScopeArg::Wire {
                text: format!("{resource}:{verb}"),
                tokens: stream,
            }
        }
        [TokenTree::Ident(option), eq, rest @ ..] if is_punct(eq, '=') => {
            if option != "crate" {
                let message =
                    format!("unknown option `{option}`; the only option is `crate = path`");
                invalid(option.span(), &message)
            } else if parsed.krate.is_some() {
                invalid(option.span(), "`crate` is given twice")
            } else if rest.is_empty() {
                invalid(eq.span(), EXPECTED_PATH)
            } else {
                let value: TokenStream = rest.iter().cloned().collect();
                match syn::Path::parse_mod_style.parse2(value) {
                    Ok(path) => {
                        parsed.krate = Some(path);
                        return;
                    }
                    Err(e) => invalid(e.span(), EXPECTED_PATH),
                }
            }
        }
        _ => match syn::parse2::<syn::Path>(stream.clone()) {
            Ok(path) if path.segments.len() > 1 => match path.segments.last() {
                Some(last) => ScopeArg::Path {
                    last: last.ident.clone(),
                    tokens: stream,
                },
                None => ScopeArg::Invalid(syn::Error::new_spanned(stream, EXPECTED)),
            },
            _ => ScopeArg::Invalid(syn::Error::new_spanned(stream, EXPECTED)),
        },
    };
    parsed.scopes.push(arg);
}

/// The item, when it is one `#[scoped_key]` can turn into a key type (a unit struct). Its tokens
/// keep their spans, so that the compiler points at the user's `pub struct AppKey;` (not at the
/// attribute) when it shows where the key type is declared.
pub(crate) struct KeyStruct {
    pub(crate) attrs: Vec<syn::Attribute>,
    pub(crate) vis: syn::Visibility,
    pub(crate) struct_token: syn::Token![struct],
    pub(crate) ident: Ident,
    /// Where the body goes: the `;` of a unit struct, or the fields of another.
    pub(crate) body_span: Span,
}

/// Reads the item. Every shape mistake is an error; a struct is still returned (as a unit struct)
/// whenever there is one, so that the fallback can stand in for it.
pub(crate) fn key_struct(item: TokenStream, errors: &mut Errors) -> Option<KeyStruct> {
    let input: syn::DeriveInput = match syn::parse2(item) {
        Ok(input) => input,
        Err(e) => {
            errors.push(syn::Error::new(
                e.span(),
                "`#[scoped_key]` goes on a unit struct, such as `pub struct AppKey;`",
            ));
            return None;
        }
    };
    let (struct_token, body_span) = match &input.data {
        syn::Data::Struct(data) => match &data.fields {
            syn::Fields::Unit => (
                data.struct_token,
                data.semi_token
                    .map_or_else(|| input.ident.span(), |s| s.span),
            ),
            fields => {
                errors.push(syn::Error::new_spanned(
                    fields,
                    "a key type is a unit struct: remove the fields (the macro adds the secret), \
                     as in `pub struct AppKey;`",
                ));
                let span = match fields {
                    syn::Fields::Named(f) => f.brace_token.span.join(),
                    syn::Fields::Unnamed(f) => f.paren_token.span.join(),
                    syn::Fields::Unit => input.ident.span(),
                };
                (data.struct_token, span)
            }
        },
        syn::Data::Enum(data) => {
            errors.push(syn::Error::new(
                data.enum_token.span,
                "`#[scoped_key]` goes on a unit struct, such as `pub struct AppKey;`, not on an enum",
            ));
            return None;
        }
        syn::Data::Union(data) => {
            errors.push(syn::Error::new(
                data.union_token.span,
                "`#[scoped_key]` goes on a unit struct, such as `pub struct AppKey;`, not on a union",
            ));
            return None;
        }
    };
    if !input.generics.params.is_empty() || input.generics.where_clause.is_some() {
        errors.push(syn::Error::new_spanned(
            &input.generics,
            "a key type cannot be generic: remove the generic parameters",
        ));
    }
    let mut attrs = Vec::with_capacity(input.attrs.len());
    for attr in input.attrs {
        if let Some(stripped) = strip_conflicting_derives(&attr, errors) {
            attrs.push(stripped);
        }
    }
    Some(KeyStruct {
        attrs,
        vis: input.vis,
        struct_token,
        ident: input.ident,
        body_span,
    })
}

/// Derives cannot work on a key type: `Clone` and `Debug` are written by the macro (the `Debug`
/// hides the secret), and comparing, hashing, defaulting or serializing a key would touch the
/// secret. Each derived trait is reported on its token and dropped from the re-emitted item, so
/// nothing else fails.
fn strip_conflicting_derives(attr: &syn::Attribute, errors: &mut Errors) -> Option<syn::Attribute> {
    if !attr.path().is_ident("derive") {
        return Some(attr.clone());
    }
    let Ok(list) = attr.meta.require_list() else {
        return Some(attr.clone());
    };
    let paths = syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated
        .parse2(list.tokens.clone());
    let Ok(paths) = paths else {
        return Some(attr.clone());
    };
    for path in paths {
        let name = path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        let message = match name.as_str() {
            "Debug" => "remove `Debug` from the derive: `#[scoped_key]` writes a `Debug` that never shows the secret".to_owned(),
            "Clone" => "remove `Clone` from the derive: `#[scoped_key]` writes it".to_owned(),
            other => format!(
                "remove `{other}` from the derive: a key type holds its secret, which it never compares, hashes, defaults or serializes"
            ),
        };
        errors.push(syn::Error::new_spanned(&path, message));
    }
    None
}

/// The item of `#[scope_set]`: `[attrs] [vis] trait Name {}`, its tokens kept with their spans.
pub(crate) struct SetTrait {
    pub(crate) attrs: Vec<syn::Attribute>,
    pub(crate) vis: syn::Visibility,
    pub(crate) trait_token: syn::Token![trait],
    pub(crate) ident: Ident,
    pub(crate) body: proc_macro2::Group,
}

/// Reads a `#[scope_set]` item without syn's `full` feature: the grammar is tiny.
pub(crate) fn set_trait(item: TokenStream, errors: &mut Errors) -> Option<SetTrait> {
    let parser = |input: syn::parse::ParseStream<'_>| -> syn::Result<SetTrait> {
        let attrs = input.call(syn::Attribute::parse_outer)?;
        let vis: syn::Visibility = input.parse()?;
        let trait_token: syn::Token![trait] = input.parse()?;
        let ident: Ident = input.parse()?;
        let body = match input.parse::<TokenTree>()? {
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace && g.stream().is_empty() => g,
            other => {
                return Err(syn::Error::new(
                    other.span(),
                    "a scope set has no generics, supertraits or items: the macro adds the bounds",
                ));
            }
        };
        if !input.is_empty() {
            return Err(input.error("unexpected tokens after the trait"));
        }
        Ok(SetTrait {
            attrs,
            vis,
            trait_token,
            ident,
            body,
        })
    };
    match parser.parse2(item) {
        Ok(t) => Some(t),
        Err(e) => {
            let message = format!(
                "`#[scope_set]` goes on an empty trait, such as `pub trait TaggingScopes {{}}`: {e}"
            );
            errors.push(syn::Error::new(e.span(), message));
            None
        }
    }
}

/// A span for errors about the whole attribute.
pub(crate) fn attribute_span() -> Span {
    Span::call_site()
}
