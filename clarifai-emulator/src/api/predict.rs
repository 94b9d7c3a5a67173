//! Predictions: running built-in and custom models on inputs (PostModelOutputs).

use clarifai_typed::Scope;
use clarifai_typed::endpoint::PathParam;
use clarifai_typed::models::StatusCode;
use serde_json::{Value, json};

use super::images::{InputFailure, features_of_many, has_image};
use super::render;
use crate::builtin::{self, Kind};
use crate::request::{Call, Reply, check_batch, str_field};
use crate::state::{App, random_id};
use crate::status::{ApiError, ApiResult, status_json};
use crate::time;
use crate::vision::{Features, cosine, number};
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
    /// `(concept id, concept name, centroid)`.
    Custom {
        centroids: Vec<(String, String, Vec<f32>)>,
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
            .map(|(id, c)| (id.clone(), app.concept_name(id), c.clone()))
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
    if let Some(v) = version_id
        && v != b.version_id
    {
        return Err(ApiError::not_found("model version", v));
    }
    Ok(Runnable {
        shown: render::builtin_model(b, false),
        kind: RunKind::Builtin(b.kind),
    })
}

/// Per-request options (`model.output_info.output_config` of the request).
#[derive(Debug, Clone, Default)]
pub(crate) struct OutputConfig {
    min_value: f32,
    max_concepts: usize,
    select: Vec<String>,
}

impl OutputConfig {
    pub(crate) fn from_request(body: &Value) -> OutputConfig {
        let c = body.pointer("/model/output_info/output_config");
        let get = |f: &str| c.and_then(|c| c.get(f));
        OutputConfig {
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
        RunKind::Custom { centroids, app_id } => {
            let list = centroids
                .iter()
                .map(|(id, name, c)| {
                    let v = (cosine(&f.embedding, c) * 100_000.0).round() / 100_000.0;
                    (id.clone(), name.clone(), v)
                })
                .collect();
            concepts_json(list, app_id)
        }
    }
}

/// An input of a predict request, with its features or why they could not be had.
#[derive(Debug)]
pub(crate) struct Source {
    /// The input as echoed in outputs (id and data, without image bytes).
    pub(crate) shown: Value,
    pub(crate) features: Result<Features, InputFailure>,
    /// A video (`data.video`): its output is a list of frames (`data.frames`).
    pub(crate) video: bool,
}

/// A video's `data` read as an image (`{"image": <data.video>}`), when the input has a video and
/// no image. The emulator decodes no video codec: a video whose bytes are a PNG or JPEG still is
/// one frame; any other video fails like an image that does not decode.
fn video_as_image(data: &Value) -> Option<Value> {
    if has_image(data) {
        return None;
    }
    let video = data.get("video")?;
    let given = |f: &str| {
        video
            .get(f)
            .and_then(Value::as_str)
            .is_some_and(|s| !s.is_empty())
    };
    (given("url") || given("base64")).then(|| json!({"image": video}))
}

/// Reads every input of a predict-like request (`inputs[]`): an image, or the `id` of an input
/// already in the app.
/// The inputs to run a model or workflow on, read from the request. An input given only by id
/// reads a stored input's pixels: that needs `Inputs:Get` (11007 without it, whether or not the
/// id exists).
pub(crate) async fn sources(call: &Call, inputs: &[Value]) -> ApiResult<Vec<Source>> {
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
    let readable: Vec<Value> = datas
        .iter()
        .zip(&videos)
        .map(|(d, v)| v.clone().unwrap_or_else(|| d.clone()))
        .collect();
    let computed = features_of_many(&call.shared, &readable).await;
    let mut out = Vec::with_capacity(inputs.len());
    for (((given, data), computed), video) in inputs.iter().zip(datas).zip(computed).zip(videos) {
        let video = video.is_some();
        let id = match str_field(given, "id") {
            "" => random_id(),
            id => id.to_string(),
        };
        let features = match computed {
            Some(Err((code, details))) if video => Err((
                code,
                format!(
                    "{details} (the emulator reads a video only when its bytes are a PNG or JPEG still, as one frame)"
                ),
            )),
            Some(result) => result,
            None => stored_features(call, &id),
        };
        let mut shown_data = data;
        for media in ["image", "video"] {
            if let Some(m) = shown_data.get_mut(media).and_then(Value::as_object_mut) {
                m.remove("base64");
            }
        }
        out.push(Source {
            shown: json!({"id": id, "data": shown_data}),
            features,
            video,
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
            let (st, data) = match &s.features {
                Ok(f) if s.video => (
                    status_json(StatusCode::SUCCESS, None),
                    json!({"frames": [{
                        "frame_info": {"index": 0, "time": 0},
                        "data": run(model, f, config),
                    }]}),
                ),
                Ok(f) => (
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

/// 10000 when every item succeeded, 10020 when none did, 10010 otherwise.
pub(crate) fn overall(ok: usize, total: usize) -> StatusCode {
    if ok == total {
        StatusCode::SUCCESS
    } else if ok == 0 {
        StatusCode::FAILURE
    } else {
        StatusCode::MIXED_STATUS
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
    let sources = sources(call, &inputs).await?;
    let ok = sources.iter().filter(|s| s.features.is_ok()).count();
    let outputs = outputs(&model, &sources, &config);
    Ok(Reply::ok(json!({"outputs": outputs})).with_code(overall(ok, sources.len())))
}
