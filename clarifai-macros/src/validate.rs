//! Checks the scope list against the catalogue, reporting every mistake on its own token.

use clarifai_catalogue::{SCOPES, by_rust_name, by_wire_name};
use proc_macro2::Ident;

use crate::errors::Errors;
use crate::parse::ScopeArg;

/// A declared scope that exists: its catalogue index and the token that named it.
pub(crate) struct Declared {
    pub(crate) index: u8,
    pub(crate) ident: Ident,
}

/// Resolves the list, in source order. `macro_name` is used in messages (`scoped_key` or
/// `scope_set`). Entries that are mistakes but name a known scope unambiguously (the wire
/// spelling, a path) are still returned, so that the fallback keeps them and generic code that
/// relies on them reports nothing more.
pub(crate) fn scopes(args: &[ScopeArg], macro_name: &str, errors: &mut Errors) -> Vec<Declared> {
    let mut declared: Vec<Declared> = Vec::new();
    if args.is_empty() {
        errors.push(syn::Error::new(
            crate::parse::attribute_span(),
            format!(
                "`#[{macro_name}]` needs at least one scope, e.g. `#[{macro_name}(Predict)]`; \
                 the scopes are the types of `clarifai_typed::scope`"
            ),
        ));
    }
    let add = |index: u8, ident: Ident, declared: &mut Vec<Declared>, errors: &mut Errors| {
        if declared.iter().any(|d| d.index == index) {
            let name = SCOPES[index as usize].rust_name;
            errors.push(syn::Error::new(
                ident.span(),
                format!("`{name}` is listed twice; remove one"),
            ));
        } else {
            declared.push(Declared { index, ident });
        }
    };
    for arg in args {
        match arg {
            ScopeArg::Name(ident) => {
                let name = ident.to_string();
                match by_rust_name(&name) {
                    Some(index) => add(index, ident.clone(), &mut declared, errors),
                    None => errors.push(syn::Error::new(ident.span(), unknown_name(&name))),
                }
            }
            ScopeArg::Wire { text, tokens } => {
                let message = match by_wire_name(text) {
                    Some(_) if !text.contains([':', '_']) => {
                        format!("scopes are written as Rust names, without quotes: write `{text}`")
                    }
                    Some(i) => format!(
                        "scopes are written as Rust names, not in the wire spelling: write `{}` instead of `{text}`",
                        SCOPES[i as usize].rust_name
                    ),
                    None => format!(
                        "scopes are written as Rust names (`AddInputs` for `Inputs:Add`), and `{text}` is not a known scope"
                    ),
                };
                errors.push(syn::Error::new_spanned(tokens, message));
                if let Some(index) = by_wire_name(text) {
                    let ident = Ident::new(SCOPES[index as usize].rust_name, first_span(tokens));
                    declared.push(Declared { index, ident });
                }
            }
            ScopeArg::Path { last, tokens } => {
                let name = last.to_string();
                match by_rust_name(&name) {
                    Some(index) => {
                        errors.push(syn::Error::new_spanned(
                            tokens,
                            format!("write the scope's name alone: `{name}`"),
                        ));
                        declared.push(Declared {
                            index,
                            ident: last.clone(),
                        });
                    }
                    None => errors.push(syn::Error::new_spanned(
                        tokens,
                        format!(
                            "expected a scope name such as `Predict`; {}",
                            unknown_name(&name)
                        ),
                    )),
                }
            }
            ScopeArg::Invalid(error) => errors.push(error.clone()),
        }
    }
    declared
}

fn first_span(tokens: &proc_macro2::TokenStream) -> proc_macro2::Span {
    tokens
        .clone()
        .into_iter()
        .next()
        .map_or_else(proc_macro2::Span::call_site, |t| t.span())
}

fn unknown_name(name: &str) -> String {
    // The wire spelling as an identifier (`Inputs_Add`), or the verb at the end (`InputsAdd`).
    if let Some(i) = by_wire_name(name).or_else(|| resource_first(name)) {
        return format!(
            "unknown scope `{name}`: scope names put the verb first; write `{}`",
            SCOPES[i as usize].rust_name
        );
    }
    match suggestion(name) {
        Some(best) => format!("unknown scope `{name}`; did you mean `{best}`?"),
        None => format!(
            "unknown scope `{name}`: the scopes are the types of `clarifai_typed::scope` \
             (e.g. `Predict`, `AddInputs`, `GetModels`)"
        ),
    }
}

fn resource_first(name: &str) -> Option<u8> {
    SCOPES
        .iter()
        .position(|s| {
            s.wire.split_once(':').is_some_and(|(r, v)| {
                name.len() == r.len() + v.len() && name.starts_with(r) && name.ends_with(v)
            })
        })
        .map(|i| i as u8)
}

/// The closest Rust name by Jaro similarity (case-insensitive), if close enough.
fn suggestion(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    SCOPES
        .iter()
        .map(|s| {
            (
                strsim::jaro(&lower, &s.rust_name.to_ascii_lowercase()),
                s.rust_name,
            )
        })
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, best)| best)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_for_near_misses() {
        assert_eq!(suggestion("Predikt"), Some("Predict"));
        assert_eq!(suggestion("AddInput"), Some("AddInputs"));
        assert_eq!(suggestion("getmodels"), Some("GetModels"));
        assert_eq!(suggestion("Zebra"), None);
        assert!(unknown_name("Inputs_Add").ends_with("write `AddInputs`"));
        assert!(unknown_name("InputsAdd").ends_with("write `AddInputs`"));
    }
}
