//! Concepts: list, get, add, patch, search by name, counts.

use clarifai_typed::endpoint::PathParam;
use clarifai_typed::models::StatusCode;
use std::collections::{HashMap, HashSet};

use serde_json::{Value, json};

use super::render;
use crate::builtin;
use crate::request::{Call, Reply, str_field};
use crate::state::ConceptRec;
use crate::status::{ApiError, ApiResult};
use crate::time;
use crate::vision::GENERAL_CONCEPTS;

pub(crate) fn list_concepts(call: &Call) -> ApiResult<Reply> {
    let page = call.page()?;
    call.with_app(|app| {
        let all: Vec<Value> = app
            .concepts
            .iter()
            .map(|c| render::concept(c, &app.id))
            .collect();
        Ok(Reply::ok(json!({"concepts": page.slice(&all)})))
    })
}

pub(crate) fn get_concept(call: &Call) -> ApiResult<Reply> {
    let id = call.param(PathParam::ConceptId);
    call.with_app(|app| {
        let c = app
            .concepts
            .iter()
            .find(|c| c.id == id)
            .ok_or_else(|| ApiError::not_found("concept", id))?;
        Ok(Reply::ok(json!({"concept": render::concept(c, &app.id)})))
    })
}

/// The most concepts one PostConcepts or PatchConcepts may carry: the work of a request stays
/// bounded (Clarifai documents no limit; the emulator's choice, the limit of every list).
pub(crate) const MAX_CONCEPTS: usize = crate::wire::MAX_ITEMS;

fn check_concept_count(n: usize) -> ApiResult<()> {
    if n == 0 {
        return Err(ApiError::bad_request("no concepts given"));
    }
    if n > MAX_CONCEPTS {
        return Err(ApiError::bad_request(format!(
            "{n} concepts in one request; the limit is {MAX_CONCEPTS}: send them in batches"
        )));
    }
    Ok(())
}

pub(crate) fn post_concepts(call: &Call) -> ApiResult<Reply> {
    let given = call.list("concepts")?;
    check_concept_count(given.len())?;
    let shown = call.with_app_mut(|app| {
        let existing: HashSet<&str> = app.concepts.iter().map(|c| c.id.as_str()).collect();
        let mut seen: HashSet<&str> = HashSet::with_capacity(given.len());
        let mut new: Vec<ConceptRec> = Vec::new();
        for g in given {
            let id = str_field(g, "id");
            if id.is_empty() {
                return Err(ApiError::bad_request("every concept needs an 'id'"));
            }
            // 40003 "Invalid request", details naming the duplicate: what Clarifai's grpc suite
            // (test_concept_post_get_patch) and 2.6.2 suite (test_concepts) expect.
            if existing.contains(id) || !seen.insert(id) {
                return Err(ApiError::new(
                    StatusCode::CONCEPTS_INVALID_REQUEST,
                    format!("duplicate concept id '{id}': it already exists"),
                ));
            }
            new.push(ConceptRec {
                id: id.into(),
                name: match str_field(g, "name") {
                    "" => id.into(),
                    n => n.into(),
                },
                language: match str_field(g, "language") {
                    "" => "en".into(),
                    l => l.into(),
                },
                created_at: time::now(),
            });
        }
        let shown: Vec<Value> = new.iter().map(|c| render::concept(c, &app.id)).collect();
        app.concepts.extend(new);
        Ok(shown)
    })?;
    Ok(Reply::one("concepts", shown).changed())
}

pub(crate) fn patch_concepts(call: &Call) -> ApiResult<Reply> {
    let given = call.list("concepts")?;
    check_concept_count(given.len())?;
    let shown = call.with_app_mut(|app| {
        let position: HashMap<String, usize> = app
            .concepts
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), i))
            .collect();
        for g in given {
            let id = str_field(g, "id");
            if !position.contains_key(id) {
                return Err(ApiError::not_found("concept", id));
            }
        }
        let mut shown = Vec::new();
        for g in given {
            let Some(c) = position
                .get(str_field(g, "id"))
                .and_then(|&i| app.concepts.get_mut_at(i))
            else {
                continue;
            };
            if let Some(name) = g.get("name").and_then(Value::as_str) {
                c.name = name.into();
            }
            if let Some(l) = g.get("language").and_then(Value::as_str) {
                c.language = l.into();
            }
            let c = c.clone();
            shown.push(render::concept(&c, &app.id));
        }
        Ok(shown)
    })?;
    Ok(Reply::one("concepts", shown).changed())
}

/// `*` matches any run of characters; case-insensitive.
pub(crate) fn wildcard(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    let t: Vec<char> = text.to_lowercase().chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

pub(crate) fn search_concepts(call: &Call) -> ApiResult<Reply> {
    let page = call.page()?;
    let name = call
        .body
        .pointer("/concept_query/name")
        .and_then(Value::as_str)
        .unwrap_or("*");
    let name = if name.is_empty() { "*" } else { name };
    call.with_app(|app| {
        let mut found: Vec<Value> = app
            .concepts
            .iter()
            .filter(|c| wildcard(name, &c.name) || wildcard(name, &c.id))
            .map(|c| render::concept(c, &app.id))
            .collect();
        let general = builtin::general();
        for n in GENERAL_CONCEPTS {
            if wildcard(name, n) && !app.concepts.iter().any(|c| c.id == *n) {
                found.push(render::builtin_concept(general, n, n));
            }
        }
        Ok(Reply::ok(json!({"concepts": page.slice(&found)})))
    })
}

pub(crate) fn concept_counts(call: &Call) -> ApiResult<Reply> {
    let page = call.page()?;
    call.with_app(|app| {
        let mut counts: Vec<(String, u32, u32)> =
            app.concepts.iter().map(|c| (c.id.clone(), 0, 0)).collect();
        for input in &app.inputs {
            for (id, value) in app.labels(input) {
                if let Some(e) = counts.iter_mut().find(|(c, _, _)| *c == id) {
                    if value > 0.0 {
                        e.1 += 1;
                    } else {
                        e.2 += 1;
                    }
                }
            }
        }
        let all: Vec<Value> = counts
            .into_iter()
            .map(|(id, pos, neg)| {
                json!({
                    "id": id,
                    "name": app.concept_name(&id),
                    "concept_type_count": {"positive": pos, "negative": neg},
                })
            })
            .collect();
        Ok(Reply::ok(json!({"concept_counts": page.slice(&all)})))
    })
}

#[cfg(test)]
mod tests {
    use super::wildcard;

    #[test]
    fn wildcards() {
        assert!(wildcard("dog*", "Doggo"));
        assert!(wildcard("*", ""));
        assert!(wildcard("*og", "dog"));
        assert!(!wildcard("cat*", "dog"));
        assert!(wildcard("d*g", "dooog"));
    }
}
