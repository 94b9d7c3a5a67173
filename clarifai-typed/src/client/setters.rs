//! Setters of the calls, by request type: what to send (inputs, concepts, a query...). The
//! endpoint methods themselves are generated (`endpoints.rs`).

use super::Call;
use crate::Key;
use crate::models::{
    self, Annotation, ApiKey, App, Collaborator, Concept, ConceptLanguage, ConceptQuery, Dataset,
    DatasetInput, DatasetVersion, Input, Model, ModelQuery, ModelVersion, OutputConfig,
    PatchAction, Query, SearchSpec, Workflow,
};

impl<K: Key> Call<'_, K, models::PostModelOutputsRequest> {
    /// Sets the per-request output configuration (`max_concepts`, `min_value`, language,
    /// `select_concepts`).
    pub fn output_config(mut self, config: OutputConfig) -> Self {
        self.request.model = Some(Box::new(Model::default().with_output_config(config)));
        self
    }
}

/// Setters that add one item to a list of the request (`$one`), or several (`$many`).
macro_rules! push_setters {
    ($($request:ty => $field:ident: $item:ty, $one:ident $(/ $many:ident)?, $doc:literal;)*) => {$(
        impl<K: Key> Call<'_, K, $request> {
            #[doc = $doc]
            pub fn $one(mut self, item: $item) -> Self {
                self.request.$field.push(item);
                self
            }
            $(
                #[doc = $doc]
                #[doc = ""]
                #[doc = "Several at once."]
                pub fn $many(mut self, items: impl IntoIterator<Item = $item>) -> Self {
                    self.request.$field.extend(items);
                    self
                }
            )?
        }
    )*};
}

push_setters! {
    models::PostModelOutputsRequest => inputs: Input, input / inputs, "Adds an input to predict on (at most 128 per call; see `predict_batched` for more).";
    models::PostWorkflowResultsRequest => inputs: Input, input / inputs, "Adds an input to run the workflow on.";
    models::PostInputsRequest => inputs: Input, input / inputs, "Adds an input to upload (at most 128 per call; see `add_inputs_batched` for more). Give it an id (`Input::with_id`) to make the upload safe to repeat.";
    models::PostModelVersionsRequest => model_versions: ModelVersion, model_version, "Adds a model version description to train (usually none: the server makes one).";
    models::PostConceptsRequest => concepts: Concept, concept / concepts, "Adds a concept to create.";
    models::PostWorkflowsRequest => workflows: Workflow, workflow, "Adds a workflow to create.";
    models::PostAnnotationsRequest => annotations: Annotation, annotation / annotations, "Adds an annotation.";
    models::PostKeysRequest => keys: ApiKey, api_key, "Adds a key to create.";
    models::PostCollaboratorsRequest => collaborators: Collaborator, collaborator, "Adds a user to invite, with the scopes they get in the app.";
    models::PostDatasetsRequest => datasets: Dataset, dataset / datasets, "Adds a dataset to create (give it an id to make the call safe to repeat).";
    models::PostDatasetVersionsRequest => dataset_versions: DatasetVersion, dataset_version, "Adds a version to make (an empty id: the server makes one).";
    models::PostAppsRequest => apps: App, app, "Adds an app to create (`App::new(id)`).";
    models::PostConceptLanguagesRequest => concept_languages: ConceptLanguage, language / languages, "Adds the concept's name in one language.";
}

/// Setters that add one item to change by id, with the patch action (merge, remove, overwrite).
macro_rules! patch_setters {
    ($($request:ty => $field:ident: $item:ty, $one:ident, $doc:literal;)*) => {$(
        impl<K: Key> Call<'_, K, $request> {
            #[doc = $doc]
            pub fn $one(mut self, action: PatchAction, item: $item) -> Self {
                self.request.action = action;
                self.request.$field.push(item);
                self
            }
        }
    )*};
}

patch_setters! {
    models::PatchInputsRequest => inputs: Input, input, "Adds an input to change (by its id) with `action`.";
    models::PatchModelsRequest => models: Model, model, "Adds a model to change (by its id) with `action`.";
    models::PatchConceptsRequest => concepts: Concept, concept, "Adds a concept to change (by its id) with `action`.";
    models::PatchWorkflowsRequest => workflows: Workflow, workflow, "Adds a workflow to change (by its id) with `action`.";
    models::PatchAnnotationsRequest => annotations: Annotation, annotation, "Adds an annotation to change (by its id) with `action`.";
    models::PatchKeysRequest => keys: ApiKey, api_key, "Adds a key to change (by its id) with `action`.";
    models::PatchConceptLanguagesRequest => concept_languages: ConceptLanguage, language, "Adds a name to change (by its language id) with `action`.";
}

macro_rules! ids_setter {
    ($($request:ty => $field:ident),*) => {$(
        impl<K: Key> Call<'_, K, $request> {
            /// The ids to delete.
            pub fn ids(mut self, ids: impl IntoIterator<Item = impl Into<String>>) -> Self {
                self.request.$field.extend(ids.into_iter().map(Into::into));
                self
            }
        }
    )*};
}
ids_setter!(
    models::DeleteInputsRequest => ids,
    models::DeleteModelsRequest => ids,
    models::DeleteWorkflowsRequest => ids,
    models::DeleteAnnotationsRequest => ids,
    models::DeleteDatasetsRequest => dataset_ids,
    models::DeleteDatasetVersionsRequest => dataset_version_ids,
    models::DeleteCollaboratorsRequest => collaborator_ids
);

/// Setters for the search query, legacy (`query`) and new (`searches[]`).
macro_rules! query_setters {
    ($($request:ty => |$r:ident, $q:ident| $set:expr, $doc:literal;)*) => {$(
        impl<K: Key> Call<'_, K, $request> {
            #[doc = $doc]
            pub fn query(mut self, $q: Query) -> Self {
                let $r = &mut self.request;
                $set;
                self
            }
        }
    )*};
}

query_setters! {
    models::PostSearchesRequest => |r, q| r.query = Some(q), "The legacy query (`query.ands`).";
    models::PostInputsSearchesRequest => |r, q| r.searches.push(SearchSpec::new(q)), "Adds a search (`searches[]`).";
    models::PostAnnotationsSearchesRequest => |r, q| r.searches.push(SearchSpec::new(q)), "Adds a search (`searches[]`).";
}

impl<K: Key> Call<'_, K, models::PostModelsRequest> {
    /// The model to create.
    pub fn model(mut self, model: Model) -> Self {
        self.request.model = Some(model);
        self
    }
}

impl<K: Key> Call<'_, K, models::PostConceptsSearchesRequest> {
    /// The concept query: a name with `*` wildcards (`dog*`), optionally in a language.
    pub fn query(mut self, query: ConceptQuery) -> Self {
        self.request.concept_query = Some(query);
        self
    }
}

impl<K: Key> Call<'_, K, models::PostSearchesRequest> {
    /// Saves `query` under `id` instead of running it (`searches[{id, save: true, query}]`): run it
    /// later with [`Client::run_saved_search`](crate::Client::run_saved_search). The answer holds
    /// no hits.
    pub fn save_as(mut self, id: impl Into<String>, query: Query) -> Self {
        self.request.searches.push(SearchSpec::saved(id, query));
        self
    }
}

impl<K: Key> Call<'_, K, models::PostModelsSearchesRequest> {
    /// The model query: a name with `*` wildcards (`general*`), optionally an output type.
    pub fn query(mut self, query: ModelQuery) -> Self {
        self.request.model_query = Some(query);
        self
    }
}

/// Setters of the feedback requests: the input the feedback is about.
macro_rules! feedback_setters {
    ($($request:ty),*) => {$(
        impl<K: Key> Call<'_, K, $request> {
            /// The input (with its `feedback_info`: [`Input::with_feedback_info`]).
            pub fn input(mut self, input: Input) -> Self {
                self.request.input = Some(input);
                self
            }
        }
    )*};
}
feedback_setters!(
    models::PostModelFeedbackRequest,
    models::PostSearchFeedbackRequest
);

impl<K: Key> Call<'_, K, models::PostDatasetInputsRequest> {
    /// Adds inputs of the app to the dataset, by id.
    pub fn input_ids(mut self, ids: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.request
            .dataset_inputs
            .extend(ids.into_iter().map(DatasetInput::by_id));
        self
    }
}
