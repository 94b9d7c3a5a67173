//! Workflows (graphs of models) and workflow predictions.

use serde::{Deserialize, Serialize};

use super::common::{JsonMap, Timestamp, Visibility, is_false};
use super::input::Input;
use super::model::{Model, OutputConfig, empty_request, page_request};
use super::output::Output;
use super::status::Status;
use crate::redacted::{Redacted, redactable};

/// A workflow: models wired together (`Workflow`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Workflow {
    /// The workflow's id.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// The app that owns it.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub app_id: String,
    /// The user that owns it.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub user_id: String,
    /// When it was created.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    /// When it last changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified_at: Option<Timestamp>,
    /// Its nodes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub nodes: Vec<WorkflowNode>,
    /// A description.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Who may read it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visibility: Option<Visibility>,
    /// Free-form metadata.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<JsonMap>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl Workflow {
    /// A workflow by id, with these nodes.
    pub fn new(id: impl Into<String>, nodes: impl IntoIterator<Item = WorkflowNode>) -> Workflow {
        Workflow {
            id: id.into(),
            nodes: nodes.into_iter().collect(),
            ..Workflow::default()
        }
    }
}

/// A node of a workflow: one model, fed by other nodes (`WorkflowNode`).
///
/// `model` is [`Redacted`]: blanked without `Models:Get`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct WorkflowNode {
    /// The node's id.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// The model it runs (id and version).
    #[serde(skip_serializing_if = "Redacted::is_omitted")]
    pub model: Redacted<Option<Model>>,
    /// The nodes it takes input from (none: the workflow's input).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub node_inputs: Vec<NodeInput>,
    /// Leave its output out of the results.
    #[serde(skip_serializing_if = "is_false")]
    pub suppress_output: bool,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl WorkflowNode {
    /// A node running `model`.
    pub fn new(id: impl Into<String>, model: Model) -> WorkflowNode {
        WorkflowNode {
            id: id.into(),
            model: Redacted::Visible(Some(model)),
            ..WorkflowNode::default()
        }
    }
}

/// An edge into a workflow node.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct NodeInput {
    /// The node feeding this one.
    #[serde(
        skip_serializing_if = "String::is_empty",
        deserialize_with = "crate::models::common::null_as_default"
    )]
    pub node_id: String,
}

/// What a workflow made of one input (`WorkflowResult`): one output per node.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct WorkflowResult {
    /// The result's id.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// This input's outcome.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// When it was made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    /// The input, echoed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<Input>,
    /// One output per node.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub outputs: Vec<Output>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// `PostWorkflowResults` body: run a workflow on inputs.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PostWorkflowResultsRequest {
    /// The inputs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<Input>,
    /// Settings for every node (`max_concepts`, `min_value` ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_config: Option<OutputConfig>,
    /// Look the workflow up among Clarifai's public ones.
    #[serde(skip_serializing_if = "is_false")]
    pub favor_clarifai_workflows: bool,
    /// Fields this version does not model (`workflow_state` ...), kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl PostWorkflowResultsRequest {
    /// Runs the workflow on these inputs.
    pub fn new(inputs: impl IntoIterator<Item = Input>) -> Self {
        PostWorkflowResultsRequest {
            inputs: inputs.into_iter().collect(),
            ..Self::default()
        }
    }

    /// Sets the output configuration.
    pub fn with_output_config(mut self, config: OutputConfig) -> Self {
        self.output_config = Some(config);
        self
    }
}

page_request! {
    /// `ListWorkflows` query: a page of the app's workflows.
    ListWorkflowsRequest;
}

empty_request! {
    /// `GetWorkflow`: no body (the workflow id is in the path).
    GetWorkflowRequest;
    /// `DeleteWorkflow`: no body (the workflow id is in the path).
    DeleteWorkflowRequest;
}

crate::models::common::list_request! {
    /// `PostWorkflows` body: workflows to create.
    PostWorkflowsRequest {
        /// The workflows.
        workflows: Workflow
    }
    new: "Creates these workflows.";
}

crate::models::common::patch_request! {
    /// `PatchWorkflows` body: changes to workflows.
    PatchWorkflowsRequest {
        /// The workflows, by id, with the fields to change.
        workflows: Workflow
    }
    new: "Applies `action` to these workflows.";
}

/// `DeleteWorkflows` body: workflows to delete by id, or all of them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct DeleteWorkflowsRequest {
    /// The ids.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::models::common::null_as_default"
    )]
    pub ids: Vec<String>,
    /// Delete every workflow of the app.
    #[serde(
        skip_serializing_if = "is_false",
        deserialize_with = "crate::models::common::null_as_default"
    )]
    pub delete_all: bool,
}

/// Workflow predictions (`PostWorkflowResultsResponse`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PostWorkflowResultsResponse {
    /// The outcome.
    pub status: Status,
    /// The workflow that ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workflow: Option<Workflow>,
    /// One result per input.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub results: Vec<WorkflowResult>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// Workflows (`MultiWorkflowResponse`): `ListWorkflows`, `PostWorkflows`, `PatchWorkflows`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct MultiWorkflowResponse {
    /// The outcome.
    pub status: Status,
    /// The workflows.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub workflows: Vec<Workflow>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// One workflow (`SingleWorkflowResponse`): `GetWorkflow`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SingleWorkflowResponse {
    /// The outcome.
    pub status: Status,
    /// The workflow.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workflow: Option<Workflow>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

redactable! {
    Workflow is Workflow { nodes }
    WorkflowNode { model }
    WorkflowResult { input, outputs }
    PostWorkflowResultsResponse { workflow, results }
    MultiWorkflowResponse { workflows }
    SingleWorkflowResponse { workflow }
}

super::fields::decode_fields! {
    Workflow { id, app_id, user_id, created_at, modified_at, nodes, description, visibility, metadata }
    WorkflowNode { id, model, node_inputs, suppress_output }
    WorkflowResult { id, status, created_at, input, outputs }
    PostWorkflowResultsRequest { inputs, output_config, favor_clarifai_workflows }
    PostWorkflowResultsResponse { status, workflow, results }
    MultiWorkflowResponse { status, workflows }
    SingleWorkflowResponse { status, workflow }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn workflow_request_shapes() {
        let req = PostWorkflowResultsRequest::new([Input::from_url("https://some-image-url1")])
            .with_output_config(OutputConfig {
                max_concepts: 3,
                min_value: 0.5,
                ..Default::default()
            });
        assert_eq!(
            serde_json::to_value(&req).unwrap(),
            json!({
                "inputs": [{"data": {"image": {"url": "https://some-image-url1"}}}],
                "output_config": {"max_concepts": 3, "min_value": 0.5}
            })
        );
        let mut second = WorkflowNode::new("embed", Model::new("embed-model"));
        second.node_inputs.push(NodeInput {
            node_id: "general".into(),
        });
        let post = PostWorkflowsRequest::new([Workflow::new(
            "wf",
            [
                WorkflowNode::new("general", Model::new("general-model")),
                second,
            ],
        )]);
        assert_eq!(
            serde_json::to_value(&post).unwrap(),
            json!({"workflows": [{"id": "wf", "nodes": [
                {"id": "general", "model": {"id": "general-model"}},
                {"id": "embed", "model": {"id": "embed-model"}, "node_inputs": [{"node_id": "general"}]}
            ]}]})
        );
    }
}
