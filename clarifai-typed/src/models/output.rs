//! Predictions: `PostModelOutputs` and the `Output` it returns for every input.

use serde::Serialize;

use super::common::{JsonMap, Timestamp};
use super::data::Data;
use super::input::Input;
use super::model::{Model, OutputConfig, OutputInfo};
use super::status::Status;
use crate::redacted::{Redacted, redactable};

/// What a model made of one input (`Output`), with its own status.
///
/// `model` is [`Redacted`] (`Models:Get`), and so are the concepts in `data`
/// (`Concepts:Get`).
///
/// `model` and `input` are boxed: they are large (a `Model` is nearly 2 KB) and rarely sent, and
/// inline they made every output of a batch 4 KB.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Output {
    /// The output's id.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// This input's outcome (an input can fail while others succeed: 10010 overall).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// When it was made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    /// The model that made it.
    #[serde(skip_serializing_if = "Redacted::is_omitted")]
    pub model: Redacted<Option<Box<Model>>>,
    /// The input, echoed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<Box<Input>>,
    /// The prediction: concepts, regions, frames, embeddings, colours.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<Data>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl Output {
    /// An output holding `data` (a legacy search term on predictions).
    pub fn from_data(data: Data) -> Output {
        Output {
            data: Some(data),
            ..Output::default()
        }
    }

    /// The predicted concepts, if the key could see them (empty when there are none).
    pub fn concepts(&self) -> Redacted<&[super::Concept]> {
        match &self.data {
            Some(data) => data.concepts.as_ref().map(Vec::as_slice),
            None => Redacted::Visible(&[]),
        }
    }
}

/// `PostModelOutputs` body: predict on inputs (at most 128), optionally with per-request settings.
///
/// ```
/// use clarifai_typed::models::{Input, OutputConfig, PostModelOutputsRequest};
/// let req = PostModelOutputsRequest::new([Input::from_url("https://some-image-url")])
///     .with_output_config(OutputConfig::default().with_max_concepts(3));
/// assert_eq!(
///     serde_json::to_value(&req).unwrap(),
///     serde_json::json!({
///         "inputs": [{"data": {"image": {"url": "https://some-image-url"}}}],
///         "model": {"output_info": {"output_config": {"max_concepts": 3}}}
///     })
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PostModelOutputsRequest {
    /// The inputs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<Input>,
    /// Per-request model settings (`output_info.output_config`: language, `max_concepts`,
    /// `min_value`, `select_concepts`). Boxed: a `Model` is large, and a request is moved by
    /// each setter of its call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<Box<Model>>,
    /// Fields this version does not model (`use_predict_cache`, `runner_selector`), kept.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl PostModelOutputsRequest {
    /// Predicts on these inputs.
    pub fn new(inputs: impl IntoIterator<Item = Input>) -> Self {
        PostModelOutputsRequest {
            inputs: inputs.into_iter().collect(),
            ..Self::default()
        }
    }

    /// Sets the per-request output configuration.
    pub fn with_output_config(mut self, config: OutputConfig) -> Self {
        let model = self.model.get_or_insert_with(Box::default);
        model
            .output_info
            .get_or_insert_with(OutputInfo::default)
            .output_config = Some(config);
        self
    }
}

/// Predictions (`MultiOutputResponse`): `PostModelOutputs`. `outputs` is always sent, even
/// empty.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct MultiOutputResponse {
    /// The outcome: 10000, 10010 (some inputs failed) or 10020 (all failed).
    pub status: Status,
    /// One output per input, in order.
    pub outputs: Vec<Output>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

redactable! {
    Output { model, input, data }
    MultiOutputResponse { outputs }
}

super::fields::decode_fields! {
    Output { id, status, created_at, model, input, data }
    PostModelOutputsRequest { inputs, model }
    MultiOutputResponse { status, outputs }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::Concept;
    use serde_json::json;

    #[test]
    fn predict_request_shape() {
        let mut config = OutputConfig {
            language: "de".into(),
            max_concepts: 2,
            min_value: 0.5,
            ..Default::default()
        };
        config.select_concepts = vec![Concept::new("dog")];
        let req = PostModelOutputsRequest::new([
            Input::from_url("https://some-image-url1"),
            Input::from_bytes(vec![1u8, 2, 3]).with_id("in-2"),
        ])
        .with_output_config(config);
        assert_eq!(
            serde_json::to_value(&req).unwrap(),
            json!({
                "inputs": [
                    {"data": {"image": {"url": "https://some-image-url1"}}},
                    {"id": "in-2", "data": {"image": {"base64": "AQID"}}}
                ],
                "model": {"output_info": {"output_config": {
                    "language": "de", "max_concepts": 2, "min_value": 0.5,
                    "select_concepts": [{"id": "dog"}]
                }}}
            })
        );
    }

    #[test]
    fn an_output_stays_small() {
        // A batch answer holds up to 128 of them: the large, rarely sent parts are boxed.
        let size = std::mem::size_of::<Output>();
        assert!(size <= 512, "size_of::<Output>() = {size}");
    }

    #[test]
    fn output_concepts_accessor() {
        let out: Output = serde_json::from_value(json!({
            "data": {"concepts": [{"id": "dog", "value": 0.9}]}
        }))
        .unwrap();
        assert_eq!(out.concepts().visible().map(|c| c.len()), Some(1));
        assert_eq!(
            Output::default().concepts().visible().map(|c| c.len()),
            Some(0)
        );
    }
}
