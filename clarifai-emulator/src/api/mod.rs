//! The endpoints' behaviour: one function per RPC, on `serde_json::Value` bodies, reached from
//! [`dispatch`]; they use [`crate::request`], never this module.

mod annotations;
mod apps;
mod collaborators;
mod concept_languages;
mod concepts;
mod datasets;
mod feedback;
mod images;
mod inputs;
mod keys;
mod metrics;
mod model_search;
mod models;
mod predict;
mod render;
mod saved_searches;
mod search;
mod workflows;

use clarifai_typed::Rpc;

pub(crate) use images::is_loopback;

use crate::request::{Call, Reply};
use crate::status::ApiResult;

pub(crate) use inputs::resume_processing;

/// Runs the RPC.
pub(crate) async fn dispatch(call: &mut Call) -> ApiResult<Reply> {
    match call.rpc {
        Rpc::PostModelOutputs => predict::post_model_outputs(call).await,
        Rpc::PostWorkflowResults => workflows::post_workflow_results(call).await,
        Rpc::PostInputs => inputs::post_inputs(call),
        Rpc::ListInputs => inputs::list_inputs(call),
        Rpc::GetInput => inputs::get_input(call),
        Rpc::PatchInputs => inputs::patch_inputs(call),
        Rpc::DeleteInput => inputs::delete_input(call),
        Rpc::DeleteInputs => inputs::delete_inputs(call),
        Rpc::GetInputCount => inputs::input_count(call),
        Rpc::PostSearches if saved_searches::saves(call) => saved_searches::save(call),
        Rpc::PostSearches | Rpc::PostInputsSearches | Rpc::PostAnnotationsSearches => {
            search::search(call).await
        }
        // The user-level binding (`/v2/users/{user_id}/models`) with a PAT: no app in the target.
        Rpc::ListModels if call.target.app_id.is_none() => model_search::list_user_models(call),
        Rpc::ListModels => models::list_models(call),
        Rpc::GetModel | Rpc::GetModelOutputInfo => models::get_model(call),
        Rpc::PostModels => models::post_models(call),
        Rpc::PatchModels => models::patch_models(call),
        Rpc::DeleteModel => models::delete_model(call),
        Rpc::DeleteModels => models::delete_models(call),
        Rpc::ListModelTypes => models::list_model_types(call),
        Rpc::ListModelInputs => models::list_model_inputs(call),
        Rpc::PostModelVersions => models::post_model_versions(call).await,
        Rpc::ListModelVersions => models::list_model_versions(call),
        Rpc::GetModelVersion => models::get_model_version(call),
        Rpc::DeleteModelVersion => models::delete_model_version(call),
        Rpc::ListConcepts => concepts::list_concepts(call),
        Rpc::GetConcept => concepts::get_concept(call),
        Rpc::PostConcepts => concepts::post_concepts(call),
        Rpc::PatchConcepts => concepts::patch_concepts(call),
        Rpc::PostConceptsSearches => concepts::search_concepts(call),
        Rpc::GetConceptCounts => concepts::concept_counts(call),
        Rpc::ListWorkflows => workflows::list_workflows(call),
        Rpc::GetWorkflow => workflows::get_workflow(call),
        Rpc::PostWorkflows => workflows::post_workflows(call),
        Rpc::PatchWorkflows => workflows::patch_workflows(call),
        Rpc::DeleteWorkflow => workflows::delete_workflow(call),
        Rpc::DeleteWorkflows => workflows::delete_workflows(call),
        Rpc::ListAnnotations => annotations::list_annotations(call),
        Rpc::GetAnnotation => annotations::get_annotation(call),
        Rpc::PostAnnotations => annotations::post_annotations(call),
        Rpc::PatchAnnotations => annotations::patch_annotations(call),
        Rpc::DeleteAnnotation => annotations::delete_annotation(call),
        Rpc::DeleteAnnotations => annotations::delete_annotations(call),
        Rpc::MyScopes => keys::my_scopes(call),
        Rpc::GetApp => keys::get_app(call),
        Rpc::ListApps => keys::list_apps(call),
        Rpc::PostKeys => keys::post_keys(call),
        Rpc::ListKeys => keys::list_keys(call),
        Rpc::GetKey => keys::get_key(call),
        Rpc::PatchKeys => keys::patch_keys(call),
        Rpc::DeleteKey => keys::delete_key(call),
        Rpc::ListAppKeys => keys::list_app_keys(call),
        Rpc::PostModelsSearches => model_search::search_models(call),
        Rpc::PostModelFeedback => feedback::model_feedback(call),
        Rpc::PostSearchFeedback => feedback::search_feedback(call),
        Rpc::PostModelVersionMetrics => metrics::evaluate(call),
        Rpc::GetModelVersionMetrics => metrics::get_metrics(call),
        Rpc::PostSearchesByID => saved_searches::run(call).await,
        Rpc::GetSearch => saved_searches::get(call),
        Rpc::ListSearches => saved_searches::list(call),
        Rpc::DeleteSearch => saved_searches::delete(call),
        Rpc::ListCollaborators => collaborators::list(call),
        Rpc::PostCollaborators => collaborators::add(call),
        Rpc::DeleteCollaborators => collaborators::delete(call),
        Rpc::PostDatasets => datasets::add_datasets(call),
        Rpc::ListDatasets if call.target.app_id.is_none() => datasets::list_user_datasets(call),
        Rpc::ListDatasets => datasets::list_datasets(call),
        Rpc::GetDataset => datasets::get_dataset(call),
        Rpc::DeleteDatasets => datasets::delete_datasets(call),
        Rpc::PostDatasetInputs => datasets::add_dataset_inputs(call),
        Rpc::ListDatasetInputs => datasets::list_dataset_inputs(call),
        Rpc::PostDatasetVersions => datasets::add_versions(call),
        Rpc::ListDatasetVersions => datasets::list_versions(call),
        Rpc::GetDatasetVersion => datasets::get_version(call),
        Rpc::DeleteDatasetVersions => datasets::delete_versions(call),
        Rpc::PostApps => apps::add_apps(call),
        Rpc::ListConceptLanguages => concept_languages::list(call),
        Rpc::GetConceptLanguage => concept_languages::get(call),
        Rpc::PostConceptLanguages => concept_languages::add(call),
        Rpc::PatchConceptLanguages => concept_languages::patch(call),
    }
}
