//! Concept languages: the names of an app's concept in other languages
//! (ListConceptLanguages, GetConceptLanguage, PostConceptLanguages, PatchConceptLanguages).
//!
//! A concept has a name in its own language (`language` of the concept, `en` by default); the
//! names added here are stored per concept and language. Emulator's choices, where Clarifai
//! documents nothing: the concept's own language is listed first, as one of its languages, and
//! patching it renames the concept; adding a language the concept already has is 40010; a
//! language id is 1 to 16 letters, digits, `-` or `_` (`zh`, `zh-TW`); `remove` deletes added
//! languages (not the concept's own).

use std::collections::BTreeSet;

use clarifai_typed::endpoint::PathParam;
use clarifai_typed::models::StatusCode;
use serde_json::{Value, json};

use crate::request::{Call, Reply, str_field};
use crate::state::{App, ConceptLanguageRec, ConceptRec};
use crate::status::{ApiError, ApiResult};

fn concept<'a>(app: &'a App, id: &str) -> ApiResult<&'a ConceptRec> {
    app.concepts
        .iter()
        .find(|c| c.id == id)
        .ok_or_else(|| ApiError::not_found("concept", id))
}

fn render(language: &str, name: &str, definition: &str) -> Value {
    let mut v = json!({"id": language, "name": name});
    if !definition.is_empty() {
        v["definition"] = json!(definition);
    }
    v
}

/// Every name of the concept: its own language first, then the added ones by language.
fn all(app: &App, c: &ConceptRec) -> Vec<Value> {
    let mut added: Vec<&ConceptLanguageRec> = app
        .records
        .concept_languages
        .iter()
        .filter(|l| l.concept_id == c.id)
        .collect();
    added.sort_by(|a, b| a.language.cmp(&b.language));
    std::iter::once(render(&c.language, &c.name, ""))
        .chain(
            added
                .into_iter()
                .map(|l| render(&l.language, &l.name, &l.definition)),
        )
        .collect()
}

/// ListConceptLanguages.
pub(crate) fn list(call: &Call) -> ApiResult<Reply> {
    let page = call.page()?;
    let id = call.param(PathParam::ConceptId);
    call.with_app(|app| {
        let all = all(app, concept(app, id)?);
        Ok(Reply::ok(json!({"concept_languages": page.slice(&all)})))
    })
}

/// GetConceptLanguage.
pub(crate) fn get(call: &Call) -> ApiResult<Reply> {
    let id = call.param(PathParam::ConceptId);
    let language = call.param(PathParam::LanguageId);
    call.with_app(|app| {
        let c = concept(app, id)?;
        let shown = if c.language == language {
            render(&c.language, &c.name, "")
        } else {
            let l = app
                .records
                .concept_languages
                .iter()
                .find(|l| l.concept_id == id && l.language == language)
                .ok_or_else(|| ApiError::not_found("concept language", language))?;
            render(&l.language, &l.name, &l.definition)
        };
        Ok(Reply::one("concept_language", shown))
    })
}

fn valid_language(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 16
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// One given `concept_languages` item: its language, and its name and definition if given.
type Given = (String, Option<String>, Option<String>);

/// The items of `concept_languages`.
fn given(call: &Call) -> ApiResult<Vec<Given>> {
    let list = call.list("concept_languages")?;
    if list.is_empty() {
        return Err(ApiError::bad_request("no concept_languages given"));
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::with_capacity(list.len());
    for g in list {
        let language = str_field(g, "id");
        if !valid_language(language) {
            return Err(ApiError::bad_request(
                "a concept language's id is a language code: 1 to 16 letters, digits, '-' or '_'",
            ));
        }
        if !seen.insert(language.to_string()) {
            return Err(ApiError::bad_request(format!(
                "language '{language}' is given twice"
            )));
        }
        let text = |f: &str| g.get(f).and_then(Value::as_str).map(str::to_string);
        out.push((language.to_string(), text("name"), text("definition")));
    }
    Ok(out)
}

/// PostConceptLanguages: each new language needs a `name`.
pub(crate) fn add(call: &Call) -> ApiResult<Reply> {
    let id = call.param(PathParam::ConceptId).to_string();
    let given = given(call)?;
    let shown = call.with_app_mut(|app| {
        let c = concept(app, &id)?;
        let own = c.language.clone();
        let mut new = Vec::with_capacity(given.len());
        for (language, name, definition) in given {
            let name = name.filter(|n| !n.is_empty()).ok_or_else(|| {
                ApiError::bad_request(format!("the name in '{language}' is missing"))
            })?;
            let taken = language == own
                || app
                    .records
                    .concept_languages
                    .iter()
                    .any(|l| l.concept_id == id && l.language == language);
            if taken {
                return Err(ApiError::new(
                    StatusCode::DATABASE_DUPLICATE_KEY,
                    format!("concept '{id}' already has a name in '{language}'"),
                ));
            }
            new.push(ConceptLanguageRec {
                id: ConceptLanguageRec::id_of(&id, &language),
                concept_id: id.clone(),
                language,
                name,
                definition: definition.unwrap_or_default(),
            });
        }
        let shown: Vec<Value> = new
            .iter()
            .map(|l| render(&l.language, &l.name, &l.definition))
            .collect();
        app.records.concept_languages.extend(new);
        Ok(shown)
    })?;
    Ok(Reply::one("concept_languages", shown).changed())
}

/// PatchConceptLanguages: `merge` (the fields given) and `overwrite` (name and definition) change
/// existing languages; `remove` deletes added ones. Every language must exist (11101), or nothing
/// changes.
pub(crate) fn patch(call: &Call) -> ApiResult<Reply> {
    let id = call.param(PathParam::ConceptId).to_string();
    let action = call.action()?.to_string();
    let given = given(call)?;
    let shown = call.with_app_mut(|app| {
        let own = concept(app, &id)?.language.clone();
        for (language, name, _) in &given {
            let exists = *language == own
                || app
                    .records
                    .concept_languages
                    .iter()
                    .any(|l| l.concept_id == id && l.language == *language);
            if !exists {
                return Err(ApiError::not_found("concept language", language));
            }
            if *language == own && action == "remove" {
                return Err(ApiError::bad_request(format!(
                    "'{language}' is the concept's own language: it cannot be removed"
                )));
            }
            if action == "overwrite" && name.as_deref().is_none_or(str::is_empty) {
                return Err(ApiError::bad_request(format!(
                    "overwriting '{language}' needs its name"
                )));
            }
        }
        let mut shown = Vec::new();
        for (language, name, definition) in given {
            if action == "remove" {
                app.records
                    .concept_languages
                    .retain(|l| !(l.concept_id == id && l.language == language));
                continue;
            }
            if language == own {
                let Some(c) = app.concepts.get_mut(&id) else {
                    continue;
                };
                if let Some(n) = name.filter(|n| !n.is_empty()) {
                    c.name = n;
                }
                shown.push(render(&c.language, &c.name, ""));
                continue;
            }
            let Some(l) = app
                .records
                .concept_languages
                .get_mut(&ConceptLanguageRec::id_of(&id, &language))
            else {
                continue;
            };
            match action.as_str() {
                "overwrite" => {
                    l.name = name.unwrap_or_default();
                    l.definition = definition.unwrap_or_default();
                }
                _ => {
                    if let Some(n) = name.filter(|n| !n.is_empty()) {
                        l.name = n;
                    }
                    if let Some(d) = definition {
                        l.definition = d;
                    }
                }
            }
            shown.push(render(&l.language, &l.name, &l.definition));
        }
        Ok(shown)
    })?;
    Ok(Reply::one("concept_languages", shown).changed())
}
