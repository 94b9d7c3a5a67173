//! Searches over inputs: by concept, metadata, input id, geo location and visual similarity.
//!
//! Legacy `query.ands[]` (PostSearches) and new `searches[].query.{filters,ranks}`
//! (PostInputsSearches, PostAnnotationsSearches) are read into the same criteria. Only processed
//! inputs (status 30000) are searchable. Scores are in 0..1: the mean cosine similarity of the
//! embeddings when ranking by an image or an input, else the weakest matched concept's value,
//! else 1.

use clarifai_typed::Rpc;
use clarifai_typed::models::StatusCode;
use serde_json::{Value, json};

use super::images::{features_of, has_image};
use super::render;
use crate::request::{Call, Reply, str_field};
use crate::state::{App, InputRec, random_id};
use crate::status::{ApiError, ApiResult};
use crate::vision::{cosine, number};

#[derive(Debug, Clone)]
enum Filter {
    /// `(id or name, wanted value)`; `labels_only` ignores the general model's predictions.
    Concepts {
        concepts: Vec<(String, f32)>,
        labels_only: bool,
    },
    Metadata(Value),
    InputId(String),
    ImageUrl(String),
    /// Inputs whose `data.geo.geo_point` lies in the area.
    Geo(Area),
}

/// A geographic area of a search (`data.geo`).
#[derive(Debug, Clone, Copy)]
enum Area {
    /// Within `km` kilometres (great-circle) of a point (`geo_point` + `geo_limit`).
    Around { lat: f64, lon: f64, km: f64 },
    /// Inside the box two points span (`geo_box`).
    Box { lat: (f64, f64), lon: (f64, f64) },
}

/// Mean radius of the Earth in kilometres.
const EARTH_KM: f64 = 6371.0;

/// `(latitude, longitude)` of a `{"geo_point": {...}}` (or of a bare point).
fn point(v: &Value) -> Option<(f64, f64)> {
    let p = v.get("geo_point").unwrap_or(v);
    Some((
        p.get("latitude").and_then(Value::as_f64)?,
        p.get("longitude").and_then(Value::as_f64)?,
    ))
}

/// The area of a search's `data.geo`: a point with a `geo_limit` (`withinMiles`, default,
/// `withinKilometers`, `withinRadians` or `withinDegrees`), or a `geo_box` of two points.
fn area(geo: &Value) -> Option<Area> {
    if let Some([a, b]) = geo
        .get("geo_box")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
    {
        let ((la, oa), (lb, ob)) = (point(a)?, point(b)?);
        return Some(Area::Box {
            lat: (la.min(lb), la.max(lb)),
            lon: (oa.min(ob), oa.max(ob)),
        });
    }
    let (lat, lon) = point(geo)?;
    let limit = geo.get("geo_limit");
    let value = limit
        .and_then(|l| l.get("value"))
        .and_then(Value::as_f64)
        .unwrap_or(0.0);
    let km = match limit.map_or("", |l| str_field(l, "type")) {
        "withinKilometers" => value,
        "withinRadians" => value * EARTH_KM,
        "withinDegrees" => value.to_radians() * EARTH_KM,
        _ => value * 1.609_344,
    };
    Some(Area::Around { lat, lon, km })
}

impl Area {
    fn contains(&self, (lat, lon): (f64, f64)) -> bool {
        match *self {
            Area::Around {
                lat: lat0,
                lon: lon0,
                km,
            } => {
                let (p1, p2) = (lat0.to_radians(), lat.to_radians());
                let dp = (lat - lat0).to_radians();
                let dl = (lon - lon0).to_radians();
                let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
                2.0 * EARTH_KM * h.sqrt().min(1.0).asin() <= km
            }
            Area::Box { lat: la, lon: lo } => {
                (la.0..=la.1).contains(&lat) && (lo.0..=lo.1).contains(&lon)
            }
        }
    }
}

#[derive(Debug, Clone)]
enum Rank {
    /// An image to compare with (read asynchronously).
    Image(Value),
    /// An input of the app to compare with.
    Input(String),
}

#[derive(Debug, Default)]
struct Criteria {
    filters: Vec<(Filter, bool)>,
    ranks: Vec<Rank>,
}

fn concepts_of(data: &Value) -> Vec<(String, f32)> {
    data.get("concepts")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|c| {
                    let key = match (str_field(c, "id"), str_field(c, "name")) {
                        ("", "") => return None,
                        ("", name) => name,
                        (id, _) => id,
                    };
                    Some((
                        key.to_string(),
                        c.get("value").and_then(Value::as_f64).unwrap_or(1.0) as f32,
                    ))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Reads the `data` of a clause: concepts, metadata, image.
fn read_data(data: &Value, labels_only: bool, negate: bool, image_ranks: bool, c: &mut Criteria) {
    let concepts = concepts_of(data);
    if !concepts.is_empty() {
        c.filters.push((
            Filter::Concepts {
                concepts,
                labels_only,
            },
            negate,
        ));
    }
    if let Some(m) = data
        .get("metadata")
        .filter(|m| m.as_object().is_some_and(|o| !o.is_empty()))
    {
        c.filters.push((Filter::Metadata(m.clone()), negate));
    }
    if let Some(a) = data.get("geo").and_then(area) {
        c.filters.push((Filter::Geo(a), negate));
    }
    if let Some(img) = data.get("image") {
        // An empty image (`"image": {}`, as the 2.6.2 client sends beside an input id) ranks
        // by nothing.
        if image_ranks {
            if has_image(data) {
                c.ranks.push(Rank::Image(data.clone()));
            }
        } else if let Some(url) = img.get("url").and_then(Value::as_str) {
            c.filters.push((Filter::ImageUrl(url.into()), negate));
        }
    }
}

fn criteria(rpc: Rpc, body: &Value) -> ApiResult<Criteria> {
    let mut c = Criteria::default();
    if rpc == Rpc::PostSearches {
        let ands = body
            .pointer("/query/ands")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for and in &ands {
            let negate = and.get("negate").and_then(Value::as_bool).unwrap_or(false);
            if let Some(input) = and.get("input") {
                if let Some(id) = input.get("id").and_then(Value::as_str) {
                    c.filters.push((Filter::InputId(id.into()), negate));
                }
                if let Some(d) = input.get("data") {
                    read_data(d, true, negate, false, &mut c);
                }
            }
            if let Some(output) = and.get("output") {
                if let Some(d) = output.get("data") {
                    read_data(d, false, negate, true, &mut c);
                }
                if let Some(input) = output.get("input") {
                    if let Some(id) = input
                        .get("id")
                        .and_then(Value::as_str)
                        .filter(|s| !s.is_empty())
                    {
                        c.ranks.push(Rank::Input(id.into()));
                    }
                    if let Some(d) = input.get("data") {
                        read_data(d, false, negate, true, &mut c);
                    }
                }
            }
        }
        return Ok(c);
    }
    let searches = body
        .get("searches")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for s in &searches {
        let q = s.get("query").cloned().unwrap_or(Value::Null);
        for f in q
            .get("filters")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
        {
            let negate = f.get("negate").and_then(Value::as_bool).unwrap_or(false);
            for part in [f.get("annotation"), f.get("input")].into_iter().flatten() {
                let id = match str_field(part, "input_id") {
                    "" => str_field(part, "id"),
                    id => id,
                };
                if !id.is_empty() {
                    c.filters.push((Filter::InputId(id.into()), negate));
                }
                if let Some(d) = part.get("data") {
                    read_data(d, false, negate, false, &mut c);
                }
            }
        }
        for r in q
            .get("ranks")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
        {
            let Some(a) = r.get("annotation").or_else(|| r.get("input")) else {
                continue;
            };
            let id = match str_field(a, "input_id") {
                "" => str_field(a, "id"),
                id => id,
            };
            if !id.is_empty() {
                c.ranks.push(Rank::Input(id.into()));
            }
            if let Some(d) = a.get("data") {
                read_data(d, false, false, true, &mut c);
            }
        }
    }
    Ok(c)
}

/// `want` is contained in `have` (objects: every key, recursively; otherwise equal).
fn subset(want: &Value, have: &Value) -> bool {
    match (want, have) {
        (Value::Object(w), Value::Object(h)) => w
            .iter()
            .all(|(k, v)| h.get(k).is_some_and(|hv| subset(v, hv))),
        _ => want == have,
    }
}

/// The score of `input` for one filter, or `None` when it does not match.
fn filter_score(app: &App, input: &InputRec, f: &Filter) -> Option<f32> {
    match f {
        Filter::InputId(id) => (input.id == *id).then_some(1.0),
        Filter::ImageUrl(url) => {
            (input.data.pointer("/image/url").and_then(Value::as_str) == Some(url)).then_some(1.0)
        }
        Filter::Geo(a) => input
            .data
            .pointer("/geo")
            .and_then(point)
            .is_some_and(|p| a.contains(p))
            .then_some(1.0),
        Filter::Metadata(m) => input
            .data
            .get("metadata")
            .is_some_and(|h| subset(m, h))
            .then_some(1.0),
        Filter::Concepts {
            concepts,
            labels_only,
        } => {
            let labels = app.labels(input);
            let mut score = 1.0f32;
            for (key, want) in concepts {
                let label = labels
                    .iter()
                    .find(|(id, _)| id == key || app.concept_name(id) == *key)
                    .map(|(_, v)| *v);
                let s = if *want > 0.0 {
                    let predicted = if *labels_only {
                        None
                    } else {
                        input
                            .features
                            .as_ref()
                            .and_then(|f| f.concepts.iter().find(|(n, _)| n == key))
                            .map(|(_, v)| *v)
                            .filter(|v| *v >= 0.5)
                    };
                    match (label.filter(|v| *v > 0.0), predicted) {
                        (Some(l), Some(p)) => Some(l.max(p)),
                        (l, p) => l.or(p),
                    }
                } else {
                    label.filter(|v| *v <= 0.0).map(|_| 1.0)
                };
                score = score.min(s?);
            }
            Some(score)
        }
    }
}

/// What a search reads that a depending scope guards: an answer (hits, their number, their
/// order) may depend on guarded data only if the key may read it. Naming stored inputs by id
/// needs `Inputs:Get`, filtering by concepts `Concepts:Get`, and any filter of an annotation
/// search `Annotations:Get`; without them the search is refused (11007), whatever the data.
/// Metadata, geo and visual-similarity criteria need no more than `Search`: the hits of a key
/// without `Inputs:Get` are redacted to their scores, so it learns how many inputs match and how
/// well, never which.
fn check_reads(call: &Call, rpc: Rpc, c: &Criteria) -> ApiResult<()> {
    use clarifai_typed::Scope;
    use clarifai_typed::scope::{GetAnnotations, GetConcepts, GetInputs};
    let by_id = c
        .filters
        .iter()
        .any(|(f, _)| matches!(f, Filter::InputId(_)))
        || c.ranks.iter().any(|r| matches!(r, Rank::Input(_)));
    if by_id {
        call.require_read(Scope::of::<GetInputs>(), "a search naming inputs by id")?;
    }
    if c.filters
        .iter()
        .any(|(f, _)| matches!(f, Filter::Concepts { .. }))
    {
        call.require_read(Scope::of::<GetConcepts>(), "a search by concepts")?;
    }
    if rpc == Rpc::PostAnnotationsSearches && !c.filters.is_empty() {
        call.require_read(
            Scope::of::<GetAnnotations>(),
            "a filtered annotation search",
        )?;
    }
    Ok(())
}

pub(crate) async fn search(call: &Call) -> ApiResult<Reply> {
    search_with(call, call.rpc, &call.body, None).await
}

/// Runs the search `body` as `rpc` (PostSearches: the legacy `query.ands`; PostInputsSearches,
/// PostAnnotationsSearches: `searches[].query`) for `call`'s key, on the inputs added at or
/// before `as_of` (seconds since the epoch), if given: how a saved search runs again.
pub(crate) async fn search_with(
    call: &Call,
    rpc: Rpc,
    body: &Value,
    as_of: Option<i64>,
) -> ApiResult<Reply> {
    let page = call.page()?;
    let c = criteria(rpc, body)?;
    check_reads(call, rpc, &c)?;
    // A search sees every input added before it: it waits (30 s at most) for the inputs still
    // being processed, as Clarifai's suites search right after adding (issue 10, C14).
    let mut pending = call.shared.pending.subscribe();
    let _ = tokio::time::timeout(
        std::time::Duration::from_secs(30),
        pending.wait_for(|n| *n == 0),
    )
    .await;
    // Vectors to rank by, read before taking the state lock.
    let mut vectors: Vec<Vec<f32>> = Vec::new();
    for r in &c.ranks {
        match r {
            Rank::Image(data) => {
                let f = features_of(&call.shared, data)
                    .await
                    .map_err(|(_, d)| ApiError::new(StatusCode::SEARCH_PREDICTION_FAILURE, d))?;
                vectors.push(f.embedding);
            }
            Rank::Input(id) => {
                let v = call.with_app(|app| {
                    let input = app
                        .input(id)
                        .ok_or_else(|| ApiError::not_found("input", id))?;
                    input
                        .features
                        .as_ref()
                        .map(|f| f.embedding.clone())
                        .ok_or_else(|| {
                            ApiError::new(
                                StatusCode::SEARCH_BY_NOT_FULLY_INDEXED_INPUT,
                                format!("input '{id}' is not indexed yet"),
                            )
                        })
                })?;
                vectors.push(v);
            }
        }
    }
    let annotations = rpc == Rpc::PostAnnotationsSearches;
    let host = render::Hosting::of(call);
    call.with_app(|app| {
        let mut scored: Vec<(f32, usize)> = Vec::new();
        'inputs: for (pos, input) in app.inputs.iter().enumerate() {
            if input.status_code != StatusCode::INPUT_SUCCESS {
                continue;
            }
            if as_of.is_some_and(|t| crate::time::parse(&input.created_at).is_none_or(|c| c > t)) {
                continue;
            }
            let mut concept_score = 1.0f32;
            for (f, negate) in &c.filters {
                let s = filter_score(app, input, f);
                match (s, negate) {
                    (Some(s), false) => concept_score = concept_score.min(s),
                    (None, true) => {}
                    _ => continue 'inputs,
                }
            }
            let score = if vectors.is_empty() {
                concept_score
            } else {
                let Some(f) = &input.features else { continue };
                vectors.iter().map(|v| cosine(v, &f.embedding)).sum::<f32>() / vectors.len() as f32
            };
            scored.push((score, pos));
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut hits: Vec<Value> = Vec::new();
        for (score, pos) in scored {
            let input = &app.inputs[pos];
            let base = json!({
                "score": number(score, 6),
                "input": render::input(input, &host),
                "user_id": app.user_id,
                "app_id": app.id,
            });
            if !annotations {
                hits.push(base);
                continue;
            }
            let mine: Vec<Value> = app
                .annotations
                .iter()
                .filter(|a| a.input_id == input.id)
                .map(|a| render::annotation(a, app))
                .collect();
            if mine.is_empty() {
                let mut h = base;
                h["annotation"] = json!({
                    "id": format!("{}-input", input.id),
                    "input_id": input.id,
                    "data": {"concepts": input.data.get("concepts").cloned().unwrap_or_else(|| json!([]))},
                });
                hits.push(h);
            } else {
                for a in mine {
                    let mut h = base.clone();
                    h["annotation"] = a;
                    hits.push(h);
                }
            }
        }
        Ok(Reply::ok(json!({"id": random_id(), "hits": page.slice(&hits)})))
    })
}
