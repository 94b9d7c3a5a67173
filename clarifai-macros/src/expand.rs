//! Writes the key type (and the scope-set trait) from the validated input.
//!
//! What a key type gets is kept small, since a crate may declare many (see
//! `benches/benches/compile_time.rs`): the struct, two constructors that call generic helpers of
//! `clarifai_typed`, `Clone`, `Debug`, `Key` (its name and the secret's accessors; its scope lists
//! are defaults that read `KeyScopes`) and `KeyScopes` (its scopes as types). `Grants` and
//! `NarrowFrom` are single blanket impls in `clarifai_typed` that read `KeyScopes`.

use clarifai_catalogue::{SCOPES, closure};
use std::fmt::Write as _;

use proc_macro2::{Delimiter, Ident, Span, TokenStream};
use quote::{ToTokens, quote};

use crate::errors::Errors;
use crate::output::Output;
use crate::parse::{self, KeyStruct, SetTrait};
use crate::validate::{self, Declared};

/// What stops the expansion: the errors, and what the fallback can still use.
pub(crate) struct Failure<T> {
    pub(crate) error: syn::Error,
    /// The item, if it could be read (boxed: the error path is the rare one).
    pub(crate) item: Option<Box<T>>,
    /// The scopes that were valid.
    pub(crate) declared: Vec<Declared>,
    pub(crate) krate: syn::Path,
}

pub(crate) fn scoped_key(
    args: TokenStream,
    item: TokenStream,
) -> Result<Output, Failure<KeyStruct>> {
    let mut errors = Errors::new();
    let args = parse::args(args);
    let declared = validate::scopes(&args.scopes, "scoped_key", &mut errors);
    let krate = args.krate.unwrap_or_else(default_crate);
    let key = parse::key_struct(item, &mut errors);
    match (errors.check(), key) {
        (Ok(()), Some(key)) => Ok(key_type(&key, &declared, Grant::Closure, &krate)),
        (Err(error), item) => Err(Failure {
            error,
            item: item.map(Box::new),
            declared,
            krate,
        }),
        // `key_struct` reports why whenever it reads no struct.
        (Ok(()), None) => Err(Failure {
            error: syn::Error::new(Span::call_site(), "`#[scoped_key]` goes on a unit struct"),
            item: None,
            declared,
            krate,
        }),
    }
}

pub(crate) fn scope_set(args: TokenStream, item: TokenStream) -> Result<Output, Failure<SetTrait>> {
    let mut errors = Errors::new();
    let args = parse::args(args);
    let declared = validate::scopes(&args.scopes, "scope_set", &mut errors);
    let krate = args.krate.unwrap_or_else(default_crate);
    let set = parse::set_trait(item, &mut errors);
    match (errors.check(), set) {
        (Ok(()), Some(set)) => Ok(set_trait(&set, &declared, &krate)),
        (Err(error), item) => Err(Failure {
            error,
            item: item.map(Box::new),
            declared,
            krate,
        }),
        (Ok(()), None) => Err(Failure {
            error: syn::Error::new(Span::call_site(), "`#[scope_set]` goes on an empty trait"),
            item: None,
            declared,
            krate,
        }),
    }
}

/// The trait of `#[scope_set]`: `Key` and `Grants` of the set's closure as supertraits (so that
/// generic code bound by it may use them), one blanket impl, and a message that names what a key
/// type lacks (its hidden parameter `Missing`, computed by the compiler).
pub(crate) fn set_trait(set: &SetTrait, declared: &[Declared], krate: &syn::Path) -> Output {
    let p = private(krate);
    let SetTrait {
        attrs,
        vis,
        trait_token,
        ident,
        body,
    } = set;
    let bounds = markers(&closure_of(declared), &p);
    let list = declared_list(declared, &p);
    let listed: Vec<String> = declared.iter().map(|d| format!("`{}`", d.ident)).collect();
    let message = format!(
        "key type `{{Self}}` does not grant every scope of `{ident}`: it lacks `{{Missing}}`"
    );
    let label = format!("`{ident}` needs {}", listed.join(", "));
    let declared_note = "if `{Self}` is declared with `#[scoped_key(...)]`, add `{Missing}` to its list if the real key holds it";
    let generic_note = format!(
        "if `{{Self}}` is a type parameter, require the set with the bound `{{Self}}: {ident}`"
    );
    let deprecations = deprecation_warnings(declared, &p);
    let mut out = Output::default();
    out.tokens(quote! {
        #(#attrs)*
        #[diagnostic::on_unimplemented(
            message = #message,
            label = #label,
            note = #declared_note,
            note = #generic_note,
        )]
        #[allow(deprecated)]
        #vis #trait_token #ident<
            Missing = <<Self as #p::KeyScopes>::Held as #p::ScopeList>::Lacks<#list>
        >:
            #p::Key #(+ #p::Grants<#bounds>)*
        #body

        #[diagnostic::do_not_recommend]
        #[allow(deprecated)]
        impl<K: #p::Key #(+ #p::Grants<#bounds>)*, Missing> #ident<Missing> for K {}

        #deprecations
    });
    out
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

/// `#p::scope::Name` for each index.
fn markers(indices: &[usize], p: &TokenStream) -> Vec<TokenStream> {
    indices
        .iter()
        .map(|&i| {
            let name = Ident::new(SCOPES[i].rust_name, Span::call_site());
            quote!(#p::scope::#name)
        })
        .collect()
}

/// The declared scopes as a type: the marker alone, a tuple of them, or tuples of at most 16.
/// Each marker is the user's own token, so that go-to-definition on a scope in the attribute works.
fn declared_list(declared: &[Declared], p: &TokenStream) -> TokenStream {
    let markers: Vec<TokenStream> = declared
        .iter()
        .map(|d| {
            let ident = &d.ident;
            quote!(#p::scope::#ident)
        })
        .collect();
    match markers.as_slice() {
        [one] => one.clone(),
        all if all.len() <= 16 => quote!((#(#all,)*)),
        all => {
            let chunks = all.chunks(16).map(|chunk| quote!((#(#chunk,)*)));
            quote!((#(#chunks,)*))
        }
    }
}

/// Which scopes the key type holds.
pub(crate) enum Grant {
    /// The closure of the declared scopes.
    Closure,
    /// Every scope, and a narrowing to it from any key: the fallback, so that mistakes in the
    /// attribute cause no errors where the key type is used.
    Everything,
}

/// Writes a list of at most 16 entries as one, or as a tuple (trailing comma: `(X,)` too).
fn list_text(out: &mut Output, entries: &[String]) {
    match entries {
        [] => out.push_str("()"),
        [one] => out.push_str(one),
        _ if entries.len() <= 16 => {
            out.push('(');
            for e in entries {
                out.push_str(e);
                out.push(',');
            }
            out.push(')');
        }
        _ => {
            out.push('(');
            for chunk in entries.chunks(16) {
                list_text(out, chunk);
                out.push(',');
            }
            out.push(')');
        }
    }
}

/// The key type: the user's struct (its own tokens) with the secret as its body, two
/// constructors, `Clone`, `Debug`, `Key` and `KeyScopes`.
pub(crate) fn key_type(
    key: &KeyStruct,
    declared: &[Declared],
    grant: Grant,
    krate: &syn::Path,
) -> Output {
    let KeyStruct {
        attrs,
        vis: vis_tokens,
        struct_token,
        ident,
        body_span,
    } = key;
    let p = format!("{}::__private01", krate.to_token_stream());
    let name = ident.to_string();
    let vis = vis_tokens.to_token_stream().to_string();
    let held = match grant {
        Grant::Closure => closure_of(declared),
        Grant::Everything => (0..SCOPES.len()).collect(),
    };
    let marker = |i: usize| format!("{p}::scope::{}", SCOPES[i].rust_name);
    let mut out = Output::default();

    // The user's `pub struct AppKey`, with the secret where the `;` was.
    out.tokens(quote!(#(#attrs)* #vis_tokens #struct_token #ident));
    let mut fields = Output::default();
    let _ = write!(fields, "__secret: {p}::ApiSecret,");
    out.group(Delimiter::Brace, Some(*body_span), fields);

    let _ = write!(
        out,
        "impl {name} {{\
            #[doc = \"Makes the key from its secret, as shown in the Clarifai portal.\\n\\n\
                # Errors\\n\\nWhen the secret is empty, or holds a character that cannot go into \
                an HTTP header (white space, a line break, a control or non-ASCII character).\"]\
            {vis} fn new(secret: impl ::core::convert::Into<::std::string::String>) \
                -> {p}::Result<Self, {p}::KeyError> {{ {p}::new_key(secret) }}\
            #[doc = \"Reads the key's secret from the environment variable `var`.\\n\\n\
                # Errors\\n\\nWhen the variable is unset or not Unicode (the error names it), or \
                its value would be refused by `new`.\"]\
            {vis} fn from_env(var: &str) -> {p}::Result<Self, {p}::KeyError> {{ \
                {p}::key_from_env(var) }}\
        }}\
        impl {p}::Clone for {name} {{\
            fn clone(&self) -> Self {{ Self {{ __secret: {p}::Clone::clone(&self.__secret) }} }}\
        }}\
        impl {p}::fmt::Debug for {name} {{\
            fn fmt(&self, f: &mut {p}::fmt::Formatter<'_>) -> {p}::fmt::Result {{\
                {p}::debug_key(f, <Self as {p}::Key>::NAME, <Self as {p}::Key>::DECLARED)\
            }}\
        }}\
        impl {p}::Key for {name} {{\
            const NAME: &'static str = {name:?};\
            fn __secret(&self) -> &{p}::ApiSecret {{ &self.__secret }}\
            fn __from_secret(__secret: {p}::ApiSecret, _: {p}::Internal) -> Self {{ \
                Self {{ __secret }} }}"
    );
    // Lists longer than 16 are tuples of tuples, whose constants are written out.
    let scope = |i: usize| format!("{p}::Scope::__from_index({i})");
    if held.len() > 16 && held.len() < SCOPES.len() {
        let values: Vec<String> = held.iter().map(|&i| scope(i)).collect();
        let _ = write!(
            out,
            "const SCOPES: &'static [{p}::Scope] = &[{}];",
            values.join(",")
        );
    }
    if declared.len() > 16 || matches!(grant, Grant::Everything) {
        let values: Vec<String> = declared.iter().map(|d| scope(d.index.into())).collect();
        let _ = write!(
            out,
            "const DECLARED: &'static [{p}::Scope] = &[{}];",
            values.join(",")
        );
    }
    let _ = write!(
        out,
        "}} #[allow(deprecated)] impl {p}::KeyScopes for {name}"
    );

    let mut body = Output::default();
    let _ = write!(body, "type Held = ");
    match grant {
        Grant::Everything => body.push_str(&format!("{p}::Everything")),
        Grant::Closure if held.len() == SCOPES.len() => body.push_str(&format!("{p}::Everything")),
        Grant::Closure => {
            let markers: Vec<String> = held.iter().map(|&i| marker(i)).collect();
            list_text(&mut body, &markers);
        }
    }
    let _ = write!(body, "; type Declared = ");
    match grant {
        Grant::Everything => body.push_str("()"),
        Grant::Closure => declared_tokens(&mut body, declared, &p),
    }
    body.push(';');
    out.group(Delimiter::Brace, None, body);

    if let Grant::Closure = grant {
        out.tokens(deprecation_warnings(declared, &private(krate)));
    }
    out
}

/// The declared scopes as a type: the marker alone, a tuple of them, or tuples of at most 16.
/// Each marker is the user's own token, so that go-to-definition on a scope in the attribute works.
fn declared_tokens(out: &mut Output, declared: &[Declared], p: &str) {
    let one = |out: &mut Output, d: &Declared| {
        let _ = write!(out, "{p}::scope::");
        out.tokens(d.ident.to_token_stream());
    };
    match declared {
        [] => out.push_str("()"),
        [d] => one(out, d),
        _ => {
            let mut outer = Output::default();
            for chunk in declared.chunks(16) {
                let mut inner = Output::default();
                for d in chunk {
                    one(&mut inner, d);
                    inner.push(',');
                }
                if declared.len() <= 16 {
                    outer = inner;
                } else {
                    outer.group(Delimiter::Parenthesis, None, inner);
                    outer.push(',');
                }
            }
            out.group(Delimiter::Parenthesis, None, outer);
        }
    }
}

/// One use of each declared deprecated scope's marker, spanned on the user's token, so that the
/// compiler's deprecation warning points at the attribute. (Proc macros cannot warn on stable.)
fn deprecation_warnings(declared: &[Declared], p: &TokenStream) -> TokenStream {
    declared
        .iter()
        .filter(|d| SCOPES[d.index as usize].deprecated)
        .map(|d| {
            let ident = &d.ident;
            quote::quote_spanned!(ident.span()=> const _: #p::Option<#p::scope::#ident> = #p::Option::None;)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{Output, scoped_key};

    fn text(output: Output) -> String {
        let text = output.into_tokens().to_string();
        assert!(!text.contains("compile_error"), "{text}");
        text.split_whitespace().collect()
    }

    fn key(args: &str, item: &str) -> String {
        let args = args.parse().expect("test arguments lex");
        let item = item.parse().expect("test item lexes");
        match scoped_key(args, item) {
            Ok(output) => text(output),
            Err(failure) => panic!("{}", failure.error),
        }
    }

    #[test]
    fn a_key_type_lexes_and_holds_its_closure() {
        let text = key("DeleteInputs", "pub(crate) struct AppKey;");
        assert!(
            text.starts_with("pub(crate)structAppKey{__secret:"),
            "{text}"
        );
        assert!(text.contains("impl::clarifai_typed::__private01::KeyforAppKey{"));
        let held = "typeHeld=(::clarifai_typed::__private01::scope::AddInputs,\
                    ::clarifai_typed::__private01::scope::GetInputs,\
                    ::clarifai_typed::__private01::scope::DeleteInputs,\
                    ::clarifai_typed::__private01::scope::GetApps,);";
        assert!(text.contains(held), "{text}");
        assert!(text.contains("typeDeclared=::clarifai_typed::__private01::scope::DeleteInputs;"));
        // Short lists leave the constants to the defaults of `Key`.
        assert!(!text.contains("constSCOPES"));
    }

    #[test]
    fn lists_longer_than_sixteen_are_nested_and_their_constants_written_out() {
        let names = "Predict, AddInputs, AddConcepts, AddModels, TrainModels, AddWorkflows, \
                     AddAnnotations, AddApps, AddKeys, AddCollaborators, AddMetrics, AddTasks, \
                     AddDatasets, AddSavedSearch, AddBulkOperation, AddUploads, AddRunners";
        let text = key(names, "struct Big;");
        assert!(text.contains("constSCOPES:&'static[::clarifai_typed::__private01::Scope]=&["));
        assert!(text.contains("constDECLARED:"));
        assert!(text.contains("typeDeclared=((::clarifai_typed::__private01::scope::Predict,"));
    }

    #[test]
    fn all_holds_everything() {
        let text = key("All, crate = my_sdk::clarifai", "struct Master;");
        assert!(
            text.contains("typeHeld=my_sdk::clarifai::__private01::Everything;"),
            "{text}"
        );
        assert!(!text.contains("constSCOPES"));
    }

    #[test]
    fn mistakes_go_to_the_fallback_with_every_error() {
        let args = "Predikt, Zebra".parse().expect("lexes");
        let item = "struct AppKey;".parse().expect("lexes");
        let Err(failure) = scoped_key(args, item) else {
            panic!("mistakes must fail");
        };
        assert_eq!(failure.error.into_iter().count(), 2);
    }
}
