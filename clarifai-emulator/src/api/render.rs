//! The JSON the emulator sends for each kind of object.

use clarifai_typed::models::StatusCode;
use serde_json::{Map, Value, json};

use crate::builtin::{self, Builtin};
use crate::request::Call;
use crate::shared::lock;
use crate::state::{
    AnnotationRec, App, ConceptRec, InputRec, KeyRec, ModelRec, VersionRec, WorkflowRec,
};
use crate::status::status_json;

const OUTPUT_INFO_MESSAGE: &str = "Show output_info with: GET /models/{model_id}/output_info";

/// Where an app's inputs have their hosted copies: `{prefix}/{size}/{suffix}`, the suffix
/// `users/{user}/apps/{app}/inputs/{image|video}/{input id}` (the layout of Clarifai's secure
/// data hosting).
#[derive(Debug, Clone)]
pub(crate) struct Hosting {
    prefix: String,
    user: String,
    app: String,
}

impl Hosting {
    /// The hosting of the request's app.
    pub(crate) fn of(call: &Call) -> Hosting {
        Hosting {
            prefix: lock(&call.shared.config).hosting_url.clone(),
            user: call.target.user_id.clone(),
            app: call.app_id().to_string(),
        }
    }

    /// `hosted` of an input holding `kind` (`image` or `video`).
    fn hosted(&self, kind: &str, input_id: &str) -> Value {
        let sizes: &[&str] = if kind == "video" {
            crate::server::VIDEO_SIZES
        } else {
            crate::server::IMAGE_SIZES
        };
        object([
            ("prefix", Value::String(self.prefix.clone())),
            (
                "suffix",
                Value::String(format!(
                    "users/{}/apps/{}/inputs/{kind}/{input_id}",
                    self.user, self.app
                )),
            ),
            ("sizes", sizes.iter().map(|s| Value::from(*s)).collect()),
            ("crossorigin", Value::from("use-credentials")),
        ])
    }
}

/// An input as the API shows it. Bytes are not sent back: once the emulator holds an input's
/// bytes (uploaded, or downloaded from its URL) its media shows `hosted`, the hosted copies, and
/// media uploaded as bytes gets a `url`, that of the original copy (Clarifai's clients expect a
/// `url` on every image, issue 10 C2).
pub(crate) fn input(i: &InputRec, host: &Hosting) -> Value {
    let kind = i.media_kind();
    let (mut data, uploaded) = data_without_bytes(&i.data, kind);
    let hosted = i.bytes_b64().map(|_| host.hosted(kind, &i.id));
    if let Some(media) = data.get_mut(kind).and_then(Value::as_object_mut)
        && let Some(hosted) = hosted
    {
        if uploaded && !media.contains_key("url") {
            let url = format!(
                "{}/orig/{}",
                hosted["prefix"].as_str().unwrap_or(""),
                hosted["suffix"].as_str().unwrap_or("")
            );
            media.insert("url".into(), json!(url));
        }
        media.insert("hosted".into(), hosted);
    }
    if let Some(img) = data.get_mut("image").and_then(Value::as_object_mut)
        && let Some(f) = &i.features
    {
        img.insert(
            "image_info".into(),
            object([
                ("width", f.width.into()),
                ("height", f.height.into()),
                ("format", f.format.as_str().into()),
            ]),
        );
    }
    object([
        ("id", i.id.as_str().into()),
        ("data", data),
        ("created_at", i.created_at.as_str().into()),
        ("modified_at", i.modified_at.as_str().into()),
        (
            "status",
            status_json(i.status_code, i.status_details.as_deref()),
        ),
    ])
}

/// A JSON object of these fields, each value moved in (`json!` copies every value it is given,
/// which for a rendered input means its whole data once more).
pub(crate) fn object<const N: usize>(fields: [(&str, Value); N]) -> Value {
    Value::Object(fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

/// A copy of an input's `data` without its media's uploaded bytes (`<kind>.base64`, which an
/// answer never shows and which would be the bulk of the copy), and whether it had them.
fn data_without_bytes(data: &Value, kind: &str) -> (Value, bool) {
    let Some(fields) = data.as_object() else {
        return (data.clone(), false);
    };
    let mut uploaded = false;
    let mut copy = Map::new();
    for (field, value) in fields {
        let value = match value.as_object().filter(|_| field == kind) {
            Some(media) => {
                uploaded = media.contains_key("base64");
                Value::Object(
                    media
                        .iter()
                        .filter(|(f, _)| f.as_str() != "base64")
                        .map(|(f, v)| (f.clone(), v.clone()))
                        .collect(),
                )
            }
            None => value.clone(),
        };
        copy.insert(field.clone(), value);
    }
    (Value::Object(copy), uploaded)
}

/// An app concept. A concept that is not a prediction or a label has no `value` (payloads 058,
/// 067, 073).
pub(crate) fn concept(c: &ConceptRec, app_id: &str) -> Value {
    json!({
        "id": c.id,
        "name": c.name,
        "created_at": c.created_at,
        "language": c.language,
        "app_id": app_id,
    })
}

/// A concept given by id, named from the app's concepts.
pub(crate) fn concept_ref(app: &App, id: &str) -> Value {
    match app.concepts.iter().find(|c| c.id == id) {
        Some(c) => concept(c, &app.id),
        None => json!({"id": id, "name": id, "created_at": app.created_at, "app_id": app.id}),
    }
}

/// An annotation. The input-level one shows its input's concepts (it holds no copy of them).
pub(crate) fn annotation(a: &AnnotationRec, app: &App) -> Value {
    let mut data = a.data.clone();
    if a.input_level
        && let Some(concepts) = app.input(&a.input_id).and_then(|i| i.data.get("concepts"))
        && let Some(d) = data.as_object_mut()
    {
        d.insert("concepts".into(), concepts.clone());
    }
    json!({
        "id": a.id,
        "input_id": a.input_id,
        "data": data,
        "status": status_json(StatusCode::ANNOTATION_SUCCESS, None),
        "created_at": a.created_at,
        "modified_at": a.modified_at,
        "user_id": app.user_id,
        "app_id": app.id,
    })
}

/// A model version.
pub(crate) fn version(v: &VersionRec, app: &App, model_id: &str) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), json!(v.id));
    m.insert("created_at".into(), json!(v.created_at));
    m.insert(
        "status".into(),
        status_json(v.status_code, v.status_details.as_deref()),
    );
    let mut output_info = Map::new();
    if !v.concepts.is_empty() {
        m.insert("active_concept_count".into(), json!(v.concepts.len()));
        let concepts: Vec<Value> = v.concepts.iter().map(|c| concept_ref(app, c)).collect();
        output_info.insert("data".into(), json!({"concepts": concepts}));
    }
    if v.output_config.as_object().is_some_and(|c| !c.is_empty()) {
        output_info.insert("output_config".into(), v.output_config.clone());
    }
    if !output_info.is_empty() {
        m.insert("output_info".into(), Value::Object(output_info));
    }
    if v.total_input_count > 0 {
        m.insert("total_input_count".into(), json!(v.total_input_count));
    }
    m.insert("model_id".into(), json!(model_id));
    m.insert("app_id".into(), json!(app.id));
    m.insert("user_id".into(), json!(app.user_id));
    m.insert("train_stats".into(), json!({}));
    Value::Object(m)
}

/// Version `version_id` of a built-in model, under the model id `model_id` the request used
/// (its current or a legacy id).
pub(crate) fn builtin_version(b: &Builtin, model_id: &str, version_id: &str) -> Value {
    let mut v = builtin_version_brief(b, model_id, version_id);
    let concepts = builtin_concepts(b);
    if !concepts.is_empty() {
        v["output_info"] = json!({"data": {"concepts": concepts}});
    }
    v
}

/// A built-in model's version without its `output_info` (the concepts it knows): what a model
/// shown inside another answer carries (a predict's `outputs[].model`). Its vocabulary is never
/// rendered here, only counted: this is on every predict's path.
fn builtin_version_brief(b: &Builtin, model_id: &str, version_id: &str) -> Value {
    let mut v = json!({
        "id": version_id,
        "created_at": "2016-07-13T01:19:12.147644Z",
        "status": status_json(StatusCode::MODEL_TRAINED, None),
        "model_id": model_id,
        "app_id": builtin::PUBLIC_APP,
        "user_id": builtin::PUBLIC_USER,
        "train_stats": {},
    });
    let count = b.vocabulary_len();
    if count > 0 {
        v["active_concept_count"] = json!(count);
    }
    v
}

/// A concept a built-in model knows, as its `output_info` lists it: like an app's concepts, with
/// `created_at` (the model's) and no `value` (payloads 058, 067).
pub(crate) fn builtin_concept(b: &Builtin, id: &str, name: &str) -> Value {
    json!({"id": id, "name": name, "created_at": b.created_at, "language": "en", "app_id": builtin::PUBLIC_APP})
}

fn builtin_concepts(b: &Builtin) -> Vec<Value> {
    b.vocabulary()
        .iter()
        .map(|(id, name)| builtin_concept(b, id, name))
        .collect()
}

/// A built-in model at version `version_id`, under the model id `model_id` the request used
/// (the id asked for is the id answered); `full` adds `output_info.data.concepts` (GetModel,
/// GetModelOutputInfo; a list shows none, payload 061).
pub(crate) fn builtin_model(b: &Builtin, full: bool, model_id: &str, version_id: &str) -> Value {
    let (kind, ext) = b.output_type;
    let mut output_info = json!({
        "message": OUTPUT_INFO_MESSAGE,
        "type": kind,
        "type_ext": ext,
    });
    if full {
        let concepts = builtin_concepts(b);
        if !concepts.is_empty() {
            output_info["data"] = json!({"concepts": concepts});
        }
    }
    let version = builtin_version_brief(b, model_id, version_id);
    json!({
        "id": model_id,
        "name": b.name,
        "created_at": b.created_at,
        "app_id": builtin::PUBLIC_APP,
        "user_id": builtin::PUBLIC_USER,
        "output_info": output_info,
        "model_version": version,
        "display_name": b.display_name,
        "model_type_id": b.model_type_id,
    })
}

/// A custom model with `version` (default: its latest); `full` adds `output_info.data.concepts`
/// and keeps the version's own `output_info` (its concepts and `output_config`).
pub(crate) fn model(m: &ModelRec, app: &App, version: Option<&VersionRec>, full: bool) -> Value {
    let mut output_info = Map::new();
    if full && !m.concepts.is_empty() {
        let concepts: Vec<Value> = m.concepts.iter().map(|c| concept_ref(app, c)).collect();
        output_info.insert("data".into(), json!({"concepts": concepts}));
    }
    let mut config = json!({"concepts_mutually_exclusive": false, "closed_environment": false});
    if let (Some(c), Some(given)) = (config.as_object_mut(), m.output_config.as_object()) {
        for (k, v) in given {
            c.insert(k.clone(), v.clone());
        }
    }
    output_info.insert("output_config".into(), config);
    output_info.insert("message".into(), json!(OUTPUT_INFO_MESSAGE));
    output_info.insert("type".into(), json!("concept"));
    output_info.insert("type_ext".into(), json!("concept"));
    let mut out = json!({
        "id": m.id,
        "name": m.name,
        "created_at": m.created_at,
        "modified_at": m.modified_at,
        "app_id": app.id,
        "user_id": app.user_id,
        "output_info": output_info,
        "model_type_id": m.model_type_id,
    });
    if let Some(v) = version.or(m.versions.last()) {
        let mut vj = self::version(v, app, &m.id);
        if let Some(o) = vj.as_object_mut().filter(|_| !full) {
            o.remove("output_info");
        }
        out["model_version"] = vj;
    }
    out
}

/// A workflow.
pub(crate) fn workflow(w: &WorkflowRec, app: &App) -> Value {
    let nodes: Vec<Value> = w
        .nodes
        .iter()
        .map(|n| {
            let (name, version) = match app.model(&n.model_id) {
                Some(m) => (
                    m.name.clone(),
                    n.model_version_id
                        .clone()
                        .or_else(|| m.versions.last().map(|v| v.id.clone())),
                ),
                None => match builtin::find(&n.model_id) {
                    Some(b) => (
                        b.name.to_string(),
                        n.model_version_id
                            .clone()
                            .or_else(|| Some(b.version_id().to_string())),
                    ),
                    None => (n.model_id.clone(), n.model_version_id.clone()),
                },
            };
            let mut model = json!({"id": n.model_id, "name": name});
            if let Some(v) = version {
                model["model_version"] = json!({"id": v});
            }
            json!({"id": n.id, "model": model})
        })
        .collect();
    json!({
        "id": w.id,
        "app_id": app.id,
        "user_id": app.user_id,
        "created_at": w.created_at,
        "modified_at": w.modified_at,
        "nodes": nodes,
    })
}

/// An app. Its `default_workflow` is the base workflow that indexes inputs.
pub(crate) fn app(a: &App) -> Value {
    json!({
        "id": a.id,
        "name": a.name,
        "user_id": a.user_id,
        "created_at": a.created_at,
        "modified_at": a.modified_at,
        "default_language": "en",
        "default_workflow": {
            "id": "General",
            "app_id": builtin::PUBLIC_APP,
            "user_id": builtin::PUBLIC_USER,
            "nodes": general_nodes(),
        },
    })
}

/// The nodes of the base workflow `General`: the General model first (its first output is the
/// concepts, as Clarifai's suites read it), then the embedding; each with its model's version.
fn general_nodes() -> Value {
    let node = |id: &str, model: &str| {
        let b = builtin::find(model);
        json!({"id": id, "model": {
            "id": model,
            "name": b.map_or(model, |b| b.name),
            "model_version": {"id": b.map_or("", |b| b.version_id())},
        }})
    };
    json!([
        node("general-concept", "general-image-recognition"),
        node("general-embed", "general-image-embedding"),
    ])
}

/// A key.
pub(crate) fn key(k: &KeyRec) -> Value {
    let mut v = json!({
        "id": k.id,
        "type": k.key_type.as_str(),
        "scopes": k.scopes,
        "created_at": k.created_at,
    });
    if !k.description.is_empty() {
        v["description"] = json!(k.description);
    }
    if let Some(app) = &k.app_id {
        v["apps"] = json!([{"id": app, "user_id": k.user_id}]);
    }
    if let Some(e) = &k.expires_at {
        v["expires_at"] = json!(e);
    }
    if !k.endpoints.is_empty() {
        v["endpoints"] = json!(k.endpoints);
    }
    v
}
