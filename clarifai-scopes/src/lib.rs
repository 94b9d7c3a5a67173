//! The library behind the `clarifai-scopes` tool: the `#[scoped_key(...)]` declaration of a set of
//! granted scopes, and the key types declared in Rust source.
//!
//! ```
//! use clarifai_scopes::{declaration_for, key_types_in};
//! use clarifai_typed::Scope;
//!
//! let granted: Vec<Scope> = ["Predict", "Inputs:Add", "Inputs:Get", "Apps:Get"]
//!     .iter()
//!     .map(|s| Scope::parse(s))
//!     .collect();
//! assert_eq!(
//!     declaration_for("AppKey", &granted),
//!     "#[scoped_key(Predict, AddInputs)]\npub struct AppKey;\n"
//! );
//!
//! let source = "/// Ours.\n#[scoped_key(Predict, AddInputs)]\npub struct AppKey;";
//! let found = key_types_in(source).unwrap();
//! assert_eq!(found[0].0, "AppKey");
//! ```

use clarifai_typed::Scope;
use clarifai_typed::scope;

/// The smallest `#[scoped_key(...)]` declaration of key type `name` that grants every scope of
/// `granted` (closed the way the macro closes it), as Rust source. Scopes this version does not
/// know are left out (see [`unknown`]).
pub fn declaration_for(name: &str, granted: &[Scope]) -> String {
    scope::declaration(name, &scope::minimal_declaration(granted))
}

/// The scopes of `granted` this version's catalogue does not know.
pub fn unknown(granted: &[Scope]) -> Vec<Scope> {
    granted.iter().filter(|s| !s.is_known()).cloned().collect()
}

/// Reads a list of scopes a person wrote (`"Predict, AddInputs"`, or wire names
/// `"Predict,Inputs:Add"`).
///
/// # Errors
///
/// The names that are not scopes, each with what it should be.
pub fn parse_scope_list(list: &str) -> Result<Vec<Scope>, String> {
    let mut scopes = Vec::new();
    let mut bad = Vec::new();
    for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        match Scope::from_any_name(name) {
            Some(s) => scopes.push(s),
            None => bad.push(format!("`{name}`")),
        }
    }
    if !bad.is_empty() {
        return Err(format!(
            "not a scope: {} (write Rust names such as AddInputs, or wire names such as \
             Inputs:Add)",
            bad.join(", ")
        ));
    }
    if scopes.is_empty() {
        return Err("no scope given".to_owned());
    }
    Ok(scopes)
}

/// Every key type declared with `#[scoped_key(...)]` in Rust `source`: its name and its declared
/// scopes (options such as `crate = path` skipped).
///
/// # Errors
///
/// A declaration naming something that is not a scope, or with no struct after it.
pub fn key_types_in(source: &str) -> Result<Vec<(String, Vec<Scope>)>, String> {
    let mut found = Vec::new();
    let mut rest = source;
    while let Some(at) = rest.find("scoped_key(") {
        let after = &rest[at + "scoped_key(".len()..];
        let Some(close) = after.find(')') else {
            return Err("a `#[scoped_key(` without its `)`".to_owned());
        };
        let list: Vec<&str> = after[..close]
            .split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty() && !n.contains('='))
            .collect();
        let tail = &after[close..];
        let name = tail
            .find("struct")
            .map(|s| &tail[s + "struct".len()..])
            .and_then(|t| {
                let t = t.trim_start();
                let end = t
                    .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .unwrap_or(t.len());
                (end > 0).then(|| t[..end].to_owned())
            })
            .ok_or_else(|| "a `#[scoped_key(...)]` with no struct after it".to_owned())?;
        let scopes =
            parse_scope_list(&list.join(",")).map_err(|e| format!("key type `{name}`: {e}"))?;
        found.push((name, scopes));
        rest = tail;
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_declarations_with_options_paths_and_docs() {
        let source = r#"
            use clarifai_typed::scoped_key;
            /// Tags photos.
            #[clarifai_typed::scoped_key(Predict, AddInputs, crate = my::path)]
            #[derive_nothing]
            pub(crate) struct Tagger;

            #[scoped_key(All)]
            struct Admin;
        "#;
        let found = key_types_in(source).unwrap();
        let names: Vec<(&str, usize)> = found.iter().map(|(n, s)| (n.as_str(), s.len())).collect();
        assert_eq!(names, [("Tagger", 2), ("Admin", 1)]);
        assert!(
            key_types_in("#[scoped_key(Teleport)] struct X;")
                .unwrap_err()
                .contains("`Teleport`")
        );
        assert_eq!(
            declaration_for("K", &[]),
            "#[scoped_key(GetApps)]\npub struct K;\n"
        );
    }
}
