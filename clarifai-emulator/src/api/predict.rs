//! Predictions: running built-in and custom models on inputs (PostModelOutputs).

use clarifai_typed::Scope;
use clarifai_typed::endpoint::PathParam;
use clarifai_typed::models::StatusCode;
use serde_json::{Value, json};

use super::images::{InputFailure, features_of_many, frames_of, has_image, video_as_image};
use super::render;
use crate::builtin::{self, Kind};
use crate::request::{Call, Reply, check_batch, str_field};
use crate::state::{App, random_id};
use crate::status::{ApiError, ApiResult, status_json};
use crate::time;
use crate::vision::{Blob, Features, Frame, cosine, number};
use crate::w3c;

/// A model ready to run, copied out of the state.
#[derive(Debug, Clone)]
pub(crate) struct Runnable {
    /// The model as shown in `outputs[].model`.
    pub(crate) shown: Value,
    kind: RunKind,
}

#[derive(Debug, Clone)]
enum RunKind {
    Builtin(Kind),
    /// `(concept id, concept name, centroid, known only from negative labels)`.
    Custom {
        centroids: Vec<(String, String, Vec<f32>, bool)>,
        app_id: String,
    },
}

/// Finds model `model_id` (custom in `app`, else built-in) at `version_id` (default: latest
/// trained) and makes it runnable.
pub(crate) fn runnable(app: &App, model_id: &str, version_id: Option<&str>) -> ApiResult<Runnable> {
    let version_id = version_id.filter(|v| !v.is_empty());
    if let Some(m) = app.model(model_id) {
        let version = match version_id {
            Some(v) => m
                .versions
                .iter()
                .find(|x| x.id == v)
                .ok_or_else(|| ApiError::not_found("model version", v))?,
            None => m
                .versions
                .iter()
                .rev()
                .find(|x| x.status_code == StatusCode::MODEL_TRAINED)
                .ok_or_else(|| {
                    ApiError::new(
                        StatusCode::MODEL_UNTRAINED,
                        format!("model '{model_id}' has no trained version: train it with POST /v2/models/{model_id}/versions"),
                    )
                })?,
        };
        if version.status_code != StatusCode::MODEL_TRAINED {
            return Err(ApiError::new(
                StatusCode::MODEL_UNTRAINED,
                format!(
                    "version '{}' of model '{model_id}' is not trained",
                    version.id
                ),
            ));
        }
        let centroids = version
            .centroids
            .iter()
            .map(|(id, c)| (id, c, false))
            .chain(version.negatives.iter().map(|(id, c)| (id, c, true)))
            .map(|(id, c, negative)| (id.clone(), app.concept_name(id), c.clone(), negative))
            .collect();
        return Ok(Runnable {
            shown: render::model(m, app, Some(version), false),
            kind: RunKind::Custom {
                centroids,
                app_id: app.id.clone(),
            },
        });
    }
    let b = builtin::find(model_id).ok_or_else(|| ApiError::not_found("model", model_id))?;
    let version = match version_id {
        Some(v) => b
            .version(v)
            .ok_or_else(|| ApiError::not_found("model version", v))?,
        None => b.version_id(),
    };
    Ok(Runnable {
        shown: render::builtin_model(b, false, model_id, version),
        kind: RunKind::Builtin(b.kind),
    })
}

/// Per-request options (`model.output_info.output_config` of the request).
#[derive(Debug, Clone, Default)]
pub(crate) struct OutputConfig {
    min_value: f32,
    max_concepts: usize,
    select: Vec<String>,
    /// How far apart a video's sampled frames are, in milliseconds (default 1000).
    pub(crate) sample_ms: u64,
}

/// The default `sample_ms`: one frame a second (Clarifai's documented default).
const DEFAULT_SAMPLE_MS: u64 = 1000;

impl OutputConfig {
    /// The options of a predict request: `model.output_info.output_config` (PostModelOutputs),
    /// or the request's own `output_config` (PostWorkflowResults; the model's wins where both
    /// set a field).
    pub(crate) fn from_request(body: &Value) -> OutputConfig {
        let model = body.pointer("/model/output_info/output_config");
        let top = body.get("output_config");
        let get = |f: &str| {
            model
                .and_then(|c| c.get(f))
                .filter(|v| !v.is_null())
                .or_else(|| top.and_then(|c| c.get(f)).filter(|v| !v.is_null()))
        };
        OutputConfig {
            sample_ms: get("sample_ms")
                .and_then(crate::request::number)
                .filter(|n| *n > 0)
                .map_or(DEFAULT_SAMPLE_MS, |n| n as u64),
            min_value: get("min_value").and_then(Value::as_f64).unwrap_or(0.0) as f32,
            max_concepts: get("max_concepts")
                .and_then(crate::request::number)
                .unwrap_or(0),
            select: get("select_concepts")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .flat_map(|c| [str_field(c, "id"), str_field(c, "name")])
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    fn apply(&self, mut concepts: Vec<(String, String, f32)>) -> Vec<(String, String, f32)> {
        if !self.select.is_empty() {
            concepts.retain(|(id, name, _)| self.select.contains(id) || self.select.contains(name));
        }
        concepts.retain(|c| c.2 >= self.min_value);
        concepts.sort_by(|a, b| b.2.total_cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
        let max = if self.max_concepts == 0 {
            20
        } else {
            self.max_concepts
        };
        concepts.truncate(max);
        concepts
    }
}

/// The `data` of an output of `model` on an image with `features`.
pub(crate) fn run(model: &Runnable, f: &Features, config: &OutputConfig) -> Value {
    let concepts_json = |list: Vec<(String, String, f32)>, app_id: &str| -> Value {
        let list: Vec<Value> = config
            .apply(list)
            .into_iter()
            .map(|(id, name, value)| json!({"id": id, "name": name, "value": number(value, 5), "app_id": app_id}))
            .collect();
        json!({"concepts": list})
    };
    match &model.kind {
        RunKind::Builtin(Kind::Color) => {
            let colors: Vec<Value> = f
                .colors
                .iter()
                .filter_map(|c| {
                    let (name, hex) = *w3c::COLORS.get(c.w3c)?;
                    Some(json!({
                        "raw_hex": w3c::hex(c.raw),
                        "w3c": {"hex": w3c::hex(w3c::split(hex)), "name": name},
                        "value": number(c.value, 5),
                    }))
                })
                .collect();
            json!({"colors": colors})
        }
        RunKind::Builtin(Kind::Embed) => json!({"embeddings": [{
            "vector": f.embedding.iter().map(|x| number(*x, 5)).collect::<Vec<_>>(),
            "num_dimensions": f.embedding.len(),
        }]}),
        RunKind::Builtin(Kind::General) => {
            let list = f
                .concepts
                .iter()
                .map(|(n, v)| (n.clone(), n.clone(), *v))
                .collect();
            concepts_json(list, builtin::PUBLIC_APP)
        }
        RunKind::Builtin(Kind::Detect) => {
            let list = f
                .regions
                .iter()
                .map(|r| (r.concept.clone(), r.concept.clone(), r.value))
                .collect();
            let kept = config.apply(list);
            let regions: Vec<Value> = kept
                .iter()
                .filter_map(|(id, _, _)| f.regions.iter().find(|r| r.concept == *id))
                .enumerate()
                .map(|(i, r)| {
                    json!({
                        "id": format!("region-{}-{}", i + 1, r.concept),
                        "region_info": {"bounding_box": {
                            "top_row": number(r.bbox[0], 5),
                            "left_col": number(r.bbox[1], 5),
                            "bottom_row": number(r.bbox[2], 5),
                            "right_col": number(r.bbox[3], 5),
                        }},
                        "data": {"concepts": [{
                            "id": r.concept,
                            "name": r.concept,
                            "value": number(r.value, 5),
                            "app_id": builtin::PUBLIC_APP,
                        }]},
                        "value": number(r.value, 5),
                    })
                })
                .collect();
            json!({"regions": regions})
        }
        RunKind::Builtin(Kind::Vocabulary(words)) => {
            concepts_json(builtin::score(words, &f.attributes), builtin::PUBLIC_APP)
        }
        RunKind::Builtin(Kind::Focus) => {
            let focus = &f.focus;
            let mut data = json!({"focus": {
                "density": number(focus.density, 5),
                "value": number(focus.value, 5),
            }});
            if focus.value > 0.0 {
                data["regions"] = json!([{
                    "id": "focus-1",
                    "region_info": {"bounding_box": bbox(focus.bbox)},
                    "data": {"focus": {
                        "density": number(focus.density, 5),
                        "value": number(focus.region_value, 5),
                    }},
                    "value": number(focus.region_value, 5),
                }]);
            }
            data
        }
        RunKind::Builtin(
            kind @ (Kind::Faces
            | Kind::FaceEmbed
            | Kind::Demographics
            | Kind::Celebrity
            | Kind::Logo),
        ) => {
            let blobs = if *kind == Kind::Logo {
                &f.marks
            } else {
                &f.faces
            };
            let regions: Vec<Value> = blobs
                .iter()
                .enumerate()
                .map(|(i, blob)| {
                    json!({
                        "id": format!("{}-{}", if *kind == Kind::Logo { "mark" } else { "face" }, i + 1),
                        "region_info": {"bounding_box": bbox(blob.bbox)},
                        "data": blob_data(*kind, blob, config),
                        "value": number(blob.density, 5),
                    })
                })
                .collect();
            if regions.is_empty() {
                json!({})
            } else {
                json!({"regions": regions})
            }
        }
        RunKind::Custom { centroids, app_id } => {
            let list = centroids
                .iter()
                .map(|(id, name, c, negative)| {
                    let similarity = cosine(&f.embedding, c);
                    let v = if *negative {
                        1.0 - similarity
                    } else {
                        similarity
                    };
                    (
                        id.clone(),
                        name.clone(),
                        (v * 100_000.0).round() / 100_000.0,
                    )
                })
                .collect();
            concepts_json(list, app_id)
        }
    }
}

/// A bounding box as the API shows it.
fn bbox([top, left, bottom, right]: [f32; 4]) -> Value {
    json!({
        "top_row": number(top, 5),
        "left_col": number(left, 5),
        "bottom_row": number(bottom, 5),
        "right_col": number(right, 5),
    })
}

/// The `data` of one region of a face or logo model.
fn blob_data(kind: Kind, blob: &Blob, config: &OutputConfig) -> Value {
    let concept = |(id, name, value): (String, String, f32), vocab: Option<&str>| {
        let mut c = json!({"id": id, "name": name, "value": number(value, 5), "app_id": builtin::PUBLIC_APP});
        if let Some(v) = vocab {
            c["vocab_id"] = json!(v);
        }
        c
    };
    // Concepts of `labels`, scored by projecting the blob's embedding (see `builtin::projection`).
    let projected = |labels: Vec<(String, String)>, salt: &str| {
        let ids: Vec<String> = labels.iter().map(|(id, _)| id.clone()).collect();
        let values = builtin::projection(&blob.embedding, &ids, salt);
        config.apply(
            labels
                .into_iter()
                .zip(values)
                .map(|((id, name), v)| (id, name, v))
                .collect(),
        )
    };
    let named = |list: &[&str]| -> Vec<(String, String)> {
        list.iter().map(|n| builtin::concept_id(n)).collect()
    };
    match kind {
        Kind::FaceEmbed => json!({"embeddings": [{
            "vector": blob.embedding.iter().map(|x| number(*x, 5)).collect::<Vec<_>>(),
            "num_dimensions": blob.embedding.len(),
        }]}),
        Kind::Celebrity => {
            let list: Vec<Value> = projected(named(builtin::IDENTITIES), "identity")
                .into_iter()
                .map(|c| concept(c, None))
                .collect();
            json!({"face": {"identity": {"concepts": list}}})
        }
        Kind::Demographics => {
            let ages: Vec<(String, String)> = builtin::AGES
                .map(|a| builtin::concept_id(&a.to_string()))
                .collect();
            let mut all = Vec::new();
            let mut face = serde_json::Map::new();
            for (vocab, labels) in [
                ("age_appearance", ages),
                ("gender_appearance", named(builtin::GENDERS)),
                ("multicultural_appearance", named(builtin::MULTICULTURAL)),
            ] {
                let list: Vec<Value> = projected(labels, vocab)
                    .into_iter()
                    .map(|c| concept(c, Some(vocab)))
                    .collect();
                all.extend(list.iter().cloned());
                face.insert(vocab.into(), json!({"concepts": list}));
            }
            json!({"concepts": all, "face": face})
        }
        Kind::Logo => {
            let shape = if blob.aspect > 1.8 {
                "wide mark"
            } else if blob.aspect < 0.55 {
                "tall mark"
            } else if (0.6..0.85).contains(&blob.density) {
                "round mark"
            } else {
                "square mark"
            };
            let (id, name) = builtin::concept_id(shape);
            json!({"concepts": [concept((id, name, blob.density), None)]})
        }
        _ => json!({}),
    }
}

/// An input of a predict request, with what the models read of it or why it could not be read.
#[derive(Debug)]
pub(crate) struct Source {
    /// The input as echoed in outputs (id and data, without image bytes).
    pub(crate) shown: Value,
    pub(crate) media: Result<Media, InputFailure>,
}

/// What the models read of an input.
#[derive(Debug)]
pub(crate) enum Media {
    /// An image.
    Image(Box<Features>),
    /// A video (`data.video`), as sampled frames: its output is `data.frames`.
    Video(Vec<Frame>),
}

impl Source {
    pub(crate) fn is_ok(&self) -> bool {
        self.media.is_ok()
    }
}

/// The inputs to run a model or workflow on, read from the request (`inputs[]`): an image, a
/// video (sampled every `sample_ms` milliseconds), or the `id` of an input already in the app.
/// An input given only by id reads a stored input's pixels: that needs `Inputs:Get` (11007
/// without it, whether or not the id exists).
pub(crate) async fn sources(
    call: &Call,
    inputs: &[Value],
    sample_ms: u64,
) -> ApiResult<Vec<Source>> {
    let by_id = inputs.iter().any(|g| {
        !str_field(g, "id").is_empty()
            && g.get("data")
                .is_none_or(|d| !has_image(d) && video_as_image(d).is_none())
    });
    if by_id {
        call.require_read(
            Scope::of::<clarifai_typed::scope::GetInputs>(),
            "an input given by id",
        )?;
    }
    let datas: Vec<Value> = inputs
        .iter()
        .map(|g| g.get("data").cloned().unwrap_or_else(|| json!({})))
        .collect();
    let videos: Vec<Option<Value>> = datas.iter().map(video_as_image).collect();
    // Images first, all at once; videos (rarer, and many frames each) one after the other.
    let images: Vec<Value> = datas
        .iter()
        .zip(&videos)
        .map(|(d, v)| if v.is_some() { json!({}) } else { d.clone() })
        .collect();
    let computed = features_of_many(&call.shared, &images).await;
    let mut out = Vec::with_capacity(inputs.len());
    for (((given, data), computed), video) in inputs.iter().zip(datas).zip(computed).zip(videos) {
        let id = match str_field(given, "id") {
            "" => random_id(),
            id => id.to_string(),
        };
        let media = match (video, computed) {
            (Some(video), _) => frames_of(&call.shared, &video, sample_ms)
                .await
                .map(Media::Video),
            (None, Some(result)) => result.map(|f| Media::Image(Box::new(f))),
            (None, None) => stored_features(call, &id).map(|f| Media::Image(Box::new(f))),
        };
        let mut shown_data = data;
        for media in ["image", "video"] {
            if let Some(m) = shown_data.get_mut(media).and_then(Value::as_object_mut) {
                m.remove("base64");
            }
        }
        out.push(Source {
            shown: json!({"id": id, "data": shown_data}),
            media,
        });
    }
    Ok(out)
}

fn stored_features(call: &Call, id: &str) -> Result<Features, InputFailure> {
    let found = call
        .with_app(|app| Ok(app.input(id).map(|i| (i.features.clone(), i.status_code))))
        .ok()
        .flatten();
    match found {
        Some((Some(f), _)) => Ok(f),
        Some((None, code)) if code == StatusCode::INPUT_PENDING => Err((
            StatusCode::INPUT_PENDING,
            format!("input '{id}' is still being processed"),
        )),
        Some((None, _)) => Err((
            StatusCode::INPUT_FAILED,
            format!("input '{id}' has no usable image"),
        )),
        None => Err((
            StatusCode::INPUT_INVALID_ARGUMENT,
            "the input has no image (give data.image.url or data.image.base64)".into(),
        )),
    }
}

/// One output per source.
pub(crate) fn outputs(model: &Runnable, sources: &[Source], config: &OutputConfig) -> Vec<Value> {
    let now = time::now();
    sources
        .iter()
        .map(|s| {
            let (st, data) = match &s.media {
                Ok(Media::Video(frames)) => {
                    let frames: Vec<Value> = frames
                        .iter()
                        .map(|fr| {
                            json!({
                                "frame_info": {"index": fr.index, "time": fr.time},
                                "data": run(model, &fr.features, config),
                            })
                        })
                        .collect();
                    (
                        status_json(StatusCode::SUCCESS, None),
                        json!({"frames": frames}),
                    )
                }
                Ok(Media::Image(f)) => (
                    status_json(StatusCode::SUCCESS, None),
                    run(model, f, config),
                ),
                Err((code, details)) => (status_json(*code, Some(details)), json!({})),
            };
            json!({
                "id": random_id(),
                "status": st,
                "created_at": now,
                "model": model.shown,
                "input": s.shown,
                "data": data,
            })
        })
        .collect()
}

/// The status of a request from its items': 10000 when every item succeeded, 10010 when some
/// did; when none did, the items' status if they all failed alike (a predict whose one input
/// cannot be downloaded is 30002 at the top, as Clarifai's grpc suite expects), else 10020.
pub(crate) fn overall(sources: &[Source]) -> StatusCode {
    let ok = sources.iter().filter(|s| s.is_ok()).count();
    if ok == sources.len() {
        return StatusCode::SUCCESS;
    }
    if ok > 0 {
        return StatusCode::MIXED_STATUS;
    }
    let mut codes = sources
        .iter()
        .filter_map(|s| s.media.as_ref().err().map(|e| e.0));
    match codes.next() {
        Some(first) if codes.all(|c| c == first) => first,
        _ => StatusCode::FAILURE,
    }
}

pub(crate) async fn post_model_outputs(call: &Call) -> ApiResult<Reply> {
    let inputs = call.list("inputs")?;
    check_batch(inputs.len())?;
    let model_id = call.param(PathParam::ModelId);
    let version_id = call.optional_param(PathParam::VersionId).or_else(|| {
        call.body
            .pointer("/model/model_version/id")
            .and_then(Value::as_str)
    });
    let model = call.with_app(|app| runnable(app, model_id, version_id))?;
    let config = OutputConfig::from_request(&call.body);
    let sources = sources(call, inputs, config.sample_ms).await?;
    let outputs = outputs(&model, &sources, &config);
    Ok(Reply::one("outputs", outputs).with_code(overall(&sources)))
}
